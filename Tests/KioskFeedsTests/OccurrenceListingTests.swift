import Foundation
import KioskCore
import KioskFeeds
import Testing

@Suite("kioskctl occurrences contract")
struct OccurrenceListingTests {
    static let calendar = icsBytes([
        "BEGIN:VCALENDAR", "VERSION:2.0", "PRODID:-//kiosk//tests//FR",
        "BEGIN:VEVENT", "UID:club@mixeur", "SUMMARY:Ciné-club \"Lumière\"", "LOCATION:Salle Lumière",
        "CATEGORIES:Projection,Cinéma", "DTSTART;TZID=Europe/Paris:20241021T183000", "DTEND;TZID=Europe/Paris:20241021T203000",
        "RRULE:FREQ=WEEKLY;COUNT=3", "END:VEVENT",
        "BEGIN:VEVENT", "UID:club@mixeur", "RECURRENCE-ID;TZID=Europe/Paris:20241028T183000", "STATUS:CANCELLED",
        "SUMMARY:Ciné-club \"Lumière\"", "DTSTART;TZID=Europe/Paris:20241028T183000", "DTEND;TZID=Europe/Paris:20241028T203000", "END:VEVENT",
        "BEGIN:VEVENT", "UID:expo@mixeur", "SUMMARY:Expo", "DTSTART;VALUE=DATE:20241026", "DTEND;VALUE=DATE:20241028",
        "STATUS:TENTATIVE", "END:VEVENT",
        "BEGIN:VEVENT", "UID:aaa@mixeur", "SUMMARY:Même heure", "DTSTART:20241021T163000Z", "DURATION:PT30M", "END:VEVENT",
        "END:VCALENDAR",
    ])

    func objects(_ text: String) throws -> [[String: Any]] {
        try #require(try JSONSerialization.jsonObject(with: Data(text.utf8)) as? [[String: Any]])
    }

    @Test func smallCalendarFieldByField() throws {
        let from = Date(timeIntervalSince1970: 1_729_461_600)  // 2024-10-21T00:00:00+02:00
        let to = from + 15 * 86_400
        let text = try OccurrenceListing.json(fileBytes: Self.calendar, from: from, to: to, timeZone: parisZone)
        let list = try objects(text)
        #expect(list.count == 5)
        func row(_ i: Int) -> [String] {
            let o = list[i]
            return [o["uid"], o["title"], o["start"], o["end"], o["status"], o["room"]].map { "\($0 ?? "nil")" }
                + ["\((o["allDay"] as? Bool) ?? false)", ((o["categories"] as? [String]) ?? []).joined(separator: "|")]
        }
        // 16:30Z for both timed events on the 21st: sorted by uid.
        #expect(row(0) == ["aaa@mixeur", "Même heure", "2024-10-21T16:30:00Z", "2024-10-21T17:00:00Z", "confirmed", "", "false", ""])
        #expect(row(1) == ["club@mixeur", "Ciné-club \"Lumière\"", "2024-10-21T16:30:00Z", "2024-10-21T18:30:00Z", "confirmed", "Salle Lumière", "false", "Projection|Cinéma"])
        #expect(row(2) == ["expo@mixeur", "Expo", "2024-10-26", "2024-10-28", "tentative", "", "true", ""])
        // After the fall-back change (27 Oct) 18:30 Paris is 17:30Z; the override cancels it.
        #expect(row(3) == ["club@mixeur", "Ciné-club \"Lumière\"", "2024-10-28T17:30:00Z", "2024-10-28T19:30:00Z", "cancelled", "", "false", ""])
        #expect(row(4) == ["club@mixeur", "Ciné-club \"Lumière\"", "2024-11-04T17:30:00Z", "2024-11-04T19:30:00Z", "confirmed", "Salle Lumière", "false", "Projection|Cinéma"])
        #expect(Set(list[0].keys) == ["uid", "title", "start", "end", "allDay", "status", "room", "categories"])
    }

    @Test func statusMappingForOpenAgenda() throws {
        let from = Date(timeIntervalSince1970: 1_717_192_800), to = from + 60 * 86_400
        let text = try OccurrenceListing.json(fileBytes: Array(OpenAgendaParserTests.page2.utf8), from: from, to: to, timeZone: parisZone)
        let list = try objects(text)
        #expect(list.map { $0["status"] as? String } == ["cancelled", "confirmed"])  // postponed, full
        #expect(list.map { $0["start"] as? String } == ["2024-07-01T19:00:00Z", "2024-07-02T17:00:00Z"])
    }

    @Test func defaultWindowCoversABoundedFile() throws {
        let text = try OccurrenceListing.json(fileBytes: Self.calendar, from: nil, to: nil, timeZone: parisZone, now: Date(timeIntervalSince1970: 0))
        #expect(try objects(text).count == 5)
        let empty = try OccurrenceListing.json(fileBytes: icsBytes(["BEGIN:VCALENDAR", "END:VCALENDAR"]), from: nil, to: nil, timeZone: parisZone)
        #expect(empty == "[]\n")
    }

    @Test func formatDetection() {
        #expect(FeedFormat.detect([0xEF, 0xBB, 0xBF] + Array("\r\nbegin:vcalendar\r\n".utf8)) == .ics)
        #expect(FeedFormat.detect(Array(OpenAgendaParserTests.page1.utf8)) == .openagenda)
        #expect(FeedFormat.detect(Array(#"{"events":[{"uid":"a","title":"A","start":"2024-10-12"}]}"#.utf8)) == .json)
        #expect(FeedFormat.detect(Array(#"{"events":[{"uid":"a","firstTiming":{"begin":"2024-10-12T10:00:00Z"}}]}"#.utf8)) == .openagenda)
        #expect(FeedFormat.detect(Array("<html>".utf8)) == nil)
        #expect(throws: FeedRefusal.self) {
            _ = try OccurrenceListing.json(fileBytes: Array("hello".utf8), from: nil, to: nil, timeZone: parisZone)
        }
    }

    @Test func jsonEscaping() throws {
        let o = Occurrence(uid: "u\u{1}", title: "a\"b\\c\nd\té", start: .instant(Date(timeIntervalSince1970: 0)), end: .instant(Date(timeIntervalSince1970: 60)))
        let text = OccurrenceListing.render([o])
        #expect(text.contains(#""uid":"u\u0001""#))
        let list = try objects(text)
        #expect(list[0]["title"] as? String == "a\"b\\c\nd\té")
        #expect(list[0]["start"] as? String == "1970-01-01T00:00:00Z")
    }
}
