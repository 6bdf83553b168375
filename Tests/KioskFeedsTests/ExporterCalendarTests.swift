import Foundation
import KioskCore
import KioskFeeds
import Testing

/// Calendars in the shape each real exporter writes (Tests/Fixtures/feeds/exporters), with
/// the malformed shapes that used to throw the whole programme away: each bad line is
/// skipped with a warning naming its line, and every other event is kept.
@Suite("Calendars as exporters write them")
struct ExporterCalendarTests {
    static let fixtures = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .appendingPathComponent("Fixtures/feeds/exporters")

    static func bytes(_ name: String) throws -> [UInt8] {
        [UInt8](try Data(contentsOf: fixtures.appendingPathComponent(name)))
    }

    let parser = ICalendarParser(venueTimeZone: parisZone)
    let paris = ZoneLabels("Europe/Paris")
    let utc = ZoneLabels("UTC")

    func listing(_ name: String) throws -> (occurrences: [Occurrence], document: ICalendarDocument) {
        let document = try parser.parse(try Self.bytes(name))
        let found = OccurrenceExpander.occurrences(
            of: document.events, from: paris.instant(2026, 10, 20), to: paris.instant(2026, 12, 20), venueTimeZone: parisZone)
        return (found, document)
    }

    func lines(_ document: ICalendarDocument) -> [String] { document.warnings.list.map(\.description) }

    @Test func googleWithAnEmptyRRULE() throws {
        let (found, document) = try listing("google.ics")
        #expect(lines(document) == ["line 68: event 0f4b2a9c7e1d@google.com: empty RRULE; ignored"])
        #expect(document.eventsRead == 4 && document.eventsDropped == 0)
        // The film is kept as a single event, with its poster.
        let film = try #require(document.events.first { $0.uid == "0f4b2a9c7e1d@google.com" })
        #expect(film.recurrence == nil)
        #expect(film.imageURL == "https://drive.google.com/uc?id=1AbCdEf&export=download")
        #expect(found.filter { $0.uid == "0f4b2a9c7e1d@google.com" }.map { paris.label($0.start) } == ["2026-11-27 20:00"])
        // The weekly permanence and its one moved instance (24 November at 14:00).
        let permanence = found.filter { $0.uid.hasPrefix("3rmf8r0") }.map { paris.label($0.start) }
        #expect(permanence == ["2026-11-03 10:00", "2026-11-10 10:00", "2026-11-17 10:00", "2026-11-24 14:00", "2026-12-01 10:00", "2026-12-08 10:00", "2026-12-15 10:00"])
        #expect(found.contains { $0.title == "Portes ouvertes des ateliers d'artistes" && $0.start == .date(CivilDate(year: 2026, month: 11, day: 30)) })
    }

