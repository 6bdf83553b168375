import Foundation
import KioskCore
import Testing

/// Europe/Paris daylight-saving changes: 2024-03-31 02:00 -> 03:00, 2024-10-27 03:00 -> 02:00.
@Suite("Recurrence across Europe/Paris daylight-saving changes")
struct RecurrenceDaylightSavingTests {
    let paris = WallClock("Europe/Paris")
    var zone: IANATimeZone { paris.zone }

    func labels(_ occurrences: [Occurrence]) -> [String] {
        occurrences.map { o in
            switch o.start {
            case .instant(let d): return paris.label(d)
            case .date(let c): return c.description
            }
        }
    }

    @Test func weeklyTenOClockStaysAtTenAcrossBothChanges() {
        let start = paris.instant("20240318T100000")
        let event = ProgrammeEvent(
            uid: "atelier", title: "Atelier", start: .instant(start), end: .instant(start + 5400),
            timeZone: "Europe/Paris", recurrence: Recurrence(rules: ["FREQ=WEEKLY"]))
        let found = OccurrenceExpander.occurrences(
            of: [event], from: paris.instant("20240301T000000"), to: paris.instant("20241110T000000"), venueTimeZone: zone)
        let all = labels(found)
        #expect(all.count == 34)
        let allAtTen = all.allSatisfy { $0.hasSuffix(" 10:00") }
        #expect(allAtTen)
        #expect(all.contains("2024-03-25 10:00") && all.contains("2024-04-01 10:00"))
        #expect(all.contains("2024-10-21 10:00") && all.contains("2024-10-28 10:00"))
        // The UTC instants do move: 09:00Z in winter, 08:00Z in summer.
        let utc = WallClock("UTC")
        guard case .instant(let march25) = found[1].start, case .instant(let april1) = found[2].start else {
            Issue.record("timed occurrences expected")
            return
        }
        #expect(utc.label(march25) == "2024-03-25 09:00")
        #expect(utc.label(april1) == "2024-04-01 08:00")
        // Duration is kept (90 minutes).
        if case .instant(let end) = found[2].end { #expect(end.timeIntervalSince(april1) == 5400) }
    }

    @Test func dailyAtHalfPastTwoOnSpringForwardDayUsesOffsetBeforeTheGap() {
        // 02:30 does not exist on 2024-03-31 in Paris: RFC 5545 reads it with the offset
        // from before the gap (+01:00), which is 03:30 CEST (01:30Z).
        let start = paris.instant("20240329T023000")
        let event = ProgrammeEvent(
            uid: "nuit", title: "Nuit", start: .instant(start), end: .instant(start + 1800),
            timeZone: "Europe/Paris", recurrence: Recurrence(rules: ["FREQ=DAILY;COUNT=4"]))
        let found = OccurrenceExpander.occurrences(
            of: [event], from: paris.instant("20240301T000000"), to: paris.instant("20240410T000000"), venueTimeZone: zone)
        #expect(labels(found) == ["2024-03-29 02:30", "2024-03-30 02:30", "2024-03-31 03:30", "2024-04-01 02:30"])
        let utc = WallClock("UTC")
        if case .instant(let gapDay) = found[2].start { #expect(utc.label(gapDay) == "2024-03-31 01:30") }
    }

    @Test func ambiguousFallBackTimeTakesTheFirstOccurrence() {
        // 02:30 happens twice on 2024-10-27: first at +02:00 (00:30Z).
        let start = paris.instant("20241025T023000")
        let event = ProgrammeEvent(
            uid: "veille", title: "Veille", start: .instant(start), end: .instant(start + 600),
            timeZone: "Europe/Paris", recurrence: Recurrence(rules: ["FREQ=DAILY;COUNT=3"]))
        let found = OccurrenceExpander.occurrences(
            of: [event], from: paris.instant("20241001T000000"), to: paris.instant("20241101T000000"), venueTimeZone: zone)
        #expect(found.count == 3)
        if case .instant(let d) = found[2].start { #expect(WallClock("UTC").label(d) == "2024-10-27 00:30") }
    }

    @Test func allDayEventsOnChangeDaysStayOnTheirDates() {
        let series = ProgrammeEvent(
            uid: "expo", title: "Expo", start: .date(CivilDate(year: 2024, month: 3, day: 30)),
            end: .date(CivilDate(year: 2024, month: 3, day: 31)),
            recurrence: Recurrence(rules: ["FREQ=DAILY;COUNT=3"]))
        let single = ProgrammeEvent(
            uid: "fete", title: "Fête", start: .date(CivilDate(year: 2024, month: 10, day: 27)),
            end: .date(CivilDate(year: 2024, month: 10, day: 28)))
        let found = OccurrenceExpander.occurrences(
            of: [series, single], from: paris.instant("20240301T000000"), to: paris.instant("20241101T000000"), venueTimeZone: zone)
        #expect(labels(found) == ["2024-03-30", "2024-03-31", "2024-04-01", "2024-10-27"])
        let allDay = found.allSatisfy { $0.isAllDay }
        #expect(allDay)
        #expect(found[1].end == .date(CivilDate(year: 2024, month: 4, day: 1)))
        // The 23-hour day is still listed when the window is only that day.
        let narrow = OccurrenceExpander.occurrences(
            of: [series], from: paris.instant("20240331T000000"), to: paris.instant("20240401T000000"), venueTimeZone: zone)
        #expect(labels(narrow) == ["2024-03-31"])
    }
}
