import Foundation
import KioskCore
import Testing

@testable import KioskFeeds

@Suite("schema.org JSON-LD export")
struct ExportJSONLDTests {
    static let paris = ExportICalendarTests.paris
    static let exporter = ProgrammeJSONLDExporter(
        venue: .init(name: "La Fabrique", address: "12 rue des Ateliers, 69000 Lyon"), venueTimeZone: paris,
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
        #expect((location["containedInPlace"] as? [String: Any])?["address"] as? String == "12 rue des Ateliers, 69000 Lyon")
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
        let a = Self.exporter.export(ExportICalendarTests.programme, from: .distantPast, to: .distantFuture)
        let b = Self.exporter.export(ExportICalendarTests.programme, from: .distantPast, to: .distantFuture)
        #expect(a == b)
        #expect(!a.isEmpty)
    }
}
