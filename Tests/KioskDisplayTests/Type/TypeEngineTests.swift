import Foundation
import Testing
import KioskDisplay

/// The shipped outline faces, loaded once for the suites.
enum ShippedType {
    static let regular = try! FontFace(contentsOfFile: RepositoryAssets.fonts + "/" + ShippedTypefaces.regular)
    static let bold = try! FontFace(contentsOfFile: RepositoryAssets.fonts + "/" + ShippedTypefaces.bold)
    static let fallback = try! FontFace(contentsOfFile: RepositoryAssets.fonts + "/" + ShippedTypefaces.fallback)
    static let console = try! PSFFont(contentsOfFile: RepositoryAssets.fonts + "/" + ShippedTypefaces.lastResort)
    static func engine(cacheCapacity: Int = 1 << 20) -> TypeEngine {
        TypeEngine(regular: regular, bold: bold, fallbacks: [fallback], lastResort: console, cacheCapacity: cacheCapacity)
    }
    static func bytes(_ name: String) -> [UInt8] {
        [UInt8](FileManager.default.contents(atPath: RepositoryAssets.fonts + "/" + name)!)
    }
}

@Suite("Type engine")
struct TypeEngineTests {
    static let french = "œŒ«»’€\u{202F}\u{A0}àâæçéèêëîïôùûüÿÀÂÆÇÉÈÊËÎÏÔÙÛÜŸ…–—"

    @Test func shippedFamilyCoversFrench() throws {
        for face in [ShippedType.regular, ShippedType.bold] {
            for scalar in Self.french.unicodeScalars {
                #expect(face.glyph(for: scalar) != nil, "\(face.source) lacks U+\(String(scalar.value, radix: 16, uppercase: true))")
            }
        }
        #expect(ShippedType.regular.weightClass == 400)
        #expect(ShippedType.bold.weightClass == 700)
        // Lato lacks U+FFFD; the fallback has it.
        #expect(ShippedType.regular.glyph(for: "\u{FFFD}") == nil)
        #expect(ShippedType.fallback.glyph(for: "\u{FFFD}") != nil)
    }

    @Test func narrowNoBreakSpaceIsNarrowerThanASpace() {
        let engine = ShippedType.engine()
        let style = TextStyle(pixelSize: 40)
        let narrow = engine.width(of: "\u{202F}", style: style), space = engine.width(of: " ", style: style)
        #expect(narrow > 0 && narrow < space)
        // "Avez-vous ?" with the narrow space is wider than without, narrower than with a space.
        let tight = engine.width(of: "vous?", style: style)
        let french = engine.width(of: "vous\u{202F}?", style: style)
        #expect(french > tight && french < engine.width(of: "vous ?", style: style))
    }

    @Test func lineMetricsFollowTypoMetrics() {
        // Lato sets USE_TYPO_METRICS: typo ascender 1610, descender -390, line gap 400 (2000 upem).
        let metrics = ShippedType.engine().lineMetrics(TextStyle(pixelSize: 20))
        #expect(abs(metrics.ascent - 16.1) < 1e-9)
        #expect(abs(metrics.descent - 3.9) < 1e-9)
        #expect(abs(metrics.lineGap - 4.0) < 1e-9)
        #expect(abs(metrics.lineHeight - 24.0) < 1e-9)
    }

    @Test func capAndXHeights() {
        // fontTools: OS/2 version 4, sCapHeight 1433 / 1446, sxHeight 1013 / 1026 (2000 upem).
        let engine = ShippedType.engine()
        #expect(abs(engine.capHeight(TextStyle(pixelSize: 100)) - 71.65) < 1e-9)
        #expect(abs(engine.capHeight(TextStyle(weight: .bold, pixelSize: 100)) - 72.3) < 1e-9)
        #expect(abs(engine.xHeight(TextStyle(pixelSize: 100)) - 50.65) < 1e-9)
        // The drawn "H" reaches the cap height: its top row is 72 px above the baseline at 100 px.
        let h = engine.glyphBitmap(for: "H", style: TextStyle(pixelSize: 100))
        #expect(h.offsetY == -72)
    }

    @Test func measuringIsTheSumOfAdvancesAndKerning() {
        let engine = ShippedType.engine()
        let face = ShippedType.regular
        let style = TextStyle(pixelSize: 50)
        let a = face.glyph(for: "A")!, v = face.glyph(for: "V")!
        let expected = Double(face.advance(of: a) + face.kerning(a, v) + face.advance(of: v)) * 50 / 2000
        #expect(abs(engine.width(of: "AV", style: style) - expected) < 1e-9)
        #expect(engine.width(of: "AV", style: style) < engine.width(of: "A", style: style) + engine.width(of: "V", style: style))
        #expect(engine.width(of: "", style: style) == 0)
        #expect(engine.width(of: "A", style: TextStyle(pixelSize: .nan)) == 0)
    }

