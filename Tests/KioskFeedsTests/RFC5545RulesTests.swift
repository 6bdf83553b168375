import Foundation
import KioskCore
@testable import KioskFeeds
import Testing

/// The RFC 5545 points found wrong on real files, each tested from the rule that decides
/// it, on calendars in an exporter's shape.
@Suite("RFC 5545 rules found on real files")
struct RFC5545RulesTests {
    let parser = ICalendarParser(venueTimeZone: parisZone)
    let paris = ZoneLabels("Europe/Paris")
    let utc = ZoneLabels("UTC")

    func calendar(_ body: [String]) -> [UInt8] {
        icsBytes(["BEGIN:VCALENDAR", "VERSION:2.0", "PRODID:-//Mozilla.org/NONSGML Mozilla Calendar V1.1//EN"] + body + ["END:VCALENDAR"])
    }

    func expand(_ events: [ProgrammeEvent], _ from: Date, _ to: Date) -> [Occurrence] {
        OccurrenceExpander.occurrences(of: events, from: from, to: to, venueTimeZone: parisZone)
    }

    /// Section 3.8.7.4: SEQUENCE counts revisions, the highest is current; RFC 5546 section
    /// 2.1.5: with the same SEQUENCE, the later DTSTAMP. Not the order in the file.
    @Test func theHighestSequenceThenTheLatestStampWins() throws {
        func event(_ sequence: Int, _ stamp: String, _ title: String) -> [String] {
            ["BEGIN:VEVENT", "UID:rev@test", "SEQUENCE:\(sequence)", "DTSTAMP:\(stamp)", "SUMMARY:\(title)",
             "DTSTART;TZID=Europe/Paris:20261126T200000", "DTEND;TZID=Europe/Paris:20261126T220000", "END:VEVENT"]
        }
        let bySequence = try parser.parse(calendar(event(2, "20261101T000000Z", "v2") + event(1, "20261120T000000Z", "v1")))
        #expect(bySequence.events.map(\.title) == ["v2"])
        let byStamp = try parser.parse(calendar(event(1, "20261120T000000Z", "late") + event(1, "20261101T000000Z", "early")))
        #expect(byStamp.events.map(\.title) == ["late"])
        // Neither says: the last in the file.
        let byOrder = try parser.parse(calendar(event(0, "20261101T000000Z", "first") + event(0, "20261101T000000Z", "second")))
        #expect(byOrder.events.map(\.title) == ["second"])
        #expect(byOrder.warnings.list.first?.message == "2 revisions (lines 4, 12); kept SEQUENCE 0 of line 12")
        // Overrides are revisions of their own instance.
        let overrides = try parser.parse(calendar(
            event(0, "20261101T000000Z", "series").dropLast() + ["RRULE:FREQ=DAILY;COUNT=3", "END:VEVENT"]
                + ["BEGIN:VEVENT", "UID:rev@test", "RECURRENCE-ID;TZID=Europe/Paris:20261127T200000", "SEQUENCE:4", "SUMMARY:moved v4",
                   "DTSTART;TZID=Europe/Paris:20261127T210000", "DTEND;TZID=Europe/Paris:20261127T230000", "END:VEVENT"]
                + ["BEGIN:VEVENT", "UID:rev@test", "RECURRENCE-ID;TZID=Europe/Paris:20261127T200000", "SEQUENCE:3", "SUMMARY:moved v3",
                   "DTSTART;TZID=Europe/Paris:20261127T183000", "DTEND;TZID=Europe/Paris:20261127T203000", "END:VEVENT"]))
        let found = expand(overrides.events, paris.instant(2026, 11, 26), paris.instant(2026, 11, 29))
        #expect(found.map(\.title) == ["series", "moved v4", "series"])
    }

    /// An override exported twice is one instance, listed once.
    @Test func anIdenticalOverrideIsListedOnce() throws {
        let override = ["BEGIN:VEVENT", "UID:twice@test", "RECURRENCE-ID:20261125T170000Z", "SUMMARY:Moved", "DTSTART:20261125T180000Z", "DTEND:20261125T190000Z", "END:VEVENT"]
        let document = try parser.parse(calendar(
            ["BEGIN:VEVENT", "UID:twice@test", "SUMMARY:Weekly", "DTSTART:20261118T170000Z", "DTEND:20261118T180000Z", "RRULE:FREQ=WEEKLY", "END:VEVENT"]
                + override + override))
        let found = expand(document.events, paris.instant(2026, 11, 24), paris.instant(2026, 11, 27))
        #expect(found.map(\.title) == ["Moved"])
        #expect(document.warnings.list.map(\.message) == ["the same event (one instance) appears 2 times (lines 11, 18); listed once"])
    }

