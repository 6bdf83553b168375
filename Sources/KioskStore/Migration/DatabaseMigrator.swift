/// One step of a schema's history: what turns version `version - 1` into `version`.
///
/// Once a step has shipped it is never edited: a later change is a new step.
public struct DatabaseMigration: Sendable {
    /// The `user_version` the database has after this step (1 for the first).
    public let version: Int
    /// A few words for the journal ("programme, directory, notices, check-in").
    public let name: String
    let apply: @Sendable (Database) throws -> Void

    public init(version: Int, name: String, apply: @escaping @Sendable (Database) throws -> Void) {
        self.version = version
        self.name = name
        self.apply = apply
    }

    /// A step that is one SQL script.
    public init(version: Int, name: String, sql: String) {
        self.init(version: version, name: name) { try $0.executeScript(sql) }
    }
}

/// Brings a database to the latest schema, one ``DatabaseMigration`` at a time, tracking
/// progress in `PRAGMA user_version`.
///
/// Each step runs in its own `BEGIN IMMEDIATE` transaction together with its
/// `user_version` bump, so a crash or an error leaves the database at the previous
/// version, never in between. Foreign-key enforcement is off during a step (SQLite's
/// recipe for rebuilding a table) and `PRAGMA foreign_key_check` must be clean before
/// the step commits. A database already newer than the code is refused with a
/// ``SchemaVersionError`` rather than touched.
public struct DatabaseMigrator: Sendable {
    public let migrations: [DatabaseMigration]

    /// `migrations` must be numbered 1, 2, 3... in order (checked: a gap is a programming error).
    public init(_ migrations: [DatabaseMigration]) {
        for (offset, migration) in migrations.enumerated() {
            precondition(migration.version == offset + 1, "migration '\(migration.name)' has version \(migration.version), expected \(offset + 1)")
        }
        self.migrations = migrations
    }

    /// The version a fully migrated database has.
    public var latestVersion: Int { migrations.count }

    /// What one call to ``migrate(_:upTo:)`` did.
    public struct Outcome: Sendable, Hashable {
        public var fromVersion: Int
        public var toVersion: Int
        public var didMigrate: Bool { fromVersion != toVersion }
    }

    /// Applies the missing steps up to `target` (default: the latest).
    ///
    /// A database already past `target` but not past the latest is left alone.
    @discardableResult
    public func migrate(_ database: Database, upTo target: Int? = nil) throws -> Outcome {
        let target = target ?? latestVersion
        precondition((0...latestVersion).contains(target), "no schema version \(target)")
        let start = try database.userVersion()
        guard start <= latestVersion else {
            throw SchemaVersionError(path: database.path, found: start, latestKnown: latestVersion)
        }
        guard start < target else { return Outcome(fromVersion: start, toVersion: start) }
        let restoreForeignKeys = try database.foreignKeysEnabled
        // A no-op inside a transaction, so it must be set out here.
        try database.execute("PRAGMA foreign_keys = OFF")
        defer { if restoreForeignKeys { try? database.execute("PRAGMA foreign_keys = ON") } }
        var version = start
        for migration in migrations[start..<target] {
            try database.transaction(.immediate) {
                // Re-read inside the write lock: another process may have migrated meanwhile.
                guard try database.userVersion() == version else { return }
                do {
                    try migration.apply(database)
                } catch var error as DatabaseError {
                    error.message = "migration to schema v\(migration.version) (\(migration.name)) failed: " + error.message
                    throw error
                }
                let violations = try database.foreignKeyViolations()
                guard violations.isEmpty else {
                    throw DatabaseError(
                        code: .constraintForeignKey,
                        message: "migration to schema v\(migration.version) (\(migration.name)) leaves broken references: \(violations.prefix(5).joined(separator: ", "))",
                        path: database.path)
                }
                try database.setUserVersion(migration.version)
            }
            version = try database.userVersion()
        }
        return Outcome(fromVersion: start, toVersion: version)
    }
}

/// The database was written by a newer kiosk: its schema version is past what this
/// build knows, and opening it could corrupt data the newer code relies on.
public struct SchemaVersionError: Error, Sendable, CustomStringConvertible {
    public var path: String
    public var found: Int
    public var latestKnown: Int

    public var description: String {
        "\(path) has schema version \(found), but this kiosk knows versions up to \(latestKnown) only: "
            + "it was written by a newer kiosk. Install that version again, or move the file aside "
            + "(feeds are refetched; residents, notices and check-ins would be lost) — never downgrade it in place."
    }
}
