import Foundation
import Testing
@testable import KioskCore

/// Pictures in the snapshot and on the terminal: the featured events are the next ones
/// with a picture (not cancelled, at most three), posters show in their period only, and
/// the terminal, which shows no pictures, gives a poster's title and a featured event's
/// line instead.
@Suite struct LobbyPicturesTests {
    func at(_ iso: String) -> Date { ISO8601.parse(iso)! }
    static let picture = PictureRef(key: "/var/lib/kiosk/pictures/x", width: 1600, height: 900)

    /// Tuesday 24 November 2026 in Paris: five events, four with a picture (one cancelled),
    /// a poster for this week and one for next week.
    func inputs() -> LobbySnapshot.Inputs {
        func event(_ uid: String, _ start: String, status: EventStatus = .confirmed) -> Occurrence {
            Occurrence(uid: uid, title: "Titre \(uid)", room: "Salle \(uid)", status: status, start: .instant(at(start)), end: .instant(at(start).addingTimeInterval(3600)))
        }
        var inputs = LobbySnapshot.Inputs(
            occurrences: [event("a", "2026-11-24T17:00:00Z"), event("b", "2026-11-24T18:00:00Z", status: .cancelled), event("c", "2026-11-25T19:00:00Z"),
                          event("d", "2026-11-26T19:00:00Z"), event("e", "2026-11-27T19:00:00Z"), event("f", "2026-11-24T19:00:00Z")],
            residents: [], notices: [], freshness: ProgrammeFreshness(lastSuccess: at("2026-11-24T14:00:00Z"), hasPulledSources: true))
        for uid in ["b", "c", "d", "e", "f"] { inputs.eventPictures[uid] = Self.picture }
        let posted = at("2026-11-20T08:00:00Z")
        inputs.posters = [
            (Poster(id: "now", title: "Festival des arts numériques", from: CivilDate(year: 2026, month: 11, day: 20), to: CivilDate(year: 2026, month: 11, day: 29),
                    picture: String(repeating: "a", count: 64), posted: posted), Self.picture),
            (Poster(id: "later", title: "Marché de Noël", from: CivilDate(year: 2026, month: 12, day: 1), to: CivilDate(year: 2026, month: 12, day: 20),
                    picture: String(repeating: "b", count: 64), posted: posted), Self.picture),
        ]
        return inputs
    }

    func config() -> KioskConfig {
        var config = KioskConfig()
        config.venue.name = "Le Mixeur"
        return config
    }

    @Test func theFeaturedEventsAreTheNextWithAPictureAndPostersShowInTheirPeriod() {
        let snapshot = LobbySnapshot.make(at: at("2026-11-24T14:05:00Z"), inputs: inputs(), config: config())
        #expect(snapshot.featured.map(\.event.uid) == ["f", "c", "d"])
        #expect(snapshot.featured.map(\.day).first == "Aujourd'hui")
        #expect(snapshot.featured.allSatisfy { $0.picture == Self.picture })
        #expect(snapshot.posters.map(\.id) == ["now"])
        #expect(snapshot.laterToday.first { $0.uid == "a" }?.picture == nil)
        let december = LobbySnapshot.make(at: at("2026-12-02T10:00:00Z"), inputs: inputs(), config: config())
        #expect(december.posters.map(\.id) == ["later"])
    }

    @Test func theTerminalShowsAPostersTitleAndTheFeaturedEventsLine() throws {
        let layout = LobbyLayout(config: config())
        var sawPoster = false, sawFeatured = false
        for second in stride(from: 0, to: 600, by: 1) {
            let snapshot = LobbySnapshot.make(at: at("2026-11-24T14:05:00Z").addingTimeInterval(Double(second)), inputs: inputs(), config: config())
            let model = layout.layout(snapshot, metrics: LobbyLayout.Metrics(columns: 120, rows: 40))
            let texts = model.runs.map(\.text)
            if texts.contains("Affiche") {
                sawPoster = true
                #expect(texts.contains("Festival des arts numériques"))
            }
            if texts.contains("À l'affiche") {
                sawFeatured = true
                #expect(texts.contains { $0.contains("Titre") })
            }
        }
        #expect(sawPoster && sawFeatured)
    }
}
