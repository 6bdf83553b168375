import Foundation
import KioskCore
import Testing

/// RRULE + RDATE - EXDATE, overrides by RECURRENCE-ID, windows and caps.
@Suite("Recurrence sets and overrides")
struct RecurrenceSetTests {
    let paris = WallClock("Europe/Paris")

    func weekly(exceptions: [EventTime] = [], dates: [EventTime] = []) -> ProgrammeEvent {
        let start = paris.instant("20240902T183000")
        return ProgrammeEvent(
            uid: "club", title: "Ciné-club", room: "Salle Lumière", start: .instant(start), end: .instant(start + 7200),
            timeZone: "Europe/Paris",
            recurrence: Recurrence(rules: ["FREQ=WEEKLY;BYDAY=MO;COUNT=6"], dates: dates, exceptions: exceptions))
    }

    func labels(_ o: [Occurrence]) -> [String] {
        o.map { if case .instant(let d) = $0.start { paris.label(d) } else { "\($0.start)" } }
    }

    func expand(_ events: [ProgrammeEvent]) -> [Occurrence] {
        OccurrenceExpander.occurrences(
            of: events, from: paris.instant("20240801T000000"), to: paris.instant("20241201T000000"),
            venueTimeZone: paris.zone)
    }

    @Test func exdateWrittenInAnotherZoneRemovesTheInstance() {
        // 2024-09-16 18:30 Paris == 12:30 New York == 16:30Z.
        let ny = WallClock("America/New_York")
        let found = expand([weekly(exceptions: [.instant(ny.instant("20240916T123000")), .instant(WallClock("UTC").instant("20241007T163000"))])])
        #expect(labels(found) == ["2024-09-02 18:30", "2024-09-09 18:30", "2024-09-23 18:30", "2024-09-30 18:30"])
    }

