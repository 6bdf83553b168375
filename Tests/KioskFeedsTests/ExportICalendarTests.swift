import Foundation
import KioskCore
import Testing

@testable import KioskFeeds

@Suite("iCalendar export")
struct ExportICalendarTests {
    static let paris = IANATimeZone(identifier: "Europe/Paris")!
    static let now = Date(timeIntervalSince1970: 1_767_225_600)  // 2026-01-01T00:00:00Z

    /// `YYYY-MM-DD HH:MM` on the wall clock of `zone`.
    static func at(_ text: String, _ zone: IANATimeZone = paris) -> Date {
        let f = DateFormatter()
        f.locale = Locale(identifier: "en_US_POSIX")
        f.timeZone = TimeZone(identifier: zone.identifier)!
        f.dateFormat = "yyyy-MM-dd HH:mm"
        return f.date(from: text)!
    }

    static func day(_ y: Int, _ m: Int, _ d: Int) -> EventTime { .date(CivilDate(year: y, month: m, day: d)) }

    static let tricky = "Atelier « vélo », réparation; pièces\\outils\nApporter: gants, café ☕ — entrée libre"

    static var programme: [ProgrammeEvent] {
        let newYork = IANATimeZone(identifier: "America/New_York")!
        return [
            // Weekly on Tuesday 10:00 Paris across the 29 March 2026 change, one EXDATE, one
            // moved override, one cancelled override.
            ProgrammeEvent(
                uid: "repair-cafe@kiosk", title: "Repair café", summary: tricky, room: "Fablab, RDC",
                categories: ["Atelier", "Réparation; DIY"], start: .instant(at("2026-03-03 10:00")),
                end: .instant(at("2026-03-03 12:00")), timeZone: "Europe/Paris",
                recurrence: Recurrence(
                    rules: ["FREQ=WEEKLY;BYDAY=TU;COUNT=10"], exceptions: [.instant(at("2026-03-17 10:00"))])),
            ProgrammeEvent(
                uid: "repair-cafe@kiosk", recurrenceID: .instant(at("2026-03-31 10:00")), title: "Repair café (déplacé)",
                room: "Salle Lumière", start: .instant(at("2026-04-01 14:00")), end: .instant(at("2026-04-01 16:30"))),
            ProgrammeEvent(
                uid: "repair-cafe@kiosk", recurrenceID: .instant(at("2026-04-14 10:00")), title: "Repair café",
                status: .cancelled, start: .instant(at("2026-04-14 10:00")), end: .instant(at("2026-04-14 12:00"))),
            // A series in another zone, crossing its own DST change (8 March 2026), plus an RDATE.
            ProgrammeEvent(
                uid: "call@kiosk", title: "Visio avec le tiers-lieu jumeau",
                start: .instant(at("2026-03-02 09:00", newYork)), end: .instant(at("2026-03-02 10:00", newYork)),
                timeZone: "America/New_York",
                recurrence: Recurrence(
                    rules: ["FREQ=WEEKLY;INTERVAL=1;UNTIL=20260331T000000Z"],
                    dates: [.instant(at("2026-04-15 09:00", newYork))])),
            // All-day, two days.
            ProgrammeEvent(uid: "festival@kiosk", title: "Festival des tiers-lieux", start: day(2026, 3, 20), end: day(2026, 3, 22)),
            // All-day monthly series with an excluded date.
            ProgrammeEvent(
                uid: "market@kiosk", title: "Marché des producteurs", categories: ["Marché"],
                start: day(2026, 2, 1), end: day(2026, 2, 2),
                recurrence: Recurrence(rules: ["FREQ=MONTHLY;BYMONTHDAY=1;COUNT=6"], exceptions: [day(2026, 4, 1)])),
            // A cancelled single event, a tentative one.
            ProgrammeEvent(
                uid: "concert@kiosk", title: "Concert, annulé", status: .cancelled,
                start: .instant(at("2026-03-28 20:30")), end: .instant(at("2026-03-28 23:00"))),
            ProgrammeEvent(
                uid: "talk@kiosk", title: String(repeating: "Conférence éco-conçue ", count: 8), status: .tentative,
                start: .instant(at("2026-05-05 18:00")), end: .instant(at("2026-05-05 19:30"))),
        ]
    }

