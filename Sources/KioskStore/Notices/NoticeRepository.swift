import Foundation
import KioskCore

/// The notice board.
///
/// `posted` and `expires` are stored in whole seconds (the fraction is dropped), so a
/// notice read back may differ from the one written by less than a second.
/// `createdBy` records who pushed a notice (API client name, kioskctl user); it is kept
/// across updates.
public struct NoticeRepository {
    public let database: Database

    public init(database: Database) {
        self.database = database
    }

    /// Adds a notice; fails with a `constraintPrimaryKey` ``DatabaseError`` when the id exists.
    public func create(_ notice: Notice, createdBy: String = "") throws {
        try database.execute(
            """
            INSERT INTO notices (id, kind, title, body, author, terms, deadline, event_date, posted, expires, urgent, created_by)
            VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
            """, Self.arguments(notice) + [createdBy])
    }

    /// Replaces the notice with the same id; false when there is none.
    @discardableResult
    public func update(_ notice: Notice) throws -> Bool {
        try database.execute(
            """
            UPDATE notices SET kind = ?2, title = ?3, body = ?4, author = ?5, terms = ?6, deadline = ?7,
                event_date = ?8, posted = ?9, expires = ?10, urgent = ?11
            WHERE id = ?1
            """, Self.arguments(notice))
        return database.changes > 0
    }

    /// Creates or replaces (a push that re-sends a notice with the same id); `createdBy`
    /// is set only when the notice is new.
    public func upsert(_ notice: Notice, createdBy: String = "") throws {
        try database.transaction {
            if try !update(notice) { try create(notice, createdBy: createdBy) }
        }
    }

    @discardableResult
    public func delete(id: String) throws -> Bool {
        try database.execute("DELETE FROM notices WHERE id = ?", [id])
        return database.changes > 0
    }

    public func get(id: String) throws -> Notice? {
        try database.queryFirst("SELECT * FROM notices WHERE id = ?", [id]).map(Self.notice(from:))
    }

    /// Who created the notice; nil when there is no such notice.
    public func createdBy(id: String) throws -> String? {
        try database.scalar("SELECT created_by FROM notices WHERE id = ?", [id], as: String.self)
    }

    /// Every notice, expired ones included: urgent first, then newest first.
    public func all() throws -> [Notice] {
        try database.query("SELECT * FROM notices ORDER BY urgent DESC, posted DESC, id").map(Self.notice(from:))
    }

    /// The notices shown at `instant` (``KioskCore/Notice/isLive(at:timeZone:)``; a call's
    /// deadline is read on `timeZone`'s calendar), urgent first, then newest first.
    public func live(at instant: Date, timeZone: IANATimeZone) throws -> [Notice] {
        try database.query(
            "SELECT * FROM notices WHERE posted <= ? AND expires > ? ORDER BY urgent DESC, posted DESC, id",
            [instant, instant]
        ).map(Self.notice(from:)).filter { $0.isLive(at: instant, timeZone: timeZone) }
    }

    /// Deletes notices that expired before `cutoff` (e.g. now minus 30 days); returns how many.
    @discardableResult
    public func purge(expiredBefore cutoff: Date) throws -> Int {
        try database.execute("DELETE FROM notices WHERE expires < ?", [cutoff])
        return database.changes
    }

    private static func arguments(_ n: Notice) -> [(any DatabaseValueConvertible)?] {
        [n.id, n.kind.rawValue, n.title, n.body, n.author, n.terms?.rawValue, n.deadline, n.eventDate, n.posted, n.expires, n.urgent]
    }

    private static func notice(from row: Row) throws -> Notice {
        let id: String = try row.get("id")
        let kindText: String = try row.get("kind")
        guard let kind = Notice.Kind(rawValue: kindText) else {
            throw RecordError(table: "notices", key: id, problem: "unknown kind '\(kindText)'")
        }
        let termsText: String? = try row.get("terms")
        var terms: Notice.Terms?
        if let termsText {
            guard let known = Notice.Terms(rawValue: termsText) else {
                throw RecordError(table: "notices", key: id, problem: "unknown terms '\(termsText)'")
            }
            terms = known
        }
        return Notice(
            id: id, kind: kind, title: try row.get("title"), body: try row.get("body"), author: try row.get("author"),
            terms: terms, deadline: try row.get("deadline"), eventDate: try row.get("event_date"),
            posted: try row.get("posted"), expires: try row.get("expires"), urgent: try row.get("urgent"))
    }
}
