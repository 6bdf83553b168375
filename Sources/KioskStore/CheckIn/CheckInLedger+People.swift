import Foundation
import KioskCore

extension CheckInLedger {
    // MARK: People

    /// Stores a new person and returns it with its id and creation instant.
    /// `residentID` must name a resident of the directory (or be nil).
    @discardableResult
    public func addPerson(
        firstName: String, lastName: String = "", role: Person.Role, residentID: String? = nil, notes: String = "",
        at instant: Date, actor: String = "kioskd"
    ) throws -> Person {
        let created = Self.wholeSeconds(instant)
        return try database.transaction(.immediate) {
            try database.execute(
                "INSERT INTO people (first_name, last_name, role, resident_id, created, notes) VALUES (?, ?, ?, ?, ?, ?)",
                [firstName, lastName, role.rawValue, residentID, created, notes])
            let id = database.lastInsertedRowID
            try AuditLog(database: database).record(actor: actor, action: "person.add", detail: "person \(id) (\(role.rawValue))", at: created)
            return Person(id: id, firstName: firstName, lastName: lastName, role: role, residentID: residentID, notes: notes, created: created)
        }
    }

    /// Rewrites a stored person's name, role, resident and notes (not `created`).
    /// Throws a ``RecordError`` when there is no person with that id.
    public func updatePerson(_ person: Person) throws {
        try database.execute(
            "UPDATE people SET first_name = ?, last_name = ?, role = ?, resident_id = ?, notes = ? WHERE id = ?",
            [person.firstName, person.lastName, person.role.rawValue, person.residentID, person.notes, person.id])
        guard database.changes == 1 else { throw Self.noPerson(person.id) }
    }

    /// Everyone, by first name, last name, id.
    public func people() throws -> [Person] {
        try database.query("SELECT * FROM people ORDER BY first_name, last_name, id").map(Self.person(from:))
    }

    public func person(id: Int64) throws -> Person? {
        try database.queryFirst("SELECT * FROM people WHERE id = ?", [id]).map(Self.person(from:))
    }

    /// Who holds `tag` now; nil when nobody does or the badge is revoked.
    public func person(holdingTag tag: String) throws -> Person? {
        try database.queryFirst(
            "SELECT p.* FROM badges b JOIN people p ON p.id = b.person_id WHERE b.tag = ? AND b.revoked IS NULL",
            [Self.normalisedTag(tag)]
        ).map(Self.person(from:))
    }

    // MARK: Badges

    /// Gives `tag` to a person. Scans of that tag waiting in ``unknownScans(limit:)``
    /// are resolved (deleted). A revoked badge may be given again; a badge someone else
    /// holds may not (revoke it first), which throws a ``RecordError``.
    public func enrol(tag rawTag: String, personID: Int64, label: String = "", at instant: Date, actor: String = "kioskd") throws {
        let tag = Self.normalisedTag(rawTag)
        guard !tag.isEmpty else { throw RecordError(table: "badges", key: "(empty tag)", problem: "cannot enrol an empty tag") }
        let at = Self.wholeSeconds(instant)
        try database.transaction(.immediate) {
            guard try person(id: personID) != nil else { throw Self.noPerson(personID) }
            if let holder = try database.scalar("SELECT person_id FROM badges WHERE tag = ? AND revoked IS NULL", [tag], as: Int64.self),
                holder != personID
            {
                throw RecordError(table: "badges", key: tag, problem: "the badge already belongs to person \(holder); revoke it first")
            }
            try database.execute(
                """
                INSERT INTO badges (tag, person_id, created, label, revoked) VALUES (?, ?, ?, ?, NULL)
                ON CONFLICT (tag) DO UPDATE SET
                    person_id = excluded.person_id, label = excluded.label, revoked = NULL,
                    created = CASE WHEN badges.revoked IS NULL THEN badges.created ELSE excluded.created END
                """, [tag, personID, at, label])
            try database.execute("DELETE FROM unknown_scans WHERE tag = ?", [tag])
            let resolved = database.changes
            try AuditLog(database: database).record(
                actor: actor, action: "badge.enrol", detail: "person \(personID), \(resolved) unknown scan(s) resolved", at: at)
        }
    }

    /// Enrols the badge of the most recent unknown scan (at or after `since` when given:
    /// "the badge that was just scanned at the desk") for a person; returns its tag, or
    /// nil when there is no such scan.
    @discardableResult
    public func enrolLastUnknownScan(
        personID: Int64, since: Date? = nil, label: String = "", at instant: Date, actor: String = "kioskd"
    ) throws -> String? {
        try database.transaction(.immediate) {
            guard
                let tag = try database.scalar(
                    "SELECT tag FROM unknown_scans WHERE at >= ? ORDER BY at DESC, id DESC LIMIT 1",
                    [since?.databaseValue ?? .integer(Int64.min)], as: String.self)
            else { return nil }
            try enrol(tag: tag, personID: personID, label: label, at: instant, actor: actor)
            return tag
        }
    }

    /// Revokes a badge (lost, handed back): its scans read as unknown from now on.
    /// Returns false when the badge is unknown or already revoked.
    @discardableResult
    public func revoke(tag rawTag: String, at instant: Date, actor: String = "kioskd") throws -> Bool {
        let tag = Self.normalisedTag(rawTag)
        let at = Self.wholeSeconds(instant)
        return try database.transaction(.immediate) {
            try database.execute("UPDATE badges SET revoked = ? WHERE tag = ? AND revoked IS NULL", [at, tag])
            guard database.changes == 1 else { return false }
            try AuditLog(database: database).record(actor: actor, action: "badge.revoke", detail: "", at: at)
            return true
        }
    }

    /// A person's badges, revoked ones included, oldest first.
    public func badges(personID: Int64) throws -> [BadgeRecord] {
        try database.query("SELECT * FROM badges WHERE person_id = ? ORDER BY created, tag", [personID]).map { row in
            BadgeRecord(
                tag: try row.get("tag"), personID: try row.get("person_id"), label: try row.get("label"),
                created: try row.get("created"), revoked: try row.get("revoked"))
        }
    }

    /// Scans of badges nobody holds, newest first, for staff to enrol.
    public func unknownScans(limit: Int = 50) throws -> [UnknownScan] {
        try database.query("SELECT id, tag, at, reader FROM unknown_scans ORDER BY at DESC, id DESC LIMIT ?", [limit]).map { row in
            UnknownScan(id: try row.get("id"), tag: try row.get("tag"), at: try row.get("at"), reader: try row.get("reader"))
        }
    }

    static func noPerson(_ id: Int64) -> RecordError {
        RecordError(table: "people", key: String(id), problem: "no such person")
    }
}
