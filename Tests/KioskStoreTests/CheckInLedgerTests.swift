import Foundation
import KioskCore
import Testing

@testable import KioskStore

/// Instants on the venue's wall clock (Europe/Paris; UTC+1 in early March 2025).
func parisTime(_ text: String) -> Date {
    let formatter = DateFormatter()
    formatter.locale = Locale(identifier: "en_US_POSIX")
    formatter.timeZone = TimeZone(identifier: paris.identifier)!
    formatter.dateFormat = "yyyy-MM-dd HH:mm:ss"
    guard let date = formatter.date(from: text) else { fatalError("bad fixture instant \(text)") }
    return date
}

/// A state store in a temporary file, with the settings and people most tests use.
func withLedger<T>(_ body: (StateStore, CheckInLedger) throws -> T) throws -> T {
    try withTemporaryDirectory { dir in
        let store = try StateStore(stateDirectory: dir + "/state", timeZone: paris)
        return try body(store, store.checkIns)
    }
}

let noEvents: [Occurrence] = []

@Suite struct CheckInLedgerTests {
    static let settings = CheckInSettings()

    @Test func aSecondScanChecksOutWhenConfigured() throws {
        try withLedger { _, ledger in
            let camille = try ledger.addPerson(firstName: "Camille", lastName: "Martin", role: .member, at: parisTime("2025-03-01 10:00:00"))
            try ledger.enrol(tag: "62e3086ced", personID: camille.id, at: parisTime("2025-03-01 10:00:00"))

            let first = try ledger.recordScan(tag: "62E3086CED", at: parisTime("2025-03-04 09:00:00"), runningOccurrences: noEvents, settings: Self.settings)
            #expect(first.decision == .checkIn(person: camille, occurrence: nil))
            #expect(first.countedForDay)
            #expect(try ledger.presence(at: parisTime("2025-03-04 09:30:00")).map(\.person.id) == [camille.id])

            let second = try ledger.recordScan(tag: " 62e3086ced\n", at: parisTime("2025-03-04 12:00:00"), runningOccurrences: noEvents, settings: Self.settings)
            #expect(second.decision == .checkOut(person: camille))
            #expect(second.tag == "62E3086CED")
            #expect(try ledger.presence(at: parisTime("2025-03-04 12:30:00")).isEmpty)
            // Presence is read as of an instant: at 10:00 Camille was in.
            #expect(try ledger.presence(at: parisTime("2025-03-04 10:00:00")).count == 1)

            let back = try ledger.recordScan(tag: "62E3086CED", at: parisTime("2025-03-04 14:00:00"), runningOccurrences: noEvents, settings: Self.settings)
            #expect(back.decision == .checkIn(person: camille, occurrence: nil))
            #expect(!back.countedForDay, "back from lunch is the same visit")
            #expect(try ledger.checkIns(personID: camille.id).map(\.direction) == [.in, .out, .in])
            let day = CivilDate(year: 2025, month: 3, day: 4)
            #expect(try ledger.attendance(from: day, through: day, by: .day) == [AttendanceRow(day: day, count: 1)])
        }
    }

    @Test func aSecondScanKeepsThePersonInWhenConfigured() throws {
        var settings = Self.settings
        settings.secondScanChecksOut = false
        try withLedger { _, ledger in
            let ada = try ledger.addPerson(firstName: "Ada", role: .staff, at: parisTime("2025-03-01 10:00:00"))
            try ledger.enrol(tag: "04A1B2C3", personID: ada.id, at: parisTime("2025-03-01 10:00:00"))
            let first = try ledger.recordScan(tag: "04A1B2C3", at: parisTime("2025-03-04 09:00:00"), runningOccurrences: noEvents, settings: settings)
            let second = try ledger.recordScan(tag: "04A1B2C3", at: parisTime("2025-03-04 11:00:00"), runningOccurrences: noEvents, settings: settings)
            #expect(first.decision == .checkIn(person: ada, occurrence: nil))
            #expect(second.decision == .stayIn(person: ada, occurrence: nil))
            #expect(!second.countedForDay)
            let presence = try ledger.presence(at: parisTime("2025-03-04 11:30:00"))
            #expect(presence.map(\.person.id) == [ada.id])
            #expect(presence.first?.since == parisTime("2025-03-04 11:00:00"))
            #expect(try ledger.checkIns(personID: ada.id).map(\.direction) == [.in, .in])
            let day = CivilDate(year: 2025, month: 3, day: 4)
            #expect(try ledger.attendance(from: day, through: day, by: .role) == [AttendanceRow(role: .staff, count: 1)])
        }
    }

