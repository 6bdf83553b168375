/// Decodes a PNG file (ISO/IEC 15948, W3C PNG 2nd edition) into a `Picture`.
///
/// Every colour type and bit depth (1 to 16 bits; 16-bit samples keep their high byte,
/// like libpng's `strip_16` and Pillow), palettes, `tRNS`, Adam7 interlace, the five
/// filters. Every chunk's CRC-32 and the zlib stream's Adler-32 are checked. Ancillary
/// chunks we do not use (`gAMA`, `iCCP`, text, APNG's `acTL`/`fcTL`/`fdAT`: the default
/// image is shown) are skipped; an unknown critical chunk is refused. The inflated data
/// goes into a buffer sized from `IHDR` after the limits are checked, so a file cannot
/// make the decoder allocate more than its header declares.
public enum PNGDecoder {
    public static func decode(_ bytes: [UInt8], limits: PictureLimits = .standard) throws -> Picture {
        guard PictureFormat(sniffing: bytes) == .png else { throw PictureError(.png, .notAPicture, "no PNG signature") }
        var header: PNGHeader?
        // 256 entries whatever PLTE holds: an index past its end is opaque black.
        var palette: [UInt32] = []
        var paletteCount = 0
        var transparency: [UInt8]?
        var compressed: [UInt8] = []
        var sawData = false, dataEnded = false, sawEnd = false
        var offset = 8
        while !sawEnd {
            guard offset + 8 <= bytes.count else {
                throw PictureError(.png, .truncated, "the file ends at byte \(bytes.count) before IEND")
            }
            let length = Int(bytes[offset]) << 24 | Int(bytes[offset + 1]) << 16 | Int(bytes[offset + 2]) << 8 | Int(bytes[offset + 3])
            let typeBytes = bytes[(offset + 4)..<(offset + 8)]
            guard length < 1 << 31 else { throw PictureError(.png, .corrupt, "a chunk length over 2^31 at byte \(offset)") }
            guard typeBytes.allSatisfy({ (65...90).contains($0) || (97...122).contains($0) }) else {
                throw PictureError(.png, .corrupt, "a chunk type that is not four letters at byte \(offset)")
            }
            let type = String(decoding: typeBytes, as: UTF8.self)
            let dataStart = offset + 8
            guard dataStart + length + 4 <= bytes.count else {
                throw PictureError(.png, .truncated, "the \(type) chunk at byte \(offset) runs past the end of the file")
            }
            let data = bytes[dataStart..<(dataStart + length)]
            let crcAt = dataStart + length
            let stored = UInt32(bytes[crcAt]) << 24 | UInt32(bytes[crcAt + 1]) << 16 | UInt32(bytes[crcAt + 2]) << 8 | UInt32(bytes[crcAt + 3])
            #if !FUZZ_NO_CHECKSUMS  // the fuzz harness skips checksums to reach the code behind them
            guard CRC32.checksum(bytes[(offset + 4)..<crcAt]) == stored else {
                throw PictureError(.png, .corrupt, "CRC mismatch in the \(type) chunk at byte \(offset)")
            }
            #else
            _ = stored
            #endif
            if header == nil, type != "IHDR" { throw PictureError(.png, .corrupt, "the first chunk is \(type), not IHDR") }
            if sawData, type != "IDAT" { dataEnded = true }
            switch type {
            case "IHDR":
                guard header == nil else { throw PictureError(.png, .corrupt, "a second IHDR") }
                let h = try PNGHeader(data)
                _ = try limits.check(width: h.width, height: h.height, format: .png)
                try limits.checkWorking(bytes: h.rawByteCount, what: "the inflated image data", format: .png)
                header = h
            case "PLTE":
                guard palette.isEmpty, !sawData else { throw PictureError(.png, .corrupt, "PLTE twice or after IDAT") }
                guard length % 3 == 0, length >= 3, length <= 768 else { throw PictureError(.png, .corrupt, "a PLTE of \(length) bytes") }
                var entries = [UInt32](repeating: 0xFF00_0000, count: 256)
                for i in 0..<(length / 3) {
                    let at = dataStart + 3 * i
                    entries[i] = 0xFF00_0000 | UInt32(bytes[at]) << 16 | UInt32(bytes[at + 1]) << 8 | UInt32(bytes[at + 2])
                }
                palette = entries
                paletteCount = length / 3
            case "tRNS":
                guard !sawData else { throw PictureError(.png, .corrupt, "tRNS after IDAT") }
                transparency = Array(data)
            case "IDAT":
                guard !dataEnded else { throw PictureError(.png, .corrupt, "IDAT chunks that are not consecutive") }
                sawData = true
                compressed += data
            case "IEND":
                sawEnd = true
            default:
                // Bit 5 of the first letter (lower case) marks an ancillary chunk.
                guard typeBytes.first! & 0x20 != 0 else { throw PictureError(.png, .unsupported, "an unknown critical chunk \(type)") }
            }
            offset = crcAt + 4
        }
        guard let header else { throw PictureError(.png, .corrupt, "no IHDR") }
        guard sawData else { throw PictureError(.png, .corrupt, "no IDAT") }
        if header.colorType == .palette, palette.isEmpty { throw PictureError(.png, .corrupt, "a palette image without PLTE") }
        let raw = try Inflater.zlib(compressed, capacity: header.rawByteCount, exact: true, format: .png)
        compressed = []
        var rows = PNGRowDecoder(header: header, palette: palette, paletteCount: paletteCount, transparency: transparency)
        return try rows.decode(raw)
    }
}
