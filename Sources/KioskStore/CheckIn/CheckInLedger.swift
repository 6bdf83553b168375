import Foundation
import KioskCore

/// The durable record of badge scans: decides what a scan means and commits it before
/// anyone is welcomed, keeps the anonymous attendance counts, lists who is in.
///
/// Every write runs in one `BEGIN IMMEDIATE` transaction that is committed before the
/// method returns; with the store's WAL + `synchronous=FULL` a returned ``ScanOutcome``
/// survives a power cut. Uses its owner's ``Database`` (not `Sendable`): call it from
/// the daemon's single state owner.
///
/// Days are the venue's calendar days in `timeZone`. Tags are normalised (trimmed,
/// upper-case) on the way in, so `04a1b2c3` typed by staff matches `04A1B2C3` read by
/// the reader.
///
/// Counting, and why nothing is counted twice: `daily_counts` is the only source of the
/// per-day, per-event and per-role figures. It is raised in the scan's own transaction,
/// once per person and day (`event_uid = ''`) and once per person, event and day, by
/// looking at that person's earlier `in` rows of the day, which always exist then (the
/// retention period is at least a day). Reports by day, event and role read
/// `daily_counts` only, so they are the same before and after a purge. Only the hour
/// buckets come from personal `checkins` rows, and only for days still within retention.
public struct CheckInLedger {
    public let database: Database
    /// The venue's zone: what "today" and "an hour" mean.
    public let timeZone: IANATimeZone

    public init(database: Database, timeZone: IANATimeZone) {
        self.database = database
        self.timeZone = timeZone
    }

    /// The form tags are stored and matched in: surrounding white space removed, letters
    /// upper-cased (hex readers and staff disagree on case; decimals are unaffected).
    public static func normalisedTag(_ tag: String) -> String {
        tag.trimmingCharacters(in: .whitespacesAndNewlines).uppercased()
    }

    // MARK: Scans

    /// Decides what a scan of `tag` at `instant` means and commits it, with the
    /// anonymous counts it raises, in one transaction; returns only once it is on disk.
    ///
    /// - Parameters:
    ///   - runningOccurrences: the programme around `instant` (today's occurrences will
    ///     do); the one in progress that started last gets the attendance.
    ///   - reader: which reader saw an unknown badge (stored with it), e.g. the protocol.
    /// - Throws: ``DatabaseError`` (nothing is written then: no row, no count), or a
    ///   ``RecordError`` for an empty tag.
    ///
    /// Called inside a transaction of the caller's, it runs in a savepoint and is on disk
    /// only when that transaction commits: the daemon should not do that.
    public func recordScan(
        tag rawTag: String, at instant: Date, runningOccurrences: [Occurrence], settings: CheckInSettings, reader: String = ""
    ) throws -> ScanOutcome {
        let tag = Self.normalisedTag(rawTag)
        guard !tag.isEmpty else { throw RecordError(table: "checkins", key: "(empty tag)", problem: "a scan needs a badge tag") }
        let at = Self.wholeSeconds(instant)
        return try database.transaction(.immediate) {
            let holder = try person(holdingTag: tag)
            let presence = try holder.map { try presenceState(personID: $0.id, at: at) } ?? .absent
            let decision = CheckInDecision(
                tag: tag, person: holder, presence: presence, settings: settings, at: at,
                runningOccurrences: runningOccurrences, timeZone: timeZone)
            guard let person = decision.person, let direction = decision.direction else {
                try database.execute("INSERT INTO unknown_scans (tag, at, reader) VALUES (?, ?, ?)", [tag, at, reader])
                return ScanOutcome(tag: tag, at: at, decision: decision, recordID: database.lastInsertedRowID)
            }
            let day = CivilDate(at, in: timeZone)
            let dayStart = day.start(in: timeZone)
            var countedForDay = false
            var countedForEvent = false
            if direction == .in {
                countedForDay = try !hasEntry(personID: person.id, from: dayStart, through: at, eventUID: nil)
                if let occurrence = decision.occurrence {
                    countedForEvent = try !hasEntry(personID: person.id, from: dayStart, through: at, eventUID: occurrence.uid)
                }
            }
            try database.execute(
                "INSERT INTO checkins (tag, person_id, at, direction, event_uid, auto) VALUES (?, ?, ?, ?, ?, 0)",
                [tag, person.id, at, direction.rawValue, decision.occurrence?.uid])
            let recordID = database.lastInsertedRowID
            if countedForDay { try raiseCount(day: day, role: person.role, eventUID: "", title: "") }
            if countedForEvent, let occurrence = decision.occurrence {
                try raiseCount(day: day, role: person.role, eventUID: occurrence.uid, title: occurrence.title)
            }
            return ScanOutcome(
                tag: tag, at: at, decision: decision, recordID: recordID, countedForDay: countedForDay,
                countedForEvent: countedForEvent)
        }
    }

    /// The person's state today (venue day of `instant`) from their last row up to `instant`.
    public func presenceState(personID: Int64, at instant: Date) throws -> PresenceState {
        let dayStart = CivilDate(instant, in: timeZone).start(in: timeZone)
        guard
            let row = try database.queryFirst(
                """
                SELECT direction, at, event_uid FROM checkins
                WHERE person_id = ? AND at >= ? AND at <= ?
                ORDER BY at DESC, id DESC LIMIT 1
                """, [personID, dayStart, instant])
        else { return .absent }
        let direction: String = try row.get("direction")
        return direction == CheckInDirection.in.rawValue ? .present(since: try row.get("at"), eventUID: try row.get("event_uid")) : .absent
    }

