import KioskCore
import Testing
@testable import KioskDisplay

@Suite("TerminalFrameEncoder and VirtualTerminal")
struct TerminalFrameEncoderTests {
    /// A deterministic pseudo-random generator (64-bit LCG), so failures reproduce.
    struct Generator {
        var state: UInt64
        mutating func next(_ bound: Int) -> Int {
            state = state &* 6364136223846793005 &+ 1442695040888963407
            return Int((state >> 33) % UInt64(bound))
        }
    }

    static let words = ["Atelier", "Sérigraphie", "日本語", "👩‍💻", "Œuvre", "Cine\u{301}ma", "salle", "B2",
                        "Vernissage", "🇫🇷", "한국어", "—", "«", "»", "€", "x"]
    static let colors: [TerminalColor] = [.default, .red, .brightCyan, .indexed(33), .indexed(240), .rgb(250, 180, 20), .white]

    /// A screen of random words, colours and attributes: a stand-in for a laid-out lobby.
    static func randomGrid(width: Int, height: Int, seed: UInt64) -> CellGrid {
        var random = Generator(state: seed)
        var grid = CellGrid(width: width, height: height)
        for _ in 0..<(width * height / 6) {
            if random.next(5) == 0 {
                grid.fill(CellRect(column: random.next(width) - 2, row: random.next(height),
                                   width: random.next(20), height: random.next(4)),
                          style: CellStyle(background: colors[random.next(colors.count)]))
            }
            let style = CellStyle(
                foreground: colors[random.next(colors.count)],
                background: colors[random.next(colors.count)],
                attributes: TextAttributes(rawValue: UInt8(random.next(16))))
            grid.put(words[random.next(words.count)], column: random.next(width + 4) - 2,
                     row: random.next(height), maxWidth: random.next(2) == 0 ? nil : random.next(12), style: style)
        }
        return grid
    }

    /// Applies a full redraw then a diff, checking the virtual screen equals each grid.
    func roundTrip(width: Int, height: Int, mode: ColorMode, seed: UInt64) {
        let encoder = TerminalFrameEncoder(colorMode: mode)
        let first = Self.randomGrid(width: width, height: height, seed: seed)
        var second = first
        var random = Generator(state: seed ^ 0xFFFF)
        for _ in 0..<(width * height / 20) {
            second.put(Self.words[random.next(Self.words.count)], column: random.next(width), row: random.next(height),
                       style: CellStyle(foreground: Self.colors[random.next(Self.colors.count)]))
        }
        var terminal = VirtualTerminal(width: width, height: height)
        terminal.apply(encoder.encode(from: nil, to: first))
        expectSameScreen(terminal.grid, first.adapted(to: mode))
        terminal.apply(encoder.encode(from: first, to: second))
        expectSameScreen(terminal.grid, second.adapted(to: mode))
        #expect(terminal.unrecognized.isEmpty, "\(terminal.unrecognized.prefix(5))")
        #expect(terminal.style == .plain, "a frame leaves SGR reset")
        // And back again, from the newer screen to a fresh random one.
        let third = Self.randomGrid(width: width, height: height, seed: seed &+ 1)
        terminal.apply(encoder.encode(from: second, to: third))
        expectSameScreen(terminal.grid, third.adapted(to: mode))
    }

    @Test(arguments: ColorMode.allCases)
    func roundTripAt80x24(mode: ColorMode) {
        for seed in [1, 2, 3] as [UInt64] { roundTrip(width: 80, height: 24, mode: mode, seed: seed) }
    }

    @Test(arguments: ColorMode.allCases)
    func roundTripAt200x50(mode: ColorMode) {
        roundTrip(width: 200, height: 50, mode: mode, seed: 42)
    }

    @Test func unchangedGridProducesNoBytes() {
        let grid = Self.randomGrid(width: 80, height: 24, seed: 7)
        #expect(TerminalFrameEncoder(colorMode: .palette256).encode(from: grid, to: grid).isEmpty)
        // A change that the mode cannot show is no change either.
        var recoloured = grid
        recoloured.put("x", column: 0, row: 0, style: CellStyle(foreground: .red))
        var plainX = grid
        plainX.put("x", column: 0, row: 0, style: CellStyle(foreground: .blue))
        #expect(TerminalFrameEncoder(colorMode: .monochrome).encode(from: recoloured, to: plainX).isEmpty)
    }

    @Test func oneChangedCellProducesASmallUpdate() {
        let before = Self.randomGrid(width: 80, height: 24, seed: 9)
        var after = before
        after.put("Z", column: 40, row: 12, style: CellStyle(foreground: .red, attributes: .bold))
        let bytes = TerminalFrameEncoder(colorMode: .palette256).encode(from: before, to: after)
        let text = String(decoding: bytes, as: UTF8.self)
        #expect(text == "\u{1B}[13;41H\u{1B}[0;1;31mZ\u{1B}[0m")
        var terminal = VirtualTerminal(showing: before)
        terminal.apply(bytes)
        expectSameScreen(terminal.grid, after)
    }

