import Foundation
import Testing
@testable import KioskCore

/// The check-in welcome box and the reader notice, laid out on the lobby's screen model,
/// and the `[reader]` / `[checkin]` sections of the whole configuration file.
@Suite struct CheckInOverlayLayoutTests {
    static let welcome = WelcomeMessage(tone: .welcome, headline: "Bienvenue, Camille — Atelier Diptyc", detail: "Rendez-vous : Distorsion, Bât. A, atelier 3")

    static func base(columns: Int, rows: Int) -> ScreenModel {
        var model = ScreenModel(columns: columns, rows: rows)
        model.runs.append(TextRun(column: 1, row: rows - 1, width: columns / 2, text: "Programme mis à jour à 14:05", role: .muted))
        model.runs.append(TextRun(column: columns - 20, row: rows - 1, width: 19, text: "À venir  ● ○ ○", role: .muted))
        return model
    }

    static func inside(_ run: TextRun, _ rect: CellRect) -> Bool {
        rect.column <= run.column && run.column + run.width <= rect.maxColumn && rect.row <= run.row && run.row + run.scale <= rect.maxRow
    }

    @Test(arguments: [(80, 24, 1), (200, 50, 1), (120, 33, 2)])
    func theWelcomeIsACentredBoxHoldingItsLines(columns: Int, rows: Int, scale: Int) throws {
        let metrics = LobbyLayout.Metrics(columns: columns, rows: rows, headlineScale: scale)
        var model = Self.base(columns: columns, rows: rows)
        LobbyLayout().addCheckIn(CheckInOverlay(welcome: Self.welcome, today: "Plus tard aujourd'hui : 18:00 – 20:00 Atelier sérigraphie"), to: &model, metrics: metrics)
        let box = try #require(model.fills.last)
        #expect(box.role == .overlay)
        #expect(box.rect.column >= 0 && box.rect.maxColumn <= columns && box.rect.row >= 0 && box.rect.maxRow <= rows)
        #expect(abs(box.rect.column - (columns - box.rect.maxColumn)) <= 1, "centred horizontally")
        #expect(abs(box.rect.row - (rows - box.rect.maxRow)) <= 1, "centred vertically")
        let title = model.runs.filter { $0.role == .overlayTitle }
        let text = model.runs.filter { $0.role == .overlayText }
        #expect(title.map(\.text).joined(separator: " ") == Self.welcome.headline)
        #expect(title.allSatisfy { $0.scale == scale && Self.inside($0, box.rect) })
        // Lines wrap within the box (53 columns wide on 80).
        #expect(text.map(\.text).joined(separator: " ") == "Rendez-vous : Distorsion, Bât. A, atelier 3 Plus tard aujourd'hui : 18:00 – 20:00 Atelier sérigraphie")
        #expect(text.allSatisfy { TerminalText.width(of: $0.text) <= $0.width })
        #expect(text.allSatisfy { Self.inside($0, box.rect) && $0.row > title.last!.row })
    }

    @Test func theReaderNoticeSitsQuietlyInTheFooterWithoutCoveringItsText() throws {
        for (columns, rows) in [(80, 24), (120, 40), (200, 50)] {
            var model = Self.base(columns: columns, rows: rows)
            LobbyLayout().addCheckIn(CheckInOverlay(readerNotice: "Lecteur de badges déconnecté"), to: &model, metrics: .init(columns: columns, rows: rows))
            let notice = try #require(model.runs.first { $0.text == "Lecteur de badges déconnecté" })
            #expect(notice.role == .muted && notice.row == rows - 1)
            #expect(!model.fills.contains { $0.role == .overlay }, "no box without a welcome")
            let footer = model.runs.filter { $0.row == rows - 1 && $0 != notice }
            for other in footer {
                let used = TerminalText.width(of: other.text)
                #expect(notice.column + notice.width <= other.column || other.column + used <= notice.column, "\(columns)x\(rows): covers '\(other.text)'")
            }
        }
        // Without a notice or a welcome, nothing is added.
        var model = Self.base(columns: 80, rows: 24)
        let before = model
        LobbyLayout().addCheckIn(CheckInOverlay(), to: &model, metrics: .init(columns: 80, rows: 24))
        #expect(model == before)
    }

    @Test func theConfigurationFileReadsReaderAndCheckinSections() throws {
        let config = try KioskConfig.parse("""
            [venue]
            name = Le Mixeur
            [reader]
            device = /dev/badge-reader
            protocol = pn532
            debounce = 2s
            [checkin]
            second-scan-checks-out = no
            retention-days = 30
            welcome-duration = 6s
            """, path: "kiosk.conf")
        #expect(config.checkIn.readerDevice == "/dev/badge-reader")
        #expect(config.checkIn.readerProtocol == .pn532 && config.checkIn.effectiveBaudRate == 115_200)
        #expect(config.checkIn.debounce == .seconds(2))
        #expect(!config.checkIn.secondScanChecksOut && config.checkIn.retentionDays == 30)
        #expect(config.checkIn.welcomeDuration == .seconds(6))
        #expect(!KioskConfig().checkIn.isEnabled && KioskConfig().checkIn.welcomeDuration == .seconds(4))
        #expect(throws: ConfigError(path: "kiosk.conf", line: 2, message: "welcome-duration: must be from 1 to 60 s")) {
            try KioskConfig.parse("[checkin]\nwelcome-duration = 2min\n", path: "kiosk.conf")
        }
        #expect(throws: ConfigError(path: "kiosk.conf", line: 1, message: "unknown section [badges] (known: venue, hours, screen, feeds, feed, state, log, reader, checkin, http, token)")) {
            try KioskConfig.parse("[badges]\n", path: "kiosk.conf")
        }
    }
}
