/// How the lobby's picture is turned on its panel (`[screen] rotation`), clockwise, for a
/// screen mounted on its side or upside down: with `quarter` (90) the picture's top-left
/// corner is drawn at the panel's top-right, so a 1920x1080 panel turned a quarter
/// counter-clockwise shows an upright 1080x1920 totem. The layout is made for the turned
/// size; the driver turns the pixels while copying them.
public enum ScreenRotation: Int, Sendable, Hashable, CaseIterable, CustomStringConvertible {
    case upright = 0
    case quarter = 90
    case half = 180
    case threeQuarters = 270

    /// Whether width and height trade places.
    public var swapsSides: Bool { self == .quarter || self == .threeQuarters }

    /// The size of the picture (as the visitor sees it) on a panel of `width` x `height`.
    public func pictureSize(panelWidth width: Int, height: Int) -> (width: Int, height: Int) {
        swapsSides ? (height, width) : (width, height)
    }

    public var description: String { String(rawValue) }
}
