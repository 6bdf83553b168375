/// Reads the entropy-coded data of a JPEG scan most significant bit first (T.81 F.2.2.5):
/// a stuffed `FF 00` is the byte FF; at a marker (`FF` then anything else) or at the end
/// of the file it reads zero bits and stops advancing. Reaching the end of the file inside
/// a scan marks the file as truncated.
struct JPEGBitReader {
    let data: UnsafeBufferPointer<UInt8>
    /// The next byte to read.
    private(set) var position: Int
    private var bits: UInt64 = 0
    private var count = 0
    /// A marker (or the end of the file) was reached.
    private var stopped = false
    /// The end of the file was reached inside the scan.
    private(set) var hitEnd = false

    init(data: UnsafeBufferPointer<UInt8>, position: Int) {
        self.data = data
        self.position = position
    }

    @inline(__always)
    private mutating func fill() {
        while count <= 56 {
            var byte: UInt64 = 0
            if !stopped {
                if position >= data.count {
                    stopped = true
                    hitEnd = true
                } else if data[position] != 0xFF {
                    byte = UInt64(data[position])
                    position += 1
                } else if position + 1 >= data.count {
                    stopped = true
                    hitEnd = true
                } else if data[position + 1] == 0 {
                    byte = 0xFF
                    position += 2
                } else {
                    stopped = true
                }
            }
            bits = bits << 8 | byte
            count += 8
        }
    }

    /// The next 16 bits, not consumed.
    @inline(__always)
    mutating func peek16() -> Int {
        if count < 16 { fill() }
        return Int(truncatingIfNeeded: bits >> UInt64(count - 16)) & 0xFFFF
    }

    @inline(__always)
    mutating func skip(_ n: Int) { count -= n }

    /// `n` bits (0...16) as an unsigned number.
    @inline(__always)
    mutating func bits(_ n: Int) -> Int {
        if n == 0 { return 0 }
        if count < n { fill() }
        count -= n
        return Int(truncatingIfNeeded: bits >> UInt64(count)) & ((1 << n) - 1)
    }

    @inline(__always)
    mutating func bit() -> Bool { bits(1) == 1 }

    /// `n` bits read as a signed magnitude of category `n` (T.81 F.2.2.1, EXTEND).
    @inline(__always)
    mutating func signed(_ n: Int) -> Int {
        let v = bits(n)
        return n == 0 || v >= 1 << (n - 1) ? v : v - (1 << n) + 1
    }

    @inline(__always)
    mutating func decode(_ table: JPEGHuffmanTable) throws -> Int {
        guard let (symbol, length) = table.decode(peek16()) else { throw PictureError(.jpeg, .corrupt, "an invalid Huffman code in the scan data") }
        count -= length
        return symbol
    }

    /// After a restart interval: drops buffered bits and, when the next marker is RSTn,
    /// steps over it. Returns false when the expected marker is not there.
    mutating func restart() -> Bool {
        bits = 0
        count = 0
        stopped = false
        let marker = nextMarker()
        if let marker, (0xD0...0xD7).contains(marker) {
            position += 2
            return true
        }
        return false
    }

    /// Moves to the next marker (skipping padding and any bytes left in the scan) and
    /// returns its code without consuming it; nil at the end of the file.
    mutating func nextMarker() -> UInt8? {
        while position + 1 < data.count {
            if data[position] == 0xFF, data[position + 1] != 0, data[position + 1] != 0xFF { return data[position + 1] }
            position += 1
        }
        return nil
    }
}
