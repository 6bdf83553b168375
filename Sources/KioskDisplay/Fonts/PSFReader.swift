/// Reads the header and the Unicode table of a PSF1 or PSF2 file, checking every length
/// against the bytes that are really there.
struct PSFReader {
    struct Header {
        var format: PSFFont.Format
        var width: Int
        var height: Int
        var glyphCount: Int
        var bytesPerGlyph: Int
        var glyphsOffset: Int
        var hasTable: Bool
        var tableOffset: Int { glyphsOffset + glyphCount * bytesPerGlyph }
    }

    /// What one glyph stands for: single characters and multi-character sequences.
    struct Entry {
        var singles: [Unicode.Scalar] = []
        var sequences: [String] = []
    }

    let bytes: [UInt8]
    let source: String

    static let psf1Magic: [UInt8] = [0x36, 0x04]
    static let psf2Magic: [UInt8] = [0x72, 0xB5, 0x4A, 0x86]
    /// Widths beyond this do not fit the 64-bit row masks; no console font is that wide.
    static let maximumWidth = 64

    func header() throws(PSFError) -> Header {
        if bytes.count >= 4, Array(bytes[0..<4]) == Self.psf2Magic { return try psf2Header() }
        if bytes.count >= 2, Array(bytes[0..<2]) == Self.psf1Magic { return try psf1Header() }
        throw PSFError(source: source, offset: 0, reason: .notAPSFFont)
    }

    private func psf1Header() throws(PSFError) -> Header {
        try need(4, at: 0)
        let mode = bytes[2]
        let charSize = Int(bytes[3])
        guard charSize > 0 else { throw PSFError(source: source, offset: 3, reason: .invalidHeader("glyph height 0")) }
        let header = Header(
            format: .psf1, width: 8, height: charSize, glyphCount: mode & 0x01 != 0 ? 512 : 256,
            bytesPerGlyph: charSize, glyphsOffset: 4, hasTable: mode & 0x06 != 0)
        try need(header.tableOffset, at: 0)
        return header
    }

    private func psf2Header() throws(PSFError) -> Header {
        try need(32, at: 0)
        let version = u32(4), headerSize = u32(8), flags = u32(12)
        let count = u32(16), charSize = u32(20), height = u32(24), width = u32(28)
        func invalid(_ offset: Int, _ why: String) -> PSFError {
            PSFError(source: source, offset: offset, reason: .invalidHeader(why))
        }
        guard version == 0 else { throw invalid(4, "version \(version), expected 0") }
        guard headerSize >= 32 else { throw invalid(8, "header size \(headerSize) < 32") }
        guard width > 0, width <= Self.maximumWidth else { throw invalid(28, "glyph width \(width) (1-\(Self.maximumWidth) supported)") }
        guard height > 0, height <= 256 else { throw invalid(24, "glyph height \(height)") }
        guard count > 0, count <= 65_536 else { throw invalid(16, "glyph count \(count)") }
        guard charSize == height * ((width + 7) / 8) else {
            throw invalid(20, "\(charSize) bytes per glyph for \(width)x\(height) glyphs (expected \(height * ((width + 7) / 8)))")
        }
        let header = Header(
            format: .psf2, width: width, height: height, glyphCount: count, bytesPerGlyph: charSize,
            glyphsOffset: headerSize, hasTable: flags & 0x01 != 0)
        try need(header.tableOffset, at: header.glyphsOffset)
        return header
    }

    /// The table's entries, one per glyph. A table that stops early leaves the remaining
    /// glyphs without characters (some tools write it that way).
    func unicodeTable(_ header: Header) throws(PSFError) -> [Entry] {
        header.format == .psf1 ? try psf1Table(header) : try psf2Table(header)
    }

    private func psf1Table(_ header: Header) throws(PSFError) -> [Entry] {
        var entries: [Entry] = []
        var offset = header.tableOffset
        var entry = Entry()
        var sequence: [Unicode.Scalar]? = nil
        func closeSequence() {
            if let s = sequence, !s.isEmpty { entry.sequences.append(String(String.UnicodeScalarView(s))) }
        }
        while entries.count < header.glyphCount, offset + 1 < bytes.count {
            let value = UInt32(bytes[offset]) | UInt32(bytes[offset + 1]) << 8
            offset += 2
            switch value {
            case 0xFFFF:
                closeSequence()
                entries.append(entry)
                entry = Entry()
                sequence = nil
            case 0xFFFE:
                closeSequence()
                sequence = []
            default:
                // UCS-2: a lone surrogate is not a character; skip it.
                guard let scalar = Unicode.Scalar(value) else { continue }
                if sequence != nil { sequence!.append(scalar) } else { entry.singles.append(scalar) }
            }
        }
        return entries
    }

    private func psf2Table(_ header: Header) throws(PSFError) -> [Entry] {
        var entries: [Entry] = []
        var offset = header.tableOffset
        while entries.count < header.glyphCount, offset < bytes.count {
            guard let end = bytes[offset...].firstIndex(of: 0xFF) else { break }
            var entry = Entry()
            var partStart = offset
            var isFirst = true
            for index in offset...end where bytes[index] == 0xFE || bytes[index] == 0xFF {
                let part = bytes[partStart..<index]
                guard let text = String(validating: part, as: UTF8.self) else {
                    throw PSFError(source: source, offset: partStart,
                                   reason: .invalidUnicodeTable("glyph \(entries.count): bytes are not UTF-8"))
                }
                if isFirst {
                    entry.singles = Array(text.unicodeScalars)
                } else if !text.isEmpty {
                    entry.sequences.append(text)
                }
                isFirst = false
                partStart = index + 1
            }
            entries.append(entry)
            offset = end + 1
        }
        return entries
    }

    private func u32(_ offset: Int) -> Int {
        Int(bytes[offset]) | Int(bytes[offset + 1]) << 8 | Int(bytes[offset + 2]) << 16 | Int(bytes[offset + 3]) << 24
    }

    private func need(_ count: Int, at offset: Int) throws(PSFError) {
        guard bytes.count >= count else {
            throw PSFError(source: source, offset: offset, reason: .truncated(needed: count, available: bytes.count))
        }
    }
}
