import Foundation
import Testing
import KioskCore
import KioskDisplay
@testable import KioskDaemon

/// The lobby drawn into an in-memory terminal, compared with golden text. Set
/// KIOSK_UPDATE_GOLDENS=1 to rewrite the golden files after an intended change (and read
/// the diff before committing it).
@Suite struct TerminalRenderingTests {
    static let goldenDirectory = URL(fileURLWithPath: #filePath).deletingLastPathComponent().appendingPathComponent("Golden")

    func render(columns: Int, rows: Int, at instant: String, colorMode: ColorMode = .palette256) -> (grid: CellGrid, bytes: [UInt8]) {
        let config = LobbyFixtures.config
        let snapshot = LobbyFixtures.snapshot(at: LobbyFixtures.at(instant), config: config)
        let model = LobbyLayout(config: config).layout(snapshot, metrics: .init(columns: columns, rows: rows))
        let grid = ScreenPainter(theme: TerminalTheme.named("default", colorMode: colorMode)).paint(model)
        let bytes = TerminalFrameEncoder(colorMode: colorMode).encode(from: nil, to: grid)
        return (grid, bytes)
    }

    func checkGolden(_ name: String, _ text: String) throws {
        let url = Self.goldenDirectory.appendingPathComponent(name)
        if ProcessInfo.processInfo.environment["KIOSK_UPDATE_GOLDENS"] == "1" {
            try Data(text.utf8).write(to: url)
            return
        }
        let expected = try String(contentsOf: url, encoding: .utf8)
        #expect(text == expected, "differs from \(name); run with KIOSK_UPDATE_GOLDENS=1 to see the new render")
    }

    /// What a terminal shows after receiving the bytes, as text lines.
    func screen(_ bytes: [UInt8], columns: Int, rows: Int) -> [String] {
        var terminal = VirtualTerminal(width: columns, height: rows)
        terminal.apply(bytes)
        #expect(terminal.unrecognized.isEmpty, "encoder sent sequences the terminal did not understand: \(terminal.unrecognized)")
        return terminal.grid.lines
    }

    /// The first instant from 15:05:00 (Paris) on at which `panel` is on screen.
    func instant(showing panel: PanelRotation.Panel, columns: Int, rows: Int) throws -> String {
        let heading = ["upcoming": "À venir", "residents": "Les résidents", "notices": "Tableau d'affichage"][panel.rawValue]!
        let config = LobbyFixtures.config
        for offset in 0..<120 {
            let instant = ISO8601.format(LobbyFixtures.at("2026-11-24T14:05:00Z").addingTimeInterval(Double(offset)))
            let model = LobbyLayout(config: config).layout(LobbyFixtures.snapshot(at: LobbyFixtures.at(instant)), metrics: .init(columns: columns, rows: rows))
            if model.runs.contains(where: { $0.role == .heading && $0.text == heading }) { return instant }
        }
        throw CancellationError()
    }

    @Test(arguments: [80, 200], [PanelRotation.Panel.upcoming, .residents, .notices])
    func goldenScreens(columns: Int, panel: PanelRotation.Panel) throws {
        let rows = columns == 80 ? 24 : 50
        let (grid, bytes) = render(columns: columns, rows: rows, at: try instant(showing: panel, columns: columns, rows: rows))
        let lines = screen(bytes, columns: columns, rows: rows)
        #expect(lines == grid.lines)
        try checkGolden("lobby-\(columns)x\(rows)-\(panel.rawValue).txt", lines.map { $0.replacingOccurrences(of: "\\s+$", with: "", options: .regularExpression) }.joined(separator: "\n") + "\n")
    }

    @Test func controlCharactersFromDataAreDrawnAsPlainText() throws {
        // The fixture's "evil" event is tomorrow: it is listed in the week ahead.
        let (_, bytes) = render(columns: 200, rows: 50, at: try instant(showing: .upcoming, columns: 200, rows: 50))
        let text = String(decoding: bytes, as: UTF8.self)
        #expect(!text.contains("\u{1B}]"), "an OSC sequence from a title reached the terminal")
        #expect(!text.contains("\u{9B}"), "a C1 CSI from a title reached the terminal")
        #expect(!text.contains("\u{07}"))
        #expect(!text.contains("\u{1B}[5m"))
        // Our own full redraw clears the screen once, at the start; the title's ESC[2J is gone.
        #expect(text.components(separatedBy: "\u{1B}[2J").count == 2)
        let lines = screen(bytes, columns: 200, rows: 50)
        #expect(lines.contains { $0.contains("Expo sans couleur") }, "\(lines.joined(separator: "\n"))")
    }

    @Test func monochromeKeepsEmphasisWithoutColour() {
        let (_, bytes) = render(columns: 80, rows: 24, at: "2026-11-24T14:05:00Z", colorMode: .monochrome)
        let text = String(decoding: bytes, as: UTF8.self)
        for colour in ["\u{1B}[38;5;", "\u{1B}[48;5;", "\u{1B}[31m", "\u{1B}[44m"] {
            #expect(!text.contains(colour))
        }
        #expect(text.contains("\u{1B}[") && text.contains("7m"), "the header should be drawn in inverse video")
    }

    @Test func aClockTickRewritesOnlyTheClock() {
        let config = LobbyFixtures.config
        let layout = LobbyLayout(config: config)
        let painter = ScreenPainter(theme: .lobby)
        let metrics = LobbyLayout.Metrics(columns: 120, rows: 40)
        // 14:05:01 and 14:06:01 fall in the same rotation slot (cycle of 15 s panels and
        // 10 s pages); choose two instants one minute apart in the same slot.
        let rotationCycle: Double = 60
        _ = rotationCycle
        let first = painter.paint(layout.layout(LobbyFixtures.snapshot(at: LobbyFixtures.at("2026-11-24T14:05:01Z")), metrics: metrics))
        let second = painter.paint(layout.layout(LobbyFixtures.snapshot(at: LobbyFixtures.at("2026-11-24T14:06:01Z")), metrics: metrics))
        var changedRows = Set<Int>()
        for row in 0..<first.height {
            for column in 0..<first.width where first[column, row] != second[column, row] { changedRows.insert(row) }
        }
        let clock = layout.regions(metrics).clock
        if changedRows.count > 1 || changedRows.first != clock.row {
            // Different panels at the two instants: nothing to conclude about the clock.
            let slots = [first, second].map { $0.lines.joined() }
            #expect(slots[0] != slots[1])
            return
        }
        let bytes = TerminalFrameEncoder(colorMode: .palette256).encode(from: first, to: second)
        #expect(bytes.count < 40, "a clock tick sent \(bytes.count) bytes")
    }
}
