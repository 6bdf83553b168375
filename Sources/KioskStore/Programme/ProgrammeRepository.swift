import Foundation
import KioskCore

/// The programme sources and the last good copy of each one's events.
///
/// A fetched feed replaces its source's events in one transaction, together with the
/// source's bookkeeping (validators, success time, count): either the new copy and its
/// ETag are both stored, or neither is, so a crash can never leave a fresh ETag next to
/// stale events (which would make the server answer 304 forever).
///
/// Uses the database of its owner (not `Sendable`). `timeZone` is the venue's: all-day
/// events of a source without their own zone are indexed at local midnight of that zone.
public struct ProgrammeRepository {
    public let database: Database
    public let timeZone: IANATimeZone
    private let coder = EventPayloadCoder()

    public init(database: Database, timeZone: IANATimeZone) {
        self.database = database
        self.timeZone = timeZone
    }

    // MARK: Sources

    /// Creates the source or updates its kind and URL, keeping its events and history.
    public func upsertSource(id: String, kind: SourceKind, url: String?) throws {
        try database.execute(
            """
            INSERT INTO sources (id, kind, url) VALUES (?, ?, ?)
            ON CONFLICT (id) DO UPDATE SET kind = excluded.kind, url = excluded.url
            """, [id, kind, url])
    }

    /// Deletes a source and, by cascade, its events (a feed removed from the config).
    @discardableResult
    public func deleteSource(id: String) throws -> Bool {
        try database.execute("DELETE FROM sources WHERE id = ?", [id])
        return database.changes > 0
    }

    /// Replaces every stored event of the source with `events`, all or nothing, and records
    /// the fetch as a success (validators replaced by `etag`/`lastModified`, error cleared,
    /// failure count reset). Creates the source when it is new.
    ///
    /// Two events with the same `uid` and `recurrenceID` make the whole call fail with a
    /// `constraintUnique` ``DatabaseError`` and the old copy stays: feeds are expected to
    /// deduplicate (keeping the highest SEQUENCE) before storing.
    ///
    /// `report` is what the read skipped (stored with the source, replacing the previous
    /// one); nil records the events as read with no warning.
    public func replaceEvents(
        ofSource id: String, kind: SourceKind, url: String? = nil, with events: [ProgrammeEvent], fetchedAt: Date,
        etag: String? = nil, lastModified: String? = nil, report: SourceReadReport? = nil
    ) throws {
        try database.transaction {
            try upsertSource(id: id, kind: kind, url: url)
            try database.execute("DELETE FROM events WHERE source_id = ?", [id])
            let insert = try database.prepare(
                """
                INSERT INTO events (source_id, uid, recurrence_id, start_utc, end_utc, is_recurring, payload, image_url)
                VALUES (?, ?, ?, ?, ?, ?, ?, ?)
                """)
            for event in events {
                let zone = event.timeZone.flatMap(IANATimeZone.init(identifier:)) ?? timeZone
                try insert.execute([
                    id, event.uid, event.recurrenceID?.storageKey,
                    event.start.instant(in: zone), event.end.instant(in: zone),
                    !(event.recurrence?.isEmpty ?? true), try coder.encode(event), event.imageURL,
                ])
            }
            let report = report ?? SourceReadReport(eventsRead: events.count)
            try database.execute(
                "UPDATE sources SET event_count = ?, events_read = ?, warning_count = ?, warnings = ? WHERE id = ?",
                [events.count, report.eventsRead, report.warningCount, try Self.warningsJSON(report.warnings), id])
            try recordSuccess(source: id, at: fetchedAt, etag: etag, lastModified: lastModified)
        }
    }

    static func warningsJSON(_ warnings: [SourceWarning]) throws -> String {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        return String(decoding: try encoder.encode(warnings), as: UTF8.self)
    }

    /// The stored warnings; a column that does not decode reads as none (it is display only).
    static func warnings(fromJSON text: String) -> [SourceWarning] {
        (try? JSONDecoder().decode([SourceWarning].self, from: Data(text.utf8))) ?? []
    }

    /// A `200` whose events were stored some other way: validators replaced, error cleared.
    public func recordSuccess(source id: String, at instant: Date, etag: String?, lastModified: String?) throws {
        try update(
            id,
            """
            UPDATE sources SET last_attempt = ?, last_success = ?, last_error = NULL, consecutive_failures = 0,
                etag = ?, last_modified = ?
            WHERE id = ?
            """, [instant, instant, etag, lastModified, id])
    }