    /// Section 3.2.13: RANGE=THISANDFUTURE makes the override apply to its instance and to
    /// every later one: they move by the same shift and take its other properties; earlier
    /// instances keep the master's; an override of one later instance still wins for it.
    @Test func thisAndFutureShiftsEveryLaterInstance() throws {
        let document = try parser.parse(calendar([
            "BEGIN:VEVENT", "UID:w@test", "SUMMARY:Atelier", "LOCATION:Atelier 5", "DTSTART;TZID=Europe/Paris:20261104T180000",
            "DTEND;TZID=Europe/Paris:20261104T200000", "RRULE:FREQ=WEEKLY;COUNT=6", "END:VEVENT",
            "BEGIN:VEVENT", "UID:w@test", "RECURRENCE-ID;RANGE=THISANDFUTURE;TZID=Europe/Paris:20261118T180000",
            "SUMMARY:Atelier (nouvel horaire)", "LOCATION:Atelier 6", "DTSTART;TZID=Europe/Paris:20261118T190000",
            "DTEND;TZID=Europe/Paris:20261118T203000", "END:VEVENT",
            "BEGIN:VEVENT", "UID:w@test", "RECURRENCE-ID;TZID=Europe/Paris:20261202T180000", "SUMMARY:Atelier annulé",
            "STATUS:CANCELLED", "DTSTART;TZID=Europe/Paris:20261202T180000", "DTEND;TZID=Europe/Paris:20261202T200000", "END:VEVENT",
        ]))
        #expect(document.events[1].recurrenceRange == .thisAndFuture)
        let found = expand(document.events, paris.instant(2026, 11, 1), paris.instant(2026, 12, 31))
        #expect(found.map { paris.label($0.start) } == ["2026-11-04 18:00", "2026-11-11 18:00", "2026-11-18 19:00", "2026-11-25 19:00", "2026-12-02 18:00", "2026-12-09 19:00"])
        #expect(found.map(\.room) == ["Atelier 5", "Atelier 5", "Atelier 6", "Atelier 6", "", "Atelier 6"])
        #expect(found.map { paris.label($0.end) }.last == "2026-12-09 20:30")
        #expect(found[4].status == .cancelled)
    }

