import KioskDisplay

/// A type face for tests of the pixel layout, until and besides the real one: each
/// character advances by a fixed share of the em (capitals and "m w" wider, "i l . , : ;"
/// narrower, bold 8 % wider, digits all alike when tabular), a few pairs kerned ("AV", "Te",
/// "Yo", "« À"), and glyphs drawn as solid boxes (x-height for lower case, cap height for
/// the rest) clipped like real type. Pure and stateless.
final class BoxTypeFace: TextDrawing {
    static let kerning: [String: Double] = ["AV": -0.09, "VA": -0.09, "Te": -0.07, "Yo": -0.08, "«À": -0.04, "To": -0.06]

    func advance(_ c: Character, _ style: TextStyle) -> Double {
        var em: Double
        if c == " " || c == "\u{00A0}" { em = 0.26 } else if c == "\u{202F}" { em = 0.13 }
        else if c.isNumber { em = style.tabularFigures ? 0.56 : (c == "1" ? 0.42 : 0.56) }
        else if "iljt.,:;'’|!()".contains(c) { em = 0.28 }
        else if "mwMW—".contains(c) { em = 0.86 }
        else if c.isUppercase { em = 0.66 }
        else { em = 0.54 }
        if style.weight == .bold { em *= 1.08 }
        return em * style.pixelSize
    }

    func width(of text: String, style: TextStyle) -> Double {
        var total = 0.0
        var previous: Character?
        for c in text {
            total += advance(c, style)
            if let p = previous, let k = Self.kerning[String([p, c])] { total += k * style.pixelSize }
            previous = c
        }
        return total
    }

    func lineMetrics(_ style: TextStyle) -> LineMetrics {
        LineMetrics(ascent: 0.95 * style.pixelSize, descent: 0.25 * style.pixelSize, lineGap: 0)
    }

    func draw(_ text: String, style: TextStyle, x: Double, baseline: Double, color: PixelColor, clip: PixelRect, into canvas: inout PixelCanvas) {
        let area = clip.intersection(canvas.bounds)
        var pen = x
        var previous: Character?
        for c in text {
            if let p = previous, let k = Self.kerning[String([p, c])] { pen += k * style.pixelSize }
            let a = advance(c, style)
            if !c.isWhitespace {
                let top = baseline - (c.isLowercase ? 0.5 : 0.72) * style.pixelSize
                let bottom = "gjpqy".contains(c) ? baseline + 0.2 * style.pixelSize : baseline
                // Pixels whose centre lies in the glyph's box.
                let x0 = Int((pen + 0.08 * a - 0.5).rounded(.up)), x1 = Int((pen + 0.92 * a - 0.5).rounded(.up))
                let y0 = Int((top - 0.5).rounded(.up)), y1 = Int((bottom - 0.5).rounded(.up))
                canvas.fill(PixelRect(x: x0, y: y0, width: x1 - x0, height: y1 - y0).intersection(area), color)
            }
            pen += a
            previous = c
        }
    }
}
