import CSQLite

extension Database {
    /// `PRAGMA journal_mode`, lower-cased: `wal` for a kiosk database, `memory` in memory.
    public var journalMode: String {
        get throws { try scalar("PRAGMA journal_mode", as: String.self)?.lowercased() ?? "" }
    }

    /// `PRAGMA synchronous` as read back from SQLite.
    public var synchronousMode: SynchronousMode? {
        get throws { try scalar("PRAGMA synchronous", as: Int.self).flatMap(SynchronousMode.init(rawValue:)) }
    }

    /// The page cache's bound in KiB, from `PRAGMA cache_size` (a negative value is KiB;
    /// a positive one, pages of `PRAGMA page_size`, converted here).
    public var cacheSizeKiB: Int {
        get throws {
            let value = try scalar("PRAGMA cache_size", as: Int.self) ?? 0
            if value <= 0 { return -value }
            let pageSize = try scalar("PRAGMA page_size", as: Int.self) ?? 4096
            return value * pageSize / 1024
        }
    }

    /// Bytes of heap this connection's page cache holds now
    /// (`sqlite3_db_status(SQLITE_DBSTATUS_CACHE_USED)`): pages and their headers.
    public var cacheUsedBytes: Int {
        var current: Int32 = 0, highwater: Int32 = 0
        guard sqlite3_db_status(handle, SQLITE_DBSTATUS_CACHE_USED, &current, &highwater, 0) == SQLITE_OK else { return 0 }
        return Int(current)
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
