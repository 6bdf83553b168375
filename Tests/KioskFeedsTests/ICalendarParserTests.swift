import Foundation
import KioskCore
import KioskFeeds
import Testing

@Suite("iCalendar parser")
struct ICalendarParserTests {
    let parser = ICalendarParser(venueTimeZone: parisZone)
    let paris = ZoneLabels("Europe/Paris")

    func occurrences(_ events: [ProgrammeEvent], _ from: Date, _ to: Date) -> [Occurrence] {
        OccurrenceExpander.occurrences(of: events, from: from, to: to, venueTimeZone: parisZone)
    }

    @Test func googleExportWithXWRTimezoneRecursOnParisWallClock() throws {
        // Google writes the weekly series in UTC (09:00Z = 10:00 CET) and names the zone in
        // X-WR-TIMEZONE: after the spring change the series stays at 10:00 Paris.
        let bytes = icsBytes([
            "BEGIN:VCALENDAR", "PRODID:-//Google Inc//Google Calendar 70.9054//EN", "VERSION:2.0",
            "CALSCALE:GREGORIAN", "METHOD:PUBLISH", "X-WR-CALNAME:Programme Le Mixeur",
            "X-WR-TIMEZONE:Europe/Paris",
            "BEGIN:VEVENT", "DTSTART:20240311T090000Z", "DTEND:20240311T110000Z", "RRULE:FREQ=WEEKLY;BYDAY=MO;COUNT=4",
            "DTSTAMP:20240301T120000Z", "UID:7kukuqrfedlm2f9t2vr42q2vlk@google.com",
            "CREATED:20240301T120000Z", "DESCRIPTION:Atelier ouvert\\, gratuit\\nInscription à l'accueil",
            "LAST-MODIFIED:20240301T120000Z", "LOCATION:Fablab\\, rez-de-chaussée", "SEQUENCE:0",
            "STATUS:CONFIRMED", "SUMMARY:Atelier impression 3D", "TRANSP:OPAQUE", "END:VEVENT",
            "BEGIN:VEVENT", "DTSTART;VALUE=DATE:20240316", "DTEND;VALUE=DATE:20240318",
            "UID:weekend@google.com", "SUMMARY:Week-end portes ouvertes", "STATUS:TENTATIVE", "END:VEVENT",
            "END:VCALENDAR",
        ])
        let document = try parser.parse(bytes)
        #expect(document.name == "Programme Le Mixeur")
        #expect(document.timeZone == "Europe/Paris")
        #expect(document.events.count == 2)
        let atelier = document.events[0]
        #expect(atelier.timeZone == "Europe/Paris")
        #expect(atelier.room == "Fablab, rez-de-chaussée")
        #expect(atelier.summary == "Atelier ouvert, gratuit\nInscription à l'accueil")
        let found = occurrences(document.events, paris.instant(2024, 3, 1), paris.instant(2024, 4, 30))
        #expect(found.map { paris.label($0.start) } == [
            "2024-03-11 10:00", "2024-03-16", "2024-03-18 10:00", "2024-03-25 10:00", "2024-04-01 10:00",
        ])
        #expect(found[1].end == .date(CivilDate(year: 2024, month: 3, day: 18)))
        #expect(found[1].status == .tentative)
    }

    @Test func outlookExportWithWindowsZoneNames() throws {
        let bytes = icsBytes([
            "BEGIN:VCALENDAR", "PRODID:-//Microsoft Corporation//Outlook 16.0 MIMEDIR//EN", "VERSION:2.0",
            "METHOD:PUBLISH", "X-MS-OLK-FORCEINSPECTOROPEN:TRUE",
            "BEGIN:VTIMEZONE", "TZID:Romance Standard Time",
            "BEGIN:STANDARD", "DTSTART:16011028T030000", "RRULE:FREQ=YEARLY;BYDAY=-1SU;BYMONTH=10",
            "TZOFFSETFROM:+0200", "TZOFFSETTO:+0100", "END:STANDARD",
            "BEGIN:DAYLIGHT", "DTSTART:16010325T020000", "RRULE:FREQ=YEARLY;BYDAY=-1SU;BYMONTH=3",
            "TZOFFSETFROM:+0100", "TZOFFSETTO:+0200", "END:DAYLIGHT", "END:VTIMEZONE",
            "BEGIN:VEVENT", "CLASS:PUBLIC", "CREATED:20240901T080000Z",
            "DESCRIPTION:Réunion des résidents\\n", "DTEND;TZID=\"Romance Standard Time\":20241021T103000",
            "DTSTAMP:20240901T080000Z", "DTSTART;TZID=\"Romance Standard Time\":20241021T090000",
            "LOCATION:Salle Coursive", "PRIORITY:5", "RRULE:FREQ=WEEKLY;COUNT=3;BYDAY=MO",
            "SEQUENCE:0", "SUMMARY;LANGUAGE=fr-fr:Café des résidents", "TRANSP:OPAQUE",
            "UID:040000008200E00074C5B7101A82E00800000000B0E2C5F1D3F4DA01000000000000000010000000",
            "X-MICROSOFT-CDO-BUSYSTATUS:BUSY", "END:VEVENT",
            "BEGIN:VEVENT", "DTSTART;TZID=W. Europe Standard Time:20241022T140000",
            "DTEND;TZID=W. Europe Standard Time:20241022T150000", "UID:berlin-zone", "SUMMARY:Visite", "END:VEVENT",
            "END:VCALENDAR",
        ])
        let document = try parser.parse(bytes)
        #expect(document.events[0].timeZone == "Europe/Paris")
        #expect(document.events[0].title == "Café des résidents")
        #expect(document.events[1].timeZone == "Europe/Berlin")
        let found = occurrences(document.events, paris.instant(2024, 10, 1), paris.instant(2024, 11, 30))
        #expect(found.map { paris.label($0.start) } == ["2024-10-21 09:00", "2024-10-22 14:00", "2024-10-28 09:00", "2024-11-04 09:00"])
        #expect(found.map { paris.label($0.end) }.first == "2024-10-21 10:30")
    }

    @Test func unmappedTzidUsesTheVTimezoneRules() throws {
        // A private TZID with Paris-like rules: offsets come from the VTIMEZONE itself.
        let bytes = icsBytes([
            "BEGIN:VCALENDAR", "VERSION:2.0",
            "BEGIN:VEVENT", "UID:custom", "SUMMARY:Concert",
            "DTSTART;TZID=Heure de la salle:20240325T200000", "DURATION:PT2H",
            "RRULE:FREQ=WEEKLY;COUNT=2", "END:VEVENT",
            "BEGIN:VTIMEZONE", "TZID:Heure de la salle",
            "BEGIN:DAYLIGHT", "DTSTART:19810329T020000", "RRULE:FREQ=YEARLY;BYMONTH=3;BYDAY=-1SU",
            "TZOFFSETFROM:+0100", "TZOFFSETTO:+0200", "TZNAME:CEST", "END:DAYLIGHT",
            "BEGIN:STANDARD", "DTSTART:19961027T030000", "RRULE:FREQ=YEARLY;BYMONTH=10;BYDAY=-1SU",
            "TZOFFSETFROM:+0200", "TZOFFSETTO:+0100", "TZNAME:CET", "END:STANDARD",
            "END:VTIMEZONE", "END:VCALENDAR",
        ])
        let document = try parser.parse(bytes)
        let event = try #require(document.events.first)
        #expect(event.timeZone == nil)
        #expect(event.timeZoneRules?.identifier == "Heure de la salle")
        let utc = ZoneLabels("UTC")
        #expect(utc.label(event.start) == "2024-03-25 19:00")  // +01:00 before the change
        let found = occurrences(document.events, paris.instant(2024, 3, 1), paris.instant(2024, 4, 30))
        #expect(found.map { utc.label($0.start) } == ["2024-03-25 19:00", "2024-04-01 18:00"])  // +02:00 after
        #expect(found.map { paris.label($0.end) } == ["2024-03-25 22:00", "2024-04-01 22:00"])
    }

    @Test func pathPrefixedTzidAndFloatingTimes() throws {
        let bytes = icsBytes([
            "BEGIN:VCALENDAR",
            "BEGIN:VEVENT", "UID:a", "SUMMARY:A", "DTSTART;TZID=/citadel.org/20190101_1/Europe/London:20240610T090000", "END:VEVENT",
            "BEGIN:VEVENT", "UID:b", "SUMMARY:B", "DTSTART:20240610T090000", "DTEND:20240610T100000", "END:VEVENT",
            "END:VCALENDAR",
        ])
        let events = try parser.parse(bytes).events
        #expect(events[0].timeZone == "Europe/London")
        #expect(paris.label(events[0].start) == "2024-06-10 10:00")
        #expect(events[0].end == events[0].start)  // no DTEND, no DURATION: zero length
        #expect(events[1].timeZone == nil)  // floating: read in the venue's zone
        #expect(paris.label(events[1].start) == "2024-06-10 09:00")
        let other = try ICalendarParser(venueTimeZone: IANATimeZone(identifier: "America/New_York")!).parse(bytes).events
        #expect(ZoneLabels("America/New_York").label(other[1].start) == "2024-06-10 09:00")
    }

    @Test func foldingInsideAUTF8CharacterTabFoldsBomAndBareLF() throws {
        // "Café théâtre": é is C3 A9; the fold splits it between its two bytes.
        var bytes: [UInt8] = [0xEF, 0xBB, 0xBF]
        bytes += Array("BEGIN:VCALENDAR\nVERSION:2.0\n\nBEGIN:VEVENT\nUID:fold\nSUMMARY:Caf".utf8)
        bytes += [0xC3, 0x0D, 0x0A, 0x20, 0xA9]
        bytes += Array(" thé\r\n\tâtre\nDTSTART;VALUE=DATE:20240610\nCATEGORIES:Théâtre,Jeune\\, public\n ,Gratuit\nEND:VEVENT\nEND:VCALENDAR".utf8)
        let events = try parser.parse(bytes).events
        #expect(events.count == 1)
        #expect(events[0].title == "Café théâtre")
        #expect(events[0].categories == ["Théâtre", "Jeune, public", "Gratuit"])
        #expect(events[0].start == .date(CivilDate(year: 2024, month: 6, day: 10)))
        #expect(events[0].end == .date(CivilDate(year: 2024, month: 6, day: 11)))  // one day by default
    }

    @Test func textEscapesAndQuotedParameters() throws {
        let bytes = icsBytes([
            "BEGIN:VCALENDAR", "BEGIN:VEVENT", "UID:esc",
            "SUMMARY;ALTREP=\"cid:part1.0001@example.org\";LANGUAGE=fr:Projection\\; débat\\, \\\\ fin\\Nligne",
            "DTSTART;VALUE=DATE:20240610", "DURATION:P3D", "URL:https://example.org/a?b=1;c=2",
            "END:VEVENT", "END:VCALENDAR",
        ])
        let event = try #require(try parser.parse(bytes).events.first)
        #expect(event.title == "Projection; débat, \\ fin\nligne")
        #expect(event.end == .date(CivilDate(year: 2024, month: 6, day: 13)))
        #expect(event.url == "https://example.org/a?b=1;c=2")
    }

    @Test func badValuesAreSkippedWithTheirLineAndTheCleanEventsKept() throws {
        let bytes = icsBytes([
            "BEGIN:VCALENDAR",
            "BEGIN:VEVENT", "UID:a", "DTSTART:20261324T180000Z", "SUMMARY:Bad month", "END:VEVENT",          // 2-6
            "BEGIN:VEVENT", "UID:b", "DTSTART:20261124T180000Z", "SUMMARY:Fine", "END:VEVENT",               // 7-11
            "BEGIN:VEVENT", "UID:c", "DTSTART:20261125T180000Z", "DURATION:1 hour", "END:VEVENT",            // 12-16
            "BEGIN:VEVENT", "UID:d", "DTSTART:20261126T180000Z", "RRULE:FREQ=SOMETIMES", "END:VEVENT",       // 17-21
            "END:VCALENDAR",
        ])
        let document = try parser.parse(bytes)
        // a has no valid DTSTART: dropped; c and d lose the bad property only.
        #expect(document.events.map(\.uid) == ["b", "c", "d"])
        #expect(document.eventsRead == 4 && document.eventsDropped == 1)
        #expect(document.warnings.list.map(\.line) == [4, 15, 20])
        #expect(document.warnings.list.map(\.event) == ["a", "c", "d"])
        #expect(document.warnings.list[0].message == "dropped: DTSTART value '20261324T180000Z' is not a DATE or DATE-TIME")
        #expect(document.warnings.list[1].message.hasPrefix("DURATION '1 hour' is not an RFC 5545 duration"))
        #expect(document.warnings.list[2].message.contains("FREQ=SOMETIMES"))
        #expect(document.events[1].end == document.events[1].start)
        #expect(document.events[2].recurrence == nil)
    }

    @Test func warningsNameThePhysicalLine() throws {
        // Line 4 is folded over lines 4-5; the bad DTSTART is on line 6 (the event starts on 2).
        let bytes = icsBytes([
            "BEGIN:VCALENDAR", "BEGIN:VEVENT", "UID:x", "SUMMARY:Long", " title", "DTEND:2024061", "DTSTART:20240610T100000Z", "END:VEVENT", "END:VCALENDAR",
        ])
        #expect(try parser.parse(bytes).warnings.list.map(\.description) == ["line 6: event x: DTEND value '2024061' is not a DATE or DATE-TIME; ignored"])
        let noColon = icsBytes(["BEGIN:VCALENDAR", "VERSION 2.0", "BEGIN:VEVENT", "UID:y", "DTSTART:20240610T100000Z", "END:VEVENT", "END:VCALENDAR"])
        let skipped = try parser.parse(noColon)
        #expect(skipped.events.count == 1)
        #expect(skipped.warnings.list.map(\.line) == [2])
        let badRule = icsBytes(["BEGIN:VCALENDAR", "BEGIN:VEVENT", "DTSTART:20240610T100000Z", "RRULE:FREQ=WEEKLY;BYDAY=XY", "END:VEVENT", "END:VCALENDAR"])
        let rule = try parser.parse(badRule)
        #expect(rule.warnings.list.first?.line == 4)
        #expect(rule.warnings.list.first?.message.contains("BYDAY=XY") == true)
        #expect(rule.warnings.list.first?.event == "VEVENT of line 2")
    }

    @Test func truncatedCalendarsAndNonCalendarsAreRefused() {
        let truncated = icsBytes(["BEGIN:VCALENDAR", "VERSION:2.0", "BEGIN:VEVENT", "UID:x", "DTSTART:20240610T100000Z", "SUMMARY:Cut"])
        #expect(throws: ICalendarError(line: 3, reason: "BEGIN:VEVENT is never closed (truncated calendar?)")) {
            _ = try parser.parse(truncated)
        }
        let noEndCalendar = icsBytes(["BEGIN:VCALENDAR", "BEGIN:VEVENT", "UID:x", "DTSTART:20240610T100000Z", "END:VEVENT"])
        #expect(throws: ICalendarError(line: 1, reason: "BEGIN:VCALENDAR is never closed (truncated calendar?)")) { _ = try parser.parse(noEndCalendar) }
        // The only event is closed by END:VCALENDAR: it is broken, so is the whole calendar.
        let crossed = icsBytes(["BEGIN:VCALENDAR", "BEGIN:VEVENT", "UID:x", "DTSTART:20240610T100000Z", "END:VCALENDAR", "END:VEVENT"])
        #expect(throws: ICalendarError(line: 2, reason: "1 of 1 events are broken, the first: event x: dropped: BEGIN:VEVENT of line 2 is never closed")) {
            _ = try parser.parse(crossed)
        }
        #expect(throws: ICalendarError.self) { _ = try parser.parse(Array("<html>404</html>".utf8)) }
        #expect(throws: ICalendarError.self) { _ = try parser.parse([]) }
    }

    @Test func exdateAndRecurrenceIdInAnotherZoneThanDtstart() throws {
        let bytes = icsBytes([
            "BEGIN:VCALENDAR",
            "BEGIN:VEVENT", "UID:club@venue", "SUMMARY:Ciné-club", "LOCATION:Salle Lumière",
            "DTSTART;TZID=Europe/Paris:20240902T183000", "DTEND;TZID=Europe/Paris:20240902T203000",
            "RRULE:FREQ=WEEKLY;UNTIL=20240930T163000Z",
            "EXDATE:20240909T163000Z", "EXDATE;TZID=America/New_York:20240916T123000,20240923T123000",
            "END:VEVENT",
            "BEGIN:VEVENT", "UID:club@venue", "RECURRENCE-ID:20240930T163000Z", "SUMMARY:Ciné-club annulé",
            "STATUS:CANCELLED", "DTSTART;TZID=Europe/Paris:20240930T183000", "DTEND;TZID=Europe/Paris:20240930T203000",
            "END:VEVENT",
            "BEGIN:VEVENT", "UID:club@venue", "RECURRENCE-ID;TZID=Europe/Paris:20240902T183000", "SUMMARY:Ciné-club (séance spéciale)",
            "DTSTART;TZID=Europe/Paris:20240903T210000", "DTEND;TZID=Europe/Paris:20240903T230000", "LOCATION:Cour",
            "END:VEVENT",
            "END:VCALENDAR",
        ])
        let events = try parser.parse(bytes).events
        let found = occurrences(events, paris.instant(2024, 9, 1), paris.instant(2024, 10, 31))
        #expect(found.map { paris.label($0.start) } == ["2024-09-03 21:00", "2024-09-30 18:30"])
        #expect(found.map(\.status) == [.confirmed, .cancelled])
        #expect(found[0].room == "Cour")
    }

    @Test func fiveThousandEventsParseAndExpandQuickly() throws {
        var lines = ["BEGIN:VCALENDAR", "VERSION:2.0", "X-WR-TIMEZONE:Europe/Paris"]
        for i in 0..<5000 {
            lines += [
                "BEGIN:VEVENT", "UID:event-\(i)@bench", "SUMMARY:Atelier numéro \(i) avec un titre assez long pour être plié",
                "DESCRIPTION:Une description\\, avec des virgules\\; et des points-virgules\\nsur deux lignes",
                "LOCATION:Salle \(i % 12)", "CATEGORIES:Atelier,Jeune public",
                "DTSTART;TZID=Europe/Paris:2024\(String(format: "%02d", 1 + i % 12))\(String(format: "%02d", 1 + i % 28))T\(String(format: "%02d", 8 + i % 10))0000",
                "DTEND;TZID=Europe/Paris:2024\(String(format: "%02d", 1 + i % 12))\(String(format: "%02d", 1 + i % 28))T\(String(format: "%02d", 9 + i % 10))3000",
            ]
            if i % 3 == 0 { lines.append("RRULE:FREQ=WEEKLY;BYDAY=MO,WE") }
            if i % 7 == 0 { lines.append("EXDATE;TZID=Europe/Paris:20241007T100000") }
            lines.append("END:VEVENT")
        }
        lines.append("END:VCALENDAR")
        let bytes = icsBytes(lines)
        let clock = ContinuousClock()
        var count = 0
        let elapsed = clock.measure {
            let events = (try? parser.parse(bytes).events) ?? []
            count = OccurrenceExpander.occurrences(of: events, from: paris.instant(2024, 10, 1), to: paris.instant(2024, 10, 29), venueTimeZone: parisZone).count
        }
        #expect(count > 1000)
        // Debug builds are ~10x slower than release; release must stay far under 500 ms.
        #expect(elapsed < .seconds(5))
    }
}
