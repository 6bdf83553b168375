import CSQLite
import Foundation

/// One SQLite connection, configured for a kiosk on an SD card: WAL journal,
/// `synchronous=FULL`, foreign keys on, a busy timeout.
///
/// Deliberately not `Sendable`: a connection belongs to one actor or serial queue (the
/// daemon's state owner), which is why it is opened with `SQLITE_OPEN_NOMUTEX`. Closed in
/// `deinit` (or earlier by ``close()``); the statements it prepared keep it alive.
///
/// Values go in and out through ``DatabaseValueConvertible`` (see there for how dates
/// and booleans are stored).
public final class Database {
    /// How a connection is opened.
    public struct Configuration: Sendable {
        /// Ask for the write-ahead log and fail the open if SQLite refuses it (it does on
        /// file systems without shared memory). Ignored for `:memory:`.
        public var requiresWAL = true
        /// `synchronous=FULL`: a committed transaction survives a power cut, at the price
        /// of one more fsync per commit in WAL mode.
        public var synchronous = SynchronousMode.full
        public var foreignKeys = true
        /// How long to wait for another connection's lock before `SQLITE_BUSY`.
        public var busyTimeout: Duration = .seconds(5)
        public var readOnly = false
        /// `PRAGMA cache_size`, in KiB: the most memory this connection's page cache may
        /// hold (SQLite's default is 2,000 KiB a connection).
        ///
        /// 512 KiB, 128 pages of 4 KiB: the kiosk's database is a few MB (the programme,
        /// the directory, two days of check-ins) and the operating system's file cache
        /// keeps it in RAM anyway on a 1 GB board, so a page SQLite does not cache costs a
        /// `pread` of a few microseconds, not a read from the SD card. A small bound is
        /// reached during the first day (one programme read back fills it) and then holds,
        /// so the daemon's memory stays flat for weeks instead of growing until every
        /// connection has cached 2 MB (measured in the simulated week).
        public var cacheSizeKiB = 512

        public init() {}
    }

    /// `PRAGMA synchronous` levels.
    public enum SynchronousMode: Int, Sendable {
        case off = 0, normal = 1, full = 2, extra = 3
        var keyword: String { ["OFF", "NORMAL", "FULL", "EXTRA"][rawValue] }
    }

    /// The file the connection opened, or `:memory:`.
    public let path: String
    let handle: OpaquePointer
    private var isClosed = false
    private var savepointCounter = 0

    /// The path of a private in-memory database, gone when the connection closes.
    public static let inMemoryPath = ":memory:"

    /// Opens (creating if needed) the database at `path` and configures it.
    ///
    /// The parent directory must exist. Throws a ``DatabaseError`` naming the path when the
    /// file cannot be opened, is not a database, or a setting does not take.
    public init(path: String, configuration: Configuration = Configuration()) throws {
        var handle: OpaquePointer?
        var flags = SQLITE_OPEN_NOMUTEX
        flags |= configuration.readOnly ? SQLITE_OPEN_READONLY : (SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE)
        let code = sqlite3_open_v2(path, &handle, flags, nil)
        guard code == SQLITE_OK, let handle else {
            let message = handle.map { String(cString: sqlite3_errmsg($0)) }
            let extended = handle.map { sqlite3_extended_errcode($0) } ?? code
            sqlite3_close_v2(handle)
            throw DatabaseError(code: ResultCode(rawValue: extended), message: message, path: path)
        }
        self.path = path
        self.handle = handle
        sqlite3_extended_result_codes(handle, 1)
        do {
            try configure(configuration)
        } catch {
            // Release the half-configured connection now; deinit sees it closed.
            sqlite3_close_v2(handle)
            isClosed = true
            throw error
        }
    }

    deinit {
        if !isClosed { sqlite3_close_v2(handle) }
    }

    /// Closes the connection now. Fails with `busy` while statements prepared on it live.
    public func close() throws {
        guard !isClosed else { return }
        let code = sqlite3_close(handle)
        guard code == SQLITE_OK else { throw lastError(code, sql: nil) }
        isClosed = true
    }

    public var isInMemory: Bool { path == Database.inMemoryPath || path.isEmpty }

    private func configure(_ configuration: Configuration) throws {
        let milliseconds = configuration.busyTimeout.components.seconds * 1000
            + configuration.busyTimeout.components.attoseconds / 1_000_000_000_000_000
        sqlite3_busy_timeout(handle, Int32(clamping: milliseconds))
        // Reading the schema first turns "file is not a database" into an error at open.
        _ = try scalar("PRAGMA schema_version", as: Int64.self)
        if configuration.requiresWAL && !isInMemory && !configuration.readOnly {
            let mode = try scalar("PRAGMA journal_mode = WAL", as: String.self) ?? "?"
            guard mode.lowercased() == "wal" else {
                throw DatabaseError(
                    code: .error,
                    message: "PRAGMA journal_mode=WAL left the journal in '\(mode)' mode; WAL needs a local file system with shared memory and a writable directory",
                    sql: "PRAGMA journal_mode = WAL", path: path)
            }
        }
        try execute("PRAGMA synchronous = \(configuration.synchronous.keyword)")
        guard try synchronousMode == configuration.synchronous else {
            throw DatabaseError(code: .error, message: "PRAGMA synchronous did not take", sql: "PRAGMA synchronous", path: path)
        }
        // A negative cache_size is a size in KiB rather than a number of pages.
        try execute("PRAGMA cache_size = -\(max(1, configuration.cacheSizeKiB))")
        guard try cacheSizeKiB == max(1, configuration.cacheSizeKiB) else {
            throw DatabaseError(code: .error, message: "PRAGMA cache_size did not take", sql: "PRAGMA cache_size", path: path)
        }
        try execute("PRAGMA foreign_keys = \(configuration.foreignKeys ? "ON" : "OFF")")
        guard try foreignKeysEnabled == configuration.foreignKeys else {
            throw DatabaseError(code: .error, message: "PRAGMA foreign_keys did not take (SQLite built without foreign keys?)", sql: "PRAGMA foreign_keys", path: path)
        }
    }

