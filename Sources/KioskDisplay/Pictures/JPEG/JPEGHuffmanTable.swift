/// A Huffman table of a JPEG (ITU-T T.81 annex C), built from the counts per code length
/// and the symbols of a `DHT` segment; codes are read most significant bit first.
///
/// Codes of up to `fastBits` bits are found with one look-up; longer ones through the
/// largest code of each length (T.81 F.2.2.3, `MAXCODE` and `VALPTR`).
struct JPEGHuffmanTable: Sendable {
    static let fastBits = 9

    /// `symbol | length << 8` for each `fastBits`-bit prefix whose code is that short;
    /// 0xFFFF where the code is longer or unassigned.
    private(set) var fast: [UInt16]
    /// Largest code of each length (index 1...16), -1 when none; index 17 is a sentinel.
    private var maxCode: [Int]
    /// Index into `symbols` of the first code of each length, minus that code.
    private var offset: [Int]
    private var symbols: [UInt8]

    /// `counts[i]`: how many codes have `i + 1` bits.
    init(counts: [Int], symbols: [UInt8]) throws {
        precondition(counts.count == 16)
        var code = 0, index = 0
        var maxCode = [Int](repeating: -1, count: 18)
        var offset = [Int](repeating: 0, count: 18)
        var fast = [UInt16](repeating: 0xFFFF, count: 1 << Self.fastBits)
        for length in 1...16 {
            let count = counts[length - 1]
            offset[length] = index - code
            guard code + count <= 1 << length else { throw PictureError(.jpeg, .corrupt, "a Huffman table with more codes than fit their lengths") }
            for _ in 0..<count {
                if length <= Self.fastBits {
                    let shift = Self.fastBits - length
                    for j in (code << shift)..<((code + 1) << shift) {
                        fast[j] = UInt16(symbols[index]) | UInt16(length) << 8
                    }
                }
                code += 1
                index += 1
            }
            if count > 0 { maxCode[length] = code - 1 }
            code <<= 1
        }
        maxCode[17] = Int.max
        self.fast = fast
        self.maxCode = maxCode
        self.offset = offset
        self.symbols = symbols
    }

    /// The symbol whose code starts the 16 bits `peek` (most significant first) and its
    /// length, or nil when no code matches.
    @inline(__always)
    func decode(_ peek: Int) -> (symbol: Int, length: Int)? {
        let entry = fast[peek >> (16 - Self.fastBits)]
        if entry != 0xFFFF { return (Int(entry & 0xFF), Int(entry >> 8)) }
        var length = Self.fastBits + 1
        while length <= 16 {
            let code = peek >> (16 - length)
            if code <= maxCode[length] { return (Int(symbols[offset[length] + code]), length) }
            length += 1
        }
        return nil
    }
}
