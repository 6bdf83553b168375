/// zlib (RFC 1950) and DEFLATE (RFC 1951) decompression into a buffer whose size is fixed
/// before the first byte is inflated: stored, fixed-Huffman and dynamic-Huffman blocks,
/// the Adler-32 check.
///
/// The output never grows past `capacity`: a stream that would inflate further is an error
/// (`.tooLarge`), so a decompression bomb costs at most the buffer its header allowed. A
/// stream that ends early is `.truncated`; any broken code, length or distance is `.corrupt`.
public enum Inflater {
    /// Inflates the zlib stream `input` into at most `capacity` bytes. With `exact`, fewer
    /// bytes than `capacity` is an error (the PNG decoder knows the size of its rows).
    public static func zlib(_ input: [UInt8], capacity: Int, exact: Bool = false, format: PictureFormat = .png) throws -> [UInt8] {
        guard input.count >= 2 else { throw PictureError(format, .truncated, "the zlib stream ends in its header") }
        let cmf = Int(input[0]), flg = Int(input[1])
        guard cmf & 0x0F == 8, cmf >> 4 <= 7 else { throw PictureError(format, .corrupt, "not a deflate zlib stream (CMF \(cmf))") }
        guard (cmf << 8 | flg) % 31 == 0 else { throw PictureError(format, .corrupt, "bad zlib header check bits") }
        guard flg & 0x20 == 0 else { throw PictureError(format, .unsupported, "a zlib stream with a preset dictionary") }
        var output = [UInt8]()
        var end = 0
        try input.withUnsafeBufferPointer { source in
            output = try [UInt8](unsafeUninitializedCapacity: capacity) { buffer, initialized in
                var state = InflateState(input: source, position: 2, output: buffer, format: format)
                defer { initialized = state.produced }
                try state.inflateBlocks()
                end = try state.alignedBytePosition()
            }
        }
        guard end + 4 <= input.count else { throw PictureError(format, .truncated, "the zlib stream ends before its Adler-32") }
        let stored = UInt32(input[end]) << 24 | UInt32(input[end + 1]) << 16 | UInt32(input[end + 2]) << 8 | UInt32(input[end + 3])
        #if !FUZZ_NO_CHECKSUMS  // the fuzz harness skips checksums to reach the code behind them
        guard stored == Adler32.checksum(output) else { throw PictureError(format, .corrupt, "Adler-32 mismatch in the zlib stream") }
        #else
        _ = stored
        #endif
        if exact, output.count < capacity {
            throw PictureError(format, .truncated, "the compressed data holds \(output.count) of \(capacity) bytes")
        }
        return output
    }

    /// Length and distance bases and extra bits (RFC 1951 section 3.2.5).
    static let lengthBase: [UInt16] = [3, 4, 5, 6, 7, 8, 9, 10, 11, 13, 15, 17, 19, 23, 27, 31, 35, 43, 51, 59, 67, 83, 99, 115, 131, 163, 195, 227, 258]
    static let lengthExtra: [UInt8] = [0, 0, 0, 0, 0, 0, 0, 0, 1, 1, 1, 1, 2, 2, 2, 2, 3, 3, 3, 3, 4, 4, 4, 4, 5, 5, 5, 5, 0]
    static let distanceBase: [UInt16] = [1, 2, 3, 4, 5, 7, 9, 13, 17, 25, 33, 49, 65, 97, 129, 193, 257, 385, 513, 769, 1025, 1537, 2049, 3073, 4097, 6145, 8193, 12289, 16385, 24577]
    static let distanceExtra: [UInt8] = [0, 0, 0, 0, 1, 1, 2, 2, 3, 3, 4, 4, 5, 5, 6, 6, 7, 7, 8, 8, 9, 9, 10, 10, 11, 11, 12, 12, 13, 13]
    /// The order code-length code lengths are sent in (section 3.2.7).
    static let codeLengthOrder = [16, 17, 18, 0, 8, 7, 9, 6, 10, 5, 11, 4, 12, 3, 13, 2, 14, 1, 15]