    @Test func tabularFiguresKeepTheClockStill() {
        let engine = ShippedType.engine()
        let style = TextStyle(weight: .bold, pixelSize: 96, tabularFigures: true)
        let widths = (0...9).map { engine.width(of: String($0), style: style) }
        #expect(Set(widths).count == 1)
        let times = ["11:11", "20:08", "00:00", "17:47", "19:59"]
        let clock = times.map { engine.width(of: $0, style: style) }
        #expect(Set(clock).count == 1, "\(clock)")
    }

    @Test func measuringIsPureAndNFCNormalised() {
        let engine = ShippedType.engine()
        let style = TextStyle(pixelSize: 30)
        let before = engine.width(of: "Café « Lumière »", style: style)
        var canvas = PixelCanvas(width: 300, height: 60)
        engine.draw("Café « Lumière »", style: style, x: 3, baseline: 40, color: .white, clip: canvas.bounds, into: &canvas)
        #expect(engine.width(of: "Café « Lumière »", style: style) == before)
        // "e" + U+0301 is "é"; U+212B ANGSTROM SIGN is "Å".
        #expect(engine.width(of: "Cafe\u{301}", style: style) == engine.width(of: "Café", style: style))
        #expect(engine.width(of: "\u{212B}", style: style) == engine.width(of: "Å", style: style))
        // Controls and zero-width characters take no room.
        #expect(engine.width(of: "a\u{200B}b\u{7}\u{FEFF}", style: style) == engine.width(of: "ab", style: style))
    }

    @Test func fallbackAndReplacement() {
        let engine = ShippedType.engine()
        let style = TextStyle(pixelSize: 30)
        // "→" is DejaVu's; a private-use character is in no face: U+FFFD from DejaVu.
        #expect(engine.width(of: "→", style: style) > 0)
        #expect(engine.glyphBitmap(for: "→", style: style) == engine.glyphBitmap(for: "→", style: style))
        #expect(engine.glyphBitmap(for: "\u{E000}", style: style) == engine.glyphBitmap(for: "\u{FFFD}", style: style))
        #expect(engine.glyphBitmap(for: "\u{E000}", style: style).coverage.contains { $0 > 200 })
        // Without a face that has U+FFFD: a drawn box, visible and 0.6 em wide.
        let latoOnly = TypeEngine(regular: ShippedType.regular)
        let box = latoOnly.glyphBitmap(for: "\u{E000}", style: style)
        #expect(box.width > 10 && box.height > 15)
        #expect(box.coverage.filter { $0 == 255 }.count > 40)
        #expect(abs(latoOnly.width(of: "\u{E000}", style: style) - 18) < 1e-9)
    }

    @Test func consoleFontIsTheLastResort() throws {
        let engine = ShippedType.engine()
        let style = TextStyle(pixelSize: 32)
        // U+24B6 CIRCLED LATIN CAPITAL LETTER A: in Terminus, in neither Lato nor DejaVu Sans.
        #expect(ShippedType.regular.glyph(for: "\u{24B6}") == nil && ShippedType.fallback.glyph(for: "\u{24B6}") == nil)
        #expect(ShippedType.console.containsGlyph(for: "\u{24B6}"))
        let circled = engine.glyphBitmap(for: "\u{24B6}", style: style)
        #expect(circled != engine.glyphBitmap(for: "\u{FFFD}", style: style))
        #expect(circled.coverage.filter { $0 > 128 }.count > 40)
        // Its cell is set as tall as Lato's ascent + descent (1610 + 390 = 2000 units, 1 em):
        // 16 x 32 console pixels at 32 px are 16 px wide.
        #expect(abs(engine.width(of: "\u{24B6}", style: style) - 16) < 1e-9)
        // Set at the size asked, not a scaled bitmap: twice the size, about twice the ink.
        let big = engine.glyphBitmap(for: "\u{24B6}", style: TextStyle(pixelSize: 64))
        let ink = { (b: GlyphBitmap) in b.coverage.reduce(0.0) { $0 + Double($1) / 255 } }
        #expect(abs(ink(big) / ink(circled) - 4) < 0.4)
        // The shipped engine loads it too.
        let shipped = try TypeEngine(fontsDirectory: RepositoryAssets.fonts)
        #expect(shipped.lastResort != nil)
        #expect(shipped.width(of: "\u{24B6}", style: style) == engine.width(of: "\u{24B6}", style: style))
    }

    @Test func drawingPlacesTheCachedGlyphAtTheQuarterPixel() {
        // "l" at x = 10.55 (nearest quarter: 10.5, phase 2) on baseline 40.4 (row 40): the
        // canvas holds the phase-2 bitmap at pixel 10 + its offsets, coverage mixed in
        // linear light (white over black: the sRGB encoding of the coverage).
        let engine = ShippedType.engine()
        let style = TextStyle(pixelSize: 48)
        var canvas = PixelCanvas(width: 60, height: 60)
        engine.draw("l", style: style, x: 10.55, baseline: 40.4, color: .white, clip: canvas.bounds, into: &canvas)
        let bitmap = engine.glyphBitmap(for: "l", style: style, phase: 2)
        var compared = 0
        for y in 0..<canvas.height {
            for x in 0..<canvas.width {
                let coverage = Double(bitmap[x - 10 - bitmap.offsetX, y - 40 - bitmap.offsetY]) / 255
                let expected = coverage <= 0.0031308 ? coverage * 12.92 : 1.055 * pow(coverage, 1 / 2.4) - 0.055
                #expect(abs(Double(canvas.color(x: x, y: y).red) - expected * 255) <= 1.5, "\(x),\(y)")
                if coverage > 0 { compared += 1 }
            }
        }
        #expect(compared > 50)
    }

