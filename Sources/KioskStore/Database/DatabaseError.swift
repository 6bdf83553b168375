/// An SQLite failure: the (extended) result code, SQLite's message, and where it happened:
/// the database file, the SQL and the bound arguments.
///
/// `description` is written for the journal: a maintainer reading
/// `SQLITE_FULL ... on /var/lib/kiosk/kiosk.sqlite3` knows to free space on the SD card.
/// Arguments are shown cut to 64 characters each and blobs by size only (see
/// ``DatabaseValue/description``); code that binds personal data (names at check-in)
/// may pass `arguments: []` when it rethrows, to keep them out of the journal.
public struct DatabaseError: Error, Sendable, CustomStringConvertible {
    /// The extended result code when SQLite gave one (`constraintUnique`), else the primary.
    public var code: ResultCode
    /// SQLite's message (`UNIQUE constraint failed: events.source_id, ...`) or ours.
    public var message: String
    /// The statement that failed, if any.
    public var sql: String?
    /// The values bound to it, in parameter order.
    public var arguments: [DatabaseValue]
    /// The database file (`:memory:` for an in-memory database).
    public var path: String?

    public init(
        code: ResultCode, message: String? = nil, sql: String? = nil, arguments: [DatabaseValue] = [],
        path: String? = nil
    ) {
        self.code = code
        self.message = message ?? code.explanation
        self.sql = sql
        self.arguments = arguments
        self.path = path
    }

    /// The primary code: `.constraint` for a `.constraintUnique` failure.
    public var resultCode: ResultCode { code.primary }

    public var description: String {
        var text = "SQLite error \(code): \(message)"
        if let sql { text += " — in `\(Self.compact(sql))`" }
        if !arguments.isEmpty { text += " with arguments [\(arguments.map(\.description).joined(separator: ", "))]" }
        if let path { text += " on \(path)" }
        if let hint { text += " (\(hint))" }
        return text
    }

    /// What a maintainer can do about the common operational failures.
    private var hint: String? {
        switch code {
        case .full: return "the disk is full: free space on the state directory's file system"
        case .corrupt, .notadb: return "the database file is damaged: stop kioskd, move the file aside and restore a backup; feeds are refetched"
        case .readonly, .perm: return "the state directory is not writable by the kiosk user"
        case .busy, .locked: return "another process holds the database: is a second kioskd or an sqlite3 shell running?"
        case .ioerr: return "the storage device reported an I/O error: check the SD card"
        case .cantopen: return "the file or its directory cannot be opened: check the state directory and its permissions"
        default: return nil
        }
    }

    /// One line of SQL: runs of whitespace and newlines become one space.
    private static func compact(_ sql: String) -> String {
        sql.split(whereSeparator: { $0 == " " || $0 == "\n" || $0 == "\t" }).joined(separator: " ")
    }
}
