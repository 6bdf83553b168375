/// A deflate compressor (RFC 1951) and its zlib wrapper (RFC 1950), for PNG files small
/// enough to send to a phone: LZ77 over the 32 KiB window with hash chains and one step of
/// lazy matching, then one block per at most 65,535 input bytes, written with its own
/// Huffman codes (section 3.2.7), or stored when that is smaller (random data).
///
/// Written for screen pictures (flat areas and text), checked against Python's zlib in
/// the tests. Work is bounded by the input: at most `maxChain` candidates per position.
public enum Deflate {
    /// How hard to look for matches: candidates examined per position.
    public static let maxChain = 48
    static let windowSize = 32_768
    static let minMatch = 3
    static let maxMatch = 258
    static let maxBlockInput = 65_535

    /// `data` as a zlib stream (CMF/FLG, deflate blocks, Adler-32).
    public static func zlib(_ data: [UInt8]) -> [UInt8] {
        // CMF 0x78: deflate, 32 KiB window; FLG 0x9C: default level, no dictionary, and
        // (CMF * 256 + FLG) a multiple of 31.
        var out: [UInt8] = [0x78, 0x9C]
        out += compress(data)
        let adler = Adler32.checksum(data)
        out += [UInt8(adler >> 24), UInt8((adler >> 16) & 0xFF), UInt8((adler >> 8) & 0xFF), UInt8(adler & 0xFF)]
        return out
    }

    /// `data` as raw deflate blocks.
    public static func compress(_ data: [UInt8]) -> [UInt8] {
        var writer = BitWriter()
        if data.isEmpty {
            // One fixed-Huffman block holding only the end-of-block code (seven 0 bits).
            writer.write(1, bits: 1)
            writer.write(1, bits: 2)
            writer.write(0, bits: 7)
            return writer.finish()
        }
        var matcher = Matcher(data: data)
        var start = 0
        while start < data.count {
            let end = min(data.count, start + maxBlockInput)
            let tokens = matcher.tokens(from: start, to: end)
            writeBlock(tokens, input: data[start..<end], isLast: end == data.count, to: &writer)
            start = end
        }
        return writer.finish()
    }

    // MARK: - Blocks

    /// A literal byte, or a match (length 3...258, distance 1...32768).
    struct Token {
        var value: UInt32
        static func literal(_ byte: UInt8) -> Token { Token(value: UInt32(byte)) }
        static func match(length: Int, distance: Int) -> Token {
            Token(value: 1 << 31 | UInt32(length - 3) << 16 | UInt32(distance - 1))
        }
        var isMatch: Bool { value & (1 << 31) != 0 }
        var literal: Int { Int(value & 0xFF) }
        var length: Int { Int((value >> 16) & 0x1FF) + 3 }
        var distance: Int { Int(value & 0xFFFF) + 1 }
    }