    // MARK: Statements

    /// Compiles one SQL statement. Throws when `sql` holds more than one (use
    /// ``executeScript(_:)`` for schema scripts).
    public func prepare(_ sql: String) throws -> Statement {
        guard !isClosed else { throw DatabaseError(code: .misuse, message: "the database is closed", sql: sql, path: path) }
        var statement: OpaquePointer?
        var hasMore = false
        let code: Int32 = sql.withCString { start in
            var tail: UnsafePointer<CChar>?
            let code = sqlite3_prepare_v3(handle, start, -1, 0, &statement, &tail)
            guard code == SQLITE_OK, let tail else { return code }
            // Anything but whitespace and comments after the first statement?
            var next: OpaquePointer?
            if sqlite3_prepare_v3(handle, tail, -1, 0, &next, nil) != SQLITE_OK || next != nil { hasMore = true }
            sqlite3_finalize(next)
            return code
        }
        guard code == SQLITE_OK else { throw lastError(code, sql: sql) }
        guard let statement else {
            throw DatabaseError(code: .misuse, message: "no SQL statement to prepare (empty or only comments)", sql: sql, path: path)
        }
        guard !hasMore else {
            sqlite3_finalize(statement)
            throw DatabaseError(code: .misuse, message: "several statements given where one is expected; use executeScript", sql: sql, path: path)
        }
        return Statement(database: self, sql: sql, handle: statement)
    }

    /// Runs one statement with positional arguments (`?`).
    public func execute(_ sql: String, _ arguments: [(any DatabaseValueConvertible)?] = []) throws {
        try prepare(sql).execute(arguments)
    }

    /// Runs one statement with named arguments (`:name`; keys with or without the colon).
    public func execute(_ sql: String, named arguments: [String: (any DatabaseValueConvertible)?]) throws {
        let statement = try prepare(sql)
        try statement.bind(named: arguments)
        while try statement.step() {}
    }

    /// Runs several `;`-separated statements without arguments (schema scripts).
    public func executeScript(_ sql: String) throws {
        guard !isClosed else { throw DatabaseError(code: .misuse, message: "the database is closed", sql: sql, path: path) }
        try sql.withCString { start in
            var cursor: UnsafePointer<CChar>? = start
            while let current = cursor, current.pointee != 0 {
                var statement: OpaquePointer?
                var tail: UnsafePointer<CChar>?
                let code = sqlite3_prepare_v3(handle, current, -1, 0, &statement, &tail)
                guard code == SQLITE_OK else {
                    throw lastError(code, sql: String(cString: current))
                }
                cursor = tail
                guard let statement else { continue }  // whitespace or a comment
                let text = String(cString: sqlite3_sql(statement))
                try Statement(database: self, sql: text, handle: statement).execute()
            }
        }
    }

    /// All rows of a query.
    public func query(_ sql: String, _ arguments: [(any DatabaseValueConvertible)?] = []) throws -> [Row] {
        try prepare(sql).rows(arguments)
    }

    /// The first row of a query, nil when there is none.
    public func queryFirst(_ sql: String, _ arguments: [(any DatabaseValueConvertible)?] = []) throws -> Row? {
        let statement = try prepare(sql)
        try statement.bind(arguments)
        guard try statement.step() else { return nil }
        let row = statement.row
        statement.reset()
        return row
    }

    /// The first column of the first row read as `T`; nil when there is no row or it is NULL.
    public func scalar<T: DatabaseValueConvertible>(
        _ sql: String, _ arguments: [(any DatabaseValueConvertible)?] = [], as type: T.Type = T.self
    ) throws -> T? {
        guard let row = try queryFirst(sql, arguments), !row.values.isEmpty, row[0] != .null else { return nil }
        return try row.get(0, as: T.self)
    }

    /// Rows changed by the last INSERT, UPDATE or DELETE.
    public var changes: Int { Int(sqlite3_changes(handle)) }

    public var lastInsertedRowID: Int64 { sqlite3_last_insert_rowid(handle) }

    /// True between BEGIN and COMMIT/ROLLBACK.
    public var isInTransaction: Bool { sqlite3_get_autocommit(handle) == 0 }

    // MARK: Errors

    /// The connection's last error as a ``DatabaseError`` (read right after the failing call).
    func lastError(_ code: Int32, sql: String?, arguments: [DatabaseValue] = []) -> DatabaseError {
        let extended = sqlite3_extended_errcode(handle)
        // The extended code belongs to the same failure only if its primary part matches.
        let resolved = extended & 0xFF == code & 0xFF ? extended : code
        return DatabaseError(
            code: ResultCode(rawValue: resolved), message: String(cString: sqlite3_errmsg(handle)), sql: sql,
            arguments: arguments, path: path)
    }

    func nextSavepointName() -> String {
        savepointCounter += 1
        return "kiosk_savepoint_\(savepointCounter)"
    }
}

/// Deliberately not `Sendable`: one owner (actor or serial queue) per connection.
@available(*, unavailable)
extension Database: Sendable {}
