import Foundation
import Testing

@testable import KioskCore

@Suite struct AttendanceReportTests {
    static let jan10 = CivilDate(year: 2025, month: 1, day: 10)

    @Test func csvFollowsRFC4180() throws {
        let rows = [
            AttendanceRow(day: Self.jan10, eventUID: "atelier@mixeur", eventTitle: "Atelier \"Diptyc\", sérigraphie", count: 2),
            AttendanceRow(day: Self.jan10, eventUID: "cine", eventTitle: "Ciné-club\nsoirée", count: 12),
        ]
        let csv = AttendanceReport.csv(rows, groupedBy: .event)
        #expect(
            csv == "day,event_uid,event_title,count\r\n"
                + "2025-01-10,atelier@mixeur,\"Atelier \"\"Diptyc\"\", sérigraphie\",2\r\n"
                + "2025-01-10,cine,\"Ciné-club\nsoirée\",12\r\n")
        #expect(try CSV.parse(csv) == [
            ["day", "event_uid", "event_title", "count"],
            ["2025-01-10", "atelier@mixeur", "Atelier \"Diptyc\", sérigraphie", "2"],
            ["2025-01-10", "cine", "Ciné-club\nsoirée", "12"],
        ])
        #expect(AttendanceReport.csv([AttendanceRow(day: Self.jan10, hour: 9, count: 3)], groupedBy: .hour) == "day,hour,count\r\n2025-01-10,09:00,3\r\n")
        #expect(AttendanceReport.csv([AttendanceRow(role: .volunteer, count: 4)], groupedBy: .role) == "role,count\r\nvolunteer,4\r\n")
        #expect(AttendanceReport.csv([], groupedBy: .day) == "day,count\r\n")
    }

    @Test func jsonIsAnArrayOfObjectsWithTheSameKeys() throws {
        let rows = [AttendanceRow(day: Self.jan10, hour: 14, count: 2), AttendanceRow(day: Self.jan10.adding(days: 1), hour: 9, count: 1)]
        let data = try AttendanceReport.json(rows, groupedBy: .hour)
        let objects = try #require(try JSONSerialization.jsonObject(with: data) as? [[String: Any]])
        #expect(objects.count == 2)
        #expect(objects[0]["day"] as? String == "2025-01-10")
        #expect(objects[0]["hour"] as? Int == 14)
        #expect(objects[0]["count"] as? Int == 2)
        #expect(objects[1]["day"] as? String == "2025-01-11")
        #expect(Set(objects[0].keys) == ["day", "hour", "count"])
        let events = try AttendanceReport.json([AttendanceRow(day: Self.jan10, eventUID: "u/1", eventTitle: "Café \"pro\"", count: 5)], groupedBy: .event)
        let event = try #require((try JSONSerialization.jsonObject(with: events) as? [[String: Any]])?.first)
        #expect(event["event_title"] as? String == "Café \"pro\"")
        #expect(event["event_uid"] as? String == "u/1")
        #expect(String(decoding: try AttendanceReport.json([], groupedBy: .role), as: UTF8.self) == "[\n\n]")
    }
}
