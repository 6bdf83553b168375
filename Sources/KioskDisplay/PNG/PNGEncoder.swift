/// Writes a `PixelCanvas` as a PNG file (ISO/IEC 15948): 8-bit RGB, no interlace, filter
/// type 0 (None) on every row, and a zlib stream (RFC 1950) made of *stored* deflate
/// blocks (RFC 1951 section 3.2.4: no compression, at most 65535 bytes each).
///
/// No compression keeps the encoder small and obviously right; a 1920x1080 frame is about
/// 6 MB. Every PNG reader (and `python3 -c "import zlib"`) accepts it.
public enum PNGEncoder {
    public static let signature: [UInt8] = [0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A]
    /// The largest stored block deflate allows.
    public static let maximumStoredBlock = 65_535

    public static func encode(_ canvas: PixelCanvas) -> [UInt8] {
        var ihdr = [UInt8]()
        ihdr += bigEndian(UInt32(canvas.width))
        ihdr += bigEndian(UInt32(canvas.height))
        ihdr += [8, 2, 0, 0, 0]  // bit depth 8, colour type 2 (RGB), deflate, adaptive filters, no interlace

        var raw = [UInt8]()
        raw.reserveCapacity(canvas.height * (1 + canvas.width * 3))
        canvas.pixels.withUnsafeBufferPointer { p in
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
        appendChunk("IDAT", zlibStored(raw), to: &file)
        appendChunk("IEND", [], to: &file)
        return file
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