    /// Section 3.8.5.2: an RDATE of VALUE=PERIOD adds an instance with its own end, given
    /// as an end or as a duration.
    @Test func anRDatePeriodKeepsItsEnd() throws {
        let document = try parser.parse(calendar([
            "BEGIN:VEVENT", "UID:p@test", "SUMMARY:Projection", "DTSTART:20261120T190000Z", "DTEND:20261120T210000Z",
            "RDATE;VALUE=PERIOD:20261127T180000Z/20261127T233000Z,20261204T190000Z/PT45M", "END:VEVENT",
        ]))
        #expect(document.events[0].recurrence?.periods.count == 2)
        let found = expand(document.events, paris.instant(2026, 11, 1), paris.instant(2026, 12, 31))
        #expect(found.map { "\(utc.label($0.start))-\(utc.label($0.end))" } == [
            "2026-11-20 19:00-2026-11-20 21:00", "2026-11-27 18:00-2026-11-27 23:30", "2026-12-04 19:00-2026-12-04 19:45",
        ])
    }

    /// Section 3.3.6: a day of a DURATION is a nominal day, the same wall-clock time the
    /// next day (23 hours across the spring change); hours are exact. For a series, for
    /// each instance.
    @Test func aDurationDayIsANominalDayAcrossDaylightSaving() throws {
        // Paris springs forward on 29 March 2026.
        let document = try parser.parse(calendar([
            "BEGIN:VEVENT", "UID:day@test", "SUMMARY:Nuit", "DTSTART;TZID=Europe/Paris:20260328T120000", "DURATION:P1D", "END:VEVENT",
            "BEGIN:VEVENT", "UID:hours@test", "SUMMARY:24 h", "DTSTART;TZID=Europe/Paris:20260328T120000", "DURATION:PT24H", "END:VEVENT",
            "BEGIN:VEVENT", "UID:series@test", "SUMMARY:Série", "DTSTART;TZID=Europe/Paris:20260327T120000", "DURATION:P1DT1H",
            "RRULE:FREQ=DAILY;COUNT=3", "END:VEVENT",
        ]))
        let found = expand(document.events, paris.instant(2026, 3, 27), paris.instant(2026, 3, 31))
        func span(_ uid: String) -> [String] {
            found.filter { $0.uid == uid }.map { o in
                guard case .instant(let s) = o.start, case .instant(let e) = o.end else { return "?" }
                return "\(paris.label(o.end)) (\(Int(e.timeIntervalSince(s)) / 3600) h)"
            }
        }
        #expect(span("day@test") == ["2026-03-29 12:00 (23 h)"])
        #expect(span("hours@test") == ["2026-03-29 13:00 (24 h)"])
        #expect(span("series@test") == ["2026-03-28 13:00 (25 h)", "2026-03-29 13:00 (24 h)", "2026-03-30 13:00 (25 h)"])
    }

    /// A VTIMEZONE's offset at an instant is that of its latest onset before it, however
    /// old: an Outlook zone whose only observance starts in 1601.
    @Test func aZoneWhoseOnlyObservanceStartsIn1601() throws {
        let document = try parser.parse(calendar([
            "BEGIN:VTIMEZONE", "TZID:Customized Time Zone", "BEGIN:STANDARD", "DTSTART:16010101T000000",
            "TZOFFSETFROM:+0000", "TZOFFSETTO:+1000", "END:STANDARD", "END:VTIMEZONE",
            "BEGIN:VEVENT", "UID:a@test", "SUMMARY:A", "DTSTART;TZID=Customized Time Zone:20261201T100000",
            "DTEND;TZID=Customized Time Zone:20261201T110000", "RRULE:FREQ=WEEKLY;COUNT=2", "END:VEVENT",
            "BEGIN:VEVENT", "UID:b@test", "SUMMARY:B", "DTSTART;TZID=Customized Time Zone:19900615T100000", "END:VEVENT",
        ]))
        let found = expand(document.events, utc.instant(1990, 1, 1), utc.instant(2027, 1, 1))
        #expect(found.map { utc.label($0.start) } == ["1990-06-15 00:00", "2026-12-01 00:00", "2026-12-08 00:00"])
    }

    /// An override of an all-day series names a day: a RECURRENCE-ID written as a time with
    /// a TZID east of the venue (Tokyo midnight is the afternoon before in Paris) still
    /// names its own date, which is replaced; the day before stays.
    @Test func anAllDayOverrideWithAnEastwardRecurrenceId() throws {
        for rid in ["RECURRENCE-ID;TZID=Asia/Tokyo:20261125T000000", "RECURRENCE-ID;TZID=Pacific/Auckland:20261125T000000",
                    "RECURRENCE-ID;VALUE=DATE:20261125", "RECURRENCE-ID:20261124T230000Z"] {
            let document = try parser.parse(calendar([
                "X-WR-TIMEZONE:Europe/Paris",
                "BEGIN:VEVENT", "UID:expo@test", "SUMMARY:Expo", "DTSTART;VALUE=DATE:20261123", "DTEND;VALUE=DATE:20261124",
                "RRULE:FREQ=DAILY;COUNT=4", "END:VEVENT",
                "BEGIN:VEVENT", "UID:expo@test", rid, "SUMMARY:Expo (nocturne)", "DTSTART;VALUE=DATE:20261125",
                "DTEND;VALUE=DATE:20261126", "END:VEVENT",
            ]))
            let found = expand(document.events, paris.instant(2026, 11, 20), paris.instant(2026, 11, 30))
            #expect(found.map { "\(paris.label($0.start)) \($0.title)" } == [
                "2026-11-23 Expo", "2026-11-24 Expo", "2026-11-25 Expo (nocturne)", "2026-11-26 Expo",
            ], "\(rid)")
        }
    }

    /// CLDR's windowsZones mapping, all of it: every Windows name maps to its territory
    /// "001" zone, which Foundation knows, and every display name (written with UTC or, as
    /// older Outlook did, GMT) maps to the same zone.
    @Test func everyWindowsZoneAndDisplayNameOfCLDR() throws {
        let table = ICalendarTimeZoneNames.windowsZoneTable
        #expect(table.count == 139)
        #expect(table.reduce(0) { $0 + $1.territories.count } == 367)
        var unknown: [String] = []
        for zone in table {
            #expect(ICalendarTimeZoneNames.ianaName(for: zone.name) == zone.zone, "\(zone.name)")
            if IANATimeZone(identifier: zone.zone) == nil { unknown.append(zone.zone) }
            for iana in zone.territories.values.flatMap({ $0 }) where IANATimeZone(identifier: iana) == nil { unknown.append(iana) }
            let display = try #require(ICalendarTimeZoneNames.ianaName(for: zone.displayName), "\(zone.displayName)")
            let gmt = zone.displayName.replacingOccurrences(of: "(UTC", with: "(GMT")
            let viaGMT = try #require(ICalendarTimeZoneNames.ianaName(for: gmt), "\(gmt)")
            // Display names shared by two Windows zones (the same offset and cities) map to
            // one of them: the same offset today is what matters.
            let now = Date(timeIntervalSince1970: 1_795_000_000)
            #expect(IANATimeZone(identifier: display)?.secondsFromGMT(for: now) == IANATimeZone(identifier: zone.zone)?.secondsFromGMT(for: now), "\(zone.displayName)")
            #expect(viaGMT == display)
        }
        #expect(unknown.isEmpty, "IANA names Foundation does not know: \(unknown)")
        #expect(ICalendarTimeZoneNames.ianaName(for: "(GMT+10:00) Canberra, Melbourne, Sydney") == "Australia/Sydney")
        #expect(ICalendarTimeZoneNames.ianaName(for: "(GMT+01:00) Amsterdam, Berlin, Bern, Rome, Stockholm, Vienna") == "Europe/Berlin")
        #expect(ICalendarTimeZoneNames.ianaName(for: "(GMT) Greenwich Mean Time : Dublin, Edinburgh, Lisbon, London") == "Europe/London")
        #expect(ICalendarTimeZoneNames.ianaName(for: "romance standard time") == "Europe/Paris")
        // No city in common: a fixed offset, never a floating time.
        #expect(ICalendarTimeZoneNames.ianaName(for: "(UTC+03:00) Somewhere") == "Etc/GMT-3")
        #expect(ICalendarTimeZoneNames.ianaName(for: "(UTC+03:30) Somewhere") == nil)
    }
}