    /// The fixed codes of block type 1 (section 3.2.6).
    static let fixedLiteralLength: DeflateHuffmanCode = {
        var lengths = [UInt8](repeating: 8, count: 288)
        for i in 144..<256 { lengths[i] = 9 }
        for i in 256..<280 { lengths[i] = 7 }
        return try! DeflateHuffmanCode(lengths: lengths[...])
    }()
    static let fixedDistance: DeflateHuffmanCode = try! DeflateHuffmanCode(lengths: [UInt8](repeating: 5, count: 32)[...])  // 30 and 31 never occur: decoding them is an error
}

/// The bit reader and output of one inflate. Input is read little-endian a word at a time;
/// past the end it reads zero bits and counts them in `padding`, and consuming any of
/// those is `.truncated`.
struct InflateState {
    let input: UnsafeBufferPointer<UInt8>
    var position: Int
    let output: UnsafeMutableBufferPointer<UInt8>
    var produced = 0
    let format: PictureFormat
    var bits: UInt64 = 0
    var count = 0
    var padding = 0

    init(input: UnsafeBufferPointer<UInt8>, position: Int, output: UnsafeMutableBufferPointer<UInt8>, format: PictureFormat) {
        self.input = input
        self.position = position
        self.output = output
        self.format = format
    }

    /// Tops the bit buffer up to at least 56 bits.
    @inline(__always)
    mutating func refill() {
        if count >= 56 { return }
        if position + 8 <= input.count {
            // Bits above `count` after this are the next bytes' own: loading them again
            // later ORs the same values in the same places.
            let word = UInt64(littleEndian: UnsafeRawPointer(input.baseAddress! + position).loadUnaligned(as: UInt64.self))
            bits |= word << UInt64(count)
            let taken = (63 - count) >> 3
            position += taken
            count += taken << 3
        } else {
            while count <= 56 {
                if position < input.count {
                    bits |= UInt64(input[position]) << UInt64(count)
                    position += 1
                } else {
                    padding += 8
                }
                count += 8
            }
        }
    }

    @inline(__always)
    mutating func consume(_ n: Int) throws {
        bits >>= UInt64(n)
        count -= n
        if count < padding { throw PictureError(format, .truncated, "the compressed data ends in the middle of a block") }
    }

    /// `n` bits (n <= 32), after `refill()`.
    @inline(__always)
    mutating func take(_ n: Int) throws -> Int {
        let value = Int(truncatingIfNeeded: bits & ((1 << UInt64(n)) - 1))
        try consume(n)
        return value
    }

    @inline(__always)
    mutating func decode(_ code: DeflateHuffmanCode) throws -> Int {
        guard let (symbol, length) = code.decode(bits) else { throw PictureError(format, .corrupt, "an invalid Huffman code in the compressed data") }
        try consume(length)
        return symbol
    }

    mutating func inflateBlocks() throws {
        var isLast = false
        // Each block produces at least one byte or consumes at least three bits: the loop
        // ends with the input.
        while !isLast {
            refill()
            isLast = try take(1) == 1
            switch try take(2) {
            case 0: try copyStored()
            case 1: try inflate(literals: Inflater.fixedLiteralLength, distances: Inflater.fixedDistance)
            case 2:
                let (literals, distances) = try readDynamicCodes()
                try inflate(literals: literals, distances: distances)
            default: throw PictureError(format, .corrupt, "a deflate block of the reserved type 3")
            }
        }
    }

    /// Drops the bits up to the next byte boundary and returns where the next unread byte
    /// is, emptying the bit buffer.
    mutating func alignedBytePosition() throws -> Int {
        try consume(count & 7)
        let unread = (count - padding) >> 3
        let byte = min(position, input.count) - unread
        bits = 0
        count = 0
        padding = 0
        position = byte
        return byte
    }