    private static func writeBlock(_ tokens: [Token], input: ArraySlice<UInt8>, isLast: Bool, to writer: inout BitWriter) {
        var litFrequencies = [Int](repeating: 0, count: 286)
        var distFrequencies = [Int](repeating: 0, count: 30)
        for token in tokens {
            if token.isMatch {
                litFrequencies[257 + lengthCode(token.length).code] += 1
                distFrequencies[distanceCode(token.distance).code] += 1
            } else {
                litFrequencies[token.literal] += 1
            }
        }
        litFrequencies[256] = 1
        // Decoders want a complete distance code: at least two codes.
        var used = distFrequencies.indices.filter { distFrequencies[$0] > 0 }
        for filler in 0..<2 where used.count < 2 {
            if distFrequencies[filler] == 0 {
                distFrequencies[filler] = 1
                used.append(filler)
            }
        }
        let litLengths = Huffman.lengths(litFrequencies, limit: 15)
        let distLengths = Huffman.lengths(distFrequencies, limit: 15)
        let hlit = max(257, (litLengths.lastIndex { $0 > 0 } ?? 0) + 1)
        let hdist = max(1, (distLengths.lastIndex { $0 > 0 } ?? 0) + 1)
        let runs = codeLengthRuns(Array(litLengths[..<hlit]) + Array(distLengths[..<hdist]))
        var clFrequencies = [Int](repeating: 0, count: 19)
        for run in runs { clFrequencies[run.symbol] += 1 }
        let clLengths = Huffman.lengths(clFrequencies, limit: 7)
        var hclen = 19
        while hclen > 4 && clLengths[codeLengthOrder[hclen - 1]] == 0 { hclen -= 1 }

        // Size of the dynamic block in bits, to compare with storing the bytes.
        var bits = 3 + 5 + 5 + 4 + 3 * hclen
        for run in runs { bits += clLengths[run.symbol] + run.extraBits }
        for token in tokens {
            if token.isMatch {
                let l = lengthCode(token.length), d = distanceCode(token.distance)
                bits += litLengths[257 + l.code] + l.extraBits + distLengths[d.code] + d.extraBits
            } else {
                bits += litLengths[token.literal]
            }
        }
        bits += litLengths[256]
        let storedBits = 3 + 7 + 32 + 8 * input.count
        if storedBits < bits {
            writer.write(isLast ? 1 : 0, bits: 1)
            writer.write(0, bits: 2)
            writer.alignToByte()
            let length = UInt16(input.count)
            writer.write(Int(length), bits: 16)
            writer.write(Int(~length), bits: 16)
            writer.append(input)
            return
        }
        writer.write(isLast ? 1 : 0, bits: 1)
        writer.write(2, bits: 2)
        writer.write(hlit - 257, bits: 5)
        writer.write(hdist - 1, bits: 5)
        writer.write(hclen - 4, bits: 4)
        for i in 0..<hclen { writer.write(clLengths[codeLengthOrder[i]], bits: 3) }
        let clCodes = Huffman.codes(clLengths)
        for run in runs {
            writer.write(clCodes[run.symbol], bits: clLengths[run.symbol])
            if run.extraBits > 0 { writer.write(run.extra, bits: run.extraBits) }
        }
        let litCodes = Huffman.codes(litLengths), distCodes = Huffman.codes(distLengths)
        for token in tokens {
            if token.isMatch {
                let l = lengthCode(token.length), d = distanceCode(token.distance)
                writer.write(litCodes[257 + l.code], bits: litLengths[257 + l.code])
                if l.extraBits > 0 { writer.write(l.extra, bits: l.extraBits) }
                writer.write(distCodes[d.code], bits: distLengths[d.code])
                if d.extraBits > 0 { writer.write(d.extra, bits: d.extraBits) }
            } else {
                writer.write(litCodes[token.literal], bits: litLengths[token.literal])
            }
        }
        writer.write(litCodes[256], bits: litLengths[256])
    }

    /// The order code length code lengths are written in (section 3.2.7).
    static let codeLengthOrder = [16, 17, 18, 0, 8, 7, 9, 6, 10, 5, 11, 4, 12, 3, 13, 2, 14, 1, 15]

    struct Run {
        var symbol: Int
        var extra: Int
        var extraBits: Int
    }

    /// Code lengths as the code length alphabet: 0-15 themselves, 16 repeats the previous
    /// length 3-6 times, 17 and 18 give 3-10 and 11-138 zeros.
    static func codeLengthRuns(_ lengths: [Int]) -> [Run] {
        var runs: [Run] = []
        var i = 0
        while i < lengths.count {
            let length = lengths[i]
            var count = 1
            while i + count < lengths.count && lengths[i + count] == length { count += 1 }
            var left = count
            if length == 0 {
                while left >= 11 {
                    let n = min(left, 138)
                    runs.append(Run(symbol: 18, extra: n - 11, extraBits: 7))
                    left -= n
                }
                if left >= 3 {
                    runs.append(Run(symbol: 17, extra: left - 3, extraBits: 3))
                    left = 0
                }
            } else {
                runs.append(Run(symbol: length, extra: 0, extraBits: 0))
                left -= 1
                while left >= 3 {
                    let n = min(left, 6)
                    runs.append(Run(symbol: 16, extra: n - 3, extraBits: 2))
                    left -= n
                }
            }
            for _ in 0..<left { runs.append(Run(symbol: length, extra: 0, extraBits: 0)) }
            i += count
        }
        return runs
    }

    /// Length 3...258 as code 0...28 (symbol 257 + code) with its extra bits.
    static func lengthCode(_ length: Int) -> (code: Int, extra: Int, extraBits: Int) {
        if length == 258 { return (28, 0, 0) }
        var code = 0
        while code < 27 && lengthBase[code + 1] <= length { code += 1 }
        let extraBits = code < 8 ? 0 : (code - 4) / 4
        return (code, length - lengthBase[code], extraBits)
    }

