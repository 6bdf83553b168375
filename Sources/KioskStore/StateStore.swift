import Foundation
import Glibc
import KioskCore

/// The kiosk's durable state: `<stateDirectory>/kiosk.sqlite3`, migrated to the latest
/// schema, with one repository per concern.
///
/// Not `Sendable`: create it on, and use it from, the daemon's single state owner (an
/// actor or serial queue). The directory is created (mode 0700) when missing; the file
/// is created with mode 0600 (it will hold check-in records; SQLite gives its `-wal` and
/// `-shm` files the same mode).
public final class StateStore {
    /// The database file name inside the state directory.
    public static let fileName = "kiosk.sqlite3"

    public let database: Database
    public let programme: ProgrammeRepository
    public let residents: ResidentRepository
    public let notices: NoticeRepository
    public let posters: PosterRepository
    public let eventPictures: EventPictureRepository
    public let audit: AuditLog
    /// The alert that takes over the screen.
    public let alerts: AlertRepository
    /// The schema versions before and after opening (for a journal line after an upgrade).
    public let migration: DatabaseMigrator.Outcome

    /// Opens `<stateDirectory>/kiosk.sqlite3` and migrates it.
    ///
    /// Throws ``StateDirectoryError`` when the directory cannot be created,
    /// ``SchemaVersionError`` when the file comes from a newer kiosk, ``DatabaseError``
    /// for everything SQLite refuses (not a database, disk full, WAL impossible...).
    /// `timeZone` is the venue's, used to index all-day events.
    public convenience init(
        stateDirectory: String, timeZone: IANATimeZone, configuration: Database.Configuration = Database.Configuration()
    ) throws {
        let path = try Self.prepareFile(in: stateDirectory)
        try self.init(database: Database(path: path, configuration: configuration), timeZone: timeZone)
    }

    /// Wraps an open database (a `:memory:` one in tests and `kioskd --demo`) and migrates it.
    public init(database: Database, timeZone: IANATimeZone, migrator: DatabaseMigrator = StoreSchema.migrator) throws {
        self.database = database
        migration = try migrator.migrate(database)
        programme = ProgrammeRepository(database: database, timeZone: timeZone)
        residents = ResidentRepository(database: database)
        notices = NoticeRepository(database: database)
        posters = PosterRepository(database: database)
        eventPictures = EventPictureRepository(database: database)
        audit = AuditLog(database: database)
        alerts = AlertRepository(database: database)
    }

    /// A fresh, migrated in-memory store.
    public static func inMemory(timeZone: IANATimeZone) throws -> StateStore {
        try StateStore(database: Database(path: Database.inMemoryPath), timeZone: timeZone)
    }

    /// Creates the directory and an empty private file if missing; returns the file's path.
    private static func prepareFile(in directory: String) throws -> String {
        var isDirectory: ObjCBool = false
        if FileManager.default.fileExists(atPath: directory, isDirectory: &isDirectory) {
            guard isDirectory.boolValue else {
                throw StateDirectoryError(path: directory, reason: "it exists but is not a directory")
            }
        } else {
            do {
                try FileManager.default.createDirectory(
                    atPath: directory, withIntermediateDirectories: true, attributes: [.posixPermissions: 0o700])
            } catch {
                throw StateDirectoryError(path: directory, reason: "cannot create it: \(error.localizedDescription)")
            }
        }
        let path = (directory as NSString).appendingPathComponent(fileName)
        // O_CREAT|O_EXCL: create with mode 0600 only if absent; never touch an existing file.
        let fd = open(path, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0o600)
        if fd >= 0 {
            close(fd)
        } else if errno != EEXIST {
            let reason = String(cString: strerror(errno))
            throw StateDirectoryError(path: directory, reason: "cannot create \(fileName): \(reason)")
        }
        return path
    }
}

/// Deliberately not `Sendable`: it wraps a ``Database``.
@available(*, unavailable)
extension StateStore: Sendable {}

/// The state directory cannot hold the database (missing and not creatable, a file, not
/// writable). Check `StateDirectory=` in the unit or `[state] directory` in kiosk.conf.
public struct StateDirectoryError: Error, Sendable, CustomStringConvertible {
    public var path: String
    public var reason: String

    public var description: String { "state directory \(path): \(reason)" }
}
