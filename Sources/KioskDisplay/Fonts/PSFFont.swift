import Foundation

/// A Linux console font (PSF1 or PSF2) with its Unicode table: bitmaps of one fixed cell
/// size and the map from characters to glyphs.
///
/// Lookup (`glyph(for:)`) never fails: a character the font cannot show gets a visible
/// replacement — the font's own U+FFFD if it has one, else a drawn box — never nothing.
/// Characters are normalised to NFC first, and the table's multi-character sequences
/// (an "e" followed by U+0301, for instance) are normalised too, so both spellings of "é"
/// find the same glyph. A font without a Unicode table is taken to be ASCII-ordered for
/// U+0020-U+007E only.
///
/// Formats (kbd's `psf.h`): PSF1 = magic `36 04`, mode, bytes per glyph; 8 pixels wide,
/// 256 or 512 glyphs; table of little-endian u16 with `FFFE` (sequence) / `FFFF` (end).
/// PSF2 = magic `72 b5 4a 86` and seven little-endian u32 (version, header size, flags,
/// glyph count, bytes per glyph, height, width); table of UTF-8 with `FE` / `FF`.
/// Rows are padded to whole bytes, most significant bit leftmost.
public struct PSFFont: Sendable {
    /// The file format the font was read from.
    public enum Format: Sendable, Hashable { case psf1, psf2 }

    /// A glyph of this font (an index into its bitmaps, including derived glyphs).
    public struct Glyph: Sendable, Hashable {
        public let index: Int
    }

    public let format: Format
    /// Cell width in pixels.
    public let width: Int
    /// Cell height in pixels.
    public let height: Int
    /// Number of glyphs in the file (derived glyphs come after them).
    public let glyphCount: Int
    /// Whether the file had a Unicode table.
    public let hasUnicodeTable: Bool
    /// Where the font came from (a file name), for messages.
    public let source: String
    /// The glyph drawn for characters the font does not have.
    public private(set) var replacement: Glyph

    /// One mask per glyph row; bit x (from the least significant bit) is pixel x from the left.
    private var rowMasks: [UInt64]
    private var singles: [UInt32: Int]
    private var sequences: [String: Int]

    /// Reads a font file (uncompressed; gunzip `.psf.gz` files first).
    public init(contentsOfFile path: String) throws(PSFError) {
        guard let data = FileManager.default.contents(atPath: path) else {
            throw PSFError(source: path, offset: 0, reason: .unreadable("no such file or not readable"))
        }
        try self.init(bytes: [UInt8](data), source: (path as NSString).lastPathComponent)
    }

    /// Parses the bytes of a PSF1 or PSF2 file. `source` names it in errors.
    public init(bytes: [UInt8], source: String = "font") throws(PSFError) {
        let reader = PSFReader(bytes: bytes, source: source)
        let header = try reader.header()
        format = header.format
        width = header.width
        height = header.height
        glyphCount = header.glyphCount
        hasUnicodeTable = header.hasTable
        self.source = source

        let rowBytes = (header.width + 7) / 8
        var masks = [UInt64](repeating: 0, count: header.glyphCount * header.height)
        for glyph in 0..<header.glyphCount {
            let base = header.glyphsOffset + glyph * header.bytesPerGlyph
            for y in 0..<header.height {
                var mask: UInt64 = 0
                for x in 0..<header.width {
                    let byte = bytes[base + y * rowBytes + x / 8]
                    if byte & (0x80 >> UInt8(x % 8)) != 0 { mask |= 1 << UInt64(x) }
                }
                masks[glyph * header.height + y] = mask
            }
        }
        rowMasks = masks

        var singles: [UInt32: Int] = [:]
        var sequences: [String: Int] = [:]
        if header.hasTable {
            let entries = try reader.unicodeTable(header)
            for (glyph, entry) in entries.enumerated() {
                for scalar in entry.singles where singles[scalar.value] == nil {
                    singles[scalar.value] = glyph
                }
                for sequence in entry.sequences {
                    let key = TextNormalization.nfc(sequence)
                    let scalars = Array(key.unicodeScalars)
                    if scalars.count == 1 {
                        if singles[scalars[0].value] == nil { singles[scalars[0].value] = glyph }
                    } else if sequences[key] == nil {
                        sequences[key] = glyph
                    }
                }
            }
        } else {
            for code in UInt32(0x20)...0x7E where Int(code) < header.glyphCount { singles[code] = Int(code) }
        }
        self.singles = singles
        self.sequences = sequences
        replacement = Glyph(index: 0)

        // Derived glyphs, appended after the file's own.
        if let filled = singles[0x25CF], singles[0x25CB] == nil {
            // WHITE CIRCLE (the layout's page dots) from BLACK CIRCLE: keep its outline.
            self.singles[0x25CB] = appendGlyph(outline(of: filled))
        }
        if let own = singles[0xFFFD] {
            replacement = Glyph(index: own)
        } else {
            replacement = Glyph(index: appendGlyph(boxMasks()))
        }
    }

