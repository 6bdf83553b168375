import Synchronization

/// The lobby's type: measures and draws lines of text with outline fonts, at exact pixel
/// sizes, for the pixel layout (`TextMeasuring`, `TextDrawing`).
///
/// Text is NFC-normalised, then each character takes its glyph from the style's face
/// (regular or bold), else from the fallback faces in order, else from the console font
/// (`lastResort`, Terminus: its pixels drawn as squares of an outline, rasterized at the
/// size asked, so a character only it has is still drawn whole), else the replacement: the
/// first face's U+FFFD, or a drawn box when no face has one. Invisible characters
/// (`TextNormalization.isInvisible`) take no room. A space character no face has (U+202F
/// narrow no-break space, U+2009 thin space…) is set as empty room of its Unicode width.
/// Kerning (`FontFace.kerning`) applies between neighbours from the same face, in
/// measuring and drawing alike (one code path, `layOut`). `tabularFigures` applies the
/// face's `tnum` substitution and no kerning next to a digit, so every figure takes the
/// same room.
///
/// Measuring is pure (no rasterizing, no cache). Drawing rasterizes each glyph once per
/// size and quarter-pixel phase into a `GlyphCache` bounded in bytes; the cache is behind
/// a mutex, so an engine can be shared, but one renderer drawing is the expected use.
public final class TypeEngine: TextDrawing {
    /// The faces: regular, bold, then the fallbacks.
    public let faces: [FontFace]
    private let fallbacks: Range<Int>
    /// The face and glyph of U+FFFD, when a face has it.
    private let replacement: (face: Int, glyph: UInt16)?
    /// The console font behind every outline face; its face index is `faces.count`.
    public let lastResort: PSFFont?
    private let cache: Mutex<GlyphCache>

    /// The glyph id that stands for the drawn replacement box (never a real glyph: glyph
    /// counts stop at 65,535, ids at 65,534).
    static let boxGlyph: UInt16 = 0xFFFF
    /// Sizes are clamped to this, pixels (the rasterizer's own limits hold larger glyphs
    /// off anyway).
    public static let maxPixelSize = 1024.0

    /// `bold` defaults to `regular`; fallbacks past the 250th are ignored (the cache names
    /// faces with a byte). `cacheCapacity` is the glyph cache's budget, bytes.
    public init(regular: FontFace, bold: FontFace? = nil, fallbacks: [FontFace] = [], lastResort: PSFFont? = nil, cacheCapacity: Int = 1 << 20) {
        faces = [regular, bold ?? regular] + fallbacks.prefix(250)
        self.lastResort = lastResort
        self.fallbacks = 2..<faces.count
        var replacement: (face: Int, glyph: UInt16)? = nil
        for (i, face) in faces.enumerated() {
            if let glyph = face.glyph(for: "\u{FFFD}") { replacement = (i, glyph); break }
        }
        self.replacement = replacement
        cache = Mutex(GlyphCache(capacity: cacheCapacity))
    }

    /// The shipped family from `directory` (`assets/fonts`, installed under
    /// `/usr/share/kiosk/assets/fonts`): Lato regular and bold, DejaVu Sans as the fallback,
    /// Terminus 16x32 as the last resort.
    public convenience init(fontsDirectory directory: String, cacheCapacity: Int = 1 << 20) throws(FontError) {
        let regular = try FontFace(contentsOfFile: directory + "/" + ShippedTypefaces.regular)
        let bold = try FontFace(contentsOfFile: directory + "/" + ShippedTypefaces.bold)
        let fallback = try FontFace(contentsOfFile: directory + "/" + ShippedTypefaces.fallback)
        let console: PSFFont
        do {
            console = try PSFFont(contentsOfFile: directory + "/" + ShippedTypefaces.lastResort)
        } catch {
            throw FontError(source: error.source, table: "psf", offset: error.offset, reason: .unreadable(error.description))
        }
        self.init(regular: regular, bold: bold, fallbacks: [fallback], lastResort: console, cacheCapacity: cacheCapacity)
    }

    // MARK: Measuring

