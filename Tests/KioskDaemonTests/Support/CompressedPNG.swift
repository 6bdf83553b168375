import KioskDisplay

/// PNG files small enough to commit as golden pictures: each row filtered with "Sub" or
/// "Up" (whichever leaves more zeros), then DEFLATE (RFC 1951) with LZ77 matches found
/// through a hash of three bytes and the fixed Huffman codes (section 3.2.6). Lobby frames
/// are mostly flat colour, so this is enough to bring a 25 MB 4K frame down to a few
/// hundred kilobytes. Deterministic: the same canvas gives the same bytes. Test-only.
enum CompressedPNG {
    static func encode(_ canvas: PixelCanvas) -> [UInt8] {
        let stride = canvas.width * 3
        var raw = [UInt8]()
        raw.reserveCapacity(canvas.height * (stride + 1))
        var previous = [UInt8](repeating: 0, count: stride)
        var row = [UInt8](repeating: 0, count: stride)
        for y in 0..<canvas.height {
            for x in 0..<canvas.width {
                let v = canvas[x, y]
                row[x * 3] = UInt8(truncatingIfNeeded: v >> 16)
                row[x * 3 + 1] = UInt8(truncatingIfNeeded: v >> 8)
                row[x * 3 + 2] = UInt8(truncatingIfNeeded: v)
            }
            var sub = [UInt8](repeating: 0, count: stride), up = [UInt8](repeating: 0, count: stride)
            for i in 0..<stride {
                sub[i] = row[i] &- (i >= 3 ? row[i - 3] : 0)
                up[i] = row[i] &- previous[i]
            }
            let useUp = up.filter { $0 == 0 }.count > sub.filter { $0 == 0 }.count
            raw.append(useUp ? 2 : 1)
            raw += useUp ? up : sub
            previous = row
        }
        var header = [UInt8]()
        header += be32(canvas.width) + be32(canvas.height) + [8, 2, 0, 0, 0]
        var file = PNGEncoder.signature
        chunk("IHDR", header, into: &file)
        chunk("IDAT", zlib(raw), into: &file)
        chunk("IEND", [], into: &file)
        return file
    }

    static func be32(_ v: Int) -> [UInt8] { [UInt8(v >> 24 & 0xFF), UInt8(v >> 16 & 0xFF), UInt8(v >> 8 & 0xFF), UInt8(v & 0xFF)] }

    static func chunk(_ type: String, _ data: [UInt8], into file: inout [UInt8]) {
        file += be32(data.count)
        let body = Array(type.utf8) + data
        file += body
        file += be32(Int(CRC32.checksum(body)))
    }

    /// A zlib stream (RFC 1950) of one fixed-Huffman DEFLATE block.
    static func zlib(_ data: [UInt8]) -> [UInt8] {
        var bits = BitWriter()
        bits.write(1, count: 1)  // BFINAL
        bits.write(1, count: 2)  // BTYPE 01: fixed Huffman codes
        let window = 32768, minMatch = 3, maxMatch = 258
        var head = [Int](repeating: -1, count: 1 << 15)
        var chain = [Int](repeating: -1, count: data.count)
        func hash(_ i: Int) -> Int { (Int(data[i]) << 10 ^ Int(data[i + 1]) << 5 ^ Int(data[i + 2])) & 0x7FFF }
        var i = 0
        while i < data.count {
            var bestLength = 0, bestDistance = 0
            if i + minMatch <= data.count {
                var candidate = head[hash(i)]
                var tries = 32
                while candidate >= 0, i - candidate <= window, tries > 0 {
                    var length = 0
                    while length < maxMatch, i + length < data.count, data[candidate + length] == data[i + length] { length += 1 }
                    if length > bestLength { bestLength = length; bestDistance = i - candidate }
                    if length == maxMatch { break }
                    candidate = chain[candidate]
                    tries -= 1
                }
            }
            let step = bestLength >= minMatch ? bestLength : 1
            for k in i..<min(i + step, data.count - 2) {
                let h = hash(k)
                chain[k] = head[h]
                head[h] = k
            }
            if bestLength >= minMatch {
                bits.writeLength(bestLength)
                bits.writeDistance(bestDistance)
            } else {
                bits.writeLiteral(Int(data[i]))
            }
            i += step
        }
        bits.writeLiteral(256)
        var out: [UInt8] = [0x78, 0x01]
        out += bits.finish()
        var a: UInt32 = 1, b: UInt32 = 0
        for byte in data { a = (a + UInt32(byte)) % 65521; b = (b + a) % 65521 }
        out += be32(Int(b << 16 | a))
        return out
    }

    struct BitWriter {
        var bytes: [UInt8] = []
        var buffer: UInt32 = 0
        var count: UInt32 = 0

        /// `count` bits of `value`, least significant first (header fields, extra bits).
        mutating func write(_ value: Int, count n: Int) {
            buffer |= UInt32(value) << count
            count += UInt32(n)
            while count >= 8 {
                bytes.append(UInt8(buffer & 0xFF))
                buffer >>= 8
                count -= 8
            }
        }

        /// A Huffman code, most significant bit first.
        mutating func writeCode(_ code: Int, length: Int) {
            var reversed = 0
            for k in 0..<length { reversed |= ((code >> k) & 1) << (length - 1 - k) }
            write(reversed, count: length)
        }

        /// A literal/length symbol with the fixed codes.
        mutating func writeLiteral(_ symbol: Int) {
            switch symbol {
            case 0...143: writeCode(0x30 + symbol, length: 8)
            case 144...255: writeCode(0x190 + symbol - 144, length: 9)
            case 256...279: writeCode(symbol - 256, length: 7)
            default: writeCode(0xC0 + symbol - 280, length: 8)
            }
        }

        static let lengthBase = [3, 4, 5, 6, 7, 8, 9, 10, 11, 13, 15, 17, 19, 23, 27, 31, 35, 43, 51, 59, 67, 83, 99, 115, 131, 163, 195, 227, 258]
        static let lengthExtra = [0, 0, 0, 0, 0, 0, 0, 0, 1, 1, 1, 1, 2, 2, 2, 2, 3, 3, 3, 3, 4, 4, 4, 4, 5, 5, 5, 5, 0]
        static let distanceBase = [1, 2, 3, 4, 5, 7, 9, 13, 17, 25, 33, 49, 65, 97, 129, 193, 257, 385, 513, 769, 1025, 1537, 2049, 3073, 4097, 6145, 8193, 12289, 16385, 24577]
        static let distanceExtra = [0, 0, 0, 0, 1, 1, 2, 2, 3, 3, 4, 4, 5, 5, 6, 6, 7, 7, 8, 8, 9, 9, 10, 10, 11, 11, 12, 12, 13, 13]

        mutating func writeLength(_ length: Int) {
            var k = Self.lengthBase.count - 1
            while Self.lengthBase[k] > length { k -= 1 }
            writeLiteral(257 + k)
            write(length - Self.lengthBase[k], count: Self.lengthExtra[k])
        }

        mutating func writeDistance(_ distance: Int) {
            var k = Self.distanceBase.count - 1
            while Self.distanceBase[k] > distance { k -= 1 }
            writeCode(k, length: 5)
            write(distance - Self.distanceBase[k], count: Self.distanceExtra[k])
        }

        mutating func finish() -> [UInt8] {
            if count > 0 { bytes.append(UInt8(buffer & 0xFF)) }
            return bytes
        }
    }
}
