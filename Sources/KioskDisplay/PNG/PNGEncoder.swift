/// Writes a `PixelCanvas` as a PNG file (ISO/IEC 15948): 8-bit RGB, no interlace.
///
/// Two ways: `.stored` (the default, what `kioskctl render` and the golden images use):
/// filter type 0 (None) on every row and a zlib stream (RFC 1950) of *stored* deflate
/// blocks (RFC 1951 section 3.2.4: no compression), small and obviously right, about
/// 6 MB for 1920x1080; `.deflate`: each row filtered with the PNG filter that leaves the
/// smallest sum of absolute differences (the usual heuristic), then compressed by
/// `Deflate` — a lobby frame of 780x439 is tens of kilobytes, what a phone should get.
/// Every PNG reader (and Python's zlib) reads both.
public enum PNGEncoder {
    /// How the image data is written.
    public enum Compression: Sendable {
        case stored
        case deflate
    }

    public static let signature: [UInt8] = [0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A]
    /// The largest stored block deflate allows.
    public static let maximumStoredBlock = 65_535

    public static func encode(_ canvas: PixelCanvas, compression: Compression = .stored) -> [UInt8] {
        var ihdr = [UInt8]()
        ihdr += bigEndian(UInt32(canvas.width))
        ihdr += bigEndian(UInt32(canvas.height))
        ihdr += [8, 2, 0, 0, 0]  // bit depth 8, colour type 2 (RGB), deflate, adaptive filters, no interlace

        var raw = [UInt8]()
        raw.reserveCapacity(canvas.height * (1 + canvas.width * 3))
        canvas.withPixels { p in
            for y in 0..<canvas.height {
                raw.append(0)  // filter type None
                for x in 0..<canvas.width {
                    let v = p[y * canvas.width + x]
                    raw.append(UInt8(truncatingIfNeeded: v >> 16))
                    raw.append(UInt8(truncatingIfNeeded: v >> 8))
                    raw.append(UInt8(truncatingIfNeeded: v))
                }
            }
        }

        var file = signature
        appendChunk("IHDR", ihdr, to: &file)
        switch compression {
        case .stored:
            appendChunk("IDAT", zlibStored(raw), to: &file)
        case .deflate:
            filterRows(&raw, width: canvas.width, height: canvas.height)
            appendChunk("IDAT", Deflate.zlib(raw), to: &file)
        }
        appendChunk("IEND", [], to: &file)
        return file
    }

    /// Replaces each row of unfiltered RGB data (`raw`: filter byte 0, then the row) by
    /// the filtered row whose bytes, read as signed, sum smallest in absolute value
    /// (ISO/IEC 15948 section 9: None, Sub, Up, Average, Paeth).
    static func filterRows(_ raw: inout [UInt8], width: Int, height: Int) {
        let stride = 1 + width * 3, bpp = 3
        let original = raw
        var candidate = [UInt8](repeating: 0, count: stride - 1)
        original.withUnsafeBufferPointer { source in
            for y in 0..<height {
                let row = y * stride + 1
                var bestFilter = 0
                var bestSum = Int.max
                var best: [UInt8] = []
                for filter in 0...4 {
                    var sum = 0
                    for i in 0..<(stride - 1) {
                        let x = Int(source[row + i])
                        let a = i >= bpp ? Int(source[row + i - bpp]) : 0
                        let b = y > 0 ? Int(source[row + i - stride]) : 0
                        let c = i >= bpp && y > 0 ? Int(source[row + i - stride - bpp]) : 0
                        let predictor: Int
                        switch filter {
                        case 0: predictor = 0
                        case 1: predictor = a
                        case 2: predictor = b
                        case 3: predictor = (a + b) / 2
                        default:
                            let p = a + b - c, pa = abs(p - a), pb = abs(p - b), pc = abs(p - c)
                            predictor = pa <= pb && pa <= pc ? a : (pb <= pc ? b : c)
                        }
                        let value = UInt8(truncatingIfNeeded: x - predictor)
                        candidate[i] = value
                        sum += value < 128 ? Int(value) : 256 - Int(value)
                        if sum >= bestSum { break }
                    }
                    if sum < bestSum {
                        bestSum = sum
                        bestFilter = filter
                        best = candidate
                    }
                }
                raw[row - 1] = UInt8(bestFilter)
                raw.replaceSubrange(row..<(row + stride - 1), with: best)
            }
        }
    }

    /// `data` as a zlib stream of stored deflate blocks.
    public static func zlibStored(_ data: [UInt8]) -> [UInt8] {
        var out = [UInt8]()
        out.reserveCapacity(data.count + data.count / maximumStoredBlock * 5 + 11)
        // CMF 0x78: deflate, 32 KiB window; FLG 0x01: no dictionary, level 0, and
        // (CMF * 256 + FLG) a multiple of 31.
        out += [0x78, 0x01]
        var start = 0
        repeat {
            let count = min(maximumStoredBlock, data.count - start)
            let isLast = start + count == data.count
            out.append(isLast ? 0x01 : 0x00)  // BFINAL, BTYPE 00, padding to the byte boundary
            let length = UInt16(count)
            out += [UInt8(length & 0xFF), UInt8(length >> 8), UInt8(~length & 0xFF), UInt8(~length >> 8)]
            out += data[start..<(start + count)]
            start += count
        } while start < data.count
        out += bigEndian(Adler32.checksum(data))
        return out
    }

    static func appendChunk(_ type: String, _ data: [UInt8], to file: inout [UInt8]) {
        let typeBytes = Array(type.utf8)
        file += bigEndian(UInt32(data.count))
        file += typeBytes
        file += data
        var crc = CRC32()
        crc.update(typeBytes)
        crc.update(data)
        file += bigEndian(crc.value)
    }

    static func bigEndian(_ value: UInt32) -> [UInt8] {
        [UInt8(value >> 24), UInt8((value >> 16) & 0xFF), UInt8((value >> 8) & 0xFF), UInt8(value & 0xFF)]
    }
}
