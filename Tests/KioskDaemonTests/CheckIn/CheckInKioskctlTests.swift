import Foundation
import Testing
import KioskCore
import KioskStore
@testable import KioskDaemon

/// The check-in commands of kioskctl on a temporary state directory.
@Suite struct CheckInKioskctlTests {
    typealias Site = KioskctlTests.Site
    static let paris = IANATimeZone(identifier: "Europe/Paris")!

    static func parisTime(_ text: String) -> Date {
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = TimeZone(identifier: paris.identifier)!
        let parts = text.split(whereSeparator: { "- :".contains($0) }).map { Int($0)! }
        return calendar.date(from: DateComponents(year: parts[0], month: parts[1], day: parts[2], hour: parts[3], minute: parts[4]))!
    }

    func store(_ site: Site) throws -> StateStore {
        try StateStore(stateDirectory: site.state, timeZone: Self.paris)
    }

    @Test func attendanceIsRFC4180CSVOrJSONByDayEventAndRole() async throws {
        let site = try Site()
        defer { site.remove() }
        let ledger = try store(site).checkIns
        let workshop = Occurrence(
            uid: "atelier@mixeur", title: "Atelier \"Diptyc\", sérigraphie",
            start: .instant(Self.parisTime("2025-01-10 14:00")), end: .instant(Self.parisTime("2025-01-10 17:00")))
        for (tag, name, role) in [("A1", "Ada", Person.Role.resident), ("B2", "Bruno", .visitor)] {
            let p = try ledger.addPerson(firstName: name, role: role, at: Self.parisTime("2025-01-01 10:00"))
            try ledger.enrol(tag: tag, personID: p.id, at: Self.parisTime("2025-01-01 10:00"))
        }
        let settings = CheckInSettings()
        for (tag, time) in [("A1", "2025-01-10 09:10"), ("B2", "2025-01-10 14:05"), ("A1", "2025-01-10 12:00"), ("A1", "2025-01-10 14:30"), ("A1", "2025-01-11 10:00")] {
            _ = try ledger.recordScan(tag: tag, at: Self.parisTime(time), runningOccurrences: [workshop], settings: settings)
        }

        let byDay = await site.run(["attendance", "--from", "2025-01-01", "--to", "2025-01-31"])
        #expect(byDay.status == 0, "\(byDay.err)")
        #expect(byDay.out == "day,count\r\n2025-01-10,2\r\n2025-01-11,1\r\n")
        let byEvent = await site.run(["attendance", "--from", "2025-01-10", "--to", "2025-01-10", "--by", "event"])
        #expect(byEvent.out == "day,event_uid,event_title,count\r\n2025-01-10,atelier@mixeur,\"Atelier \"\"Diptyc\"\", sérigraphie\",2\r\n")
        let byHour = await site.run(["attendance", "--from", "2025-01-10", "--to", "2025-01-10", "--by", "hour"])
        #expect(byHour.out == "day,hour,count\r\n2025-01-10,09:00,1\r\n2025-01-10,14:00,2\r\n")
        let byRole = await site.run(["attendance", "--from", "2025-01-01", "--to", "2025-01-31", "--by", "role", "--format", "json"])
        let objects = try JSONSerialization.jsonObject(with: Data(byRole.out.utf8)) as? [[String: Any]]
        #expect(objects?.count == 2)
        #expect(objects?.first?["role"] as? String == "resident" && objects?.first?["count"] as? Int == 2)
        #expect(objects?.last?["role"] as? String == "visitor" && objects?.last?["count"] as? Int == 1)

        #expect(await site.run(["attendance", "--to", "2025-01-31"]).status == 2)
        #expect(await site.run(["attendance", "--from", "2025-01-31", "--to", "2025-01-01"]).status == 2)
        #expect(await site.run(["attendance", "--from", "2025-01-01", "--by", "week"]).status == 2)
        #expect(await site.run(["attendance", "--from", "10/01/2025"]).status == 2)
        #expect(await site.run(["attendance", "--from", "2025-01-01", "--format", "xml"]).status == 2)
    }

