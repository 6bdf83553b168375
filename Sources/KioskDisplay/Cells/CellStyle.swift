/// Text attributes of a terminal cell besides its colours (SGR 1, 2, 4, 7).
public struct TextAttributes: OptionSet, Hashable, Sendable {
    public let rawValue: UInt8
    public init(rawValue: UInt8) { self.rawValue = rawValue }

    public static let bold = TextAttributes(rawValue: 1 << 0)
    /// Faint. The Linux console shows it as a different colour, some terminals ignore it.
    public static let dim = TextAttributes(rawValue: 1 << 1)
    public static let underline = TextAttributes(rawValue: 1 << 2)
    /// Foreground and background swapped: a highlight that works without colours.
    public static let inverse = TextAttributes(rawValue: 1 << 3)
}

/// How a cell is drawn: foreground and background colours and attributes.
public struct CellStyle: Hashable, Sendable {
    public var foreground: TerminalColor
    public var background: TerminalColor
    public var attributes: TextAttributes

    public init(
        foreground: TerminalColor = .default, background: TerminalColor = .default,
        attributes: TextAttributes = []
    ) {
        self.foreground = foreground
        self.background = background
        self.attributes = attributes
    }

    /// The terminal's default colours, no attributes: what SGR 0 gives.
    public static let plain = CellStyle()

    /// This style as a terminal in `mode` shows it.
    ///
    /// Colours are brought to the mode's palette. In monochrome the colours go, and a
    /// cell that stood out by its background (a highlighted bar, a badge) is drawn
    /// inverse instead, unless that background is dark (black-ish backgrounds are what a
    /// monochrome terminal has anyway), so emphasis survives without colour.
    public func adapted(to mode: ColorMode) -> CellStyle {
        guard mode == .monochrome else {
            return CellStyle(
                foreground: foreground.adapted(to: mode), background: background.adapted(to: mode),
                attributes: attributes)
        }
        var attributes = attributes
        if let (r, g, b) = background.approximateRGB {
            let luminance = (2126 * Int(r) + 7152 * Int(g) + 722 * Int(b)) / 10000
            if luminance > 60 { attributes.insert(.inverse) }
        }
        return CellStyle(attributes: attributes)
    }
}