    static let lengthBase = [3, 4, 5, 6, 7, 8, 9, 10, 11, 13, 15, 17, 19, 23, 27, 31, 35, 43, 51, 59, 67, 83, 99, 115, 131, 163, 195, 227, 258]

    /// Distance 1...32768 as code 0...29 with its extra bits.
    static func distanceCode(_ distance: Int) -> (code: Int, extra: Int, extraBits: Int) {
        var code = 0
        while code < 29 && distanceBase[code + 1] <= distance { code += 1 }
        let extraBits = code < 4 ? 0 : (code - 2) / 2
        return (code, distance - distanceBase[code], extraBits)
    }

    static let distanceBase = [
        1, 2, 3, 4, 5, 7, 9, 13, 17, 25, 33, 49, 65, 97, 129, 193, 257, 385, 513, 769, 1025, 1537, 2049, 3073, 4097, 6145, 8193,
        12289, 16385, 24577,
    ]

    // MARK: - LZ77

    /// Finds matches with hash chains over the whole input (positions in the window only).
    struct Matcher {
        let data: [UInt8]
        private var head: [Int32]
        private var previous: [Int32]
        /// Every position before this one is in the chains.
        private var inserted = 0
        static let hashBits = 15

        init(data: [UInt8]) {
            self.data = data
            head = [Int32](repeating: -1, count: 1 << Self.hashBits)
            previous = [Int32](repeating: -1, count: Deflate.windowSize)
        }

        private func hash(_ i: Int) -> Int {
            (Int(data[i]) << 10 ^ Int(data[i + 1]) << 5 ^ Int(data[i + 2])) & ((1 << Self.hashBits) - 1)
        }

        private mutating func insert(upTo end: Int) {
            while inserted < end {
                if inserted + 2 < data.count {
                    let h = hash(inserted)
                    previous[inserted & (Deflate.windowSize - 1)] = head[h]
                    head[h] = Int32(inserted)
                }
                inserted += 1
            }
        }

        /// The longest match for position `i` (at most `limit` long): length and distance.
        private mutating func longestMatch(at i: Int, limit: Int) -> (length: Int, distance: Int) {
            guard limit >= Deflate.minMatch, i + 2 < data.count else { return (0, 0) }
            insert(upTo: i)
            var best = (length: 0, distance: 0)
            var candidate = Int(head[hash(i)])
            var chain = Deflate.maxChain
            data.withUnsafeBufferPointer { bytes in
                while candidate >= 0 && chain > 0 && i - candidate <= Deflate.windowSize {
                    if bytes[candidate + best.length] == bytes[i + best.length] {
                        var length = 0
                        while length < limit && bytes[candidate + length] == bytes[i + length] { length += 1 }
                        if length > best.length {
                            best = (length, i - candidate)
                            if length == limit { break }
                        }
                    }
                    let next = Int(previous[candidate & (Deflate.windowSize - 1)])
                    // A chain entry older than the window (or overwritten) ends the chain.
                    if next >= candidate { break }
                    candidate = next
                    chain -= 1
                }
            }
            return best.length >= Deflate.minMatch ? best : (0, 0)
        }

        /// The tokens of `data[start..<end]` (matches may look back before `start`).
        mutating func tokens(from start: Int, to end: Int) -> [Token] {
            var tokens: [Token] = []
            tokens.reserveCapacity((end - start) / 2)
            var i = start
            while i < end {
                let match = longestMatch(at: i, limit: min(Deflate.maxMatch, end - i))
                if match.length >= Deflate.minMatch {
                    // One step of lazy matching: a longer match one byte later wins.
                    if match.length < 32, i + 1 < end {
                        let next = longestMatch(at: i + 1, limit: min(Deflate.maxMatch, end - i - 1))
                        if next.length > match.length {
                            tokens.append(.literal(data[i]))
                            i += 1
                            tokens.append(.match(length: next.length, distance: next.distance))
                            i += next.length
                            continue
                        }
                    }
                    tokens.append(.match(length: match.length, distance: match.distance))
                    i += match.length
                } else {
                    tokens.append(.literal(data[i]))
                    i += 1
                }
            }
            return tokens
        }
    }

    // MARK: - Bits

