import Foundation

/// Who changed what: staff pushes, imports, enrolments, purges, GDPR requests.
///
/// Write the entry in the same transaction as the change it describes
/// (`database.transaction { change; audit.record(...) }`) so neither exists alone.
/// `detail` is free text; keep personal data out of it, as audit rows outlive the
/// personal rows they describe.
public struct AuditLog {
    public let database: Database

    public init(database: Database) {
        self.database = database
    }

    /// One entry of the log.
    public struct Entry: Sendable, Hashable {
        public var id: Int64
        /// Whole seconds.
        public var at: Date
        /// Who acted: an API client name, `kioskctl:USER`, `kioskd` for automatic jobs.
        public var actor: String
        /// What was done, a short verb phrase (`notice.create`, `residents.import`).
        public var action: String
        public var detail: String
    }

    /// Appends an entry; returns its id.
    @discardableResult
    public func record(actor: String, action: String, detail: String = "", at instant: Date) throws -> Int64 {
        try database.execute("INSERT INTO audit (at, actor, action, detail) VALUES (?, ?, ?, ?)", [instant, actor, action, detail])
        return database.lastInsertedRowID
    }

    /// Entries at or after `since` (all when nil), newest first, at most `limit`.
    public func entries(since: Date? = nil, limit: Int = 100) throws -> [Entry] {
        try database.query(
            "SELECT id, at, actor, action, detail FROM audit WHERE at >= ? ORDER BY at DESC, id DESC LIMIT ?",
            [since?.databaseValue ?? .integer(Int64.min), limit]
        ).map { row in
            Entry(id: try row.get("id"), at: try row.get("at"), actor: try row.get("actor"), action: try row.get("action"), detail: try row.get("detail"))
        }
    }

    /// Deletes entries older than `cutoff`; returns how many.
    @discardableResult
    public func purge(before cutoff: Date) throws -> Int {
        try database.execute("DELETE FROM audit WHERE at < ?", [cutoff])
        return database.changes
    }
}
