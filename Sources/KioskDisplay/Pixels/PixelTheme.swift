import KioskCore

/// How one `ScreenRole` looks on a pixel display: text colour, background colour, and
/// whether its text is drawn with the bold face (or underlined).
public struct PixelStyle: Sendable, Hashable {
    public var foreground: PixelColor
    public var background: PixelColor
    public var bold: Bool
    public var underline: Bool

    public init(foreground: PixelColor, background: PixelColor, bold: Bool = false, underline: Bool = false) {
        self.foreground = foreground
        self.background = background
        self.bold = bold
        self.underline = underline
    }
}

/// The colours of each `ScreenRole` on the framebuffer and in `kioskctl render` PNGs.
///
/// Read from a text file (`assets/themes/*.theme`, see `parse(_:source:)`); the built-in
/// `lobby` theme is the same as `assets/themes/default.theme` and is used when the file
/// is missing. Fills paint their role's background; a text run whose role has a
/// background other than the `background` role's paints it behind its characters (a
/// label: urgent notices, warnings in high contrast), other runs are drawn over whatever
/// fill is beneath them. The pixel layout (`SignageLayout`) draws each text role on the
/// ground `SignageLayout.textPairings` names, and every such pair is checked for WCAG
/// contrast when a theme is read (`contrastProblems()`). Colours follow
/// `TerminalTheme.lobby` (xterm palette values), lightened where they missed 4.5:1.
public struct PixelTheme: Sendable, Hashable {
    public var name: String
    public private(set) var styles: [ScreenRole: PixelStyle]
    /// The venue's colour on the header band (`applyingAccent(_:)`), if any.
    public internal(set) var accent: PixelColor?

    /// `styles` must contain `.background`; other roles missing from it look like it.
    public init(name: String, styles: [ScreenRole: PixelStyle]) {
        precondition(styles[.background] != nil, "a theme needs a background style")
        self.name = name
        self.styles = styles
    }

    /// The style of `role`; a role the theme leaves out looks like `background` (and
    /// `attention`, added later, like `warning` when the theme has that).
    public func style(_ role: ScreenRole) -> PixelStyle {
        if let s = styles[role] { return s }
        if role == .attention, let warning = styles[.warning] { return PixelStyle(foreground: warning.background, background: warning.foreground, bold: true) }
        return styles[.background]!
    }

    /// The roles this theme draws bold (`PixelStyle.bold`).
    public var boldRoles: Set<ScreenRole> { Set(styles.filter(\.value.bold).map(\.key)) }

    /// The dark lobby theme: light text on near-black, a blue header band.
    public static let lobby: PixelTheme = {
        let bg = PixelColor(rgb: 0x1C1C1C), header = PixelColor(rgb: 0x005F87)
        let footer = PixelColor(rgb: 0x303030), overlay = PixelColor(rgb: 0x005F00)
        func s(_ fg: UInt32, _ back: PixelColor = bg, bold: Bool = false) -> PixelStyle {
            PixelStyle(foreground: PixelColor(rgb: fg), background: back, bold: bold)
        }
        return PixelTheme(name: "default", styles: [
            .background: s(0xD0D0D0),
            .header: s(0xEEEEEE, header), .headerText: s(0xEEEEEE, header), .clock: s(0xFFFFAF, header, bold: true),
            .heading: s(0xFFD75F, bold: true), .time: s(0x87D7FF), .title: s(0xEEEEEE), .detail: s(0xB2B2B2),
            .running: s(0x87FF87, bold: true), .cancelled: s(0xFF5F5F), .muted: s(0x8A8A8A),
            .tag: s(0xFFAF5F, bold: true), .urgent: s(0xFFFFFF, PixelColor(rgb: 0xD70000), bold: true),
            .footer: s(0xA8A8A8, footer), .warning: s(0xFFD700, bold: true), .attention: s(0x1C1C1C, PixelColor(rgb: 0xFFB000), bold: true),
            .overlay: s(0xEEEEEE, overlay), .overlayTitle: s(0xFFFFFF, overlay, bold: true), .overlayText: s(0xEEEEEE, overlay),
        ].merging(alertStyles) { a, _ in a })
    }()

    /// Staff alerts in every theme: white on deep blue, black on yellow, white on red.
    static let alertStyles: [ScreenRole: PixelStyle] = {
        let blue = PixelColor(rgb: 0x003A8C), yellow = PixelColor(rgb: 0xFFD700), red = PixelColor(rgb: 0xC00000)
        return [
            .alertInformation: PixelStyle(foreground: .white, background: blue, bold: true),
            .alertInformationText: PixelStyle(foreground: .white, background: blue, bold: true),
            .alertClosure: PixelStyle(foreground: .black, background: yellow, bold: true),
            .alertClosureText: PixelStyle(foreground: .black, background: yellow, bold: true),
            .alertEvacuation: PixelStyle(foreground: .white, background: red, bold: true),
            .alertEvacuationText: PixelStyle(foreground: .white, background: red, bold: true),
        ]
    }()

    /// White on black with pure colours, for poor screens and low vision (the same as
    /// `assets/themes/high-contrast.theme`).
    public static let highContrast: PixelTheme = {
        let black = PixelColor.black, white = PixelColor.white
        func s(_ fg: UInt32, _ back: PixelColor = black, bold: Bool = false, underline: Bool = false) -> PixelStyle {
            PixelStyle(foreground: PixelColor(rgb: fg), background: back, bold: bold, underline: underline)
        }
        return PixelTheme(name: "high-contrast", styles: [
            .background: s(0xFFFFFF), .header: s(0x000000, white), .headerText: s(0x000000, white, bold: true),
            .clock: s(0x000000, white, bold: true), .heading: s(0xFFFF00, bold: true, underline: true),
            .time: s(0x00FFFF, bold: true), .title: s(0xFFFFFF, bold: true), .detail: s(0xFFFFFF),
            .running: s(0x00FF00, bold: true), .cancelled: s(0xFF0000, bold: true), .muted: s(0xC0C0C0),
            .tag: s(0xFFFF00, bold: true), .urgent: s(0xFFFFFF, PixelColor(rgb: 0xCD0000), bold: true),
            .footer: s(0xFFFFFF), .warning: s(0x000000, PixelColor(rgb: 0xFFFF00), bold: true), .overlay: s(0x000000, white),
            .overlayTitle: s(0x000000, white, bold: true), .overlayText: s(0x000000, white),
            .attention: s(0x000000, PixelColor(rgb: 0xFFFF00), bold: true),
        ].merging(alertStyles) { a, _ in a })
    }()

    /// The built-in theme of a name ("high-contrast", else the lobby theme).
    public static func builtIn(named name: String) -> PixelTheme {
        name == "high-contrast" ? highContrast : lobby
    }
}
