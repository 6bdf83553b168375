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
        let events = try parser.parse(try Data(contentsOf: url))
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
        let events = try parser.parse(Array(#"[{"uid":"a","title":"A","start":"2024-10-12T14:00:00Z"},{"uid":"b","title":"B","start":"2024-10-12"}]"#.utf8))
        #expect(events[0].end == .instant(Date(timeIntervalSince1970: 1_728_741_600 + 3600)))
        #expect(events[1].end == .date(CivilDate(year: 2024, month: 10, day: 13)))
    }

    @Test func errorsNameTheEventAndField() {
        func error(_ json: String) -> FeedJSONError? {
            do { _ = try parser.parse(Array(json.utf8)); return nil } catch { return error }
        }
        #expect(error(#"{"events":[{"uid":"x","title":"X"}]}"#) == FeedJSONError(format: "programme JSON", event: "x", field: "start", reason: "missing"))
        #expect(error(#"{"events":[{"uid":"x","title":"X","start":"12/10/2024"}]}"#)?.field == "start")
        #expect(error(#"{"events":[{"uid":"x","title":"X","start":"2024-10-12","end":"2024-10-12"}]}"#)?.field == "end")
        #expect(error(#"{"events":[{"uid":"x","title":"X","start":"2024-10-12","status":"maybe"}]}"#)?.field == "status")
        #expect(error(#"{"events":[{"uid":"x","title":"X","start":"2024-10-12","rrule":"FREQ=SOMETIMES"}]}"#)?.field == "rrule")
        #expect(error(#"{"events":[{"title":"X","start":"2024-10-12"}]}"#) == FeedJSONError(format: "programme JSON", event: "#0", field: "uid", reason: "missing"))
        #expect(error(#"{"events":[{"uid":"x","title":"X","start":"2024-10-12"},{"uid":"x","title":"Y","start":"2024-10-13"}]}"#)?.field == "uid")
        #expect(error(#"{"timeZone":"Paris","events":[]}"#)?.field == "timeZone")
    }
}
