import Foundation
import KioskCore
import KioskFeeds
import Testing

@Suite("Native programme JSON")
struct ProgrammeJSONParserTests {
    let parser = ProgrammeJSONParser(venueTimeZone: parisZone)
    let paris = ZoneLabels("Europe/Paris")

    @Test func documentedExampleParses() throws {
        // The example of docs/programme-json.md, kept in kiosk-config/samples.
        let url = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
            .appendingPathComponent("kiosk-config/samples/programme.json")
        let events = try parser.read(try Data(contentsOf: url)).events
        #expect(events.count == 4)
        #expect(events[0].uid == "atelier-stop-motion-2024-10-12")
        #expect(paris.label(events[0].start) == "2024-10-12 14:00")
        #expect(paris.label(events[0].end) == "2024-10-12 16:30")
        #expect(events[0].categories == ["Atelier"])
        #expect(events[1].isAllDay)
        #expect(events[1].end == .date(CivilDate(year: 2024, month: 10, day: 21)))
        #expect(events[2].recurrence?.rules == ["FREQ=WEEKLY;BYDAY=TU;COUNT=6"])
        #expect(events[3].status == .cancelled)
        let found = OccurrenceExpander.occurrences(of: events, from: paris.instant(2024, 10, 1), to: paris.instant(2024, 12, 1), venueTimeZone: parisZone)
        #expect(found.count == 1 + 1 + 5 + 1)  // one Tuesday is an exdate
    }

    @Test func defaultsAndBareArray() throws {
        let events = try parser.read(Array(#"[{"uid":"a","title":"A","start":"2024-10-12T14:00:00Z"},{"uid":"b","title":"B","start":"2024-10-12"}]"#.utf8)).events
        #expect(events[0].end == .instant(Date(timeIntervalSince1970: 1_728_741_600 + 3600)))
        #expect(events[1].end == .date(CivilDate(year: 2024, month: 10, day: 13)))
    }

    /// A bad event is skipped and named by index and uid; a bad optional field is skipped;
    /// the document is refused only when it is not one.
    @Test func badEventsAreSkippedAndNamedByIndexAndUid() throws {
        func read(_ json: String) throws -> ProgrammeJSONDocument { try parser.read(Array(json.utf8)) }
        func only(_ json: String) throws -> (events: [String], warning: String?) {
            let d = try read(json)
            #expect(d.warnings.total <= 1, "\(d.warnings.list)")
            return (d.events.map(\.uid), d.warnings.list.first?.description)
        }
        let good = #"{"uid":"ok","title":"OK","start":"2024-10-12"}"#
        var r = try only(#"{"events":[{"uid":"x","title":"X"},"# + good + "]}")
        #expect(r.events == ["ok"])
        #expect(r.warning == "event #0 x: dropped: start missing")
        r = try only(#"{"events":[{"uid":"x","title":"X","start":"12/10/2024"},"# + good + "]}")
        #expect(r.events == ["ok"] && r.warning?.hasPrefix("event #0 x: dropped: start '12/10/2024' is not ISO-8601") == true)
        r = try only(#"{"events":["# + good + #",{"title":"X","start":"2024-10-12"}]}"#)
        #expect(r.events == ["ok"] && r.warning == "event #1: dropped: uid missing")
        r = try only(#"{"events":["# + good + #",{"uid":"ok","title":"Y","start":"2024-10-13"}]}"#)
        #expect(r.events == ["ok"] && r.warning == "event #1 ok: dropped: uid already used by an earlier event")
        // Optional fields: the event stays, the field goes.
        r = try only(#"{"events":[{"uid":"x","title":"X","start":"2024-10-12","end":"2024-10-12"}]}"#)
        #expect(r.events == ["x"] && r.warning?.contains("end must be after start") == true)
        let maybe = try read(#"{"events":[{"uid":"x","title":"X","start":"2024-10-12","status":"maybe"}]}"#)
        #expect(maybe.events.first?.status == .confirmed && maybe.warnings.list.first?.message.contains("status 'maybe'") == true)
        let rule = try read(#"{"events":[{"uid":"x","title":"X","start":"2024-10-12","rrule":"FREQ=SOMETIMES"}]}"#)
        #expect(rule.events.first?.recurrence == nil && rule.warnings.list.first?.message.hasPrefix("rrule:") == true)
        let zone = try read(#"{"timeZone":"Paris","events":[]}"#)
        #expect(zone.warnings.list.first?.message.hasPrefix("timeZone is not an IANA zone") == true)
        // Not a programme at all, or cut: refused.
        #expect(throws: FeedJSONError.self) { _ = try read(#"{"events":[{"uid":"x","title":"X","start":"2024-10-"#) }
        #expect(throws: FeedJSONError.self) { _ = try read(#"{"programme":[]}"#) }
        #expect(throws: FeedJSONError.self) { _ = try read("42") }
    }

    @Test func moreThanHalfBrokenIsRefusedThroughTheDecoder() throws {
        let options = FeedDecoder.Options(venueTimeZone: parisZone)
        let mostlyBroken = #"{"events":[{"uid":"a"},{"uid":"b"},{"uid":"c","title":"C","start":"2024-10-12"}]}"#
        #expect(throws: FeedRefusal.self) { _ = try FeedDecoder.decode(Array(mostlyBroken.utf8), format: .json, options: options) }
        let halfBroken = #"{"events":[{"uid":"a"},{"uid":"c","title":"C","start":"2024-10-12"}]}"#
        let decoded = try FeedDecoder.decode(Array(halfBroken.utf8), format: .json, options: options)
        #expect(decoded.events.map(\.uid) == ["c"])
        #expect(decoded.eventsRead == 2 && decoded.eventsDropped == 1 && decoded.warningCount == 1)
    }

    @Test func pictureAndNewStatuses() throws {
        let d = try parser.read(Array(#"""
        {"events":[{"uid":"a","title":"A","start":"2024-10-12","image":"https://cdn.example.org/a.jpg","status":"moved-online"},
                   {"uid":"b","title":"B","start":"2024-10-12","image":"javascript:alert(1)","status":"rescheduled"}]}
        """#.utf8))
        #expect(d.events.map(\.imageURL) == ["https://cdn.example.org/a.jpg", nil])
        #expect(d.events.map(\.status) == [.movedOnline, .rescheduled])
        #expect(d.warnings.list.map(\.event) == ["#1 b"])
    }
}