    @Test func enrolTheLastUnknownScanThenPresenceListsThePerson() async throws {
        let site = try Site()
        defer { site.remove() }
        let checkStore = try store(site)
        try checkStore.residents.upsert(Resident(id: "diptyc", name: "Atelier Diptyc"), at: Date())
        let ledger = checkStore.checkIns
        _ = try ledger.recordScan(tag: "62e3086ced", at: Date().addingTimeInterval(-60), runningOccurrences: [], settings: CheckInSettings(), reader: "rdm6300")

        let unknown = await site.run(["badges", "unknown"])
        #expect(unknown.status == 0)
        #expect(unknown.out.contains("62E3086CED") && unknown.out.contains("1 unknown scan(s)"), "\(unknown.out)")

        // Mistakes store nothing.
        #expect(await site.run(["badges", "enrol", "--last", "--first", "Camille", "--role", "boss"]).status == 2)
        #expect(await site.run(["badges", "enrol", "--first", "Camille", "--role", "resident"]).status == 2, "neither TAG nor --last")
        #expect(await site.run(["badges", "enrol", "X1", "--last", "--first", "Camille", "--role", "resident"]).status == 2)
        #expect(await site.run(["badges", "enrol", "--last", "--first", "Camille", "--role", "resident", "--resident", "nobody"]).status == 1)
        #expect(try ledger.people().isEmpty)

        let enrolled = await site.run(["badges", "enrol", "--last", "--first", "Camille", "--last-name", "Martin", "--role", "resident", "--resident", "diptyc"])
        #expect(enrolled.status == 0, "\(enrolled.err)")
        #expect(enrolled.out.contains("enrolled badge 62E3086CED to person") && enrolled.out.contains("(new person)"), "\(enrolled.out)")
        #expect(try ledger.unknownScans().isEmpty)
        let camille = try #require(try ledger.person(holdingTag: "62E3086CED"))
        #expect(camille.firstName == "Camille" && camille.residentID == "diptyc" && camille.role == .resident)

        // Nothing left to enrol: exit 1, and no half-made person.
        let again = await site.run(["badges", "enrol", "--last", "--first", "Zoé", "--role", "visitor"])
        #expect(again.status == 1)
        #expect(again.err.contains("no unknown badge scan"))
        #expect(try ledger.people().count == 1)

        // A second badge for the same person, found by name, role and resident.
        let second = await site.run(["badges", "enrol", "04A1B2C3", "--first", "Camille", "--last-name", "Martin", "--role", "resident", "--resident", "diptyc"])
        #expect(second.status == 0 && !second.out.contains("new person"), "\(second.out)")
        #expect(Set(try ledger.badges(personID: camille.id).map(\.tag)) == ["62E3086CED", "04A1B2C3"])

        #expect(await site.run(["presence"]).out.hasPrefix("0 present"))
        _ = try ledger.recordScan(tag: "04A1B2C3", at: Date(), runningOccurrences: [], settings: CheckInSettings())
        let presence = await site.run(["presence"])
        #expect(presence.status == 0)
        #expect(presence.out.hasPrefix("1 present"), "\(presence.out)")
        #expect(presence.out.contains("Camille Martin — resident (Atelier Diptyc) — since ") && presence.out.contains("badge 04A1B2C3"), "\(presence.out)")
        let json = await site.run(["presence", "--format", "json"])
        let list = try JSONSerialization.jsonObject(with: Data(json.out.utf8)) as? [[String: Any]]
        #expect(list?.count == 1 && list?.first?["lastName"] as? String == "Martin" && list?.first?["tag"] as? String == "04A1B2C3")
    }

    @Test func exportThenEraseAPerson() async throws {
        let site = try Site()
        defer { site.remove() }
        let ledger = try store(site).checkIns
        let ada = try ledger.addPerson(firstName: "Ada", lastName: "Lovelace", role: .member, at: Self.parisTime("2025-01-01 10:00"))
        try ledger.enrol(tag: "A1", personID: ada.id, at: Self.parisTime("2025-01-01 10:00"))
        _ = try ledger.recordScan(tag: "A1", at: Self.parisTime("2025-01-10 09:00"), runningOccurrences: [], settings: CheckInSettings())
        _ = try ledger.recordScan(tag: "A1", at: Self.parisTime("2025-01-10 18:00"), runningOccurrences: [], settings: CheckInSettings())

        let export = await site.run(["person", "export", String(ada.id)])
        #expect(export.status == 0)
        let object = try JSONSerialization.jsonObject(with: Data(export.out.utf8)) as? [String: Any]
        #expect((object?["person"] as? [String: Any])?["lastName"] as? String == "Lovelace")
        #expect((object?["badges"] as? [Any])?.count == 1)
        #expect((object?["checkIns"] as? [[String: Any]])?.map { $0["direction"] as? String } == ["in", "out"])

        #expect(await site.run(["person", "erase", String(ada.id)]).status == 2, "--yes is required")
        #expect(try ledger.person(id: ada.id) != nil)
        let erased = await site.run(["person", "erase", String(ada.id), "--yes"])
        #expect(erased.status == 0)
        #expect(erased.out.contains("2 check-in(s), 1 badge(s)"), "\(erased.out)")
        #expect(try ledger.person(id: ada.id) == nil)
        #expect(try ledger.checkIns(personID: ada.id).isEmpty)
        // The anonymous count of that day remains.
        #expect(await site.run(["attendance", "--from", "2025-01-10", "--to", "2025-01-10"]).out == "day,count\r\n2025-01-10,1\r\n")
        #expect(await site.run(["person", "export", String(ada.id)]).status == 1)
        #expect(await site.run(["person", "erase", "999", "--yes"]).status == 1)
        #expect(await site.run(["person", "export", "abc"]).status == 2)
    }

    @Test func aReaderSectionWithoutDeviceIsAConfigurationError() async throws {
        let site = try Site(feeds: "[reader]\nprotocol = rdm6300\n")
        defer { site.remove() }
        let result = await site.run(["presence"])
        #expect(result.status == 78)
        #expect(result.err.contains("kiosk.conf:3: [reader] needs 'device"), "\(result.err)")
        let check = await site.run(["check-config"])
        #expect(check.status == 78)
    }
}
