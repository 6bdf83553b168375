import Foundation
import KioskCore

extension CheckInLedger {
    /// What a ``purge(olderThan:now:actor:)`` removed.
    public struct PurgeSummary: Sendable, Hashable {
        /// Rows before this instant were removed: the start of the oldest venue day kept.
        public var cutoff: Date
        public var checkIns: Int
        public var unknownScans: Int
    }

    /// What an ``erase(personID:at:actor:)`` removed.
    public struct EraseSummary: Sendable, Hashable {
        public var checkIns: Int
        public var badges: Int
        public var unknownScans: Int
    }

    /// Deletes personal check-in rows and unknown scans older than `days` whole venue
    /// days before `now`'s day (with 90, on 1 June everything before 3 March 00:00 goes),
    /// in one transaction with its audit entry. Anonymous `daily_counts` stay, so
    /// attendance by day, event and role is unchanged; hour buckets of purged days are
    /// gone. People and their badges are kept (they are erased on request).
    @discardableResult
    public func purge(olderThan days: Int, now: Date, actor: String = "kioskd") throws -> PurgeSummary {
        precondition(days >= 1, "the retention period must be at least one day (the counts rely on today's rows)")
        let cutoff = CivilDate(now, in: timeZone).adding(days: -days).start(in: timeZone)
        return try database.transaction(.immediate) {
            try database.execute("DELETE FROM checkins WHERE at < ?", [cutoff])
            let checkIns = database.changes
            try database.execute("DELETE FROM unknown_scans WHERE at < ?", [cutoff])
            let unknownScans = database.changes
            if checkIns + unknownScans > 0 {
                try AuditLog(database: database).record(
                    actor: actor, action: "checkins.purge",
                    detail: "\(checkIns) check-in(s), \(unknownScans) unknown scan(s) before \(CivilDate(cutoff, in: timeZone))",
                    at: Self.wholeSeconds(now))
            }
            return PurgeSummary(cutoff: cutoff, checkIns: checkIns, unknownScans: unknownScans)
        }
    }

    /// Everything held about a person (GDPR access request): the person, their badges,
    /// their check-ins oldest first; nil when there is no such person.
    public func export(personID: Int64, at instant: Date) throws -> PersonExport? {
        try database.transaction(.deferred) {
            guard let person = try person(id: personID) else { return nil }
            let checkIns = try database.query(
                "SELECT * FROM checkins WHERE person_id = ? ORDER BY at, id", [personID]
            ).map(Self.checkInRecord(from:))
            return PersonExport(person: person, badges: try badges(personID: personID), checkIns: checkIns, exportedAt: Self.wholeSeconds(instant))
        }
    }

    /// Erases a person (GDPR erasure request): their check-ins, their badges, the
    /// unknown scans of those badges, and the person, in one transaction with an audit
    /// entry that names no one. Anonymous counts stay. Returns nil when there is no such
    /// person.
    @discardableResult
    public func erase(personID: Int64, at instant: Date, actor: String = "kioskd") throws -> EraseSummary? {
        try database.transaction(.immediate) {
            guard try person(id: personID) != nil else { return nil }
            try database.execute("DELETE FROM checkins WHERE person_id = ?", [personID])
            let checkIns = database.changes
            try database.execute("DELETE FROM unknown_scans WHERE tag IN (SELECT tag FROM badges WHERE person_id = ?)", [personID])
            let unknownScans = database.changes
            try database.execute("DELETE FROM badges WHERE person_id = ?", [personID])
            let badges = database.changes
            try database.execute("DELETE FROM people WHERE id = ?", [personID])
            try AuditLog(database: database).record(
                actor: actor, action: "person.erase",
                detail: "person \(personID): \(checkIns) check-in(s), \(badges) badge(s), \(unknownScans) unknown scan(s)",
                at: Self.wholeSeconds(instant))
            return EraseSummary(checkIns: checkIns, badges: badges, unknownScans: unknownScans)
        }
    }

    /// Check-in rows of a person, oldest first (for staff screens and tests).
    public func checkIns(personID: Int64) throws -> [CheckInRecord] {
        try database.query("SELECT * FROM checkins WHERE person_id = ? ORDER BY at, id", [personID]).map(Self.checkInRecord(from:))
    }

    static func checkInRecord(from row: Row) throws -> CheckInRecord {
        let id: Int64 = try row.get("id")
        let text: String = try row.get("direction")
        guard let direction = CheckInDirection(rawValue: text) else {
            throw RecordError(table: "checkins", key: String(id), problem: "unknown direction '\(text)'")
        }
        return CheckInRecord(
            id: id, tag: try row.get("tag"), personID: try row.get("person_id"), at: try row.get("at"), direction: direction,
            eventUID: try row.get("event_uid"), isAutomatic: try row.get("auto"))
    }
}
