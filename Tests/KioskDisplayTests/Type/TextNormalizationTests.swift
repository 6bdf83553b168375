import Testing
import KioskDisplay

@Suite("Text normalisation and the glyph cache")
struct TextNormalizationTests {
    // Decomposed spellings, as macOS file names and some feeds send them, and their NFC
    // forms (Unicode's canonical composition; each pair written out by hand).
    static let pairs: [(String, String)] = [
        ("e\u{301}", "é"), ("E\u{301}", "É"), ("e\u{300}", "è"), ("A\u{300}", "À"), ("e\u{302}", "ê"),
        ("i\u{302}", "î"), ("o\u{302}", "ô"), ("u\u{302}", "û"), ("e\u{308}", "ë"), ("i\u{308}", "ï"),
        ("u\u{308}", "ü"), ("y\u{308}", "ÿ"), ("Y\u{308}", "Ÿ"), ("c\u{327}", "ç"), ("C\u{327}", "Ç"),
        ("A\u{30A}", "Å"), ("\u{212B}", "Å"), ("\u{2126}", "Ω"), ("\u{2000}", "\u{2002}"),
        ("Ce\u{301}ci\u{302}le a\u{300} l\u{2019}atelier", "Cécîle à l\u{2019}atelier"),
        // Canonical order: cedilla (ccc 202) before acute (ccc 230) whatever the input order.
        ("c\u{301}\u{327}", "\u{1E09}"),
        // Already NFC (and ASCII) stays as it is; œ has no decomposition.
        ("Lumières numériques", "Lumières numériques"), ("cœur", "cœur"), ("", ""),
    ]

    @Test func composesWhatFeedsSend() {
        for (input, expected) in Self.pairs {
            let output = TextNormalization.nfc(input)
            #expect(Array(output.unicodeScalars) == Array(expected.unicodeScalars), "\(input.unicodeScalars.map { String($0.value, radix: 16) })")
        }
    }

    @Test func invisibleCharacters() {
        for scalar: Unicode.Scalar in ["\u{0}", "\u{1B}", "\u{7F}", "\u{85}", "\u{AD}", "\u{200B}", "\u{200D}", "\u{200E}", "\u{2060}", "\u{FE0F}", "\u{FEFF}"] {
            #expect(TextNormalization.isInvisible(scalar), "U+\(String(scalar.value, radix: 16))")
        }
        for scalar: Unicode.Scalar in [" ", "\u{A0}", "\u{202F}", "a", "é", "€", "\u{2011}"] {
            #expect(!TextNormalization.isInvisible(scalar), "U+\(String(scalar.value, radix: 16))")
        }
    }

    @Test func cacheStaysWithinItsBudgetAndKeepsRecentGlyphs() {
        var cache = GlyphCache(capacity: 2_000)
        func bitmap(_ side: Int) -> GlyphBitmap {
            GlyphBitmap(offsetX: 0, offsetY: 0, width: side, height: side, coverage: [UInt8](repeating: 1, count: side * side))
        }
        func key(_ glyph: Int) -> GlyphCache.Key { .init(face: 0, glyph: UInt16(glyph), size: 64 * 24, phase: 0) }
        // 100 + 64 bytes each: twelve fit in 2,000.
        for glyph in 0..<12 { _ = cache.bitmap(for: key(glyph)) { bitmap(10) } }
        #expect(cache.bytes == 12 * 164 && cache.count == 12)
        // Touch glyph 0, then add one more: glyph 1 (the least recently used) goes.
        _ = cache.bitmap(for: key(0)) { Issue.record("glyph 0 was dropped"); return bitmap(10) }
        _ = cache.bitmap(for: key(12)) { bitmap(10) }
        #expect(cache.bytes <= 2_000)
        var remade = false
        _ = cache.bitmap(for: key(1)) { remade = true; return bitmap(10) }
        #expect(remade)
        _ = cache.bitmap(for: key(0)) { Issue.record("glyph 0 was dropped"); return bitmap(10) }
        // A bitmap larger than the whole budget is handed back, not kept.
        let big = cache.bitmap(for: key(99)) { bitmap(50) }
        #expect(big.width == 50 && cache.bytes <= 2_000)
        #expect(cache.hits == 2 && cache.misses == 15)
        // Differing phase or size are different entries.
        var other = key(0); other.phase = 1
        var made = false
        _ = cache.bitmap(for: other) { made = true; return bitmap(10) }
        #expect(made)
    }

    @Test func engineCacheBoundHoldsWhileDrawing() {
        let engine = ShippedType.engine(cacheCapacity: 24 * 1024)
        var canvas = PixelCanvas(width: 400, height: 120)
        let text = "Programme de la semaine : ateliers, concerts, « Lumières » — 20:30 €"
        var peak = 0
        for size in stride(from: 10.0, through: 60, by: 5) {
            for x in [0.0, 0.25, 0.5, 0.75] {
                engine.draw(text, style: TextStyle(pixelSize: size), x: x, baseline: 80, color: .white, clip: canvas.bounds, into: &canvas)
                peak = max(peak, engine.glyphCacheBytes)
                #expect(engine.glyphCacheBytes <= 24 * 1024)
            }
        }
        #expect(peak > 20 * 1024)
        let stats = engine.glyphCacheStatistics
        #expect(stats.misses > 0 && stats.count > 0)
        #expect(engine.glyphCacheCapacity == 24 * 1024)
    }
}