    public func width(of text: String, style: TextStyle) -> Double {
        layOut(text, style: style) { _, _, _ in }
    }

    public func lineMetrics(_ style: TextStyle) -> LineMetrics {
        let face = faces[faceIndex(style.weight)]
        let scale = face.scale(forPixelSize: Self.pixelSize(style))
        return LineMetrics(ascent: Double(face.ascender) * scale, descent: Double(face.descender) * scale,
                           lineGap: Double(face.lineGap) * scale)
    }

    /// The height of capital letters above the baseline in `style`, pixels (`OS/2`
    /// sCapHeight; 0.7 em when the face does not say): for centring a line optically in a
    /// band, or aligning the top of a title with a picture.
    public func capHeight(_ style: TextStyle) -> Double {
        let face = faces[faceIndex(style.weight)]
        return Double(face.capHeight ?? face.unitsPerEm * 7 / 10) * face.scale(forPixelSize: Self.pixelSize(style))
    }

    /// The height of small letters ("x") above the baseline in `style`, pixels (`OS/2`
    /// sxHeight; 0.5 em when the face does not say).
    public func xHeight(_ style: TextStyle) -> Double {
        let face = faces[faceIndex(style.weight)]
        return Double(face.xHeight ?? face.unitsPerEm / 2) * face.scale(forPixelSize: Self.pixelSize(style))
    }

    // MARK: Drawing

    public func draw(_ text: String, style: TextStyle, x: Double, baseline: Double, color: PixelColor, clip: PixelRect, into canvas: inout PixelCanvas) {
        let area = clip.intersection(canvas.bounds)
        let size = Self.pixelSize(style)
        guard !area.isEmpty, size > 0, x.isFinite, baseline.isFinite, abs(x) < 1e7, abs(baseline) < 1e7 else { return }
        let baselineY = Int(baseline.rounded())
        // Nothing of a line reaches further than twice its size above or below its baseline.
        guard baselineY + Int(2 * size) >= area.y, baselineY - Int(2 * size) <= area.maxY else { return }
        let sizeKey = Int32((size * 64).rounded())
        let reach = Int(size) + 2
        // One lock for the line, taken before the first glyph.
        cache.withLock { cache in
            layOut(text, style: style) { face, glyph, pen in
                let quarters = Int(((x + pen) * 4).rounded())
                let whole = quarters >> 2, phase = quarters & 3
                guard whole - reach * 2 <= area.maxX, whole + reach * 2 >= area.x else { return }
                let key = GlyphCache.Key(face: UInt8(face), glyph: glyph, size: sizeKey, phase: UInt8(phase))
                let bitmap = cache.bitmap(for: key) { self.rasterize(face: face, glyph: glyph, size: size, phase: phase) }
                canvas.blend(bitmap, x: whole + bitmap.offsetX, y: baselineY + bitmap.offsetY, color: color, clip: area)
            }
        }
    }

    /// The glyph cache's bytes now (bitmaps and their bookkeeping).
    public var glyphCacheBytes: Int { cache.withLock { $0.bytes } }
    /// The glyph cache's budget, bytes.
    public var glyphCacheCapacity: Int { cache.withLock { $0.capacity } }
    /// How many glyph bitmaps the cache holds, and its hits and misses so far.
    public var glyphCacheStatistics: (count: Int, hits: Int, misses: Int) {
        cache.withLock { ($0.count, $0.hits, $0.misses) }
    }

    /// The coverage of one glyph as `draw` would blend it: `phase` in quarter pixels (0…3).
    public func glyphBitmap(for character: Character, style: TextStyle, phase: Int = 0) -> GlyphBitmap {
        var found: (face: Int, glyph: UInt16)? = nil
        layOut(String(character), style: style) { face, glyph, _ in if found == nil { found = (face, glyph) } }
        guard let found else { return .empty }
        return rasterize(face: found.face, glyph: found.glyph, size: Self.pixelSize(style), phase: phase & 3)
    }

    // MARK: Setting a line

