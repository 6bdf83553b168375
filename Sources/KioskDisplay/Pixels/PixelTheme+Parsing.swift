import Foundation
import KioskCore

/// A theme file line that could not be read: the file, the line (1-based), and why.
public struct PixelThemeError: Error, CustomStringConvertible, Sendable, Equatable {
    public var source: String
    public var line: Int
    public var message: String

    public init(source: String, line: Int, message: String) {
        self.source = source
        self.line = line
        self.message = message
    }

    public var description: String { line > 0 ? "\(source):\(line): \(message)" : "\(source): \(message)" }
}

extension PixelTheme {
    /// Reads a theme file. The format, one role per line:
    ///
    ///     # comment (a line whose first non-blank character is '#')
    ///     background = #D0D0D0 on #1C1C1C
    ///     clock      = #FFFFAF on #005F87 bold
    ///     heading    = #FFFF00 on #000000 bold underline
    ///
    /// The role is a `ScreenRole` raw value (`headerText`, `overlayTitle`, ...); colours
    /// are `#RRGGBB`; `bold` draws the role's text with the bold face even when the layout
    /// did not ask for it; `underline` draws a line under it. `background` is required;
    /// roles left out look like `background`. An unknown role, a repeated role, a bad
    /// colour or an unknown word is an error naming the line, and so is a text colour below
    /// WCAG's contrast on what the pixel layout draws it on (`contrastProblems()`: the
    /// line of the text's role, or of the ground's when the text's role is left out).
    public static func parse(_ text: String, name: String, source: String = "theme") throws(PixelThemeError) -> PixelTheme {
        var styles: [ScreenRole: PixelStyle] = [:]
        var lines: [ScreenRole: Int] = [:]
        for (index, rawLine) in text.split(separator: "\n", omittingEmptySubsequences: false).enumerated() {
            let lineNumber = index + 1
            func fail(_ message: String) -> PixelThemeError {
                PixelThemeError(source: source, line: lineNumber, message: message)
            }
            let line = rawLine.trimmingCharacters(in: .whitespacesAndNewlines)
            if line.isEmpty || line.hasPrefix("#") { continue }
            guard let equals = line.firstIndex(of: "=") else {
                throw fail("expected 'role = #RRGGBB on #RRGGBB [bold] [underline]', got \"\(line)\"")
            }
            let roleName = line[..<equals].trimmingCharacters(in: .whitespaces)
            guard let role = ScreenRole(rawValue: roleName) else {
                let known = ScreenRole.allCases.map(\.rawValue).joined(separator: ", ")
                throw fail("unknown role \"\(roleName)\" (roles: \(known))")
            }
            guard styles[role] == nil else { throw fail("role \"\(roleName)\" is given twice") }
            let words = line[line.index(after: equals)...].split(whereSeparator: { $0 == " " || $0 == "\t" })
            guard words.count >= 3, words[1].lowercased() == "on" else {
                throw fail("expected '#RRGGBB on #RRGGBB' after \"\(roleName) =\"")
            }
            guard let foreground = PixelColor(hex: words[0]) else { throw fail("bad colour \"\(words[0])\" (expected #RRGGBB)") }
            guard let background = PixelColor(hex: words[2]) else { throw fail("bad colour \"\(words[2])\" (expected #RRGGBB)") }
            var style = PixelStyle(foreground: foreground, background: background)
            for word in words.dropFirst(3) {
                switch word.lowercased() {
                case "bold": style.bold = true
                case "underline": style.underline = true
                default: throw fail("unknown attribute \"\(word)\" (expected bold or underline)")
                }
            }
            styles[role] = style
            lines[role] = lineNumber
        }
        guard styles[.background] != nil else {
            throw PixelThemeError(source: source, line: 0, message: "no 'background = ...' line")
        }
        // A theme written before staff alerts existed still shows them in high contrast.
        let theme = PixelTheme(name: name, styles: styles.merging(PixelTheme.alertStyles) { mine, _ in mine })
        if let problem = theme.contrastProblems().first {
            throw PixelThemeError(source: source, line: lines[problem.pairing.text] ?? lines[problem.pairing.ground] ?? 0, message: problem.description)
        }
        return theme
    }

    /// The theme as a file `parse(_:name:source:)` reads back to the same theme.
    public func fileText(header: String = "") -> String {
        var text = header
        for role in ScreenRole.allCases {
            guard let s = styles[role] else { continue }
            var line = "\(role.rawValue) = \(s.foreground) on \(s.background)"
            if s.bold { line += " bold" }
            if s.underline { line += " underline" }
            text += line + "\n"
        }
        return text
    }
}