    @Test func rdateAddsAnInstanceWithTheSeriesDuration() {
        let found = expand([weekly(dates: [.instant(paris.instant("20240905T140000"))])])
        #expect(labels(found).count == 7)
        #expect(labels(found)[1] == "2024-09-05 14:00")
        if case .instant(let s) = found[1].start, case .instant(let e) = found[1].end { #expect(e.timeIntervalSince(s) == 7200) }
    }

    @Test func overrideMovesOneInstance() {
        // RECURRENCE-ID given in UTC (16:30Z) while the series is in Paris.
        let moved = ProgrammeEvent(
            uid: "club", recurrenceID: .instant(WallClock("UTC").instant("20240909T163000")), title: "Ciné-club (avancé)",
            room: "Fablab", start: .instant(paris.instant("20240910T200000")), end: .instant(paris.instant("20240910T220000")),
            timeZone: "Europe/Paris")
        let found = expand([weekly(), moved])
        #expect(labels(found) == ["2024-09-02 18:30", "2024-09-10 20:00", "2024-09-16 18:30", "2024-09-23 18:30", "2024-09-30 18:30", "2024-10-07 18:30"])
        #expect(found[1].title == "Ciné-club (avancé)")
        #expect(found[1].room == "Fablab")
    }

    @Test func overrideCancelsOneInstanceAndIsKeptAsCancelled() {
        let start = paris.instant("20240923T183000")
        let cancelled = ProgrammeEvent(
            uid: "club", recurrenceID: .instant(start), title: "Ciné-club", status: .cancelled,
            start: .instant(start), end: .instant(start + 7200), timeZone: "Europe/Paris")
        let found = expand([weekly(), cancelled])
        #expect(found.count == 6)
        #expect(found.map(\.status) == [.confirmed, .confirmed, .confirmed, .cancelled, .confirmed, .confirmed])
    }

    @Test func allDayExceptionsAndOverridesCompareAsDates() {
        let series = ProgrammeEvent(
            uid: "marche", title: "Marché", start: .date(CivilDate(year: 2024, month: 9, day: 7)),
            end: .date(CivilDate(year: 2024, month: 9, day: 8)),
            recurrence: Recurrence(rules: ["FREQ=WEEKLY;COUNT=4"], exceptions: [.date(CivilDate(year: 2024, month: 9, day: 14))]))
        let override = ProgrammeEvent(
            uid: "marche", recurrenceID: .date(CivilDate(year: 2024, month: 9, day: 21)), title: "Marché de nuit",
            start: .date(CivilDate(year: 2024, month: 9, day: 22)), end: .date(CivilDate(year: 2024, month: 9, day: 23)))
        let found = expand([series, override])
        #expect(found.map { o -> String in if case .date(let d) = o.start { d.description } else { "timed" } } == ["2024-09-07", "2024-09-22", "2024-09-28"])
        #expect(found[1].title == "Marché de nuit")
    }

    @Test func windowJumpsOverDecadesOfAnUnboundedRule() {
        let start = paris.instant("19900101T090000")
        let event = ProgrammeEvent(
            uid: "old", title: "Old", start: .instant(start), end: .instant(start + 3600), timeZone: "Europe/Paris",
            recurrence: Recurrence(rules: ["FREQ=DAILY"]))
        let found = OccurrenceExpander.occurrences(
            of: [event], from: paris.instant("20240901T000000"), to: paris.instant("20240910T000000"),
            venueTimeZone: paris.zone, limits: .init(maxCandidatesPerSeries: 100))
        #expect(labels(found) == (1...9).map { String(format: "2024-09-%02d 09:00", $0) })
    }

    @Test func occurrenceOverlappingWindowStartIsIncluded() {
        let start = paris.instant("20240901T220000")
        let event = ProgrammeEvent(uid: "late", title: "Late", start: .instant(start), end: .instant(start + 4 * 3600))
        let found = OccurrenceExpander.occurrences(
            of: [event], from: paris.instant("20240902T000000"), to: paris.instant("20240903T000000"), venueTimeZone: paris.zone)
        #expect(found.count == 1)
    }

    @Test func hostileSecondlyRuleIsCappedFast() {
        let start = paris.instant("20240101T000000")
        let hostile = ProgrammeEvent(
            uid: "evil", title: "Evil", start: .instant(start), end: .instant(start + 1), timeZone: "Europe/Paris",
            recurrence: Recurrence(rules: ["FREQ=SECONDLY", "FREQ=SECONDLY;COUNT=100000000;BYMONTH=2;BYMONTHDAY=30"]))
        let clock = ContinuousClock()
        var found: [Occurrence] = []
        let elapsed = clock.measure {
            found = OccurrenceExpander.occurrences(
                of: [hostile], from: paris.instant("20240601T000000"), to: paris.instant("20240701T000000"), venueTimeZone: paris.zone)
        }
        #expect(found.count <= OccurrenceExpander.Limits().maxOccurrencesPerSeries)
        #expect(found.count > 0)
        #expect(elapsed < .seconds(2))
    }

    @Test func sortedByStartThenUid() {
        let t = paris.instant("20240910T100000")
        let b = ProgrammeEvent(uid: "b", title: "B", start: .instant(t), end: .instant(t + 60))
        let a = ProgrammeEvent(uid: "a", title: "A", start: .instant(t), end: .instant(t + 60))
        let day = ProgrammeEvent(uid: "z", title: "Z", start: .date(CivilDate(year: 2024, month: 9, day: 10)), end: .date(CivilDate(year: 2024, month: 9, day: 11)))
        let found = expand([b, a, day])
        #expect(found.map(\.uid) == ["z", "a", "b"])
    }

    @Test func ruleErrorsNameThePart() {
        #expect(throws: RecurrenceRuleError.self) { _ = try RecurrenceRule(parsing: "BYDAY=MO") }
        do {
            _ = try RecurrenceRule(parsing: "FREQ=WEEKLY;BYDAY=XX")
            Issue.record("expected an error")
        } catch {
            #expect(error.part == "BYDAY=XX")
        }
        #expect(throws: RecurrenceRuleError.self) { _ = try RecurrenceRule(parsing: "FREQ=MONTHLY;BYMONTHDAY=32") }
        #expect(throws: RecurrenceRuleError.self) { _ = try RecurrenceRule(parsing: "FREQ=FORTNIGHTLY") }
        #expect(throws: RecurrenceRuleError.self) { _ = try RecurrenceRule(parsing: "FREQ=DAILY;INTERVAL=0") }
        let rule = try? RecurrenceRule(parsing: "freq=monthly;byday=-1su,+2MO;X-NAME=1")
        #expect(rule?.byDay == [.init(ordinal: -1, weekday: 7), .init(ordinal: 2, weekday: 1)])
    }
}