    mutating func copyStored() throws {
        let start = try alignedBytePosition()
        guard start + 4 <= input.count else { throw PictureError(format, .truncated, "the compressed data ends in a stored block's header") }
        let length = Int(input[start]) | Int(input[start + 1]) << 8
        let complement = Int(input[start + 2]) | Int(input[start + 3]) << 8
        guard length ^ complement == 0xFFFF else { throw PictureError(format, .corrupt, "a stored block's length and its complement disagree") }
        guard start + 4 + length <= input.count else { throw PictureError(format, .truncated, "the compressed data ends in a stored block") }
        guard length <= output.count - produced else { throw overflow() }
        if length > 0 {
            (output.baseAddress! + produced).update(from: input.baseAddress! + start + 4, count: length)
        }
        produced += length
        position = start + 4 + length
    }

    func overflow() -> PictureError {
        PictureError(format, .tooLarge, "the compressed data inflates past \(output.count) bytes")
    }

    mutating func readDynamicCodes() throws -> (DeflateHuffmanCode, DeflateHuffmanCode) {
        refill()
        let literalCount = try take(5) + 257
        let distanceCount = try take(5) + 1
        let codeLengthCount = try take(4) + 4
        guard literalCount <= 286, distanceCount <= 30 else { throw PictureError(format, .corrupt, "too many length or distance codes") }
        var codeLengthLengths = [UInt8](repeating: 0, count: 19)
        for i in 0..<codeLengthCount {
            refill()
            codeLengthLengths[Inflater.codeLengthOrder[i]] = UInt8(try take(3))
        }
        let codeLengths = try DeflateHuffmanCode(lengths: codeLengthLengths[...], complete: true)
        var lengths = [UInt8](repeating: 0, count: literalCount + distanceCount)
        var i = 0
        while i < lengths.count {
            refill()
            let symbol = try decode(codeLengths)
            var repeated: UInt8 = 0, times = 1
            switch symbol {
            case 0...15: repeated = UInt8(symbol)
            case 16:
                guard i > 0 else { throw PictureError(format, .corrupt, "a repeated code length with nothing before it") }
                repeated = lengths[i - 1]
                times = 3 + (try take(2))
            case 17: times = 3 + (try take(3))
            default: times = 11 + (try take(7))
            }
            guard i + times <= lengths.count else { throw PictureError(format, .corrupt, "code lengths run past their count") }
            for j in i..<(i + times) { lengths[j] = repeated }
            i += times
        }
        guard lengths[256] != 0 else { throw PictureError(format, .corrupt, "no end-of-block code") }
        return (try DeflateHuffmanCode(lengths: lengths[..<literalCount]),
                try DeflateHuffmanCode(lengths: lengths[literalCount...]))
    }

    mutating func inflate(literals: DeflateHuffmanCode, distances: DeflateHuffmanCode) throws {
        let out = output.baseAddress!, capacity = output.count
        var produced = self.produced
        defer { self.produced = produced }
        while true {
            // 56 bits cover the longest symbol: 15 + 5 length bits + 15 + 13 distance bits.
            refill()
            let symbol = try decode(literals)
            if symbol < 256 {
                guard produced < capacity else { throw overflow() }
                out[produced] = UInt8(truncatingIfNeeded: symbol)
                produced += 1
                continue
            }
            if symbol == 256 { return }
            let index = symbol - 257
            guard index < 29 else { throw PictureError(format, .corrupt, "an invalid length code \(symbol)") }
            let length = Int(Inflater.lengthBase[index]) + (try take(Int(Inflater.lengthExtra[index])))
            let distanceSymbol = try decode(distances)
            guard distanceSymbol < 30 else { throw PictureError(format, .corrupt, "an invalid distance code \(distanceSymbol)") }
            let distance = Int(Inflater.distanceBase[distanceSymbol]) + (try take(Int(Inflater.distanceExtra[distanceSymbol])))
            guard distance <= produced else { throw PictureError(format, .corrupt, "a distance reaching before the start of the data") }
            guard length <= capacity - produced else { throw overflow() }
            var from = produced - distance
            let end = produced + length
            if distance >= length {
                (out + produced).update(from: out + from, count: length)
                produced = end
            } else {
                while produced < end {
                    out[produced] = out[from]
                    produced += 1
                    from += 1
                }
            }
        }
    }
}