    @Test func outlookWithWindowsZonesADisplayNameAndALineWithoutColon() throws {
        let (found, document) = try listing("outlook.ics")
        #expect(lines(document).map { $0.replacingOccurrences(of: #"event 0400\w+E1F(\d)"#, with: "event …$1", options: .regularExpression) } == [
            "line 55: event …3: invalid character in property name 'CLASS PUBLIC'; line skipped",
            "line 64: event …4: DURATION 'PT1W' is not an RFC 5545 duration (PT1H30M, P1D, P2W); ignored",
        ])
        #expect(found.map(\.title) == [
            "Rencontre pro : financer un projet culturel", "Visioconférence avec Melbourne", "Résidence d'artiste (Brisbane)", "Comité de pilotage",
        ])
        // Romance Standard Time: Paris. (GMT+10:00) Canberra, Melbourne, Sydney: Sydney,
        // which is at +11:00 in November. W. Europe Standard Time: Berlin.
        #expect(found.map { utc.label($0.start) } == ["2026-11-26 08:30", "2026-11-27 08:00", "2026-12-01 00:00", "2026-12-02 13:00"])
        #expect(document.events.map(\.timeZone) == ["Europe/Paris", "Australia/Sydney", nil, "Europe/Berlin"])
        // The customized zone whose only observance starts in 1601 (+10:00) is used as is.
        #expect(document.events[2].timeZoneRules?.identifier == "Customized Time Zone")
    }

    @Test func appleWithBackslashSemicolonInAParameterAnImageAndEndVTOOD() throws {
        let (found, document) = try listing("apple-ios.ics")
        #expect(lines(document) == ["line 42: END:VTOOD of line 46 does not close BEGIN:VTODO; ignored"])
        #expect(found.map(\.title) == ["Visite guidée du lieu", "Repair café textile"])
        #expect(found[0].room == "Le Mixeur\n3 rue Javelin Pagnon, 42000 Saint-Étienne")
        #expect(document.events[0].imageURL == "https://www.le-mixeur.org/img/visite.png")
        #expect(found.map { paris.label($0.start) } == ["2026-11-28 11:00", "2026-11-29 14:00"])
    }

    @Test func nextcloudWithAnEastwardRecurrenceIdThisAndFutureAndAPropertyAfterTheEnd() throws {
        let (found, document) = try listing("nextcloud.ics")
        #expect(lines(document) == ["line 74: X-NC-GENERATED after END:VCALENDAR; ignored"])
        let expo = found.filter { $0.uid.hasPrefix("6a7c1e0e") }
        #expect(expo.map { paris.label($0.start) } == (23...29).map { "2026-11-\($0)" })
        #expect(expo.filter { $0.title.hasSuffix("(nocturne)") }.map { paris.label($0.start) } == ["2026-11-25"])
        let atelier = found.filter { $0.uid.hasPrefix("f0e1d2c3") }
        #expect(atelier.map { paris.label($0.start) } == ["2026-11-04 18:00", "2026-11-11 18:00", "2026-11-18 18:00", "2026-11-25 18:30", "2026-12-02 18:30", "2026-12-09 18:30", "2026-12-16 18:30"])
        #expect(atelier.map(\.room) == ["Atelier 5", "Atelier 5", "Atelier 5", "Atelier 6", "Atelier 6", "Atelier 6", "Atelier 6"])
    }

    @Test func thunderbirdWithRevisionsDuplicatesPeriodsAndBrokenLines() throws {
        let (found, document) = try listing("thunderbird.ics")
        #expect(lines(document) == [
            "line 89: event marathon@ecran-total.example: invalid character in property name 'Apportez un coussin.'; line skipped",
            "line 97: event a-definir@ecran-total.example: dropped: DTSTART value 'à définir' is not a DATE or DATE-TIME",
            "line 106: event club-lecture@ecran-total.example: RDATE value '20131210Z' is not a DATE or DATE-TIME; value skipped",
            "line 34: event ciné-club@ecran-total.example: 3 revisions (lines 22, 34, 47); kept SEQUENCE 3 of line 34",
            "line 70: event ciné-club@ecran-total.example: the same event (one instance) appears 2 times (lines 59, 70); listed once",
        ])
        #expect(document.eventsRead == 8 && document.eventsDropped == 1)
        let cine = found.filter { $0.uid.hasPrefix("ciné-club") }
        #expect(Set(cine.map(\.title)) == ["Ciné-club Écran Total", "Ciné-club : soirée spéciale"])
        #expect(cine.filter { $0.title == "Ciné-club : soirée spéciale" }.count == 1)
        #expect(found.filter { $0.uid.hasPrefix("club-lecture") }.map { paris.label($0.start) } == ["2026-12-01 18:30", "2026-12-15 18:30"])
        #expect(found.contains { $0.uid == "marathon@ecran-total.example" && $0.summary == "Films toute la nuit." })
    }

    /// Every malformed shape keeps every other event through the decoder the daemon uses,
    /// and none of these files is refused.
    @Test(arguments: ["google.ics", "outlook.ics", "apple-ios.ics", "nextcloud.ics", "thunderbird.ics"])
    func everyExporterFileIsAcceptedWithItsWarnings(file: String) throws {
        let decoded = try FeedDecoder.decode(try Self.bytes(file), format: nil, options: .init(venueTimeZone: parisZone))
        #expect(decoded.format == .ics)
        #expect(decoded.warningCount >= 1)
        #expect(decoded.eventsRead - decoded.eventsDropped >= 2)
        #expect(decoded.warnings.allSatisfy { $0.line != nil })
    }
}
