import Foundation
import KioskCore
import Testing

@testable import KioskStore

@Suite struct CheckInDurabilityTests {
    static let settings = CheckInSettings()

    @Test func attendanceByDayHourEventAndRoleSurvivesThePurge() throws {
        let workshop = Occurrence(
            uid: "atelier@mixeur", title: "Atelier \"Diptyc\", sérigraphie", start: .instant(parisTime("2025-01-10 14:00:00")),
            end: .instant(parisTime("2025-01-10 17:00:00")))
        try withLedger { store, ledger in
            var tags: [String] = []
            for (i, (name, role)) in [("Ada", Person.Role.resident), ("Bruno", .member), ("Chloé", .visitor)].enumerated() {
                let person = try ledger.addPerson(firstName: name, role: role, at: parisTime("2025-01-01 10:00:00"))
                try ledger.enrol(tag: "B\(i)", personID: person.id, at: parisTime("2025-01-01 10:00:00"))
                tags.append("B\(i)")
            }
            func scan(_ tag: String, _ time: String) throws {
                _ = try ledger.recordScan(tag: tag, at: parisTime(time), runningOccurrences: [workshop], settings: Self.settings)
            }
            // 10 January (old): Ada 09:10 in, 12:00 out, 14:30 in (workshop); Bruno 09:40 in (no event);
            // Chloé 14:05 in (workshop).
            try scan("B0", "2025-01-10 09:10:00")
            try scan("B1", "2025-01-10 09:40:00")
            try scan("B0", "2025-01-10 12:00:00")
            try scan("B2", "2025-01-10 14:05:00")
            try scan("B0", "2025-01-10 14:30:00")
            // 1 June (recent): Ada 10:00.
            try scan("B0", "2025-06-01 10:00:00")
            _ = try ledger.recordScan(tag: "UNKNOWN1", at: parisTime("2025-01-10 11:00:00"), runningOccurrences: [], settings: Self.settings)
            _ = try ledger.recordScan(tag: "UNKNOWN2", at: parisTime("2025-06-01 11:00:00"), runningOccurrences: [], settings: Self.settings)

            let jan10 = CivilDate(year: 2025, month: 1, day: 10), jun1 = CivilDate(year: 2025, month: 6, day: 1)
            let from = CivilDate(year: 2025, month: 1, day: 1), through = CivilDate(year: 2025, month: 6, day: 30)
            let byDay = try ledger.attendance(from: from, through: through, by: .day)
            let byEvent = try ledger.attendance(from: from, through: through, by: .event)
            let byRole = try ledger.attendance(from: from, through: through, by: .role)
            #expect(byDay == [AttendanceRow(day: jan10, count: 3), AttendanceRow(day: jun1, count: 1)])
            #expect(byEvent == [AttendanceRow(day: jan10, eventUID: "atelier@mixeur", eventTitle: "Atelier \"Diptyc\", sérigraphie", count: 2)])
            #expect(byRole == [AttendanceRow(role: .resident, count: 2), AttendanceRow(role: .member, count: 1), AttendanceRow(role: .visitor, count: 1)])
            #expect(
                try ledger.attendance(from: from, through: through, by: .hour) == [
                    AttendanceRow(day: jan10, hour: 9, count: 2), AttendanceRow(day: jan10, hour: 14, count: 2),
                    AttendanceRow(day: jun1, hour: 10, count: 1),
                ])
            // The window is inclusive at both ends and excludes other days.
            #expect(try ledger.attendance(from: jun1, through: jun1, by: .day) == [AttendanceRow(day: jun1, count: 1)])
            #expect(try ledger.attendance(from: jan10.adding(days: 1), through: jun1.adding(days: -1), by: .day).isEmpty)

            // Retention 90 days on 2 June: everything before 4 March goes.
            let summary = try ledger.purge(olderThan: 90, now: parisTime("2025-06-02 03:00:00"))
            #expect(summary.cutoff == parisTime("2025-03-04 00:00:00"))
            #expect(summary.checkIns == 5 && summary.unknownScans == 1)
            // Rows older than the period are gone, the daily counts remain.
            #expect(try store.database.scalar("SELECT count(*) FROM checkins WHERE at < ?", [summary.cutoff], as: Int.self) == 0)
            #expect(try store.database.scalar("SELECT count(*) FROM checkins", as: Int.self) == 1)
            #expect(try ledger.unknownScans().map(\.tag) == ["UNKNOWN2"])
            #expect(try ledger.attendance(from: from, through: through, by: .day) == byDay)
            #expect(try ledger.attendance(from: from, through: through, by: .event) == byEvent)
            #expect(try ledger.attendance(from: from, through: through, by: .role) == byRole)
            #expect(try ledger.attendance(from: from, through: through, by: .hour) == [AttendanceRow(day: jun1, hour: 10, count: 1)])
            // People stay enrolled; the purge is audited.
            #expect(try ledger.people().count == 3)
            #expect(try store.audit.entries().contains { $0.action == "checkins.purge" && $0.detail.contains("2025-03-04") })
            // Nothing left to purge: no second audit entry.
            #expect(try ledger.purge(olderThan: 90, now: parisTime("2025-06-02 03:00:00")).checkIns == 0)
            #expect(try store.audit.entries().filter { $0.action == "checkins.purge" }.count == 1)

            // A new scan after the purge adds to the kept counts, never re-counts.
            try scan("B1", "2025-06-01 15:00:00")
            #expect(try ledger.attendance(from: jun1, through: jun1, by: .day) == [AttendanceRow(day: jun1, count: 2)])
        }
    }

    @Test func aFailedScanLeavesNoPartialCheckIn() throws {
        try withLedger { store, ledger in
            let ada = try ledger.addPerson(firstName: "Ada", role: .member, at: parisTime("2025-03-01 10:00:00"))
            try ledger.enrol(tag: "A1", personID: ada.id, at: parisTime("2025-03-01 10:00:00"))
            // A scan writes the check-in row, the day's count, then the event's count: make
            // the last write fail, after the first two went through.
            try store.database.execute(
                "CREATE TRIGGER counts_fail BEFORE INSERT ON daily_counts WHEN NEW.event_uid <> '' BEGIN SELECT RAISE(ABORT, 'disk said no'); END")
            let talk = Occurrence(
                uid: "talk", title: "Rencontre", start: .instant(parisTime("2025-03-04 08:00:00")), end: .instant(parisTime("2025-03-04 10:00:00")))
            #expect { try ledger.recordScan(tag: "A1", at: parisTime("2025-03-04 09:00:00"), runningOccurrences: [talk], settings: Self.settings) } throws: { error in
                (error as? DatabaseError)?.message.contains("disk said no") == true
            }
            #expect(!store.database.isInTransaction)
            #expect(try store.database.scalar("SELECT count(*) FROM checkins", as: Int.self) == 0)
            #expect(try store.database.scalar("SELECT count(*) FROM daily_counts", as: Int.self) == 0)
            #expect(try ledger.presence(at: parisTime("2025-03-04 09:30:00")).isEmpty)

            // Once the fault is gone, the same scan is a first entry again, counted once.
            try store.database.execute("DROP TRIGGER counts_fail")
            let retry = try ledger.recordScan(tag: "A1", at: parisTime("2025-03-04 09:01:00"), runningOccurrences: [talk], settings: Self.settings)
            #expect(retry.decision == .checkIn(person: ada, occurrence: talk) && retry.countedForDay && retry.countedForEvent)
            let day = CivilDate(year: 2025, month: 3, day: 4)
            #expect(try ledger.attendance(from: day, through: day, by: .day) == [AttendanceRow(day: day, count: 1)])
            #expect(try ledger.attendance(from: day, through: day, by: .event).map(\.count) == [1])
        }
    }

    @Test func aCommittedScanIsVisibleToAnotherConnectionAtOnce() throws {
        try withTemporaryDirectory { dir in
            let store = try StateStore(stateDirectory: dir, timeZone: paris)
            let ledger = store.checkIns
            let ada = try ledger.addPerson(firstName: "Ada", role: .member, at: parisTime("2025-03-01 10:00:00"))
            try ledger.enrol(tag: "A1", personID: ada.id, at: parisTime("2025-03-01 10:00:00"))
            // A second connection, as another process would open the file (kioskctl).
            let observer = try Database(path: dir + "/" + StateStore.fileName)
            #expect(try observer.scalar("SELECT count(*) FROM checkins", as: Int.self) == 0)

            let outcome = try ledger.recordScan(tag: "A1", at: parisTime("2025-03-04 09:00:00"), runningOccurrences: [], settings: Self.settings)
            #expect(!store.database.isInTransaction, "committed, not left open")
            let row = try #require(try observer.queryFirst("SELECT id, person_id, direction FROM checkins"))
            #expect(try row.get("id", as: Int64.self) == outcome.recordID)
            #expect(try row.get("person_id", as: Int64.self) == ada.id)
            #expect(try row.get("direction", as: String.self) == "in")
            #expect(try observer.scalar("SELECT count FROM daily_counts WHERE event_uid = ''", as: Int.self) == 1)
            #expect(try store.database.synchronousMode == .full)
            #expect(try store.database.journalMode == "wal")
            // And a ledger on the second connection reads the same presence.
            #expect(try CheckInLedger(database: observer, timeZone: paris).presence(at: parisTime("2025-03-04 10:00:00")).map(\.person) == [ada])
        }
    }

    @Test func version1CheckInRowsSurviveTheUpgradeAndWorkWithTheLedger() throws {
        try withTemporaryDirectory { dir in
            let db = try Database(path: dir + "/v1.sqlite3")
            try StoreSchema.migrator.migrate(db, upTo: 1)
            let nine = parisTime("2025-03-04 09:00:00").timeIntervalSince1970
            try db.executeScript(
                """
                INSERT INTO residents (id, name, kind, membership, updated_at) VALUES ('labora', 'Labora', 'entreprise', 'installed', 0);
                INSERT INTO people (id, first_name, last_name, role, resident_id, created) VALUES (1, 'Ada', 'Lovelace', 'resident', 'labora', 100);
                INSERT INTO people (id, first_name, role, created) VALUES (2, 'Old', 'guest', 100);
                INSERT INTO badges (tag, person_id, created) VALUES ('A1', 1, 100);
                INSERT INTO badges (tag, person_id, created) VALUES ('G1', 2, 100);
                INSERT INTO checkins (tag, person_id, at, direction) VALUES ('A1', 1, \(Int(nine)), 'in');
                INSERT INTO unknown_scans (tag, at) VALUES ('ZZ', \(Int(nine)));
                INSERT INTO daily_counts (day, role, count) VALUES ('2025-03-04', 'resident', 1);
                """)
            let outcome = try StoreSchema.migrator.migrate(db)
            #expect(outcome.fromVersion == 1 && outcome.toVersion == StoreSchema.latestVersion)
            #expect(try db.integrityCheck() == [] && db.foreignKeyViolations() == [])

            let ledger = CheckInLedger(database: db, timeZone: paris)
            #expect(try ledger.person(id: 1) == Person(id: 1, firstName: "Ada", lastName: "Lovelace", role: .resident, residentID: "labora", created: Date(timeIntervalSince1970: 100)))
            #expect(try ledger.person(id: 2)?.role == .visitor, "a role v1 did not know becomes visitor")
            #expect(try ledger.badges(personID: 1) == [BadgeRecord(tag: "A1", personID: 1, created: Date(timeIntervalSince1970: 100))])
            #expect(try ledger.checkIns(personID: 1).map(\.isAutomatic) == [false])
            #expect(try ledger.unknownScans().map(\.reader) == [""])
            // The v1 entry counts as today's: a second scan checks out, nothing is counted twice.
            #expect(try ledger.presence(at: parisTime("2025-03-04 10:00:00")).map(\.person.id) == [1])
            let out = try ledger.recordScan(tag: "A1", at: parisTime("2025-03-04 12:00:00"), runningOccurrences: [], settings: Self.settings)
            #expect(out.decision.direction == .out)
            let day = CivilDate(year: 2025, month: 3, day: 4)
            #expect(try ledger.attendance(from: day, through: day, by: .day) == [AttendanceRow(day: day, count: 1)])
            // The rebuilt people table still cascades to badges and is still checked.
            #expect(try ledger.erase(personID: 2, at: parisTime("2025-03-05 10:00:00"))?.badges == 1)
            #expect(try db.scalar("SELECT count(*) FROM badges WHERE tag = 'G1'", as: Int.self) == 0)
            try db.execute("DELETE FROM people WHERE id = 1")
            #expect(try db.scalar("SELECT count(*) FROM badges", as: Int.self) == 0, "ON DELETE CASCADE")
            #expect(try db.scalar("SELECT person_id FROM checkins LIMIT 1", as: Int64.self) == nil, "ON DELETE SET NULL")
            #expect(throws: DatabaseError.self) { try db.execute("INSERT INTO people (first_name, role, created) VALUES ('X', 'guest', 0)") }
            #expect(throws: DatabaseError.self) { try db.execute("INSERT INTO badges (tag, person_id, created) VALUES ('Q', 999, 0)") }
        }
    }
}