    static func occurrences(_ events: [ProgrammeEvent]) -> [Occurrence] {
        OccurrenceExpander.occurrences(
            of: events, from: at("2026-01-01 00:00"), to: at("2027-01-01 00:00"), venueTimeZone: paris)
    }

    @Test("the exported calendar parsed back by ICalendarParser gives the same occurrences")
    func roundTrip() throws {
        let events = Self.programme
        let bytes = ICalendarExporter(calendarName: "Programme", venueTimeZone: Self.paris).export(events, now: Self.now)
        let document = try ICalendarParser(venueTimeZone: Self.paris).parse(bytes)
        #expect(document.warnings.total == 0, "\(document.warnings.list)")
        #expect(document.events.count == events.count)
        let expected = Self.occurrences(events)
        let actual = Self.occurrences(document.events)
        #expect(actual.count == expected.count)
        for (a, e) in zip(actual, expected) {
            #expect(a == e)
        }
        // The expected list is not trivially right: check the facts the fixture was built for.
        let repair = expected.filter { $0.uid == "repair-cafe@kiosk" }
        #expect(repair.count == 10 - 1)  // 10 instances, one EXDATE; the overrides replace two
        #expect(repair.contains { $0.start == .instant(Self.at("2026-03-24 10:00")) })
        #expect(Self.at("2026-03-24 10:00").timeIntervalSince1970.truncatingRemainder(dividingBy: 86_400) == 9 * 3600)  // 09:00Z
        #expect(repair.contains { $0.start == .instant(Self.at("2026-04-07 10:00")) })
        #expect(Self.at("2026-04-07 10:00").timeIntervalSince1970.truncatingRemainder(dividingBy: 86_400) == 8 * 3600)  // 08:00Z
        #expect(!repair.contains { $0.start == .instant(Self.at("2026-03-17 10:00")) })
        #expect(repair.contains { $0.title == "Repair café (déplacé)" && $0.start == .instant(Self.at("2026-04-01 14:00")) })
        #expect(repair.contains { $0.status == .cancelled })
        #expect(actual.first { $0.uid == "repair-cafe@kiosk" }?.summary == Self.tricky)
        #expect(actual.first { $0.uid == "repair-cafe@kiosk" }?.categories == ["Atelier", "Réparation; DIY"])
        #expect(expected.filter { $0.uid == "market@kiosk" }.count == 5)
        #expect(expected.filter { $0.uid == "call@kiosk" }.count == 5 + 1)  // Mondays 2 to 30 March, and the RDATE
    }

    @Test("lines are CRLF, at most 75 octets, and folds never split a UTF-8 character")
    func folding() throws {
        let bytes = ICalendarExporter(venueTimeZone: Self.paris).export(Self.programme, now: Self.now)
        var lines: [ArraySlice<UInt8>] = []
        var start = 0
        for i in bytes.indices where bytes[i] == 0x0A {
            #expect(i > 0 && bytes[i - 1] == 0x0D, "bare LF at \(i)")
            lines.append(bytes[start..<(i - 1)])
            start = i + 1
        }
        #expect(start == bytes.count)
        var folded = 0
        for line in lines {
            #expect(line.count <= 75)
            #expect(String(validating: line, as: UTF8.self) != nil, "a fold split a character")
            if line.first == 0x20 { folded += 1 }
        }
        #expect(folded > 0)  // the fixture has lines that must fold
        let text = String(decoding: bytes, as: UTF8.self)
        #expect(text.hasPrefix("BEGIN:VCALENDAR\r\nVERSION:2.0\r\nPRODID:"))
        #expect(text.hasSuffix("END:VCALENDAR\r\n"))
    }

