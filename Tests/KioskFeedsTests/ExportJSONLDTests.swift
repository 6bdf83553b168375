import Foundation
import KioskCore
import Testing

@testable import KioskFeeds

@Suite("schema.org JSON-LD export")
struct ExportJSONLDTests {
    static let paris = ExportICalendarTests.paris
    static let exporter = ProgrammeJSONLDExporter(
        venue: .init(name: "La Fabrique", address: .init(street: "12 rue des Ateliers", postalCode: "69000", city: "Lyon", country: "FR")),
        venueTimeZone: paris,
        includeSchedules: true)

    static func graph() throws -> [[String: Any]] {
        let bytes = exporter.export(
            ExportICalendarTests.programme, from: ExportICalendarTests.at("2026-01-01 00:00"),
            to: ExportICalendarTests.at("2027-01-01 00:00"))
        let root = try #require(JSONSerialization.jsonObject(with: Data(bytes)) as? [String: Any])
        #expect(root["@context"] as? String == "https://schema.org")
        return try #require(root["@graph"] as? [[String: Any]])
    }

    @Test("one Event per occurrence, dates that read back to the occurrence instants")
    func occurrences() throws {
        let graph = try Self.graph()
        let expected = ExportICalendarTests.occurrences(ExportICalendarTests.programme)
        let dated = graph.filter { $0["startDate"] != nil }
        #expect(dated.count == expected.count)
        let iso = ISO8601DateFormatter()
        for (node, occurrence) in zip(dated, expected) {
            #expect(node["@type"] as? String == "Event")
            #expect(node["identifier"] as? String == occurrence.uid)
            #expect(node["name"] as? String == occurrence.title)
            switch occurrence.start {
            case .instant(let start):
                #expect((node["startDate"] as? String).flatMap(iso.date(from:)) == start)
            case .date(let day):
                #expect(node["startDate"] as? String == day.description)
            }
            switch occurrence.end {
            case .instant(let end):
                #expect((node["endDate"] as? String).flatMap(iso.date(from:)) == end)
            case .date(let day):
                #expect(node["endDate"] as? String == day.adding(days: -1).description)  // inclusive
            }
        }
        // Wall clock and offset on both sides of the Paris DST change.
        let repair = dated.filter { $0["identifier"] as? String == "repair-cafe@kiosk" }.compactMap { $0["startDate"] as? String }
        #expect(repair.contains("2026-03-24T10:00:00+01:00"))
        #expect(repair.contains("2026-04-07T10:00:00+02:00"))
        let festival = try #require(dated.first { $0["identifier"] as? String == "festival@kiosk" })
        #expect(festival["startDate"] as? String == "2026-03-20")
        #expect(festival["endDate"] as? String == "2026-03-21")
    }

