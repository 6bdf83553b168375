// libFuzzer entry point for the TrueType reader and the glyph rasterizer, compiled together
// with their sources (Sources/KioskDisplay/Type: the files listed in Fuzz/run-font-fuzz.sh)
// by that script (not part of the package build).
//
// Every input is a font file. When `FontFace` accepts it, the harness asks for what the
// lobby would: glyphs of French characters, advances, kerning pairs, tabular figures,
// line metrics, and the outline and coverage of the first glyphs at a text size. Beyond
// "no crash, no sanitizer report", it checks that coverage bitmaps stay within the
// rasterizer's limits and that outlines stay within the point budget.

#if !FUZZ_STANDALONE
import KioskDisplay
#endif

@_cdecl("LLVMFuzzerTestOneInput")
public func fontFuzz(_ start: UnsafePointer<UInt8>?, _ count: Int) -> CInt {
    guard let start, count > 0 else { return 0 }
    let bytes = Array(UnsafeBufferPointer(start: start, count: count))
    guard let face = try? FontFace(bytes: bytes, source: "fuzz") else { return 0 }
    var glyphs: [UInt16] = []
    for scalar: Unicode.Scalar in [" ", "A", "V", "é", "œ", "«", "\u{202F}", "€", "0", "1", "\u{FFFD}", "\u{1F600}"] {
        if let glyph = face.glyph(for: scalar) {
            precondition(Int(glyph) < face.glyphCount)
            glyphs.append(glyph)
        }
    }
    glyphs += (0..<UInt16(min(face.glyphCount, 24)))
    let scale = Float(min(1.0, 32.0 / Double(face.unitsPerEm)))
    let limits = GlyphOutline.Limits()
    for (i, glyph) in glyphs.enumerated() {
        _ = face.advance(of: glyph)
        _ = face.kerning(glyph, glyphs[(i + 1) % glyphs.count])
        _ = face.tabularFigure(for: glyph)
        guard let outline = try? face.outline(of: glyph, limits: limits) else { continue }
        precondition(outline.points.count <= limits.maxPoints)
        precondition(outline.contourEnds.allSatisfy { $0 < outline.points.count })
        if let bitmap = GlyphRasterizer.rasterize(outline, scale: scale, shiftX: 0.25) {
            precondition(bitmap.width <= GlyphRasterizer.maxSide && bitmap.height <= GlyphRasterizer.maxSide)
            precondition(bitmap.width * bitmap.height <= GlyphRasterizer.maxArea)
        }
    }
    return 0
}