    @Test("series use TZID with a VTIMEZONE generated from the zone's transitions")
    func timeZones() throws {
        let text = String(decoding: ICalendarExporter(venueTimeZone: Self.paris).export(Self.programme, now: Self.now), as: UTF8.self)
        let unfolded = text.replacingOccurrences(of: "\r\n ", with: "")
        #expect(unfolded.contains("DTSTART;TZID=Europe/Paris:20260303T100000\r\n"))
        #expect(unfolded.contains("EXDATE;TZID=Europe/Paris:20260317T100000\r\n"))
        #expect(unfolded.contains("RECURRENCE-ID;TZID=Europe/Paris:20260331T100000\r\n"))
        #expect(unfolded.contains("DTSTART;TZID=America/New_York:20260302T090000\r\n"))
        #expect(unfolded.contains("DTSTART;VALUE=DATE:20260320\r\n"))
        #expect(unfolded.contains("EXDATE;VALUE=DATE:20260401\r\n"))
        #expect(unfolded.contains("STATUS:CANCELLED\r\n"))
        #expect(unfolded.contains("DTSTART:20260328T193000Z\r\n"))
        // The spring-forward of 2026 in Paris: 02:00 local (UTC+1) becomes 03:00 (UTC+2).
        #expect(unfolded.contains("BEGIN:DAYLIGHT\r\nDTSTART:20260329T020000\r\nTZOFFSETFROM:+0100\r\nTZOFFSETTO:+0200\r\nEND:DAYLIGHT"))
        #expect(unfolded.contains("BEGIN:STANDARD\r\nDTSTART:20261025T030000\r\nTZOFFSETFROM:+0200\r\nTZOFFSETTO:+0100\r\nEND:STANDARD"))
        #expect(unfolded.contains("BEGIN:DAYLIGHT\r\nDTSTART:20260308T020000\r\nTZOFFSETFROM:-0500\r\nTZOFFSETTO:-0400\r\nEND:DAYLIGHT"))
        #expect(unfolded.components(separatedBy: "BEGIN:VTIMEZONE").count == 3)
        #expect(unfolded.contains("SUMMARY:Concert\\, annulé\r\n"))
        #expect(unfolded.contains("CATEGORIES:Atelier,Réparation\\; DIY\r\n"))
    }

    @Test("a series known only by its VTIMEZONE rules is written back with them and recurs alike")
    func rulesOnlyZone() throws {
        let source = """
            BEGIN:VCALENDAR\r
            VERSION:2.0\r
            BEGIN:VTIMEZONE\r
            TZID:Custom Lobby Time\r
            BEGIN:STANDARD\r
            DTSTART:19701025T030000\r
            TZOFFSETFROM:+0200\r
            TZOFFSETTO:+0100\r
            RRULE:FREQ=YEARLY;BYMONTH=10;BYDAY=-1SU\r
            END:STANDARD\r
            BEGIN:DAYLIGHT\r
            DTSTART:19700329T020000\r
            TZOFFSETFROM:+0100\r
            TZOFFSETTO:+0200\r
            RRULE:FREQ=YEARLY;BYMONTH=3;BYDAY=-1SU\r
            END:DAYLIGHT\r
            END:VTIMEZONE\r
            BEGIN:VEVENT\r
            UID:custom@x\r
            DTSTART;TZID=Custom Lobby Time:20260310T183000\r
            DTEND;TZID=Custom Lobby Time:20260310T200000\r
            RRULE:FREQ=WEEKLY;COUNT=6\r
            SUMMARY:Chorale\r
            END:VEVENT\r
            END:VCALENDAR\r

            """
        let parser = ICalendarParser(venueTimeZone: IANATimeZone(identifier: "UTC")!)
        let original = try parser.parse(Array(source.utf8)).events
        try #require(original.first?.timeZoneRules != nil)
        let exported = ICalendarExporter(venueTimeZone: Self.paris).export(original, now: Self.now)
        #expect(String(decoding: exported, as: UTF8.self).contains("TZID:Custom Lobby Time"))
        let back = try parser.parse(exported).events
        let utc = IANATimeZone(identifier: "UTC")!
        let window = (Self.at("2026-01-01 00:00"), Self.at("2027-01-01 00:00"))
        let a = OccurrenceExpander.occurrences(of: original, from: window.0, to: window.1, venueTimeZone: utc)
        let b = OccurrenceExpander.occurrences(of: back, from: window.0, to: window.1, venueTimeZone: utc)
        #expect(a.count == 6)
        #expect(a == b)
    }

    @Test("TEXT escaping follows RFC 5545 section 3.3.11")
    func escaping() {
        #expect(ICalendarWriter.text("a,b;c\\d\ne\r\nf") == "a\\,b\\;c\\\\d\\ne\\nf")
        #expect(ICalendarWriter.parameterValue("Europe/Paris") == "Europe/Paris")
        #expect(ICalendarWriter.parameterValue("a:b") == "\"a:b\"")
    }
}