    @Test func nearbyChangesShareOneCursorMove() {
        let before = CellGrid(width: 20, height: 2)
        var after = before
        after.put("a", column: 2, row: 0)
        after.put("b", column: 5, row: 0)
        after.put("c", column: 18, row: 0)
        let text = String(decoding: TerminalFrameEncoder(colorMode: .ansi16).encode(from: before, to: after), as: UTF8.self)
        #expect(text == "\u{1B}[1;3Ha  b\u{1B}[1;19Hc")
    }

    @Test func monochromeEmitsNoColourSequences() {
        let grid = Self.randomGrid(width: 80, height: 24, seed: 11)
        let bytes = TerminalFrameEncoder(colorMode: .monochrome).encode(from: nil, to: grid)
        let sgr = sgrParameterLists(bytes)
        #expect(!sgr.isEmpty)
        for parameters in sgr {
            for p in parameters {
                #expect([0, 1, 2, 4, 7].contains(p), "colour parameter \(p) in monochrome")
            }
        }
        // Emphasis survives: some cells are inverse where a light background was.
        var terminal = VirtualTerminal(width: 80, height: 24)
        terminal.apply(bytes)
        #expect(terminal.grid.cells.contains { $0.style.attributes.contains(.inverse) })
    }

    @Test func sixteenColourModeUsesOnlyBasicColourParameters() {
        let grid = Self.randomGrid(width: 80, height: 24, seed: 12)
        for parameters in sgrParameterLists(TerminalFrameEncoder(colorMode: .ansi16).encode(from: nil, to: grid)) {
            #expect(!parameters.contains(38) && !parameters.contains(48))
        }
    }

    @Test func sizeChangeRedrawsEverything() {
        let small = Self.randomGrid(width: 40, height: 10, seed: 3)
        let large = Self.randomGrid(width: 60, height: 12, seed: 3)
        let bytes = TerminalFrameEncoder(colorMode: .palette256).encode(from: small, to: large)
        let text = String(decoding: bytes, as: UTF8.self)
        #expect(text.hasPrefix("\u{1B}[0m\u{1B}[H\u{1B}[2J"))
        var terminal = VirtualTerminal(width: 60, height: 12)
        terminal.apply(Array("garbage on screen".utf8))
        terminal.apply(bytes)
        expectSameScreen(terminal.grid, large.adapted(to: .palette256))
    }

    @Test func wideCharactersOverwrittenByNarrowOnes() {
        var before = CellGrid(width: 10, height: 1)
        before.put("日本語", column: 0, row: 0)
        var after = before
        after.put("ab", column: 1, row: 0)  // right half of 日, left half of 本
        var terminal = VirtualTerminal(showing: before)
        terminal.apply(TerminalFrameEncoder(colorMode: .ansi16).encode(from: before, to: after))
        expectSameScreen(terminal.grid, after)
        #expect(terminal.lines == [" ab 語    "])
    }

    @Test func sessionBytesAreUnderstoodAndRestoreTheShellScreen() {
        var terminal = VirtualTerminal(width: 20, height: 3)
        terminal.apply(Array("$ kioskd --demo".utf8))
        let session = TerminalSession()
        terminal.apply(session.startBytes)
        #expect(terminal.isAlternateScreenActive)
        #expect(!terminal.isCursorVisible)
        #expect(!terminal.isAutowrapEnabled)
        var frame = CellGrid(width: 20, height: 3)
        frame.put("Bienvenue", column: 0, row: 2, style: CellStyle(foreground: .green))
        frame.put("x", column: 19, row: 2)  // bottom-right cell: must not scroll
        terminal.apply(TerminalFrameEncoder(colorMode: .ansi16).encode(from: nil, to: frame))
        expectSameScreen(terminal.grid, frame)
        terminal.apply(session.restoreBytes)
        #expect(terminal.lines[0] == "$ kioskd --demo     ")
        #expect(terminal.isCursorVisible && terminal.isAutowrapEnabled && !terminal.isAlternateScreenActive)
        #expect(terminal.unrecognized.isEmpty)
    }

    @Test func virtualTerminalAcceptsBytesSplitAnywhere() {
        var grid = CellGrid(width: 30, height: 2)
        grid.put("Théâtre 日本 €", column: 1, row: 1, style: CellStyle(foreground: .indexed(200), attributes: .underline))
        let bytes = TerminalFrameEncoder(colorMode: .palette256).encode(from: nil, to: grid)
        for split in stride(from: 1, to: bytes.count, by: 3) {
            var terminal = VirtualTerminal(width: 30, height: 2)
            terminal.apply(bytes[..<split])
            terminal.apply(bytes[split...])
            expectSameScreen(terminal.grid, grid, "split at \(split)")
        }
    }

    /// The parameter lists of every SGR sequence (`ESC [ ... m`) in `bytes`.
    func sgrParameterLists(_ bytes: [UInt8]) -> [[Int]] {
        var result: [[Int]] = []
        var i = 0
        while i + 1 < bytes.count {
            guard bytes[i] == 0x1B, bytes[i + 1] == UInt8(ascii: "[") else { i += 1; continue }
            var j = i + 2
            while j < bytes.count && !(0x40...0x7E).contains(bytes[j]) { j += 1 }
            if j < bytes.count && bytes[j] == UInt8(ascii: "m") {
                let body = String(decoding: bytes[(i + 2)..<j], as: UTF8.self)
                result.append(body.split(separator: ";").map { Int($0) ?? -1 })
            }
            i = j
        }
        return result
    }
}