    /// A `304 Not Modified`: the stored copy is confirmed current; validators are kept.
    public func recordNotModified(source id: String, at instant: Date) throws {
        try update(
            id,
            """
            UPDATE sources SET last_attempt = ?, last_success = ?, last_error = NULL, consecutive_failures = 0
            WHERE id = ?
            """, [instant, instant, id])
    }

    /// A failed fetch or parse: events and validators are kept, the error is remembered.
    public func recordFailure(source id: String, at instant: Date, error: String) throws {
        try update(
            id,
            """
            UPDATE sources SET last_attempt = ?, last_error = ?, consecutive_failures = consecutive_failures + 1
            WHERE id = ?
            """, [instant, error, id])
    }

    /// A failed fetch of a source that may not be stored yet (first boot without network):
    /// creates the source (or updates its kind and URL), then records the failure.
    public func recordFailure(source id: String, kind: SourceKind, url: String? = nil, at instant: Date, error: String) throws {
        try database.transaction {
            try upsertSource(id: id, kind: kind, url: url)
            try recordFailure(source: id, at: instant, error: error)
        }
    }

    private func update(_ id: String, _ sql: String, _ arguments: [(any DatabaseValueConvertible)?]) throws {
        try database.execute(sql, arguments)
        guard database.changes == 1 else {
            throw RecordError(table: "sources", key: id, problem: "no such source; call upsertSource(id:kind:url:) first")
        }
    }

    /// Every source, by id.
    public func sourceStatuses() throws -> [SourceStatus] {
        try database.query("SELECT * FROM sources ORDER BY id").map(Self.status(from:))
    }

    public func sourceStatus(id: String) throws -> SourceStatus? {
        try database.queryFirst("SELECT * FROM sources WHERE id = ?", [id]).map(Self.status(from:))
    }

    /// The most recent success of any source (`200` or `304`); nil when none ever succeeded.
    /// The screen says "Hors ligne" when this is too old.
    public func lastSuccessfulFetch() throws -> Date? {
        try database.scalar("SELECT max(last_success) FROM sources", as: Date.self)
    }

    private static func status(from row: Row) throws -> SourceStatus {
        SourceStatus(
            id: try row.get("id"), kind: try row.get("kind"), url: try row.get("url"), etag: try row.get("etag"),
            lastModified: try row.get("last_modified"), lastAttempt: try row.get("last_attempt"),
            lastSuccess: try row.get("last_success"), lastError: try row.get("last_error"),
            consecutiveFailures: try row.get("consecutive_failures"), eventCount: try row.get("event_count"),
            // Display-only columns of schema v3, read leniently (an older file has none).
            eventsRead: (try? row.get("events_read", as: Int.self)) ?? 0,
            warningCount: (try? row.get("warning_count", as: Int.self)) ?? 0,
            warnings: warnings(fromJSON: (try? row.get("warnings", as: String.self)) ?? "[]"))
    }

    // MARK: Events

    /// Every stored event, ordered by first start, then source, uid, and series master
    /// before its overrides.
    public func allEvents() throws -> [StoredEvent] {
        try database.query(
            "SELECT source_id, uid, recurrence_id, payload FROM events ORDER BY start_utc, source_id, uid, recurrence_id"
        ).map { row in StoredEvent(source: try row.get("source_id"), event: try decode(row)) }
    }

    /// The stored events of one source, in the same order.
    public func events(ofSource id: String) throws -> [ProgrammeEvent] {
        try database.query(
            "SELECT source_id, uid, recurrence_id, payload FROM events WHERE source_id = ? ORDER BY start_utc, uid, recurrence_id",
            [id]
        ).map(decode)
    }

    private func decode(_ row: Row) throws -> ProgrammeEvent {
        do {
            return try coder.decode(try row.get("payload"))
        } catch let error as DecodingError {
            let source: String = try row.get("source_id"), uid: String = try row.get("uid")
            let recurrence: String? = try row.get("recurrence_id")
            throw RecordError(
                table: "events", key: "\(source)/\(uid)" + (recurrence.map { "/\($0)" } ?? ""),
                problem: "the stored payload no longer decodes as a ProgrammeEvent (\(error)); refetching the source replaces it")
        }
    }
}