    /// Walks `text` set in `style`: calls `place` with the face, glyph and pen position
    /// (pixels from the start of the line) of every glyph to draw, and returns the line's
    /// advance. Measuring and drawing both go through here, so they agree.
    @discardableResult
    private func layOut(_ text: String, style: TextStyle, _ place: (Int, UInt16, Double) -> Void) -> Double {
        let size = Self.pixelSize(style)
        guard size > 0 else { return 0 }
        let primary = faceIndex(style.weight)
        var pen = 0.0
        var previous: (face: Int, glyph: UInt16, digit: Bool)? = nil
        for scalar in TextNormalization.nfc(text).unicodeScalars {
            if TextNormalization.isInvisible(scalar) { continue }
            let digit = scalar.value &- 0x30 < 10
            guard let (face, found) = resolve(scalar, primary: primary) else {
                // A space no face has: its room, empty.
                pen += Self.spaceWidth(scalar, face: faces[primary]) * size
                previous = nil
                continue
            }
            guard face < faces.count else {
                // The console font: its cell's width, no kerning.
                place(face, found, pen)
                pen += consoleAdvance * size
                previous = nil
                continue
            }
            var glyph = found
            if style.tabularFigures, glyph != Self.boxGlyph { glyph = faces[face].tabularFigure(for: glyph) }
            let scale = faces[face].scale(forPixelSize: size)
            if let previous, previous.face == face, glyph != Self.boxGlyph, previous.glyph != Self.boxGlyph,
               !(style.tabularFigures && (digit || previous.digit)) {
                pen += Double(faces[face].kerning(previous.glyph, glyph)) * scale
            }
            place(face, glyph, pen)
            pen += glyph == Self.boxGlyph ? Self.boxAdvance * size : Double(faces[face].advance(of: glyph)) * scale
            previous = (face, glyph, digit)
        }
        return pen
    }

    /// The face and glyph for `scalar`; nil for a space character no face has.
    private func resolve(_ scalar: Unicode.Scalar, primary: Int) -> (Int, UInt16)? {
        if let glyph = faces[primary].glyph(for: scalar) { return (primary, glyph) }
        for index in fallbacks {
            if let glyph = faces[index].glyph(for: scalar) { return (index, glyph) }
        }
        if scalar.properties.generalCategory == .spaceSeparator { return nil }
        if let console = lastResort, console.containsGlyph(for: Character(scalar)),
           let index = UInt16(exactly: console.glyph(for: Character(scalar)).index) {
            return (faces.count, index)
        }
        if let replacement { return replacement }
        return (primary, Self.boxGlyph)
    }

    private func faceIndex(_ weight: FontWeight) -> Int {
        weight == .bold ? 1 : 0
    }

    private static func pixelSize(_ style: TextStyle) -> Double {
        guard style.pixelSize.isFinite, style.pixelSize > 0 else { return 0 }
        return min(style.pixelSize, maxPixelSize)
    }

    /// The width of a space character, in ems, for a face that lacks it: Unicode's own
    /// widths for the sized spaces, the face's space for the others.
    static func spaceWidth(_ scalar: Unicode.Scalar, face: FontFace) -> Double {
        switch scalar.value {
        case 0x2000, 0x2002: return 0.5     // en quad, en space
        case 0x2001, 0x2003: return 1       // em quad, em space
        case 0x2004: return 1.0 / 3
        case 0x2005: return 0.25
        case 0x2006: return 1.0 / 6
        case 0x2009, 0x202F: return 0.2     // thin space, narrow no-break space
        case 0x200A: return 0.1             // hair space
        case 0x2007:                        // figure space: a digit's width
            if let zero = face.glyph(for: "0") { return Double(face.advance(of: zero)) / Double(face.unitsPerEm) }
            return 0.5
        default:
            if let space = face.glyph(for: " ") { return Double(face.advance(of: space)) / Double(face.unitsPerEm) }
            return 0.25
        }
    }

    // MARK: Rasterizing

    /// The replacement box's advance, ems.
    static let boxAdvance = 0.6

