/// A canonical Huffman code of DEFLATE (RFC 1951 section 3.2.2), built from code lengths,
/// decoded from the least significant bit first.
///
/// Codes of up to `fastBits` bits are found with one look-up in `fast`; longer ones (rare:
/// up to 15 bits) are decoded bit by bit from the counts per length. Following zlib, an
/// over-subscribed set of lengths is refused, and an incomplete one only when it is more
/// than a single one-bit code (RFC 1951 allows one distance code) or when `complete` is
/// asked (the code-length code). A code nobody was given decodes as an error.
struct DeflateHuffmanCode: Sendable {
    static let fastBits = 10
    static let maximumLength = 15

    /// `symbol | length << 9` for every `fastBits`-bit pattern whose code is that short;
    /// 0 where the code is longer (or unassigned).
    private(set) var fast: [UInt16]
    /// How many codes have each length (index 0 unused).
    private var counts: [Int]
    /// Symbols in code order (by length, then by symbol).
    private var symbols: [UInt16]

    /// Throws when the lengths do not make a usable code.
    init(lengths: ArraySlice<UInt8>, complete: Bool = false) throws {
        var counts = [Int](repeating: 0, count: Self.maximumLength + 1)
        for length in lengths {
            guard length <= Self.maximumLength else { throw PictureError(.png, .corrupt, "a Huffman code length over 15") }
            counts[Int(length)] += 1
        }
        counts[0] = 0
        var left = 1, longest = 0
        for length in 1...Self.maximumLength {
            left <<= 1
            left -= counts[length]
            guard left >= 0 else { throw PictureError(.png, .corrupt, "over-subscribed Huffman code lengths") }
            if counts[length] > 0 { longest = length }
        }
        if left > 0, longest > 0, complete || longest != 1 {
            throw PictureError(.png, .corrupt, "incomplete Huffman code lengths")
        }
        var offsets = [Int](repeating: 0, count: Self.maximumLength + 2)
        for length in 1...Self.maximumLength { offsets[length + 1] = offsets[length] + counts[length] }
        var symbols = [UInt16](repeating: 0, count: offsets[Self.maximumLength + 1])
        var nextCode = [Int](repeating: 0, count: Self.maximumLength + 1)
        var code = 0
        for length in 1...Self.maximumLength {
            code = (code + counts[length - 1]) << 1
            nextCode[length] = code
        }
        var fast = [UInt16](repeating: 0, count: 1 << Self.fastBits)
        for (symbol, length) in lengths.enumerated() where length > 0 {
            let l = Int(length)
            symbols[offsets[l]] = UInt16(symbol)
            offsets[l] += 1
            if l <= Self.fastBits {
                // The code is sent from its most significant bit; the stream is read from
                // the least significant: index the table by the reversed code.
                var reversed = 0, c = nextCode[l]
                for _ in 0..<l { reversed = reversed << 1 | c & 1; c >>= 1 }
                let entry = UInt16(symbol) | UInt16(l) << 9
                var index = reversed
                while index < fast.count {
                    fast[index] = entry
                    index += 1 << l
                }
            }
            nextCode[l] += 1
        }
        self.fast = fast
        self.counts = counts
        self.symbols = symbols
    }

    /// The symbol whose code starts the low bits of `bits` (at least 15 valid bits), and
    /// its length; nil when no code matches.
    @inline(__always)
    func decode(_ bits: UInt64) -> (symbol: Int, length: Int)? {
        let entry = fast[Int(truncatingIfNeeded: bits) & ((1 << Self.fastBits) - 1)]
        if entry != 0 { return (Int(entry & 0x1FF), Int(entry >> 9)) }
        return decodeSlowly(bits)
    }

    private func decodeSlowly(_ bits: UInt64) -> (symbol: Int, length: Int)? {
        var code = 0, first = 0, index = 0
        for length in 1...Self.maximumLength {
            code |= Int(truncatingIfNeeded: bits >> UInt64(length - 1)) & 1
            let count = counts[length]
            if code - first < count { return (Int(symbols[index + code - first]), length) }
            index += count
            first = (first + count) << 1
            code <<= 1
        }
        return nil
    }
}
