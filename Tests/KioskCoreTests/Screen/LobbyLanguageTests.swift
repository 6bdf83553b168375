import Foundation
import Testing
@testable import KioskCore

/// The screen's words come from `LobbyStrings` alone, and what the layout highlights is
/// decided from the data (a deadline's date), not by searching French words: an English
/// screen shows no French and highlights the same notices.
@Suite struct LobbyLanguageTests {
    func at(_ iso: String) -> Date { ISO8601.parse(iso)! }

    /// Tuesday 24 November 2026, 15:05 in Paris: a call closing tomorrow, one closing in a
    /// week, one closing today, and an exhibition that began yesterday and ends at 18:00.
    func noticeBoard(_ language: Language) -> (ScreenModel, LobbyStrings)? {
        var config = KioskConfig()
        config.venue.name = "Le Mixeur"
        config.venue.language = language
        let posted = at("2026-11-20T08:00:00Z"), expires = at("2026-12-31T00:00:00Z")
        let notices = [
            Notice(id: "soon", kind: .call, title: "Residency call", author: "Distorsion", deadline: CivilDate(year: 2026, month: 11, day: 25), posted: posted, expires: expires),
            Notice(id: "later", kind: .call, title: "Festival call", author: "Labora", deadline: CivilDate(year: 2026, month: 12, day: 1), posted: posted, expires: expires),
            Notice(id: "today", kind: .call, title: "Grant call", deadline: CivilDate(year: 2026, month: 11, day: 24), posted: posted, expires: expires),
        ]
        let expo = Occurrence(uid: "expo", title: "Expo", start: .instant(at("2026-11-23T09:00:00Z")), end: .instant(at("2026-11-24T17:00:00Z")))
        let inputs = LobbySnapshot.Inputs(
            occurrences: [expo], residents: [], notices: notices,
            freshness: ProgrammeFreshness(lastSuccess: at("2026-11-24T14:00:00Z"), hasPulledSources: true))
        let layout = LobbyLayout(config: config)
        // The panel rotates: the first second of the next minutes that shows the notice board.
        for second in 0..<180 {
            let instant = at("2026-11-24T14:05:00Z").addingTimeInterval(Double(second))
            let snapshot = LobbySnapshot.make(at: instant, inputs: inputs, config: config)
            let model = layout.layout(snapshot, metrics: LobbyLayout.Metrics(columns: 160, rows: 45))
            if model.runs.contains(where: { $0.text.contains("Residency call") }) { return (model, snapshot.strings) }
        }
        return nil
    }

    @Test(arguments: [Language.fr, .en]) func aDeadlineTodayOrTomorrowIsHighlightedInEitherLanguage(_ language: Language) throws {
        let (model, strings) = try #require(noticeBoard(language), "the notice board was never shown")
        func role(of prefix: String) -> ScreenRole? { model.runs.first { $0.text.hasPrefix(prefix) }?.role }
        #expect(role(of: strings.deadline(daysLeft: 1, date: CivilDate(year: 2026, month: 11, day: 25))) == .cancelled)
        #expect(role(of: strings.deadline(daysLeft: 0, date: CivilDate(year: 2026, month: 11, day: 24))) == .cancelled)
        #expect(role(of: strings.deadline(daysLeft: 7, date: CivilDate(year: 2026, month: 12, day: 1))) == .muted)
    }

    @Test func anEnglishScreenSaysNothingInFrench() throws {
        let (model, _) = try #require(noticeBoard(.en))
        let text = model.runs.map(\.text).joined(separator: "\n")
        #expect(text.contains("until 18:00"), "the exhibition that began yesterday")
        for french in ["jusqu'à", "Clôture", "Dernier", "Aujourd'hui", "Appel", "Tableau", " : "] {
            #expect(!text.contains(french), "\(french) on an English screen")
        }
        var english: [String] = []
        let visitor = Person(id: 2, firstName: "", role: .visitor)
        for decision in [CheckInDecision.checkIn(person: Person(id: 1, firstName: "Camille", role: .member), occurrence: nil), .visitorPass(person: visitor, occurrence: nil), .checkOut(person: visitor), .unknownBadge(tag: "67003B51C6")] {
            english.append(WelcomeMessage(decision: decision, language: .en).text)
        }
        let strings = LobbyStrings(.en)
        english += [strings.badgeNotRecorded, strings.readerDisconnected]
        for line in english {
            for french in ["Bienvenue", "Au revoir", "Rendez-vous", "accueil", "Badge inconnu", "Lecteur", "Merci"] {
                #expect(!line.contains(french), "\(french) in \"\(line)\"")
            }
        }
    }
}
