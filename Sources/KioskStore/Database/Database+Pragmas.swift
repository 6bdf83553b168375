extension Database {
    /// `PRAGMA journal_mode`, lower-cased: `wal` for a kiosk database, `memory` in memory.
    public var journalMode: String {
        get throws { try scalar("PRAGMA journal_mode", as: String.self)?.lowercased() ?? "" }
    }

    /// `PRAGMA synchronous` as read back from SQLite.
    public var synchronousMode: SynchronousMode? {
        get throws { try scalar("PRAGMA synchronous", as: Int.self).flatMap(SynchronousMode.init(rawValue:)) }
    }

    public var foreignKeysEnabled: Bool {
        get throws { try scalar("PRAGMA foreign_keys", as: Bool.self) ?? false }
    }

    /// `PRAGMA user_version`: the schema version the migrations have reached (0 = empty).
    public func userVersion() throws -> Int {
        try scalar("PRAGMA user_version", as: Int.self) ?? 0
    }

    /// Sets `PRAGMA user_version`. Transactional: rolled back with the enclosing transaction.
    public func setUserVersion(_ version: Int) throws {
        // PRAGMA takes no bound parameters; an Int is safe to interpolate.
        try execute("PRAGMA user_version = \(version)")
    }

    /// `PRAGMA integrity_check`: an empty array when the file is sound, otherwise SQLite's
    /// descriptions of the damage (at most `maxErrors`). Damage bad enough to stop the
    /// check itself (`SQLITE_CORRUPT`, `SQLITE_NOTADB`) is reported the same way, as one
    /// line, rather than thrown; other failures (I/O, busy) are thrown.
    public func integrityCheck(maxErrors: Int = 100) throws -> [String] {
        do {
            let lines = try query("PRAGMA integrity_check(\(max(1, maxErrors)))").compactMap { try $0.get(0, as: String?.self) }
            return lines == ["ok"] ? [] : lines
        } catch let error as DatabaseError where error.code.primary == .corrupt || error.code.primary == .notadb {
            return ["\(error.code.name): \(error.message)"]
        }
    }

    /// `PRAGMA foreign_key_check`: rows that point at a missing parent, as
    /// `table(rowid) -> parent` strings; empty when every reference holds.
    public func foreignKeyViolations() throws -> [String] {
        try query("PRAGMA foreign_key_check").map { row in
            let table: String = try row.get(0)
            let rowid: Int64? = try row.get(1)
            let parent: String = try row.get(2)
            return "\(table)(\(rowid.map(String.init) ?? "?")) -> \(parent)"
        }
    }

    /// Whether a table (or view) of that name exists.
    public func tableExists(_ name: String) throws -> Bool {
        try scalar("SELECT 1 FROM sqlite_master WHERE type IN ('table', 'view') AND name = ?", [name], as: Int.self) != nil
    }
}
