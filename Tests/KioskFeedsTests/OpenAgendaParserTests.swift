import Foundation
import KioskCore
import KioskFeeds
import Testing

@Suite("OpenAgenda API v2 parser")
struct OpenAgendaParserTests {
    // Two pages as the API returns them with size=2: the first carries an `after` cursor.
    static let page1 = """
    {"total": 3, "after": [1718553600000, 51234567],
     "events": [
      {"uid": 51234566, "slug": "atelier-stop-motion",
       "title": {"fr": "Atelier stop motion", "en": "Stop-motion workshop"},
       "description": {"fr": "Animez vos figurines"},
       "keywords": {"fr": ["atelier", "cinéma d'animation"]},
       "location": {"name": "Salle Lumière", "city": "Villeurbanne", "timezone": "Europe/Paris"},
       "status": 1, "attendanceMode": 1,
       "accessibility": {"hi": true, "vi": false, "pi": false, "mi": true, "ii": false},
       "age": {"min": 8, "max": 12},
       "timings": [
         {"begin": "2024-06-15T14:00:00+02:00", "end": "2024-06-15T16:00:00+02:00"},
         {"begin": "2024-06-22T14:00:00+0200", "end": "2024-06-22T16:00:00+0200"},
         {"begin": "2024-06-29T14:00:00.000+02:00", "end": "2024-06-29T16:00:00.000+02:00"}
       ]},
      {"uid": 51234567, "title": {"en": "Open studio"}, "status": 6,
       "keywords": {"en": ["visit"]},
       "location": {"name": "Ateliers"},
       "timings": [{"begin": "2024-06-16T08:00:00Z", "end": "2024-06-16T10:00:00Z"}]}
     ]}
    """
    static let page2 = """
    {"total": 3, "after": null,
     "events": [
      {"uid": "51234570", "title": {"de": "Konzert", "it": "Concerto"}, "status": 4,
       "location": {"name": "Cour"},
       "timings": [{"begin": "2024-07-01T21:00:00+02:00", "end": "2024-07-01T23:00:00+02:00"}]},
      {"uid": 51234571, "title": "Complet", "status": 5,
       "timings": [{"begin": "2024-07-02T19:00:00+02:00", "end": "2024-07-02T20:00:00+02:00"}]}
     ]}
    """

    let parser = OpenAgendaParser(language: "fr", venueTimeZone: parisZone)
    let paris = ZoneLabels("Europe/Paris")

    @Test func twoPagesWithTheAfterCursor() throws {
        let first = try parser.parse(Array(Self.page1.utf8))
        #expect(first.total == 3)
        #expect(first.after == ["1718553600000", "51234567"])
        let second = try parser.parse(Array(Self.page2.utf8))
        #expect(second.after == nil)
        let events = first.events + second.events
        #expect(events.count == 6)  // one per timing
        let found = OccurrenceExpander.occurrences(
            of: events, from: paris.instant(2024, 6, 1), to: paris.instant(2024, 7, 31), venueTimeZone: parisZone)
        #expect(found.map { paris.label($0.start) } == [
            "2024-06-15 14:00", "2024-06-16 10:00", "2024-06-22 14:00", "2024-06-29 14:00", "2024-07-01 21:00", "2024-07-02 19:00",
        ])
        #expect(found.map(\.uid) == ["51234566", "51234567", "51234566", "51234566", "51234570", "51234571"])
        #expect(found.map(\.status) == [.confirmed, .cancelled, .confirmed, .confirmed, .postponed, .full])
    }

    @Test func fieldsLanguageFallbackAndAccessibility() throws {
        let events = try parser.parse(Array(Self.page1.utf8)).events + parser.parse(Array(Self.page2.utf8)).events
        let atelier = events[0]
        #expect(atelier.title == "Atelier stop motion")
        #expect(atelier.summary == "Animez vos figurines")
        #expect(atelier.room == "Salle Lumière")
        #expect(atelier.categories == ["atelier", "cinéma d'animation"])
        #expect(atelier.accessibility == ["hearing", "motor"])
        #expect(atelier.audience == "8–12 ans")
        #expect(atelier.timeZone == "Europe/Paris")
        #expect(events[3].title == "Open studio")  // no fr: en
        #expect(events[3].categories == ["visit"])
        #expect(events[4].title == "Konzert")  // neither fr nor en: first language alphabetically
        #expect(events[5].title == "Complet")  // monolingual plain string
        let english = try OpenAgendaParser(language: "en", venueTimeZone: parisZone).parse(Array(Self.page1.utf8)).events
        #expect(english[0].title == "Stop-motion workshop")
        #expect(english[0].summary == "Animez vos figurines")  // no en description: fr
    }

    @Test func badTimingsAndEventsAreSkippedAndNamedByIndexAndUid() throws {
        let bad = #"{"events": [{"uid": 42, "title": {"fr": "X"}, "timings": [{"begin": "2024-06-15T14:00:00+02:00"}, {"begin": "15/06/2024 14h"}]}]}"#
        let page = try parser.parse(Array(bad.utf8))
        #expect(page.events.count == 1)
        #expect(page.warnings.list.map(\.description) == ["event #0 42: timings[1].begin '15/06/2024 14h' is not an ISO-8601 date-time; skipped"])
        let status = #"{"events": [{"uid": 7, "status": 9, "timings": []}, {"uid": 8, "status": 9, "timings": [{"begin": "2024-06-15T14:00:00Z"}]}]}"#
        let second = try parser.parse(Array(status.utf8))
        #expect(second.events.map(\.uid) == ["8"])
        #expect(second.events.first?.status == .confirmed)
        #expect(second.eventsRead == 2 && second.eventsDropped == 1)
        #expect(second.warnings.list.map(\.description) == [
            "event #0 7: status 9 is not one of 1...6; scheduled assumed", "event #0 7: dropped: no usable timing",
            "event #1 8: status 9 is not one of 1...6; scheduled assumed",
        ])
        #expect(throws: FeedJSONError.self) { _ = try parser.parse(Array("{\"total\": 0}".utf8)) }
        #expect(throws: FeedJSONError.self) { _ = try parser.parse(Array("not json".utf8)) }
        #expect(throws: FeedJSONError.self) { _ = try parser.parse(Array(Array(Self.page1.utf8).prefix(300))) }
    }

    @Test func timestampStyles() {
        let expected = Date(timeIntervalSince1970: 1_718_452_800)  // 2024-06-15T12:00:00Z
        for text in ["2024-06-15T14:00:00+02:00", "2024-06-15T14:00:00+0200", "2024-06-15T14:00:00.000+02:00", "2024-06-15T12:00:00Z", "2024-06-15T12:00:00.123Z", "2024-06-15T07:00:00-05:00"] {
            #expect(FeedTimestamp.parse(text) == .instant(expected), "\(text)")
        }
        #expect(FeedTimestamp.parse("2024-06-15") == .date(CivilDate(year: 2024, month: 6, day: 15)))
        #expect(FeedTimestamp.parse("2024-06-15T14:00") == .local(CivilDate(year: 2024, month: 6, day: 15), secondOfDay: 50_400))
        #expect(FeedTimestamp.parse("2024-02-30T14:00:00Z") == nil)
        #expect(FeedTimestamp.parse("2024-06-15T14:00:00+2") == nil)
        #expect(FeedTimestamp.parse("15/06/2024") == nil)
    }
}