    @Test("status, location, keywords and the weekly schedule")
    func fields() throws {
        let graph = try Self.graph()
        let concert = try #require(graph.first { $0["identifier"] as? String == "concert@kiosk" })
        #expect(concert["eventStatus"] as? String == "https://schema.org/EventCancelled")
        let talk = try #require(graph.first { $0["identifier"] as? String == "talk@kiosk" })
        #expect(talk["eventStatus"] as? String == "https://schema.org/EventScheduled")
        let repair = try #require(graph.first { $0["identifier"] as? String == "repair-cafe@kiosk" && $0["startDate"] != nil })
        let location = try #require(repair["location"] as? [String: Any])
        #expect(location["name"] as? String == "Fablab, RDC")
        let address = try #require((location["containedInPlace"] as? [String: Any])?["address"] as? [String: String])
        #expect(address == [
            "@type": "PostalAddress", "streetAddress": "12 rue des Ateliers", "postalCode": "69000", "addressLocality": "Lyon",
            "addressCountry": "FR",
        ])
        // The venue organises every event.
        for node in graph {
            let organizer = try #require(node["organizer"] as? [String: Any])
            #expect(organizer["@type"] as? String == "Organization" && organizer["name"] as? String == "La Fabrique")
            #expect(organizer["address"] as? [String: String] == address)
        }
        #expect(repair["keywords"] as? [String] == ["Atelier", "Réparation; DIY"])
        #expect(repair["description"] as? String == ExportICalendarTests.tricky)

        let series = try #require(graph.first { $0["identifier"] as? String == "repair-cafe@kiosk" && $0["eventSchedule"] != nil })
        let schedule = try #require(series["eventSchedule"] as? [String: Any])
        #expect(schedule["repeatFrequency"] as? String == "P1W")
        #expect(schedule["byDay"] as? [String] == ["https://schema.org/Tuesday"])
        #expect(schedule["repeatCount"] as? Int == 10)
        #expect(schedule["startTime"] as? String == "10:00:00")
        #expect(schedule["endTime"] as? String == "12:00:00")
        #expect(schedule["duration"] as? String == "PT2H0M")
        #expect(schedule["scheduleTimezone"] as? String == "Europe/Paris")
        #expect(schedule["exceptDate"] as? [String] == ["2026-03-17T10:00:00+01:00"])
        let market = try #require(graph.first { $0["identifier"] as? String == "market@kiosk" && $0["eventSchedule"] != nil })
        #expect((market["eventSchedule"] as? [String: Any])?["byMonthDay"] as? [Int] == [1])
    }

    @Test("the same programme gives the same bytes")
    func deterministic() {
        let a = Self.exporter.export(ExportICalendarTests.programme, from: Date.distantPast, to: Date.distantFuture)
        let b = Self.exporter.export(ExportICalendarTests.programme, from: Date.distantPast, to: Date.distantFuture)
        #expect(a == b)
        #expect(!a.isEmpty)
    }

    @Test("an event without a stated end has no endDate: iCalendar without DTEND, native JSON without end")
    func noInventedEnd() throws {
        let calendar = """
            BEGIN:VCALENDAR\r\nVERSION:2.0\r\nPRODID:-//t//FR\r\nBEGIN:VEVENT\r\nUID:open@t\r\nDTSTAMP:20260101T000000Z\r\n\
            DTSTART:20260310T180000Z\r\nSUMMARY:Vernissage\r\nEND:VEVENT\r\nBEGIN:VEVENT\r\nUID:closed@t\r\n\
            DTSTAMP:20260101T000000Z\r\nDTSTART:20260310T180000Z\r\nDTEND:20260310T200000Z\r\nSUMMARY:Concert\r\nEND:VEVENT\r\n\
            END:VCALENDAR\r\n
            """
        let fromICS = try ICalendarParser(venueTimeZone: Self.paris).parse(Array(calendar.utf8)).events
        let json = #"{"events": [{"uid": "json-open", "title": "Rencontre", "start": "2026-03-10T19:00"}]}"#
        let fromJSON = try ProgrammeJSONParser(venueTimeZone: Self.paris).read(Array(json.utf8)).events
        #expect(fromJSON.first?.endIsDefault == true)
        let bytes = Self.exporter.export(fromICS + fromJSON, from: ExportICalendarTests.at("2026-03-01 00:00"), to: ExportICalendarTests.at("2026-04-01 00:00"))
        let root = try #require(JSONSerialization.jsonObject(with: Data(bytes)) as? [String: Any])
        let graph = try #require(root["@graph"] as? [[String: Any]])
        func node(_ uid: String) throws -> [String: Any] { try #require(graph.first { $0["identifier"] as? String == uid }) }
        #expect(try node("open@t")["endDate"] == nil)
        #expect(try node("open@t")["startDate"] as? String == "2026-03-10T19:00:00+01:00")
        #expect(try node("json-open")["endDate"] == nil)
        #expect(try node("closed@t")["endDate"] as? String == "2026-03-10T21:00:00+01:00")
    }

    @Test("control characters never reach the feed; line breaks stay in descriptions only")
    func controlCharactersAreStripped() throws {
        let event = ProgrammeEvent(
            uid: "evil\u{1B}[2J@t", title: "Titre\r\nX-INJECT: 1\u{07}", summary: "ligne 1\r\nligne 2\u{1B}]0;pwn\u{07}\u{85}",
            room: "Salle\u{0}A", categories: ["Atelier\u{9B}"], audience: "Tout\u{7F} public",
            start: .instant(ExportICalendarTests.at("2026-03-10 18:00")), end: .instant(ExportICalendarTests.at("2026-03-10 19:00")))
        let exporter = ProgrammeJSONLDExporter(venue: .init(name: "Lieu\u{1B}"), venueTimeZone: Self.paris)
        let bytes = exporter.export([event], from: ExportICalendarTests.at("2026-03-01 00:00"), to: ExportICalendarTests.at("2026-04-01 00:00"))
        let text = String(decoding: bytes, as: UTF8.self)
        // No escaped control character either (\u001b, \r, \u0007...), except \n in the description.
        for escape in ["\\u00", "\\r", "\\t", "\\b", "\\f"] { #expect(!text.contains(escape), "\(escape) in \(text)") }
        let root = try #require(JSONSerialization.jsonObject(with: Data(bytes)) as? [String: Any])
        let node = try #require((root["@graph"] as? [[String: Any]])?.first)
        #expect(node["identifier"] as? String == "evil[2J@t")
        #expect(node["name"] as? String == "TitreX-INJECT: 1")
        #expect(node["description"] as? String == "ligne 1\nligne 2]0;pwn")
        #expect((node["location"] as? [String: Any])?["name"] as? String == "SalleA")
        #expect(node["keywords"] as? [String] == ["Atelier"])
    }

    @Test("an alert is published as a SpecialAnnouncement")
    func announcement() throws {
        let posted = ExportICalendarTests.at("2026-03-10 18:00")
        let bytes = Self.exporter.export(
            [], from: posted, to: posted.addingTimeInterval(86_400),
            announcement: .init(name: "Fermeture exceptionnelle", text: "Le lieu ferme à 16 h.", category: "closure", posted: posted, expires: nil))
        let root = try #require(JSONSerialization.jsonObject(with: Data(bytes)) as? [String: Any])
        let node = try #require((root["@graph"] as? [[String: Any]])?.first)
        #expect(node["@type"] as? String == "SpecialAnnouncement")
        #expect(node["name"] as? String == "Fermeture exceptionnelle")
        #expect(node["category"] as? String == "closure")
        #expect(node["datePosted"] as? String == "2026-03-10T18:00:00+01:00")
        #expect(node["expires"] == nil)
        #expect((node["announcementLocation"] as? [String: Any])?["name"] as? String == "La Fabrique")
    }
}