    @Test func entriesCountForTheEventInProgress() throws {
        let expo = Occurrence(
            uid: "expo@mixeur", title: "Exposition Fertil Ink", start: .date(CivilDate(year: 2025, month: 3, day: 4)),
            end: .date(CivilDate(year: 2025, month: 3, day: 5)))
        let atelier = Occurrence(
            uid: "atelier@mixeur", title: "Atelier sérigraphie", room: "Fablab", start: .instant(parisTime("2025-03-04 14:00:00")),
            end: .instant(parisTime("2025-03-04 16:00:00")))
        let cancelled = Occurrence(
            uid: "annule@mixeur", title: "Rencontre annulée", status: .cancelled, start: .instant(parisTime("2025-03-04 14:30:00")),
            end: .instant(parisTime("2025-03-04 15:30:00")))
        let programme = [cancelled, atelier, expo]
        var settings = Self.settings
        settings.secondScanChecksOut = false
        try withLedger { _, ledger in
            let lea = try ledger.addPerson(firstName: "Léa", role: .visitor, at: parisTime("2025-03-01 10:00:00"))
            let noa = try ledger.addPerson(firstName: "Noa", role: .member, at: parisTime("2025-03-01 10:00:00"))
            try ledger.enrol(tag: "AA01", personID: lea.id, at: parisTime("2025-03-01 10:00:00"))
            try ledger.enrol(tag: "AA02", personID: noa.id, at: parisTime("2025-03-01 10:00:00"))

            // Morning: only the all-day exhibition runs.
            let morning = try ledger.recordScan(tag: "AA02", at: parisTime("2025-03-04 10:00:00"), runningOccurrences: programme, settings: settings)
            #expect(morning.decision == .checkIn(person: noa, occurrence: expo))
            #expect(morning.countedForDay && morning.countedForEvent)
            // 15:00: the workshop started last; the cancelled meeting does not count.
            let visitor = try ledger.recordScan(tag: "AA01", at: parisTime("2025-03-04 15:00:00"), runningOccurrences: programme, settings: settings)
            #expect(visitor.decision == .visitorPass(person: lea, occurrence: atelier))
            // Noa, already in, scans at the workshop's door: counted for it, not again for the day.
            let again = try ledger.recordScan(tag: "AA02", at: parisTime("2025-03-04 15:05:00"), runningOccurrences: programme, settings: settings)
            #expect(again.decision == .stayIn(person: noa, occurrence: atelier))
            #expect(!again.countedForDay && again.countedForEvent)
            // And once more: nothing new to count.
            let thrice = try ledger.recordScan(tag: "AA02", at: parisTime("2025-03-04 15:10:00"), runningOccurrences: programme, settings: settings)
            #expect(!thrice.countedForDay && !thrice.countedForEvent)
            #expect(try ledger.checkIns(personID: noa.id).map(\.eventUID) == ["expo@mixeur", "atelier@mixeur", "atelier@mixeur"])

            let day = CivilDate(year: 2025, month: 3, day: 4)
            #expect(
                try ledger.attendance(from: day, through: day, by: .event) == [
                    AttendanceRow(day: day, eventUID: "atelier@mixeur", eventTitle: "Atelier sérigraphie", count: 2),
                    AttendanceRow(day: day, eventUID: "expo@mixeur", eventTitle: "Exposition Fertil Ink", count: 1),
                ])
            #expect(try ledger.attendance(from: day, through: day, by: .day) == [AttendanceRow(day: day, count: 2)])

            // With the option off, nothing is counted for events.
            settings.attendanceToRunningEvent = false
            let kim = try ledger.addPerson(firstName: "Kim", role: .member, at: parisTime("2025-03-01 10:00:00"))
            try ledger.enrol(tag: "AA03", personID: kim.id, at: parisTime("2025-03-01 10:00:00"))
            let off = try ledger.recordScan(tag: "AA03", at: parisTime("2025-03-04 15:00:00"), runningOccurrences: programme, settings: settings)
            #expect(off.decision == .checkIn(person: kim, occurrence: nil))
            #expect(try ledger.checkIns(personID: kim.id).map(\.eventUID) == [nil])
        }
    }

    @Test func closingChecksOutEveryoneStillIn() throws {
        try withLedger { store, ledger in
            let people = try ["Ada", "Bruno", "Chloé"].map { try ledger.addPerson(firstName: $0, role: .resident, at: parisTime("2025-03-01 10:00:00")) }
            for (i, person) in people.enumerated() { try ledger.enrol(tag: "T\(i)", personID: person.id, at: parisTime("2025-03-01 10:00:00")) }
            for i in 0..<3 { _ = try ledger.recordScan(tag: "T\(i)", at: parisTime("2025-03-04 09:0\(i):00"), runningOccurrences: noEvents, settings: Self.settings) }
            _ = try ledger.recordScan(tag: "T1", at: parisTime("2025-03-04 17:00:00"), runningOccurrences: noEvents, settings: Self.settings)

            let closing = parisTime("2025-03-04 19:00:00")
            let checkedOut = try ledger.autoCheckOut(at: closing)
            #expect(checkedOut.map(\.person.firstName) == ["Ada", "Chloé"])
            #expect(try ledger.presence(at: closing).isEmpty)
            let last = try ledger.checkIns(personID: people[0].id).last
            #expect(last?.direction == .out && last?.isAutomatic == true && last?.at == closing)
            #expect(try ledger.checkIns(personID: people[1].id).last?.isAutomatic == false)
            #expect(try ledger.autoCheckOut(at: closing).isEmpty, "a second run finds nobody")
            #expect(try store.audit.entries().map(\.action).filter { $0 == "checkins.auto-checkout" }.count == 1)

            // The next morning starts with an entry, not an exit.
            let next = try ledger.recordScan(tag: "T0", at: parisTime("2025-03-05 09:00:00"), runningOccurrences: noEvents, settings: Self.settings)
            #expect(next.decision == .checkIn(person: people[0], occurrence: nil))
        }
    }

    @Test func aClosingAtMidnightBelongsToTheDayItEnds() throws {
        try withLedger { _, ledger in
            let ada = try ledger.addPerson(firstName: "Ada", role: .member, at: parisTime("2025-03-01 10:00:00"))
            try ledger.enrol(tag: "T0", personID: ada.id, at: parisTime("2025-03-01 10:00:00"))
            _ = try ledger.recordScan(tag: "T0", at: parisTime("2025-03-04 21:00:00"), runningOccurrences: noEvents, settings: Self.settings)
            let checkedOut = try ledger.autoCheckOut(at: parisTime("2025-03-05 00:00:00"))
            #expect(checkedOut.map(\.person.id) == [ada.id])
            #expect(try ledger.checkIns(personID: ada.id).last?.at == parisTime("2025-03-04 23:59:59"))
        }
    }

    @Test func anUnknownBadgeIsKeptThenEnrolled() throws {
        try withLedger { store, ledger in
            let scan = try ledger.recordScan(tag: "67003b51c6", at: parisTime("2025-03-04 09:00:00"), runningOccurrences: noEvents, settings: Self.settings, reader: "rdm6300")
            #expect(scan.decision == .unknownBadge(tag: "67003B51C6"))
            #expect(!scan.countedForDay)
            #expect(try ledger.unknownScans() == [UnknownScan(id: scan.recordID, tag: "67003B51C6", at: parisTime("2025-03-04 09:00:00"), reader: "rdm6300")])
            #expect(try store.database.scalar("SELECT count(*) FROM checkins", as: Int.self) == 0)
            #expect(try store.database.scalar("SELECT count(*) FROM daily_counts", as: Int.self) == 0)

            let sam = try ledger.addPerson(firstName: "Sam", role: .volunteer, at: parisTime("2025-03-04 09:01:00"))
            // A scan older than "just now" is not picked.
            #expect(try ledger.enrolLastUnknownScan(personID: sam.id, since: parisTime("2025-03-04 09:00:30"), at: parisTime("2025-03-04 09:02:00")) == nil)
            #expect(try ledger.enrolLastUnknownScan(personID: sam.id, since: parisTime("2025-03-04 08:55:00"), label: "Bénévole 1", at: parisTime("2025-03-04 09:02:00")) == "67003B51C6")
            #expect(try ledger.unknownScans().isEmpty, "enrolment resolves the waiting scans")
            #expect(try ledger.badges(personID: sam.id) == [BadgeRecord(tag: "67003B51C6", personID: sam.id, label: "Bénévole 1", created: parisTime("2025-03-04 09:02:00"))])

            let welcome = try ledger.recordScan(tag: "67003B51C6", at: parisTime("2025-03-04 09:03:00"), runningOccurrences: noEvents, settings: Self.settings)
            #expect(welcome.decision == .checkIn(person: sam, occurrence: nil))

            // Someone else's badge cannot be taken; a revoked one can.
            let eve = try ledger.addPerson(firstName: "Ève", role: .member, at: parisTime("2025-03-04 10:00:00"))
            #expect(throws: RecordError.self) { try ledger.enrol(tag: "67003B51C6", personID: eve.id, at: parisTime("2025-03-04 10:00:00")) }
            #expect(throws: RecordError.self) { try ledger.enrol(tag: "FFFF", personID: 999, at: parisTime("2025-03-04 10:00:00")) }
            #expect(try ledger.revoke(tag: "67003b51c6", at: parisTime("2025-03-04 10:01:00")))
            #expect(try !ledger.revoke(tag: "67003B51C6", at: parisTime("2025-03-04 10:01:00")))
            let revoked = try ledger.recordScan(tag: "67003B51C6", at: parisTime("2025-03-04 10:02:00"), runningOccurrences: noEvents, settings: Self.settings)
            #expect(revoked.decision == .unknownBadge(tag: "67003B51C6"))
            try ledger.enrol(tag: "67003B51C6", personID: eve.id, at: parisTime("2025-03-04 10:03:00"))
            #expect(try ledger.person(holdingTag: "67003B51C6") == eve)
            #expect(try store.audit.entries().filter { $0.action == "badge.enrol" }.count == 2)
        }
    }

    @Test func presenceListsWhoIsInToday() throws {
        try withLedger { _, ledger in
            let names = ["Zoé", "Ada", "Bruno", "Chloé"]
            var people: [Person] = []
            for (i, name) in names.enumerated() {
                let person = try ledger.addPerson(firstName: name, role: .resident, at: parisTime("2025-03-01 10:00:00"))
                try ledger.enrol(tag: "P\(i)", personID: person.id, at: parisTime("2025-03-01 10:00:00"))
                people.append(person)
            }
            // Zoé came yesterday and never left: a new day starts without her.
            _ = try ledger.recordScan(tag: "P0", at: parisTime("2025-03-03 18:00:00"), runningOccurrences: noEvents, settings: Self.settings)
            _ = try ledger.recordScan(tag: "P3", at: parisTime("2025-03-04 08:30:00"), runningOccurrences: noEvents, settings: Self.settings)
            _ = try ledger.recordScan(tag: "P1", at: parisTime("2025-03-04 09:00:00"), runningOccurrences: noEvents, settings: Self.settings)
            _ = try ledger.recordScan(tag: "P2", at: parisTime("2025-03-04 09:15:00"), runningOccurrences: noEvents, settings: Self.settings)
            _ = try ledger.recordScan(tag: "P2", at: parisTime("2025-03-04 11:00:00"), runningOccurrences: noEvents, settings: Self.settings)
            // An unknown badge is nobody on the list.
            _ = try ledger.recordScan(tag: "DEAD", at: parisTime("2025-03-04 09:20:00"), runningOccurrences: noEvents, settings: Self.settings)

            let list = try ledger.presence(at: parisTime("2025-03-04 12:00:00"))
            #expect(list.map(\.person.firstName) == ["Ada", "Chloé"])
            #expect(list.map(\.tag) == ["P1", "P3"])
            #expect(list.map(\.since) == [parisTime("2025-03-04 09:00:00"), parisTime("2025-03-04 08:30:00")])
            #expect(try ledger.presence(at: parisTime("2025-03-03 19:00:00")).map(\.person.firstName) == ["Zoé"])
            #expect(try ledger.presenceState(personID: people[0].id, at: parisTime("2025-03-04 12:00:00")) == .absent)
        }
    }

    @Test func exportHoldsEverythingAboutAPersonAndEraseRemovesItButNotTheCounts() throws {
        try withLedger { store, ledger in
            try store.residents.upsert(Resident(name: "Atelier Diptyc"), at: parisTime("2025-03-01 10:00:00"))
            let camille = try ledger.addPerson(
                firstName: "Camille", lastName: "Martin", role: .resident, residentID: "atelier-diptyc", notes: "clé 12",
                at: parisTime("2025-03-01 10:00:00"))
            let other = try ledger.addPerson(firstName: "Noa", role: .member, at: parisTime("2025-03-01 10:00:00"))
            try ledger.enrol(tag: "C1", personID: camille.id, label: "fob", at: parisTime("2025-03-01 10:00:00"))
            try ledger.enrol(tag: "C2", personID: camille.id, at: parisTime("2025-03-02 10:00:00"))
            try ledger.enrol(tag: "N1", personID: other.id, at: parisTime("2025-03-01 10:00:00"))
            #expect(try ledger.revoke(tag: "C1", at: parisTime("2025-03-02 10:00:00")))
            _ = try ledger.recordScan(tag: "C1", at: parisTime("2025-03-03 09:00:00"), runningOccurrences: noEvents, settings: Self.settings)  // unknown now
            _ = try ledger.recordScan(tag: "C2", at: parisTime("2025-03-04 09:00:00"), runningOccurrences: noEvents, settings: Self.settings)
            _ = try ledger.recordScan(tag: "C2", at: parisTime("2025-03-04 18:00:00"), runningOccurrences: noEvents, settings: Self.settings)
            _ = try ledger.recordScan(tag: "N1", at: parisTime("2025-03-04 09:30:00"), runningOccurrences: noEvents, settings: Self.settings)

            let export = try #require(try ledger.export(personID: camille.id, at: parisTime("2025-03-05 10:00:00")))
            #expect(export.person == camille)
            #expect(export.badges.map(\.tag) == ["C1", "C2"])
            #expect(export.badges.first?.revoked == parisTime("2025-03-02 10:00:00"))
            #expect(export.checkIns.map(\.direction) == [.in, .out])
            #expect(export.checkIns.allSatisfy { $0.personID == camille.id })
            // The JSON decodes back to the same export.
            let decoder = JSONDecoder()
            decoder.dateDecodingStrategy = .iso8601
            #expect(try decoder.decode(PersonExport.self, from: export.jsonData()) == export)
            #expect(String(decoding: try export.jsonData(), as: UTF8.self).contains("\"firstName\" : \"Camille\""))
            #expect(try ledger.export(personID: 999, at: parisTime("2025-03-05 10:00:00")) == nil)

            let day = CivilDate(year: 2025, month: 3, day: 4)
            let before = try ledger.attendance(from: day, through: day, by: .role)
            let summary = try ledger.erase(personID: camille.id, at: parisTime("2025-03-05 10:00:00"), actor: "kioskctl:marie")
            #expect(summary == .init(checkIns: 2, badges: 2, unknownScans: 1))
            #expect(try ledger.person(id: camille.id) == nil)
            #expect(try ledger.person(holdingTag: "C2") == nil)
            #expect(try ledger.checkIns(personID: camille.id).isEmpty)
            #expect(try store.database.scalar("SELECT count(*) FROM checkins WHERE tag IN ('C1', 'C2')", as: Int.self) == 0)
            #expect(try ledger.unknownScans().isEmpty)
            // Other people and the anonymous counts stay.
            #expect(try ledger.checkIns(personID: other.id).count == 1)
            #expect(try ledger.attendance(from: day, through: day, by: .role) == before)
            #expect(before == [AttendanceRow(role: .resident, count: 1), AttendanceRow(role: .member, count: 1)])
            // The audit says what happened without naming anyone.
            let entry = try #require(try store.audit.entries().first { $0.action == "person.erase" })
            #expect(entry.actor == "kioskctl:marie")
            #expect(!entry.detail.contains("Camille") && !entry.detail.contains("Martin") && !entry.detail.contains("C2"))
            #expect(try ledger.erase(personID: camille.id, at: parisTime("2025-03-05 10:00:00")) == nil)
        }
    }

    @Test func thePresenceQueryIsIndexBacked() throws {
        try withLedger { store, _ in
            let plan = try store.database.query("EXPLAIN QUERY PLAN " + CheckInLedger.presenceSQL, [0, 0])
                .map { try $0.get("detail", as: String.self) }
            #expect(plan.contains { $0.contains("INDEX checkins_at") }, "\(plan)")
            #expect(plan.contains { $0.contains("INDEX checkins_person") }, "\(plan)")
            #expect(!plan.contains { $0.hasPrefix("SCAN") }, "no full table scan: \(plan)")
        }
    }
}