    @Test func measuringAndDrawingAgree() {
        // "AVTe" drawn whole equals its letters drawn one by one where the measured widths
        // (kerning included) put them.
        let engine = ShippedType.engine()
        let style = TextStyle(pixelSize: 40)
        let text = "AVTe«À"
        var whole = PixelCanvas(width: 220, height: 60), pieces = PixelCanvas(width: 220, height: 60)
        let x = 3.1
        engine.draw(text, style: style, x: x, baseline: 45, color: .white, clip: whole.bounds, into: &whole)
        let characters = Array(text)
        for i in characters.indices {
            let before = String(characters[..<i]) + String(characters[i])
            let at = x + engine.width(of: before, style: style) - engine.width(of: String(characters[i]), style: style)
            engine.draw(String(characters[i]), style: style, x: at, baseline: 45, color: .white, clip: pieces.bounds, into: &pieces)
        }
        #expect(whole == pieces)
        // And the kerning is there: unkerned placement differs.
        var unkerned = PixelCanvas(width: 220, height: 60)
        var pen = x
        for c in characters {
            engine.draw(String(c), style: style, x: pen, baseline: 45, color: .white, clip: unkerned.bounds, into: &unkerned)
            pen += engine.width(of: String(c), style: style)
        }
        #expect(whole != unkerned)
    }

    @Test func drawingStaysInsideTheClip() {
        let engine = ShippedType.engine()
        let background = PixelColor(rgb: 0x203040)
        var canvas = PixelCanvas(width: 200, height: 80, color: background)
        let clip = PixelRect(x: 20, y: 10, width: 60, height: 40)
        engine.draw("Mixeur Mixeur Mixeur", style: TextStyle(pixelSize: 40), x: 0, baseline: 45, color: .white, clip: clip, into: &canvas)
        var inside = 0
        for y in 0..<canvas.height {
            for x in 0..<canvas.width where canvas.color(x: x, y: y) != background {
                #expect(clip.contains(PixelRect(x: x, y: y, width: 1, height: 1)), "pixel at \(x),\(y)")
                inside += 1
            }
        }
        #expect(inside > 100)
    }

    @Test func blendingIsInLinearLight() {
        // Half coverage of white over black is sRGB 188 in linear light (127 in sRGB space).
        var canvas = PixelCanvas(width: 1, height: 1, color: .black)
        let half = GlyphBitmap(offsetX: 0, offsetY: 0, width: 1, height: 1, coverage: [128])
        canvas.blend(half, x: 0, y: 0, color: .white, clip: canvas.bounds)
        let value = canvas.color(x: 0, y: 0)
        #expect(value.red == value.green && value.green == value.blue)
        #expect((186...190).contains(Int(value.red)), "\(value)")
        // Full and no coverage are exact.
        canvas.blend(GlyphBitmap(offsetX: 0, offsetY: 0, width: 1, height: 1, coverage: [255]), x: 0, y: 0, color: PixelColor(rgb: 0x123456), clip: canvas.bounds)
        #expect(canvas[0, 0] == 0x123456)
        canvas.blend(GlyphBitmap(offsetX: 0, offsetY: 0, width: 1, height: 1, coverage: [0]), x: 0, y: 0, color: .white, clip: canvas.bounds)
        #expect(canvas[0, 0] == 0x123456)
    }

    @Test func quarterPixelPhasesShiftTheGlyph() {
        let engine = ShippedType.engine()
        let style = TextStyle(pixelSize: 48)
        let phases = (0..<4).map { engine.glyphBitmap(for: "l", style: style, phase: $0) }
        #expect(Set(phases.map(\.coverage)).count == 4)
        // The stem moves right with each phase (a pixel-centre estimate of its position is
        // not linear in the shift: about 0.75 px from phase 0 to 3), its ink stays the same.
        func centre(_ b: GlyphBitmap) -> Double {
            var sum = 0.0, weight = 0.0
            for y in 0..<b.height { for x in 0..<b.width { let c = Double(b[x, y]); sum += c * Double(x + b.offsetX); weight += c } }
            return sum / weight
        }
        for i in 1..<4 { #expect(centre(phases[i]) > centre(phases[i - 1]) + 0.15) }
        #expect(abs(centre(phases[3]) - centre(phases[0]) - 0.75) < 0.05)
        let ink = phases.map { $0.coverage.reduce(0) { $0 + Int($1) } }
        #expect(ink.allSatisfy { abs($0 - ink[0]) * 100 < ink[0] }, "\(ink)")
    }
}
