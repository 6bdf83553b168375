import CSQLite

/// An SQLite result code, primary or extended (<https://www.sqlite.org/rescode.html>).
///
/// Extended codes carry the primary code in their low 8 bits: `constraintUnique` is
/// `constraint | (8 << 8)`. In a `switch` or `catch`, a primary code matches itself and
/// all its extended codes, an extended code only itself:
///
/// ```swift
/// switch error.code {
/// case .constraintForeignKey: ...   // only foreign key failures
/// case .constraint: ...             // any other constraint failure
/// default: ...
/// }
/// ```
public struct ResultCode: RawRepresentable, Hashable, Sendable, CustomStringConvertible {
    public let rawValue: Int32

    public init(rawValue: Int32) { self.rawValue = rawValue }

    /// The primary code (low 8 bits): `.constraint` for `.constraintUnique`.
    public var primary: ResultCode { ResultCode(rawValue: rawValue & 0xFF) }

    public var isPrimary: Bool { self == primary }

    /// Primary codes match their extended codes; extended codes only themselves.
    public static func ~= (pattern: ResultCode, code: ResultCode) -> Bool {
        pattern.isPrimary ? pattern == code.primary : pattern == code
    }

    /// `catch ResultCode.busy { ... }` on a thrown ``DatabaseError``.
    public static func ~= (pattern: ResultCode, error: any Error) -> Bool {
        guard let error = error as? DatabaseError else { return false }
        return pattern ~= error.code
    }

    // Primary codes.
    public static let ok = ResultCode(rawValue: 0)
    public static let error = ResultCode(rawValue: 1)
    public static let `internal` = ResultCode(rawValue: 2)
    public static let perm = ResultCode(rawValue: 3)
    public static let abort = ResultCode(rawValue: 4)
    public static let busy = ResultCode(rawValue: 5)
    public static let locked = ResultCode(rawValue: 6)
    public static let nomem = ResultCode(rawValue: 7)
    public static let readonly = ResultCode(rawValue: 8)
    public static let interrupt = ResultCode(rawValue: 9)
    public static let ioerr = ResultCode(rawValue: 10)
    public static let corrupt = ResultCode(rawValue: 11)
    public static let notfound = ResultCode(rawValue: 12)
    public static let full = ResultCode(rawValue: 13)
    public static let cantopen = ResultCode(rawValue: 14)
    public static let `protocol` = ResultCode(rawValue: 15)
    public static let empty = ResultCode(rawValue: 16)
    public static let schema = ResultCode(rawValue: 17)
    public static let toobig = ResultCode(rawValue: 18)
    public static let constraint = ResultCode(rawValue: 19)
    public static let mismatch = ResultCode(rawValue: 20)
    public static let misuse = ResultCode(rawValue: 21)
    public static let nolfs = ResultCode(rawValue: 22)
    public static let auth = ResultCode(rawValue: 23)
    public static let format = ResultCode(rawValue: 24)
    public static let range = ResultCode(rawValue: 25)
    public static let notadb = ResultCode(rawValue: 26)
    public static let notice = ResultCode(rawValue: 27)
    public static let warning = ResultCode(rawValue: 28)
    public static let row = ResultCode(rawValue: 100)
    public static let done = ResultCode(rawValue: 101)

    // Extended codes this project meets or reports (the list is open: any raw value works).
    public static let busyRecovery = extended(.busy, 1)
    public static let busySnapshot = extended(.busy, 2)
    public static let busyTimeout = extended(.busy, 3)
    public static let lockedSharedCache = extended(.locked, 1)
    public static let readonlyRecovery = extended(.readonly, 1)
    public static let readonlyCantLock = extended(.readonly, 2)
    public static let readonlyRollback = extended(.readonly, 3)
    public static let readonlyDatabaseMoved = extended(.readonly, 4)
    public static let readonlyCantInit = extended(.readonly, 5)
    public static let readonlyDirectory = extended(.readonly, 6)
    public static let ioerrRead = extended(.ioerr, 1)
    public static let ioerrShortRead = extended(.ioerr, 2)
    public static let ioerrWrite = extended(.ioerr, 3)
    public static let ioerrFsync = extended(.ioerr, 4)
    public static let ioerrDirFsync = extended(.ioerr, 5)
    public static let ioerrTruncate = extended(.ioerr, 6)
    public static let ioerrFstat = extended(.ioerr, 7)
    public static let ioerrLock = extended(.ioerr, 15)
    public static let ioerrShmOpen = extended(.ioerr, 18)
    public static let ioerrShmMap = extended(.ioerr, 21)
    public static let ioerrCorruptFS = extended(.ioerr, 33)
    public static let corruptIndex = extended(.corrupt, 3)
    public static let cantopenIsDirectory = extended(.cantopen, 2)
    public static let cantopenFullPath = extended(.cantopen, 3)
    public static let constraintCheck = extended(.constraint, 1)
    public static let constraintForeignKey = extended(.constraint, 3)
    public static let constraintNotNull = extended(.constraint, 5)
    public static let constraintPrimaryKey = extended(.constraint, 6)
    public static let constraintTrigger = extended(.constraint, 7)
    public static let constraintUnique = extended(.constraint, 8)
    public static let constraintRowID = extended(.constraint, 10)

