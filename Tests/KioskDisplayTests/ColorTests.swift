import Testing
@testable import KioskDisplay

@Suite("Colours and colour modes")
struct ColorTests {
    @Test func paletteValuesFollowXterm() {
        // xterm's 256-colour cube: index 16 + 36r + 6g + b with levels 0,95,135,175,215,255.
        #expect(TerminalColor.paletteRGB(16) == (0, 0, 0))
        #expect(TerminalColor.paletteRGB(196) == (255, 0, 0))
        #expect(TerminalColor.paletteRGB(231) == (255, 255, 255))
        #expect(TerminalColor.paletteRGB(232) == (8, 8, 8))
        #expect(TerminalColor.paletteRGB(255) == (238, 238, 238))
    }

    @Test func adaptingToFewerColours() {
        #expect(TerminalColor.rgb(255, 0, 0).adapted(to: .palette256) == .indexed(196))
        #expect(TerminalColor.rgb(128, 128, 128).adapted(to: .palette256) == .indexed(244))
        #expect(TerminalColor.rgb(255, 0, 0).adapted(to: .ansi16) == .brightRed)
        #expect(TerminalColor.indexed(1).adapted(to: .ansi16) == .red)
        #expect(TerminalColor.indexed(21).adapted(to: .ansi16) == .blue)  // (0,0,255)
        #expect(TerminalColor.rgb(1, 2, 3).adapted(to: .trueColor) == .rgb(1, 2, 3))
        #expect(TerminalColor.green.adapted(to: .monochrome) == .default)
    }

    @Test func monochromeKeepsEmphasisOfLightBackgrounds() {
        let highlighted = CellStyle(foreground: .black, background: .yellow, attributes: .bold)
        #expect(highlighted.adapted(to: .monochrome) == CellStyle(attributes: [.bold, .inverse]))
        let darkPanel = CellStyle(foreground: .white, background: .black)
        #expect(darkPanel.adapted(to: .monochrome) == .plain)
    }

    @Test(arguments: [
        (["TERM": "xterm-256color"], ColorMode.palette256),
        (["TERM": "xterm-256color", "COLORTERM": "truecolor"], .trueColor),
        (["TERM": "xterm-kitty", "COLORTERM": "24bit"], .trueColor),
        (["TERM": "linux"], .ansi16),
        (["TERM": "xterm"], .ansi16),
        (["TERM": "screen.xterm-256color"], .palette256),
        (["TERM": "dumb"], .monochrome),
        (["TERM": "vt100"], .monochrome),
        ([:], .monochrome),
        (["TERM": "xterm-256color", "NO_COLOR": "1"], .monochrome),
        (["TERM": "xterm-256color", "NO_COLOR": ""], .palette256),  // empty NO_COLOR is ignored
    ])
    func detection(environment: [String: String], expected: ColorMode) {
        #expect(ColorMode.detect(environment: environment) == expected)
    }

    @Test func notATerminalMeansNoColour() {
        #expect(ColorMode.detect(environment: ["TERM": "xterm-256color"], isTerminal: false) == .monochrome)
    }
}