    /// Packs bits least significant first (section 3.1.1); Huffman codes are given
    /// already reversed.
    struct BitWriter {
        private(set) var bytes: [UInt8] = []
        private var buffer: UInt64 = 0
        private var count = 0

        mutating func write(_ value: Int, bits: Int) {
            guard bits > 0 else { return }
            let mask: UInt64 = (1 << UInt64(bits)) - 1
            buffer |= (UInt64(truncatingIfNeeded: value) & mask) << UInt64(count)
            count += bits
            while count >= 8 {
                bytes.append(UInt8(truncatingIfNeeded: buffer))
                buffer >>= 8
                count -= 8
            }
        }

        mutating func alignToByte() {
            if count > 0 { write(0, bits: 8 - count) }
        }

        mutating func append(_ data: ArraySlice<UInt8>) {
            alignToByte()
            bytes += data
        }

        mutating func finish() -> [UInt8] {
            alignToByte()
            return bytes
        }
    }
}

/// Huffman code lengths limited to a maximum, and their canonical codes (RFC 1951 3.2.2).
enum Huffman {
    /// Code lengths for `frequencies` (0 for unused symbols), none longer than `limit`.
    static func lengths(_ frequencies: [Int], limit: Int) -> [Int] {
        var lengths = [Int](repeating: 0, count: frequencies.count)
        let used = frequencies.indices.filter { frequencies[$0] > 0 }.sorted { (frequencies[$0], $0) < (frequencies[$1], $1) }
        if used.isEmpty { return lengths }
        if used.count == 1 {
            lengths[used[0]] = 1
            return lengths
        }
        // Two-queue Huffman: leaves in frequency order, internal nodes in creation order.
        var weight = used.map { frequencies[$0] }
        var parent = [Int](repeating: -1, count: used.count)
        var leaf = 0, node = used.count
        var internalQueue: [Int] = []
        var internalHead = 0
        func takeSmallest() -> Int {
            if leaf < used.count && (internalHead >= internalQueue.count || weight[leaf] <= weight[internalQueue[internalHead]]) {
                leaf += 1
                return leaf - 1
            }
            internalHead += 1
            return internalQueue[internalHead - 1]
        }
        while (used.count - leaf) + (internalQueue.count - internalHead) > 1 {
            let a = takeSmallest(), b = takeSmallest()
            weight.append(weight[a] + weight[b])
            parent.append(-1)
            parent[a] = node
            parent[b] = node
            internalQueue.append(node)
            node += 1
        }
        // Depth of each leaf.
        var depth = [Int](repeating: 0, count: weight.count)
        for n in stride(from: weight.count - 2, through: 0, by: -1) { depth[n] = depth[parent[n]] + 1 }
        // Count codes per length, then bring the longest within the limit (the rebalancing
        // of JPEG's Annex K.3, which keeps the code complete).
        var counts = [Int](repeating: 0, count: max(limit, depth.prefix(used.count).max()!) + 1)
        for i in 0..<used.count { counts[depth[i]] += 1 }
        var longest = counts.count - 1
        while longest > limit {
            while counts[longest] > 0 {
                var j = longest - 2
                while j > 0 && counts[j] == 0 { j -= 1 }
                counts[longest] -= 2
                counts[longest - 1] += 1
                counts[j + 1] += 2
                counts[j] -= 1
            }
            longest -= 1
        }
        // The most frequent symbols get the shortest codes.
        var length = 1
        for symbol in used.reversed() {
            while counts[length] == 0 { length += 1 }
            lengths[symbol] = length
            counts[length] -= 1
        }
        return lengths
    }

    /// The canonical code of each symbol, bit-reversed for an LSB-first writer.
    static func codes(_ lengths: [Int]) -> [Int] {
        let maxLength = lengths.max() ?? 0
        var countPerLength = [Int](repeating: 0, count: maxLength + 1)
        for length in lengths where length > 0 { countPerLength[length] += 1 }
        var next = [Int](repeating: 0, count: maxLength + 2)
        var code = 0
        if maxLength > 0 {
            for bits in 1...maxLength {
                code = (code + countPerLength[bits - 1]) << 1
                next[bits] = code
            }
        }
        return lengths.map { length in
            guard length > 0 else { return 0 }
            let value = next[length]
            next[length] += 1
            var reversed = 0
            for bit in 0..<length where value & (1 << bit) != 0 { reversed |= 1 << (length - 1 - bit) }
            return reversed
        }
    }
}
