import Foundation
import Testing
import KioskCore
import KioskDisplay

@Suite("Pixel themes")
struct PixelsThemeTests {
    func load(_ name: String) throws -> PixelTheme {
        let text = try String(contentsOfFile: "\(RepositoryAssets.themes)/\(name).theme", encoding: .utf8)
        return try PixelTheme.parse(text, name: name, source: "\(name).theme")
    }

    @Test func shippedFilesEqualTheBuiltInThemes() throws {
        let lobby = try load("default")
        #expect(lobby == PixelTheme.lobby)
        #expect(try load("high-contrast") == PixelTheme.highContrast)
        // Every role is written out in both files.
        for role in ScreenRole.allCases {
            #expect(lobby.styles[role] != nil, "default.theme lacks \(role)")
            #expect(try load("high-contrast").styles[role] != nil, "high-contrast.theme lacks \(role)")
        }
    }

    @Test func builtInThemesFollowTheTerminalColours() {
        // TerminalTheme.lobby: background 234, header 24, clock 229 bold, urgent 231 on 160.
        let t = PixelTheme.lobby
        #expect(t.style(.background).background == PixelColor(rgb: 0x1C1C1C))
        #expect(t.style(.header).background == PixelColor(rgb: 0x005F87))
        #expect(t.style(.clock) == PixelStyle(foreground: PixelColor(rgb: 0xFFFFAF), background: PixelColor(rgb: 0x005F87), bold: true))
        #expect(t.style(.urgent).background == PixelColor(rgb: 0xD70000))
        #expect(PixelTheme.builtIn(named: "high-contrast") == .highContrast)
        #expect(PixelTheme.builtIn(named: "unknown") == .lobby)
    }

    @Test func parsingAndRoundTrip() throws {
        let text = """
        # a comment
          background = #E0E0E0 on #202020

        heading=#FFFF00 on #000000 bold underline
        """
        let theme = try PixelTheme.parse(text, name: "t")
        #expect(theme.style(.heading) == PixelStyle(foreground: PixelColor(rgb: 0xFFFF00), background: .black, bold: true, underline: true))
        // Roles left out look like the background.
        #expect(theme.style(.clock) == theme.style(.background))
        #expect(try PixelTheme.parse(theme.fileText(), name: "t") == theme)
        #expect(try PixelTheme.parse(PixelTheme.lobby.fileText(), name: "default") == .lobby)
    }

    @Test(arguments: [
        ("background = #101010 on #202020\nclok = #FFFFFF on #000000", 2, "unknown role \"clok\""),
        ("background = #101010 on #202020\n\nclock = #FFFFF on #000000", 3, "bad colour \"#FFFFF\""),
        ("background = #101010 on #202020\nclock = #FFFFFF #000000", 2, "expected '#RRGGBB on #RRGGBB'"),
        ("background = #101010 on #202020\nclock = #FFFFFF on #000000 italic", 2, "unknown attribute \"italic\""),
        ("background = #101010 on #202020\nbackground = #101010 on #202020", 2, "given twice"),
        ("# nothing\nbackground #101010 on #202020", 2, "expected 'role = "),
        ("clock = #FFFFFF on #000000", 0, "no 'background = ...' line"),
    ])
    func errorsNameTheLine(text: String, line: Int, message: String) {
        do {
            _ = try PixelTheme.parse(text, name: "bad", source: "bad.theme")
            Issue.record("accepted: \(text)")
        } catch {
            #expect(error.line == line)
            #expect(error.message.contains(message), "\(error.message)")
            #expect(error.description.hasPrefix(line > 0 ? "bad.theme:\(line): " : "bad.theme: "))
        }
    }
}
