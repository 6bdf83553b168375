/// The weight of a face of the lobby's type family.
public enum FontWeight: String, Sendable, Hashable, CaseIterable {
    case regular, bold
}

/// How a run of text is set: its weight, its size in pixels (the em size, as FreeType's
/// `FT_Set_Pixel_Sizes`), and whether figures take one width (clocks and times, so that
/// "11:11" and "20:08" line up and a ticking clock does not shift).
public struct TextStyle: Sendable, Hashable {
    public var weight: FontWeight
    /// The em size in pixels (fractional sizes are allowed: the type scale derives from
    /// the screen's height).
    public var pixelSize: Double
    public var tabularFigures: Bool

    public init(weight: FontWeight = .regular, pixelSize: Double, tabularFigures: Bool = false) {
        self.weight = weight
        self.pixelSize = pixelSize
        self.tabularFigures = tabularFigures
    }
}

/// Vertical metrics of a face at a pixel size, in pixels: `ascent` above the baseline and
/// `descent` below it (both positive), `lineGap` between lines (from `OS/2` typo metrics
/// or `hhea`).
public struct LineMetrics: Sendable, Hashable {
    public var ascent: Double
    public var descent: Double
    public var lineGap: Double

    public init(ascent: Double, descent: Double, lineGap: Double) {
        self.ascent = ascent
        self.descent = descent
        self.lineGap = lineGap
    }

    /// Baseline to baseline.
    public var lineHeight: Double { ascent + descent + lineGap }
}

/// What the pixel layout asks of type: the real advance of a line of text (NFC, kerning
/// applied, fallback faces included) and the vertical metrics, at an exact pixel size.
/// Pure: the same question always gets the same answer, whatever was drawn before.
public protocol TextMeasuring: Sendable {
    /// The advance width of `text` set on one line in `style`, in pixels (fractional).
    func width(of text: String, style: TextStyle) -> Double
    /// The vertical metrics of `style`'s face at its size.
    func lineMetrics(_ style: TextStyle) -> LineMetrics
}

/// What a pixel renderer asks of type: draw one line of text. Conformers own a glyph
/// cache (bounded in bytes), so they are reference types owned by one renderer.
public protocol TextDrawing: AnyObject, TextMeasuring {
    /// Draws `text` in `style` with the left end of its baseline at (`x`, `baseline`), `x`
    /// fractional (glyphs are positioned to at least a quarter pixel), in `color`,
    /// antialiased and blended in linear light over what `canvas` holds, clipped to `clip`.
    func draw(_ text: String, style: TextStyle, x: Double, baseline: Double, color: PixelColor, clip: PixelRect, into canvas: inout PixelCanvas)
}