    // MARK: Presence

    /// Who is in at `instant`: everyone whose last row of the venue day, up to
    /// `instant`, is an entry; sorted by first name, last name, id. The evacuation list.
    ///
    /// Two index lookups per person present: today's rows through `checkins_at`, each
    /// person's last row through `checkins_person`.
    public func presence(at instant: Date) throws -> [PresenceEntry] {
        try presence(dayStart: CivilDate(instant, in: timeZone).start(in: timeZone), upTo: instant)
    }

    /// Everyone whose last row between `?1` and `?2` is an entry (the test checks its
    /// query plan uses the indexes).
    static let presenceSQL = """
        SELECT c.tag AS tag, c.at AS at, c.event_uid AS event_uid,
               p.id AS id, p.first_name AS first_name, p.last_name AS last_name, p.role AS role,
               p.resident_id AS resident_id, p.notes AS notes, p.created AS created
        FROM checkins c JOIN people p ON p.id = c.person_id
        WHERE c.at >= ?1 AND c.at <= ?2 AND c.direction = 'in'
          AND c.id = (SELECT l.id FROM checkins l
                      WHERE l.person_id = c.person_id AND l.at >= ?1 AND l.at <= ?2
                      ORDER BY l.at DESC, l.id DESC LIMIT 1)
        ORDER BY p.first_name, p.last_name, p.id
        """

    private func presence(dayStart: Date, upTo instant: Date) throws -> [PresenceEntry] {
        try database.query(Self.presenceSQL, [dayStart, instant]).map { row in
            PresenceEntry(person: try Self.person(from: row), tag: try row.get("tag"), since: try row.get("at"), eventUID: try row.get("event_uid"))
        }
    }

    /// Checks out everyone still in at `closing` (the building closes), in one
    /// transaction, with `out` rows marked automatic; returns who was checked out.
    ///
    /// Safe to call late (the daemon was down at closing: pass the closing instant, not
    /// now) and twice (the second call finds nobody). A closing at midnight belongs to
    /// the day it ends; its rows are written at 23:59:59 so they stay on that day.
    @discardableResult
    public func autoCheckOut(at closing: Date, actor: String = "kioskd") throws -> [PresenceEntry] {
        let closing = Self.wholeSeconds(closing)
        let day = CivilDate(closing.addingTimeInterval(-1), in: timeZone)
        let dayStart = day.start(in: timeZone)
        let rowInstant = min(closing, day.adding(days: 1).start(in: timeZone).addingTimeInterval(-1))
        return try database.transaction(.immediate) {
            let present = try presence(dayStart: dayStart, upTo: closing)
            let insert = try database.prepare(
                "INSERT INTO checkins (tag, person_id, at, direction, event_uid, auto) VALUES (?, ?, ?, 'out', NULL, 1)")
            for entry in present { try insert.execute([entry.tag, entry.person.id, rowInstant]) }
            if !present.isEmpty {
                try AuditLog(database: database).record(
                    actor: actor, action: "checkins.auto-checkout", detail: "\(present.count) checked out at closing", at: closing)
            }
            return present
        }
    }

    // MARK: Internals

    /// Whether the person has an entry between `start` and `end` (inclusive), counted for
    /// `eventUID` when given.
    private func hasEntry(personID: Int64, from start: Date, through end: Date, eventUID: String?) throws -> Bool {
        if let eventUID {
            return try database.scalar(
                "SELECT 1 FROM checkins WHERE person_id = ? AND at >= ? AND at <= ? AND direction = 'in' AND event_uid = ? LIMIT 1",
                [personID, start, end, eventUID], as: Int.self) != nil
        }
        return try database.scalar(
            "SELECT 1 FROM checkins WHERE person_id = ? AND at >= ? AND at <= ? AND direction = 'in' LIMIT 1",
            [personID, start, end], as: Int.self) != nil
    }

    private func raiseCount(day: CivilDate, role: Person.Role, eventUID: String, title: String) throws {
        try database.execute(
            """
            INSERT INTO daily_counts (day, role, event_uid, event_title, count) VALUES (?, ?, ?, ?, 1)
            ON CONFLICT (day, role, event_uid) DO UPDATE SET count = count + 1, event_title = excluded.event_title
            """, [day, role.rawValue, eventUID, title])
    }

    /// The instant as the store keeps it (whole seconds, floored), so what a method
    /// returns equals what a later read gives back.
    static func wholeSeconds(_ instant: Date) -> Date {
        Date(databaseValue: instant.databaseValue) ?? instant
    }

    static func person(from row: Row) throws -> Person {
        let id: Int64 = try row.get("id")
        let roleText: String = try row.get("role")
        guard let role = Person.Role(rawValue: roleText) else {
            throw RecordError(table: "people", key: String(id), problem: "unknown role '\(roleText)'")
        }
        return Person(
            id: id, firstName: try row.get("first_name"), lastName: try row.get("last_name"), role: role,
            residentID: try row.get("resident_id"), notes: try row.get("notes"), created: try row.get("created"))
    }
}

/// Deliberately not `Sendable`: it uses its owner's ``Database``.
@available(*, unavailable)
extension CheckInLedger: Sendable {}