    private static func extended(_ primary: ResultCode, _ n: Int32) -> ResultCode {
        ResultCode(rawValue: primary.rawValue | (n << 8))
    }

    /// The C name for known codes (`SQLITE_CONSTRAINT_UNIQUE`), else `SQLITE_<PRIMARY>+<n>`.
    public var name: String {
        if let name = ResultCode.names[rawValue] { return name }
        let base = ResultCode.names[primary.rawValue] ?? "SQLITE_\(primary.rawValue)"
        return "\(base)+\(rawValue >> 8)"
    }

    /// SQLite's own English text for the code ("database is locked").
    public var explanation: String { String(cString: sqlite3_errstr(rawValue)) }

    /// `19/2067 SQLITE_CONSTRAINT_UNIQUE`: primary/extended number and name.
    public var description: String {
        isPrimary ? "\(rawValue) \(name)" : "\(primary.rawValue)/\(rawValue) \(name)"
    }

    private static let names: [Int32: String] = {
        var names: [Int32: String] = [:]
        let primaries = [
            "OK", "ERROR", "INTERNAL", "PERM", "ABORT", "BUSY", "LOCKED", "NOMEM", "READONLY",
            "INTERRUPT", "IOERR", "CORRUPT", "NOTFOUND", "FULL", "CANTOPEN", "PROTOCOL", "EMPTY",
            "SCHEMA", "TOOBIG", "CONSTRAINT", "MISMATCH", "MISUSE", "NOLFS", "AUTH", "FORMAT",
            "RANGE", "NOTADB", "NOTICE", "WARNING",
        ]
        for (code, name) in primaries.enumerated() { names[Int32(code)] = "SQLITE_" + name }
        names[100] = "SQLITE_ROW"
        names[101] = "SQLITE_DONE"
        let extendedNames: [(ResultCode, String)] = [
            (.busyRecovery, "BUSY_RECOVERY"), (.busySnapshot, "BUSY_SNAPSHOT"), (.busyTimeout, "BUSY_TIMEOUT"),
            (.lockedSharedCache, "LOCKED_SHAREDCACHE"),
            (.readonlyRecovery, "READONLY_RECOVERY"), (.readonlyCantLock, "READONLY_CANTLOCK"),
            (.readonlyRollback, "READONLY_ROLLBACK"), (.readonlyDatabaseMoved, "READONLY_DBMOVED"),
            (.readonlyCantInit, "READONLY_CANTINIT"), (.readonlyDirectory, "READONLY_DIRECTORY"),
            (.ioerrRead, "IOERR_READ"), (.ioerrShortRead, "IOERR_SHORT_READ"), (.ioerrWrite, "IOERR_WRITE"),
            (.ioerrFsync, "IOERR_FSYNC"), (.ioerrDirFsync, "IOERR_DIR_FSYNC"), (.ioerrTruncate, "IOERR_TRUNCATE"),
            (.ioerrFstat, "IOERR_FSTAT"), (.ioerrLock, "IOERR_LOCK"), (.ioerrShmOpen, "IOERR_SHMOPEN"),
            (.ioerrShmMap, "IOERR_SHMMAP"), (.ioerrCorruptFS, "IOERR_CORRUPTFS"),
            (.corruptIndex, "CORRUPT_INDEX"),
            (.cantopenIsDirectory, "CANTOPEN_ISDIR"), (.cantopenFullPath, "CANTOPEN_FULLPATH"),
            (.constraintCheck, "CONSTRAINT_CHECK"), (.constraintForeignKey, "CONSTRAINT_FOREIGNKEY"),
            (.constraintNotNull, "CONSTRAINT_NOTNULL"), (.constraintPrimaryKey, "CONSTRAINT_PRIMARYKEY"),
            (.constraintTrigger, "CONSTRAINT_TRIGGER"), (.constraintUnique, "CONSTRAINT_UNIQUE"),
            (.constraintRowID, "CONSTRAINT_ROWID"),
        ]
        for (code, name) in extendedNames { names[code.rawValue] = "SQLITE_" + name }
        return names
    }()
}
