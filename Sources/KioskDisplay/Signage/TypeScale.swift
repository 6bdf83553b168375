/// The sizes of the lobby's type, derived from the screen so that it reads the same from
/// the same distance whatever the resolution.
///
/// The unit is a hundredth of the screen's short side (the height of a landscape screen,
/// the width of a portrait totem: the same panel turned keeps its type). On a 55-inch
/// 1080p panel one pixel is 0.63 mm, so a title (3.4 units, 37 px) has capitals about
/// 17 mm tall: read at a glance from 3 m (sign-makers' rule: capitals of 1/300 to 1/120 of
/// the distance, 10 to 25 mm at 3 m); the clock (9 units) reads from the far end of the
/// lobby. 720p, 768p and 2160p panels of the same size get the same millimetres.
public struct TypeScale: Sendable, Hashable {
    /// A hundredth of the short side, in pixels.
    public let unit: Double

    public init(width: Int, height: Int) {
        unit = Double(max(1, min(width, height))) / 100
    }

    public var clock: Double { 9.0 * unit }
    public var venue: Double { 5.4 * unit }
    public var tagline: Double { 2.6 * unit }
    public var date: Double { 3.4 * unit }
    public var heading: Double { 4.0 * unit }
    public var subheading: Double { 2.9 * unit }
    public var title: Double { 3.4 * unit }
    public var time: Double { 3.0 * unit }
    public var detail: Double { 2.7 * unit }
    public var footer: Double { 2.3 * unit }
    public var overlayTitle: Double { 6.0 * unit }
    public var overlayText: Double { 3.4 * unit }
    public var banner: Double { 2.8 * unit }

    /// The smallest a title may become before it is cut (two lines at this size).
    public var titleMinimum: Double { 2.8 * unit }
    /// The smallest for rooms, details and other secondary lines.
    public var detailMinimum: Double { 2.3 * unit }

    /// Sizes from `largest` down to `smallest` in `steps` even steps (largest first).
    public static func steps(from largest: Double, to smallest: Double, count steps: Int = 3) -> [Double] {
        guard steps > 1, largest > smallest else { return [largest] }
        return (0..<steps).map { largest - (largest - smallest) * Double($0) / Double(steps - 1) }
    }
}

/// The vertical room a line of a style takes: the box its glyphs are clipped to, from
/// `ascent` above the baseline to `descent` below, whole pixels. At least 0.96 em above
/// (accented capitals) and 0.24 em below (descenders), whatever the font's metrics say, so
/// that stacked lines never cut each other's accents.
public struct LineBox: Sendable, Hashable {
    public let ascent: Int
    public let descent: Int
    /// Horizontal room allowed for ink outside the advance (overhanging glyphs).
    public let pad: Int

    public init(_ metrics: LineMetrics, size: Double) {
        ascent = Int((max(metrics.ascent, 0.96 * size)).rounded(.up))
        descent = Int((max(metrics.descent, 0.24 * size)).rounded(.up))
        pad = max(1, Int((0.06 * size).rounded(.up)))
    }

    /// Baseline to baseline of stacked lines.
    public var pitch: Int { ascent + descent }
}