    // MARK: Lookup

    /// The glyph to draw for `character` (after NFC normalisation), or `replacement`.
    public func glyph(for character: Character) -> Glyph {
        ownGlyph(for: character) ?? replacement
    }

    /// Whether the font has a glyph of its own (or a derived one) for `character`.
    public func containsGlyph(for character: Character) -> Bool {
        ownGlyph(for: character) != nil
    }

    private func ownGlyph(for character: Character) -> Glyph? {
        let text = TextNormalization.nfc(String(character))
        if let index = lookup(text) { return Glyph(index: index) }
        // An emoji or text presentation selector does not change which glyph we have.
        let stripped = String(String.UnicodeScalarView(text.unicodeScalars.filter { !(0xFE00...0xFE0F).contains($0.value) }))
        if stripped != text, !stripped.isEmpty, let index = lookup(stripped) { return Glyph(index: index) }
        return nil
    }

    private func lookup(_ text: String) -> Int? {
        var scalars = text.unicodeScalars.makeIterator()
        guard let first = scalars.next() else { return nil }
        if scalars.next() == nil { return singles[first.value] }
        return sequences[text]
    }

    // MARK: Pixels

    /// Whether pixel (`x`, `y`) of `glyph` is set (foreground). Outside the cell: false.
    public func isSet(_ glyph: Glyph, x: Int, y: Int) -> Bool {
        guard x >= 0, x < width, y >= 0, y < height else { return false }
        return rowMask(glyph, y) & (1 << UInt64(x)) != 0
    }

    /// Row `y` of `glyph` as a bit mask: bit x (counted from the least significant bit) is
    /// pixel x from the left.
    public func rowMask(_ glyph: Glyph, _ y: Int) -> UInt64 {
        rowMasks[glyph.index * height + y]
    }

    /// The glyph as text, `#` for set pixels (for tests and debugging).
    public func picture(_ glyph: Glyph) -> [String] {
        (0..<height).map { y in String((0..<width).map { isSet(glyph, x: $0, y: y) ? "#" : "." }) }
    }

    private mutating func appendGlyph(_ masks: [UInt64]) -> Int {
        let index = rowMasks.count / height
        rowMasks += masks
        return index
    }

    /// The pixels of glyph `index` that touch an unset pixel or the cell edge.
    private func outline(of index: Int) -> [UInt64] {
        let glyph = Glyph(index: index)
        return (0..<height).map { y in
            var mask: UInt64 = 0
            for x in 0..<width where isSet(glyph, x: x, y: y) {
                let inner = isSet(glyph, x: x - 1, y: y) && isSet(glyph, x: x + 1, y: y)
                    && isSet(glyph, x: x, y: y - 1) && isSet(glyph, x: x, y: y + 1)
                if !inner { mask |= 1 << UInt64(x) }
            }
            return mask
        }
    }

    /// A hollow box spanning most of the cell (the replacement when the font has no U+FFFD).
    private func boxMasks() -> [UInt64] {
        let top = max(1, height / 8), bottom = height - 1 - max(1, height / 8)
        let left = width > 4 ? 1 : 0, right = width > 4 ? width - 2 : width - 1
        var full: UInt64 = 0
        for x in left...right { full |= 1 << UInt64(x) }
        let sides: UInt64 = (1 << UInt64(left)) | (1 << UInt64(right))
        return (0..<height).map { y in
            if y == top || y == bottom { return full }
            return (y > top && y < bottom) ? sides : 0
        }
    }
}
