import Foundation
import Synchronization
import Testing
@testable import KioskDaemon

/// The journal lines of a round's failures, as the event pictures' and the residents' logos'
/// fetchers write them (one helper, two wordings).
@Suite struct PictureFetchRoundTests {
    static let outcomes: [(url: String, outcome: PictureFetchRound.Outcome)] = [
        ("https://example.org/fetched.png", .fetched),
        ("https://example.org/kept.png", .failed("HTTP 404", keptPrevious: true)),
        ("https://example.org/same.png", .notModified),
        ("https://example.org/never\u{1B}[2J.png", .failed("timed out\u{07}", keptPrevious: false)),
    ]

    static func logged(_ body: (JournalLogger) -> Int) -> (count: Int, lines: [String]) {
        let lines = Mutex<[String]>([])
        // `.plain` lines start with a timestamp and the level: compare what follows.
        let logger = JournalLogger(level: .info, underSystemd: false, sink: { line in lines.withLock { $0.append(line) } })
        let count = body(logger)
        return (count, lines.withLock { $0 }.map { String($0.split(separator: " ", maxSplits: 2)[2]) })
    }

    @Test func eventPictureFailuresKeepTheirWording() {
        let (count, lines) = Self.logged { logger in
            PictureFetchRound.logFailures(of: Self.outcomes, to: logger, subject: { _ in "feed agenda: picture" },
                                          keptPrevious: "the copy fetched before stays on screen", withoutPicture: "the event is shown without it")
        }
        #expect(count == 2)
        #expect(lines == [
            "feed agenda: picture https://example.org/kept.png: HTTP 404; the copy fetched before stays on screen",
            "feed agenda: picture https://example.org/never.png: timed out; the event is shown without it",
        ])
    }

    @Test func residentLogoFailuresNameTheResidentsAndCutLongURLs() {
        let long = "https://example.org/" + String(repeating: "a", count: 200)
        let outcomes: [(url: String, outcome: PictureFetchRound.Outcome)] = [(long, .failed("HTTP 503", keptPrevious: false))]
        let (count, lines) = Self.logged { logger in
            PictureFetchRound.logFailures(of: outcomes, to: logger, subject: { url in "residents: logo of \(url == long ? "« Zinc »" : "someone else")" },
                                          keptPrevious: "the logo fetched before stays on screen", withoutPicture: "shown without a logo")
        }
        #expect(count == 1)
        #expect(lines == ["residents: logo of « Zinc » \(long.prefix(120)): HTTP 503; shown without a logo"])
    }
}
