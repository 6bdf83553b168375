import Foundation
import KioskCore

/// Contrast between two colours as WCAG 2 defines it (success criterion 1.4.3): the
/// ratio of their relative luminances, each plus 0.05, from 1:1 to 21:1.
public enum Contrast {
    /// Relative luminance of an sRGB colour (0 black … 1 white).
    public static func luminance(_ c: PixelColor) -> Double {
        func linear(_ v: UInt8) -> Double {
            let s = Double(v) / 255
            return s <= 0.04045 ? s / 12.92 : pow((s + 0.055) / 1.055, 2.4)
        }
        return 0.2126 * linear(c.red) + 0.7152 * linear(c.green) + 0.0722 * linear(c.blue)
    }

    public static func ratio(_ a: PixelColor, _ b: PixelColor) -> Double {
        let la = luminance(a), lb = luminance(b)
        return (max(la, lb) + 0.05) / (min(la, lb) + 0.05)
    }

    /// WCAG's minimum for body text.
    public static let body = 4.5
    /// WCAG's minimum for large text (headings, the clock).
    public static let large = 3.0
}

/// A colour of text and what the pixel layout draws it on: the pairs a theme must make
/// readable.
public struct TextPairing: Sendable, Hashable {
    /// The role whose foreground colours the text.
    public var text: ScreenRole
    /// The role whose background is beneath it.
    public var ground: ScreenRole
    /// Only large text (headings, the clock, the welcome's headline) uses this pair: 3:1
    /// suffices; otherwise 4.5:1.
    public var large: Bool

    public init(_ text: ScreenRole, on ground: ScreenRole, large: Bool = false) {
        self.text = text
        self.ground = ground
        self.large = large
    }

    public var required: Double { large ? Contrast.large : Contrast.body }
}

extension SignageLayout {
    /// Every text colour the layout uses and what it sits on. Texts in the body sit on the
    /// `background`; the header's on the `header` band; labels (urgent, warning,
    /// attention) on their own colour; the footer's and the welcome's on their bands.
    public static let textPairings: [TextPairing] = [
        TextPairing(.headerText, on: .header), TextPairing(.clock, on: .header, large: true),
        TextPairing(.heading, on: .background, large: true), TextPairing(.title, on: .background),
        TextPairing(.time, on: .background), TextPairing(.detail, on: .background), TextPairing(.running, on: .background),
        TextPairing(.cancelled, on: .background), TextPairing(.muted, on: .background), TextPairing(.tag, on: .background),
        TextPairing(.urgent, on: .urgent), TextPairing(.warning, on: .warning), TextPairing(.footer, on: .footer),
        TextPairing(.overlayTitle, on: .overlay, large: true), TextPairing(.overlayText, on: .overlay),
        TextPairing(.attention, on: .attention),
        TextPairing(.alertInformationText, on: .alertInformation), TextPairing(.alertClosureText, on: .alertClosure),
        TextPairing(.alertEvacuationText, on: .alertEvacuation),
    ]
}

extension PixelTheme {
    /// A text/background pair of a theme below WCAG's minimum.
    public struct ContrastProblem: Sendable, Hashable, CustomStringConvertible {
        public var pairing: TextPairing
        public var foreground: PixelColor
        public var background: PixelColor
        public var ratio: Double
        /// The venue's accent when the ground is the header band it colours.
        public var accent: PixelColor?

        public var description: String {
            let ground = accent.map { "the [venue] accent \($0) of '\(pairing.ground.rawValue)'" } ?? "'\(pairing.ground.rawValue)' background \(background)"
            let kind = pairing.large ? "large text" : "text"
            return "'\(pairing.text.rawValue)' text \(foreground) on \(ground): contrast \(Self.format(ratio)):1, \(kind) needs \(Self.format(pairing.required)):1 (WCAG 2)"
        }

        static func format(_ value: Double) -> String {
            let tenths = Int((value * 10).rounded(.down))
            return "\(tenths / 10).\(tenths % 10)"
        }
    }

    /// The pairs of `pairings` whose contrast is below the minimum, in order.
    public func contrastProblems(_ pairings: [TextPairing] = SignageLayout.textPairings) -> [ContrastProblem] {
        pairings.compactMap { p in
            let fg = style(p.text).foreground, bg = style(p.ground).background
            let ratio = Contrast.ratio(fg, bg)
            guard ratio < p.required else { return nil }
            let onAccent = accent != nil && (p.ground == .header)
            return ContrastProblem(pairing: p, foreground: fg, background: bg, ratio: ratio, accent: onAccent ? accent : nil)
        }
    }

    /// The theme with the venue's colour on the header band, and its texts (name, date,
    /// clock) in white or black, whichever contrasts more with it (at least 4.58:1 for any
    /// colour).
    public func applyingAccent(_ accent: PixelColor) -> PixelTheme {
        let ink = Self.ink(on: accent)
        var styles = self.styles
        for role in [ScreenRole.header, .headerText, .clock] {
            var s = style(role)
            s.background = accent
            if role != .header { s.foreground = ink }
            styles[role] = s
        }
        var theme = PixelTheme(name: name, styles: styles)
        theme.accent = accent
        return theme
    }

    /// White or black, whichever reads better on `background`.
    public static func ink(on background: PixelColor) -> PixelColor {
        Contrast.ratio(.white, background) >= Contrast.ratio(.black, background) ? .white : .black
    }
}
