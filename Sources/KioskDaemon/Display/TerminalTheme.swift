import KioskCore
import KioskDisplay

/// The colours and attributes of each `ScreenRole` on a terminal.
///
/// Colour themes use the 256-colour palette (brought down to 16 colours by the encoder
/// when the terminal has fewer); the monochrome theme uses attributes only, so that the
/// header, headings, running and cancelled events stay distinct without colour.
public struct TerminalTheme: Sendable {
    public var name: String
    private var styles: [ScreenRole: CellStyle]

    public init(name: String, styles: [ScreenRole: CellStyle]) {
        self.name = name
        self.styles = styles
    }

    public func style(_ role: ScreenRole) -> CellStyle { styles[role] ?? styles[.background] ?? .plain }

    /// The theme to use for a configured name and what the terminal can show.
    public static func named(_ name: String, colorMode: ColorMode) -> TerminalTheme {
        if colorMode == .monochrome { return monochrome }
        return name == "high-contrast" ? highContrast : lobby
    }

    /// Dark lobby theme, readable from a distance: light text on a near-black background.
    public static let lobby: TerminalTheme = {
        let bg = TerminalColor.indexed(234)
        func s(_ fg: TerminalColor, _ back: TerminalColor = bg, _ a: TextAttributes = []) -> CellStyle {
            CellStyle(foreground: fg, background: back, attributes: a)
        }
        let header = TerminalColor.indexed(24)
        let footer = TerminalColor.indexed(236)
        let overlay = TerminalColor.indexed(22)
        return TerminalTheme(name: "default", styles: [
            .background: s(.indexed(252)),
            .header: s(.indexed(255), header), .headerText: s(.indexed(255), header), .clock: s(.indexed(229), header, .bold),
            .heading: s(.indexed(221), bg, .bold), .time: s(.indexed(117)), .title: s(.indexed(255)),
            .detail: s(.indexed(249)), .running: s(.indexed(120), bg, .bold), .cancelled: s(.indexed(203)),
            .muted: s(.indexed(244)), .tag: s(.indexed(215), bg, .bold), .urgent: s(.indexed(231), .indexed(160), .bold),
            .footer: s(.indexed(246), footer), .warning: s(.indexed(220), bg, .bold),
            .overlay: s(.indexed(255), overlay), .overlayTitle: s(.indexed(231), overlay, .bold), .overlayText: s(.indexed(255), overlay),
        ].merging(alertStyles) { a, _ in a })
    }()

    /// Staff alerts in the colour themes: white on deep blue, black on yellow, white on red.
    static let alertStyles: [ScreenRole: CellStyle] = {
        let blue = CellStyle(foreground: .indexed(231), background: .indexed(18), attributes: .bold)
        let yellow = CellStyle(foreground: .indexed(16), background: .indexed(220), attributes: .bold)
        let red = CellStyle(foreground: .indexed(231), background: .indexed(124), attributes: .bold)
        return [
            .alertInformation: blue, .alertInformationText: blue, .alertClosure: yellow, .alertClosureText: yellow,
            .alertEvacuation: red, .alertEvacuationText: red,
        ]
    }()

    /// White on black with pure colours only, for poor screens and low vision.
    public static let highContrast: TerminalTheme = {
        func s(_ fg: TerminalColor, _ back: TerminalColor = .black, _ a: TextAttributes = []) -> CellStyle {
            CellStyle(foreground: fg, background: back, attributes: a)
        }
        return TerminalTheme(name: "high-contrast", styles: [
            .background: s(.brightWhite), .header: s(.black, .brightWhite), .headerText: s(.black, .brightWhite, .bold),
            .clock: s(.black, .brightWhite, .bold), .heading: s(.brightYellow, .black, [.bold, .underline]),
            .time: s(.brightCyan, .black, .bold), .title: s(.brightWhite, .black, .bold), .detail: s(.brightWhite),
            .running: s(.brightGreen, .black, .bold), .cancelled: s(.brightRed, .black, .bold), .muted: s(.white),
            .tag: s(.brightYellow, .black, .bold), .urgent: s(.brightWhite, .red, .bold), .footer: s(.brightWhite),
            .warning: s(.brightYellow, .black, .bold), .overlay: s(.black, .brightWhite),
            .overlayTitle: s(.black, .brightWhite, .bold), .overlayText: s(.black, .brightWhite),
        ].merging(alertStyles) { a, _ in a })
    }()

    /// Attributes only: for terminals without colour and for `NO_COLOR`.
    public static let monochrome: TerminalTheme = {
        func s(_ a: TextAttributes) -> CellStyle { CellStyle(foreground: .default, background: .default, attributes: a) }
        return TerminalTheme(name: "mono", styles: [
            .background: s([]), .header: s(.inverse), .headerText: s([.inverse, .bold]), .clock: s([.inverse, .bold]),
            .heading: s([.bold, .underline]), .time: s([]), .title: s(.bold), .detail: s([]), .running: s(.bold),
            .cancelled: s(.dim), .muted: s(.dim), .tag: s(.underline), .urgent: s([.inverse, .bold]),
            .footer: s(.dim), .warning: s(.bold), .overlay: s(.inverse), .overlayTitle: s([.inverse, .bold]),
            .overlayText: s(.inverse), .alertInformation: s([.inverse, .bold]), .alertInformationText: s([.inverse, .bold]),
            .alertClosure: s([.inverse, .bold]), .alertClosureText: s([.inverse, .bold]), .alertEvacuation: s([.inverse, .bold]),
            .alertEvacuationText: s([.inverse, .bold]),
        ])
    }()
}
