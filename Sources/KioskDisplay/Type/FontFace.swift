/// One TrueType-outline font file (`.ttf`), read into what drawing Latin text needs:
/// the character map, advances, vertical metrics, kerning pairs, the tabular-figure
/// substitution and the glyph outlines.
///
/// A pure function of the file's bytes: the table directory and every table the engine
/// uses are checked when the face is made (a corrupt file is a `FontError` naming the
/// table, never a trap); glyph outlines are read on demand, with their own checks and
/// budgets (`GlyphOutline.Limits`). Units are the font's (`unitsPerEm` to the em) unless
/// a name says pixels. CFF outlines (`OTTO` files) are not read.
///
/// Vertical metrics: `OS/2` typo metrics when the font sets USE_TYPO_METRICS (fsSelection
/// bit 7), else `hhea`'s, else `OS/2` win metrics — the choice browsers make.
public final class FontFace: Sendable {
    /// The file name or label, for errors.
    public let source: String
    public let unitsPerEm: Int
    public let glyphCount: Int
    /// `OS/2` usWeightClass (400 regular, 700 bold), 400 when the font has no `OS/2`.
    public let weightClass: Int
    /// Above the baseline, font units, positive.
    public let ascender: Int
    /// Below the baseline, font units, positive.
    public let descender: Int
    public let lineGap: Int
    /// `OS/2` sCapHeight and sxHeight when the table is version 2 or later.
    public let capHeight: Int?
    public let xHeight: Int?

    let cmap: CharacterMap
    let kerning: PairKerning
    /// GSUB `tnum` (single substitutions), empty when the font has none.
    let tabularFigures: SingleSubstitution
    let hmtx: FontTable
    let numberOfHMetrics: Int
    let loca: FontTable
    let longLoca: Bool
    let glyf: FontTable

    /// Reads a font file, mapped into memory (see `FontStorage`).
    public convenience init(contentsOfFile path: String) throws(FontError) {
        try self.init(storage: try FontStorage(mapping: path))
    }

    /// Parses the bytes of a `.ttf` file. `source` names it in errors.
    public convenience init(bytes: [UInt8], source: String = "font") throws(FontError) {
        try self.init(storage: FontStorage(copying: bytes, source: source))
    }

    init(storage bytes: FontStorage) throws(FontError) {
        let source = bytes.source
        self.source = source
        let file = FontTable(bytes: bytes, tag: 0x7366_6E74, start: 0, count: bytes.count) // 'sfnt'
        let version = try file.u32(0)
        switch version {
        case 0x0001_0000, 0x7472_7565: break // 1.0, 'true'
        case 0x4F54_544F: throw file.error(.notATrueTypeFont("CFF outlines ('OTTO') are not supported"))
        default: throw file.error(.notATrueTypeFont("sfnt version 0x\(String(version, radix: 16))"))
        }
        let tableCount = Int(try file.u16(4))
        try file.need(12, tableCount * 16)
        var directory: [String: FontTable] = [:]
        for i in 0..<tableCount {
            let record = 12 + i * 16
            let tagValue = try file.u32(record)
            let tag = String(decoding: [24, 16, 8, 0].map { UInt8(truncatingIfNeeded: tagValue >> $0) }, as: UTF8.self)
            let offset = Int(try file.u32(record + 8)), length = Int(try file.u32(record + 12))
            guard offset <= bytes.count, length <= bytes.count - offset else {
                throw FontError(source: source, table: tag, offset: offset,
                                reason: .truncated(needed: offset + length, available: bytes.count))
            }
            if directory[tag] == nil {
                directory[tag] = FontTable(bytes: bytes, tag: tagValue, start: offset, count: length)
            }
        }
        func table(_ tag: String) throws(FontError) -> FontTable {
            guard let t = directory[tag] else {
                throw FontError(source: source, table: tag, offset: 0, reason: .missingTable)
            }
            return t
        }

        // head
        let head = try table("head")
        guard try head.u32(12) == 0x5F0F_3CF5 else { throw head.error(.invalid("magic number"), at: 12) }
        let upem = Int(try head.u16(18))
        guard (16...16384).contains(upem) else { throw head.error(.invalid("unitsPerEm \(upem)"), at: 18) }
        unitsPerEm = upem
        let locFormat = try head.i16(50)
        guard locFormat == 0 || locFormat == 1 else { throw head.error(.invalid("indexToLocFormat \(locFormat)"), at: 50) }
        longLoca = locFormat == 1

        // maxp
        let maxp = try table("maxp")
        glyphCount = Int(try maxp.u16(4))
        guard glyphCount >= 1 else { throw maxp.error(.invalid("no glyphs"), at: 4) }

        // hhea + hmtx
        let hhea = try table("hhea")
        let hheaAscender = Int(try hhea.i16(4)), hheaDescender = Int(try hhea.i16(6)), hheaGap = Int(try hhea.i16(8))
        numberOfHMetrics = Int(try hhea.u16(34))
        guard numberOfHMetrics >= 1, numberOfHMetrics <= glyphCount else {
            throw hhea.error(.invalid("numberOfHMetrics \(numberOfHMetrics) for \(glyphCount) glyphs"), at: 34)
        }
        hmtx = try table("hmtx")
        try hmtx.need(0, numberOfHMetrics * 4 + (glyphCount - numberOfHMetrics) * 2)

        // OS/2 (optional)
        var weight = 400, capHeight: Int? = nil, xHeight: Int? = nil
        var metrics = (ascender: hheaAscender, descender: -hheaDescender, gap: hheaGap)
        if let os2 = directory["OS/2"] {
            let os2Version = try os2.u16(0)
            weight = Int(try os2.u16(4))
            let selection = try os2.u16(62)
            let typo = (ascender: Int(try os2.i16(68)), descender: -Int(try os2.i16(70)), gap: Int(try os2.i16(72)))
            let win = (ascender: Int(try os2.u16(74)), descender: Int(try os2.u16(76)), gap: 0)
            if selection & 0x80 != 0 {
                metrics = typo
            } else if metrics.ascender == 0, metrics.descender == 0 {
                metrics = win
            }
            if os2Version >= 2, os2.count >= 90 {
                xHeight = Int(try os2.i16(86))
                capHeight = Int(try os2.i16(88))
            }
        }
        weightClass = weight
        ascender = metrics.ascender
        descender = metrics.descender
        lineGap = max(0, metrics.gap)
        self.capHeight = capHeight
        self.xHeight = xHeight

        // loca + glyf
        loca = try table("loca")
        try loca.need(0, (glyphCount + 1) * (longLoca ? 4 : 2))
        glyf = try table("glyf")

        cmap = try CharacterMap(try table("cmap"), glyphCount: glyphCount)
        if let gpos = directory["GPOS"], let fromGPOS = try PairKerning(gpos: gpos, glyphCount: glyphCount) {
            kerning = fromGPOS
        } else if let kern = directory["kern"] {
            kerning = try PairKerning(kern: kern)
        } else {
            kerning = PairKerning()
        }
        if let gsub = directory["GSUB"] {
            tabularFigures = try SingleSubstitution(gsub: gsub, feature: "tnum")
        } else {
            tabularFigures = SingleSubstitution()
        }
    }