    private func rasterize(face: Int, glyph: UInt16, size: Double, phase: Int) -> GlyphBitmap {
        guard face < faces.count else {
            guard let console = lastResort else { return .empty }
            let outline = Self.consoleOutline(console, glyph: PSFFont.Glyph(index: Int(glyph)), ascent: consoleAscent)
            return GlyphRasterizer.rasterize(outline, scale: Float(size / consoleEm), shiftX: Float(phase) / 4) ?? .empty
        }
        let font = faces[face]
        let outline: GlyphOutline
        if glyph == Self.boxGlyph {
            outline = Self.boxOutline(unitsPerEm: font.unitsPerEm)
        } else {
            guard let read = try? font.outline(of: glyph) else { return .empty }
            outline = read
        }
        return GlyphRasterizer.rasterize(outline, scale: Float(font.scale(forPixelSize: size)), shiftX: Float(phase) / 4) ?? .empty
    }

    /// The console font's cell is set as tall as the regular face's ascent plus descent,
    /// its top at the ascent: one console pixel is `consoleEm / lastResort.height` ems.
    private var consoleEm: Double {
        let face = faces[0]
        guard let console = lastResort, console.height > 0 else { return 1 }
        // Units of the outline built from the console font: one per console pixel.
        return Double(console.height) * Double(face.unitsPerEm) / Double(max(1, face.ascender + face.descender))
    }

    private var consoleAscent: Double {
        let face = faces[0]
        guard let console = lastResort else { return 0 }
        return Double(console.height) * Double(face.ascender) / Double(max(1, face.ascender + face.descender))
    }

    /// The advance of a console-font character, ems.
    private var consoleAdvance: Double {
        Double(lastResort?.width ?? 0) / consoleEm
    }

    /// A console glyph as an outline, one unit per console pixel: each horizontal run of
    /// set pixels a rectangle, the cell's top `ascent` units above the baseline.
    static func consoleOutline(_ font: PSFFont, glyph: PSFFont.Glyph, ascent: Double) -> GlyphOutline {
        var outline = GlyphOutline()
        for row in 0..<font.height {
            let mask = font.rowMask(glyph, row)
            var x = 0
            while x < font.width {
                guard mask & (1 << UInt64(x)) != 0 else { x += 1; continue }
                var end = x
                while end < font.width, mask & (1 << UInt64(end)) != 0 { end += 1 }
                let top = Float(ascent) - Float(row), bottom = top - 1
                outline.points += [.init(x: Float(x), y: bottom, onCurve: true), .init(x: Float(x), y: top, onCurve: true),
                                   .init(x: Float(end), y: top, onCurve: true), .init(x: Float(end), y: bottom, onCurve: true)]
                outline.contourEnds.append(outline.points.count - 1)
                x = end
            }
        }
        return outline
    }

    /// A hollow box on the baseline, cap-height tall: the replacement glyph when no face has
    /// U+FFFD. Outer contour clockwise, inner counter-clockwise (TrueType's direction).
    static func boxOutline(unitsPerEm: Int) -> GlyphOutline {
        let em = Float(unitsPerEm)
        let left = 0.08 * em, right = 0.52 * em, bottom: Float = 0, top = 0.7 * em, stroke = 0.06 * em
        func rect(_ x0: Float, _ y0: Float, _ x1: Float, _ y1: Float, clockwise: Bool) -> [GlyphOutline.Point] {
            let corners = [(x0, y0), (x0, y1), (x1, y1), (x1, y0)]
            return (clockwise ? corners : corners.reversed()).map { .init(x: $0.0, y: $0.1, onCurve: true) }
        }
        let points = rect(left, bottom, right, top, clockwise: true)
            + rect(left + stroke, bottom + stroke, right - stroke, top - stroke, clockwise: false)
        return GlyphOutline(points: points, contourEnds: [3, 7])
    }
}

/// The file names of the shipped outline fonts in `assets/fonts` (see
/// `assets/fonts/README.md` for where they come from and their licences).
public enum ShippedTypefaces {
    public static let regular = "Lato-Regular.ttf"
    public static let bold = "Lato-Bold.ttf"
    public static let fallback = "DejaVuSans.ttf"
    /// The console font behind them (the largest Terminus, for the most detail).
    public static let lastResort = ShippedFonts.sizes[0].regularFileName
}
