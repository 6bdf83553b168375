import Foundation
import KioskCore

/// The directory of resident structures.
///
/// Writes upsert rather than delete-and-insert, so that rows pointing at a resident
/// (`people.resident_id`, `ON DELETE SET NULL`) survive a re-import of the same list.
/// `at` is the instant of the write, from the caller's clock (stored as `updated_at`).
public struct ResidentRepository {
    public let database: Database

    public init(database: Database) {
        self.database = database
    }

    /// What a ``replaceAll(_:at:)`` changed, for the audit log and the import's reply.
    public struct ImportSummary: Sendable, Hashable {
        public var inserted: Int
        public var updated: Int
        public var deleted: Int
    }

    /// Makes the directory exactly `residents`, in one transaction: new ids inserted,
    /// known ids updated, ids not in the list deleted. A repeated id: the last one wins.
    @discardableResult
    public func replaceAll(_ residents: [Resident], at instant: Date) throws -> ImportSummary {
        try database.transaction {
            let existing = Set(try database.query("SELECT id FROM residents").map { try $0.get("id", as: String.self) })
            let incoming = Set(residents.map(\.id))
            let upsert = try upsertStatement()
            for resident in residents { try upsert.execute(arguments(resident, at: instant)) }
            let delete = try database.prepare("DELETE FROM residents WHERE id = ?")
            let gone = existing.subtracting(incoming)
            for id in gone { try delete.execute([id]) }
            return ImportSummary(
                inserted: incoming.subtracting(existing).count, updated: incoming.intersection(existing).count,
                deleted: gone.count)
        }
    }

    /// Inserts the resident, or updates the one with the same id.
    public func upsert(_ resident: Resident, at instant: Date) throws {
        try upsertStatement().execute(arguments(resident, at: instant))
    }

    /// Every resident, in French reading order (``KioskCore/Resident/sortKey``: accents
    /// and case ignored), then by name and id so the order is total.
    public func all() throws -> [Resident] {
        try database.query("SELECT * FROM residents").map(Self.resident(from:)).sorted { a, b in
            (a.sortKey, a.name, a.id) < (b.sortKey, b.name, b.id)
        }
    }

    public func get(id: String) throws -> Resident? {
        try database.queryFirst("SELECT * FROM residents WHERE id = ?", [id]).map(Self.resident(from:))
    }

    /// When the resident was last written; nil when unknown.
    public func updatedAt(id: String) throws -> Date? {
        try database.scalar("SELECT updated_at FROM residents WHERE id = ?", [id], as: Date.self)
    }

    /// Deletes one resident; people attached to it keep existing, unattached.
    @discardableResult
    public func delete(id: String) throws -> Bool {
        try database.execute("DELETE FROM residents WHERE id = ?", [id])
        return database.changes > 0
    }

    public func count() throws -> Int {
        try database.scalar("SELECT count(*) FROM residents", as: Int.self) ?? 0
    }

    private func upsertStatement() throws -> Statement {
        try database.prepare(
            """
            INSERT INTO residents (id, name, kind, sector, location, membership, summary, website, logo_url, logo_picture, updated_at)
            VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
            ON CONFLICT (id) DO UPDATE SET
                name = excluded.name, kind = excluded.kind, sector = excluded.sector, location = excluded.location,
                membership = excluded.membership, summary = excluded.summary, website = excluded.website,
                logo_url = excluded.logo_url, logo_picture = excluded.logo_picture, updated_at = excluded.updated_at
            """)
    }

    private func arguments(_ r: Resident, at instant: Date) -> [(any DatabaseValueConvertible)?] {
        var url: String?, picture: String?
        switch r.logo {
        case .url(let u)?: url = u
        case .stored(let hash)?: picture = hash
        case nil: break
        }
        return [r.id, r.name, r.kind.rawValue, r.sector, r.location, r.membership.rawValue, r.summary, r.website, url, picture, instant]
    }

    private static func resident(from row: Row) throws -> Resident {
        let id: String = try row.get("id")
        let kindText: String = try row.get("kind"), membershipText: String = try row.get("membership")
        guard let kind = Resident.Kind(rawValue: kindText), let membership = Resident.Membership(rawValue: membershipText) else {
            throw RecordError(table: "residents", key: id, problem: "unknown kind '\(kindText)' or membership '\(membershipText)'")
        }
        // The logo columns are absent from a database before schema v7 (read as no logo).
        let url: String? = row["logo_url"] == nil ? nil : try row.get("logo_url")
        let picture: String? = row["logo_picture"] == nil ? nil : try row.get("logo_picture")
        return Resident(
            id: id, name: try row.get("name"), kind: kind, sector: try row.get("sector"), location: try row.get("location"),
            membership: membership, summary: try row.get("summary"), website: try row.get("website"),
            logo: picture.map { .stored(hash: $0) } ?? url.map { .url($0) })
    }

    // MARK: Logos

    /// The distinct logo URLs of the directory, with when each was last checked and
    /// whether that check failed (nil: never fetched), never checked first, then oldest
    /// first: what `ResidentLogoFetcher` fetches.
    public func logoURLs() throws -> [(url: String, checked: Date?, failed: Bool)] {
        try database.query(
            """
            SELECT DISTINCT r.logo_url AS url, p.checked AS checked, p.error IS NOT NULL AS failed FROM residents r
            LEFT JOIN event_pictures p ON p.url = r.logo_url WHERE r.logo_url IS NOT NULL
            ORDER BY p.checked IS NOT NULL, p.checked, r.logo_url
            """
        ).map { row in (try row.get("url"), try row.get("checked"), try row.get("failed") as Bool) }
    }

    /// The content hash of each resident's logo, by resident id: the file read at import,
    /// or the picture fetched from its URL (residents whose logo is not held are absent).
    public func logoPictures() throws -> [String: String] {
        var result: [String: String] = [:]
        for row in try database.query(
            """
            SELECT r.id AS id, COALESCE(r.logo_picture, p.picture) AS picture FROM residents r
            LEFT JOIN event_pictures p ON p.url = r.logo_url
            WHERE r.logo_picture IS NOT NULL OR p.picture IS NOT NULL
            """) {
            result[try row.get("id")] = try row.get("picture") as String
        }
        return result
    }

    /// The hashes of the logo files read at import.
    public func storedLogoHashes() throws -> Set<String> {
        Set(try database.query("SELECT DISTINCT logo_picture FROM residents WHERE logo_picture IS NOT NULL").map { row -> String in try row.get("logo_picture") })
    }
}