    // MARK: Lookups (none of these throw: the tables were checked when the face was made)

    /// The glyph of `scalar`, or nil when the font lacks it.
    public func glyph(for scalar: Unicode.Scalar) -> UInt16? {
        cmap.glyph(for: scalar.value)
    }

    /// The advance width of `glyph`, font units.
    public func advance(of glyph: UInt16) -> Int {
        let index = min(Int(glyph), numberOfHMetrics - 1)
        return Int((try? hmtx.u16(index * 4)) ?? 0)
    }

    /// The horizontal kerning between two glyphs set side by side, font units (negative:
    /// closer), from `GPOS` pair adjustment when the font has a `kern` feature there, else
    /// from the `kern` table.
    public func kerning(_ left: UInt16, _ right: UInt16) -> Int {
        kerning.adjustment(left, right)
    }

    /// The glyph the font's `tnum` feature puts for `glyph` (itself when none).
    public func tabularFigure(for glyph: UInt16) -> UInt16 {
        let substitute = tabularFigures.substitute(glyph)
        return Int(substitute) < glyphCount ? substitute : glyph
    }

    /// Pixels per font unit at an em size of `pixelSize` pixels.
    public func scale(forPixelSize pixelSize: Double) -> Double {
        pixelSize / Double(unitsPerEm)
    }

    /// Where `glyph`'s outline lies in `glyf`, or nil when it has none (a space).
    func glyphRange(_ glyph: UInt16) throws(FontError) -> Range<Int>? {
        guard Int(glyph) < glyphCount else { throw glyf.error(.invalid("glyph \(glyph) of \(glyphCount)")) }
        let index = Int(glyph)
        let start: Int, end: Int
        if longLoca {
            start = Int(try loca.u32(index * 4)); end = Int(try loca.u32(index * 4 + 4))
        } else {
            start = Int(try loca.u16(index * 2)) * 2; end = Int(try loca.u16(index * 2 + 2)) * 2
        }
        if start == end { return nil }
        guard start < end, end <= glyf.count else {
            throw loca.error(.invalid("glyph \(glyph) spans \(start)..<\(end) of a \(glyf.count)-byte glyf"), at: index * (longLoca ? 4 : 2))
        }
        return start..<end
    }
}
