import Testing
import KioskDisplay

/// A square contour from (x0, y0) to (x1, y1), clockwise.
func square(_ x0: Int, _ y0: Int, _ x1: Int, _ y1: Int) -> [TestFontBuilder.Point] {
    [.init(x: x0, y: y0), .init(x: x0, y: y1), .init(x: x1, y: y1), .init(x: x1, y: y0)]
}

@Suite("Font faces: cmap, metrics, outlines")
struct FontFaceTests {
    // Glyph ids below are fontTools' (getBestCmap + getGlyphID) for the shipped files.
    @Test func latoCharacterMap() {
        let face = ShippedType.regular
        let expected: [(Unicode.Scalar, UInt16)] = [("A", 3), ("œ", 53), ("\u{202F}", 1431), ("«", 97), ("’", 90), ("€", 129), ("À", 172), ("Ǻ", 1891)]
        for (scalar, id) in expected { #expect(face.glyph(for: scalar) == id, "\(scalar)") }
        #expect(face.glyph(for: "\u{E000}") == nil)
        #expect(face.glyph(for: "\u{1F600}") == nil)
        #expect(face.unitsPerEm == 2000)
        #expect(face.glyphCount == 3026)
    }

    @Test func dejaVuFormat12CharacterMap() {
        let face = ShippedType.fallback
        let expected: [(Unicode.Scalar, UInt16)] = [("A", 36), ("→", 3101), ("★", 3805), ("\u{FFFD}", 5372), ("\u{10300}", 5373), ("\u{10304}", 5377)]
        for (scalar, id) in expected { #expect(face.glyph(for: scalar) == id, "\(scalar)") }
    }

    @Test(arguments: [(4, false), (4, true), (12, false)])
    func syntheticCharacterMaps(format: Int, glyphIdArray: Bool) throws {
        var font = TestFontBuilder()
        font.cmapFormat = format
        font.useGlyphIdArray = glyphIdArray
        let a = font.add(.simple([square(0, 0, 100, 100)]), for: "A")
        let e = font.add(.simple([square(0, 0, 50, 50)]), for: "é")
        let z = font.add(.empty, for: "\u{FFFC}")
        let face = try FontFace(bytes: font.bytes(named: "cmap-\(format)\(glyphIdArray ? "-array" : "")"), source: "synthetic")
        #expect(face.glyph(for: "A") == UInt16(a))
        #expect(face.glyph(for: "é") == UInt16(e))
        #expect(face.glyph(for: "\u{FFFC}") == UInt16(z))
        #expect(face.glyph(for: "B") == nil)
        #expect(face.glyph(for: "\u{FFFF}") == nil)
    }

    @Test func latoCompositeIsItsComponentsPlaced() throws {
        // fontTools: Agrave = glyph03025 at (6, 0), A at (0, 0), glyph00327 (the grave) at (266, 0).
        let face = ShippedType.regular
        let agrave = try face.outline(of: 172)
        var expected: [GlyphOutline.Point] = []
        for (glyph, dx) in [(UInt16(3025), Float(6)), (3, 0), (327, 266)] {
            expected += try face.outline(of: glyph).points.map { .init(x: $0.x + dx, y: $0.y, onCurve: $0.onCurve) }
        }
        #expect(agrave.points == expected)
        #expect(try face.outline(of: 3).points.count == 23) // fontTools: 23 points, contours end at 13 and 22
        #expect(try face.outline(of: 3).contourEnds == [13, 22])
    }

    @Test func compositeTransformsAndOffsets() throws {
        var font = TestFontBuilder()
        let base = font.add(.simple([square(0, 0, 100, 200)]))
        let scaled = font.add(.composite([.init(glyph: base, dx: 10, dy: 20, transform: .scale(0.5))]))
        let stretched = font.add(.composite([.init(glyph: base, transform: .xyScale(1.5, 0.25))]))
        // 90° rotation: x' = -y, y' = x (a = 0, b = 1, c = -1, d = 0).
        let rotated = font.add(.composite([.init(glyph: base, transform: .twoByTwo(0, 1, -1, 0))]))
        let scaledOffset = font.add(.composite([.init(glyph: base, dx: 100, dy: 0, transform: .scale(0.5), scaledOffset: true)]))
        // Point matching: the second copy's point 0 lands on the first copy's point 2.
        let matched = font.add(.composite([.init(glyph: base), .init(glyph: base, match: (2, 0))]))
        let nested = font.add(.composite([.init(glyph: scaled, dx: 1000, dy: 0)]))
        let face = try FontFace(bytes: font.bytes(named: "composites"), source: "synthetic")

        func corners(_ glyph: Int) throws -> [[Float]] {
            try face.outline(of: UInt16(glyph)).points.map { [$0.x, $0.y] }
        }
        #expect(try corners(base) == [[0, 0], [0, 200], [100, 200], [100, 0]])
        #expect(try corners(scaled) == [[10, 20], [10, 120], [60, 120], [60, 20]])
        #expect(try corners(stretched) == [[0, 0], [0, 50], [150, 50], [150, 0]]) // F2DOT14 stops short of 2
        #expect(try corners(rotated) == [[0, 0], [-200, 0], [-200, 100], [0, 100]])
        #expect(try corners(scaledOffset) == [[50, 0], [50, 100], [100, 100], [100, 0]])
        #expect(try corners(matched) == [[0, 0], [0, 200], [100, 200], [100, 0], [100, 200], [100, 400], [200, 400], [200, 200]])
        #expect(try face.outline(of: UInt16(matched)).contourEnds == [3, 7])
        #expect(try corners(nested) == [[1010, 20], [1010, 120], [1060, 120], [1060, 20]])
    }

    @Test func shortAndLongLoca() throws {
        var font = TestFontBuilder()
        let a = font.add(.simple([square(0, 0, 100, 700), square(200, 0, 300, 700)]), for: "H")
        let space = font.add(.empty, advance: 250, for: " ")
        let b = font.add(.composite([.init(glyph: a, dx: 40, dy: 0)]), for: "Ĥ")
        let long = try FontFace(bytes: font.bytes(), source: "long")
        font.shortLoca = true
        let short = try FontFace(bytes: font.bytes(named: "short-loca"), source: "short")
        for glyph in [a, space, b] {
            #expect(try short.outline(of: UInt16(glyph)) == long.outline(of: UInt16(glyph)))
        }
        #expect(try short.outline(of: UInt16(b)).points.first == .init(x: 40, y: 0, onCurve: true))
        #expect(try short.outline(of: UInt16(space)).isEmpty)
        #expect(short.advance(of: UInt16(space)) == 250)
    }

    @Test func compositeBudgets() throws {
        var font = TestFontBuilder()
        let base = font.add(.simple([square(0, 0, 10, 10)]))
        // A glyph made of itself: refused by the nesting limit, not a stack overflow.
        let selfRef = font.glyphs.count
        font.add(.composite([.init(glyph: selfRef)]))
        // A chain nine deep.
        var previous = base
        for _ in 0..<9 { previous = font.add(.composite([.init(glyph: previous)])) }
        let deep = previous
        // 64 copies of a square is fine; 64 copies of that is 4,160 components (256 allowed).
        let wide = font.add(.composite([TestFontBuilder.Component](repeating: .init(glyph: base), count: 64)))
        let wider = font.add(.composite([TestFontBuilder.Component](repeating: .init(glyph: wide), count: 64)))
        let matchOutOfRange = font.add(.composite([.init(glyph: base), .init(glyph: base, match: (40, 0))]))
        let face = try FontFace(bytes: font.bytes(), source: "synthetic")

        func reason(_ glyph: Int) -> FontError.Reason? {
            do { _ = try face.outline(of: UInt16(glyph)); return nil } catch { return error.reason }
        }
        guard case .limitExceeded = reason(selfRef) else { Issue.record("self reference: \(String(describing: reason(selfRef)))"); return }
        guard case .limitExceeded = reason(deep) else { Issue.record("depth 9: \(String(describing: reason(deep)))"); return }
        #expect(try face.outline(of: UInt16(deep - 1)).points.count == 4) // depth 8 is fine
        #expect(try face.outline(of: UInt16(wide)).points.count == 256)
        guard case .limitExceeded = reason(wider) else { Issue.record("wide: \(String(describing: reason(wider)))"); return }
        guard case .invalid = reason(matchOutOfRange) else { Issue.record("match: \(String(describing: reason(matchOutOfRange)))"); return }
        // A glyph id past the font's glyph count.
        #expect(reason(60000) != nil)
    }

    @Test func metricsAndKernTable() throws {
        var font = TestFontBuilder()
        let a = font.add(.simple([square(0, 0, 100, 100)]), advance: 600, for: "A")
        let v = font.add(.simple([square(0, 0, 100, 100)]), advance: 650, for: "V")
        font.kernPairs = [(a, v, -80), (v, a, -70)]
        let face = try FontFace(bytes: font.bytes(), source: "synthetic")
        #expect(face.kerning(UInt16(a), UInt16(v)) == -80)
        #expect(face.kerning(UInt16(v), UInt16(a)) == -70)
        #expect(face.kerning(UInt16(a), UInt16(a)) == 0)
        #expect(face.ascender == 800 && face.descender == 200 && face.lineGap == 100)
        #expect(face.capHeight == 700 && face.xHeight == 500)
        let engine = TypeEngine(regular: face)
        #expect(engine.width(of: "AV", style: TextStyle(pixelSize: 100)) == 60 + 65 - 8)
        // No OS/2: hhea's 900 / 300 / 0.
        font.typoMetrics = nil
        let plain = try FontFace(bytes: font.bytes(), source: "synthetic")
        #expect(plain.ascender == 900 && plain.descender == 300 && plain.lineGap == 0)
    }

    @Test func spacesTheFacesLackAreSetAsRoom() throws {
        // A face without U+202F: the narrow no-break space is a fifth of an em, empty.
        var font = TestFontBuilder()
        font.add(.empty, advance: 250, for: " ")
        font.add(.simple([square(0, 0, 400, 700)]), advance: 500, for: "a")
        let face = try FontFace(bytes: font.bytes(), source: "synthetic")
        #expect(face.glyph(for: "\u{202F}") == nil)
        let engine = TypeEngine(regular: face)
        let style = TextStyle(pixelSize: 100)
        #expect(engine.width(of: "\u{202F}", style: style) == 20)
        #expect(engine.width(of: "a\u{202F}a", style: style) == 120)
        #expect(engine.width(of: "\u{2003}", style: style) == 100)
        #expect(engine.width(of: "\u{2008}", style: style) == 25) // punctuation space: the face's space
        var canvas = PixelCanvas(width: 50, height: 50)
        engine.draw("\u{202F}\u{2009}", style: style, x: 0, baseline: 40, color: .white, clip: canvas.bounds, into: &canvas)
        #expect(canvas.pixels.allSatisfy { $0 == 0 })
    }
}
