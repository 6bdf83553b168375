import Testing
import KioskCore
@testable import KioskDisplay

/// WCAG contrast of every text the pixel layout draws against what it draws it on, checked
/// when a theme is read; the venue's accent with a text colour chosen for it.
@Suite struct PixelsContrastTests {
    @Test func contrastRatiosOfWCAGsOwnExamples() {
        // Black on white is 21:1, a colour on itself 1:1; #767676 on white is the lightest
        // grey that passes 4.5:1 (4.54), #777777 the first that fails (4.48).
        #expect(abs(Contrast.ratio(.black, .white) - 21) < 0.001)
        #expect(Contrast.ratio(PixelColor(rgb: 0x336699), PixelColor(rgb: 0x336699)) == 1)
        #expect(abs(Contrast.ratio(PixelColor(rgb: 0x767676), .white) - 4.54) < 0.01)
        #expect(Contrast.ratio(PixelColor(rgb: 0x777777), .white) < 4.5)
    }

    @Test func theShippedThemesPassEveryPair() {
        #expect(PixelTheme.lobby.contrastProblems().isEmpty, "\(PixelTheme.lobby.contrastProblems())")
        #expect(PixelTheme.highContrast.contrastProblems().isEmpty, "\(PixelTheme.highContrast.contrastProblems())")
    }

    @Test func everyTextRoleOfTheLayoutIsChecked() {
        let checked = Set(SignageLayout.textPairings.map(\.text))
        let fills: Set<ScreenRole> = [.background, .header, .overlay, .alertInformation, .alertClosure, .alertEvacuation]
        for role in ScreenRole.allCases where !fills.contains(role) {
            #expect(checked.contains(role), "\(role) is drawn as text but not checked")
        }
    }

    @Test func aFailingPairIsAnErrorNamingItsLine() throws {
        let text = """
        background = #D0D0D0 on #1C1C1C
        title      = #EEEEEE on #1C1C1C
        muted      = #555555 on #1C1C1C
        """
        do {
            _ = try PixelTheme.parse(text, name: "dim", source: "dim.theme")
            Issue.record("a theme with #555555 on #1C1C1C was accepted")
        } catch {
            #expect(error.line == 3)
            #expect(error.description.hasPrefix("dim.theme:3: 'muted' text #555555 on 'background' background #1C1C1C: contrast 2.2:1, text needs 4.5:1"), "\(error)")
        }
        // Large text (headings) needs 3:1 only: #6C6C6C on #1C1C1C (3.4:1) is refused as body
        // text and accepted as a heading.
        let heading = "background = #D0D0D0 on #1C1C1C\nheading = #6C6C6C on #1C1C1C\nmuted = #6C6C6C on #1C1C1C\n"
        #expect(throws: PixelThemeError.self) { try PixelTheme.parse(heading, name: "t") }
        #expect(throws: Never.self) { try PixelTheme.parse("background = #D0D0D0 on #1C1C1C\nheading = #6C6C6C on #1C1C1C\n", name: "t") }
    }

    @Test func aLabelIsCheckedOnItsOwnColour() {
        // Urgent notices are white on their red label: a pink label fails.
        var styles = PixelTheme.lobby.styles
        styles[.urgent] = PixelStyle(foreground: .white, background: PixelColor(rgb: 0xFF8080))
        let problems = PixelTheme(name: "pink", styles: styles).contrastProblems()
        #expect(problems.map(\.pairing) == [TextPairing(.urgent, on: .urgent)])
    }

    @Test func theAccentGetsTheInkThatReadsBest() {
        // Any accent: white or black text on it reaches WCAG's 4.5:1 (at least 4.58:1).
        var worst = 21.0
        for r in stride(from: 0, through: 255, by: 17) {
            for g in stride(from: 0, through: 255, by: 17) {
                for b in stride(from: 0, through: 255, by: 17) {
                    let accent = PixelColor(red: UInt8(r), green: UInt8(g), blue: UInt8(b))
                    let theme = PixelTheme.lobby.applyingAccent(accent)
                    #expect(theme.style(.header).background == accent)
                    #expect(theme.contrastProblems().isEmpty, "\(accent): \(theme.contrastProblems())")
                    worst = min(worst, Contrast.ratio(theme.style(.headerText).foreground, accent))
                }
            }
        }
        #expect(worst >= 4.58)
        // A dark red brand colour gets white; a pale yellow one black.
        #expect(PixelTheme.ink(on: PixelColor(rgb: 0xA3001B)) == .white)
        #expect(PixelTheme.ink(on: PixelColor(rgb: 0xFFE45C)) == .black)
        #expect(PixelTheme.lobby.applyingAccent(PixelColor(rgb: 0xFFE45C)).style(.clock).foreground == .black)
    }

    @Test func aProblemOnTheAccentNamesIt() {
        // A theme whose header text was set by hand on the accent: the message says the
        // ground is the venue's accent, so the maintainer knows which line to change.
        var theme = PixelTheme.lobby.applyingAccent(PixelColor(rgb: 0x3A7D44))
        var styles = theme.styles
        styles[.headerText] = PixelStyle(foreground: PixelColor(rgb: 0x5A9D64), background: PixelColor(rgb: 0x3A7D44))
        let accent = theme.accent
        theme = PixelTheme(name: "default", styles: styles)
        theme.accent = accent
        let problem = theme.contrastProblems().first
        #expect(problem?.description.contains("the [venue] accent #3A7D44") == true, "\(String(describing: problem))")
    }
}
