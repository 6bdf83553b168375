import Foundation
import KioskCore

/// What we know of the picture at an event's image URL.
public struct EventPictureRecord: Sendable, Hashable {
    public var url: String
    /// SHA-256 of the stored file (`PictureFileStore`); nil while none could be fetched.
    public var picture: String?
    public var etag: String?
    public var lastModified: String?
    public var checked: Date
    /// Why the last fetch failed; nil after a success or a 304.
    public var error: String?

    public init(url: String, picture: String?, etag: String?, lastModified: String?, checked: Date, error: String?) {
        self.url = url
        self.picture = picture
        self.etag = etag
        self.lastModified = lastModified
        self.checked = checked
        self.error = error
    }
}

/// Pictures fetched by URL, events' images and residents' logos (`residents.logo_url`):
/// written by the feed puller and the logo fetcher, read by the screen.
public struct EventPictureRepository {
    public let database: Database

    public init(database: Database) {
        self.database = database
    }

    public func get(url: String) throws -> EventPictureRecord? {
        try database.queryFirst("SELECT * FROM event_pictures WHERE url = ?", [url]).map(Self.record(from:))
    }

    public func save(_ r: EventPictureRecord) throws {
        try database.execute(
            """
            INSERT INTO event_pictures (url, picture, etag, last_modified, checked, error) VALUES (?, ?, ?, ?, ?, ?)
            ON CONFLICT (url) DO UPDATE SET picture = excluded.picture, etag = excluded.etag,
                last_modified = excluded.last_modified, checked = excluded.checked, error = excluded.error
            """, [r.url, r.picture, r.etag, r.lastModified, r.checked, r.error])
    }

    /// The distinct http(s) image URLs the stored events of `source` name.
    public func imageURLs(ofSource source: String) throws -> [String] {
        try database.query("SELECT DISTINCT image_url FROM events WHERE source_id = ? AND image_url IS NOT NULL ORDER BY image_url", [source])
            .map { row -> String in try row.get("image_url") }
    }

    /// Forgets the URLs no stored event nor resident names any more; returns how many.
    @discardableResult
    public func removeUnreferenced() throws -> Int {
        try database.execute(
            """
            DELETE FROM event_pictures WHERE url NOT IN (SELECT image_url FROM events WHERE image_url IS NOT NULL)
                AND url NOT IN (SELECT logo_url FROM residents WHERE logo_url IS NOT NULL)
            """)
        return database.changes
    }

    /// The content hash of each stored event's picture, by event uid (events whose picture
    /// was never fetched are absent).
    public func picturesByEvent() throws -> [String: String] {
        var result: [String: String] = [:]
        for row in try database.query(
            "SELECT e.uid AS uid, p.picture AS picture FROM events e JOIN event_pictures p ON p.url = e.image_url WHERE p.picture IS NOT NULL ORDER BY e.uid") {
            result[try row.get("uid")] = try row.get("picture") as String
        }
        return result
    }

    public func pictureHashes() throws -> Set<String> {
        Set(try database.query("SELECT DISTINCT picture FROM event_pictures WHERE picture IS NOT NULL").map { row -> String in try row.get("picture") })
    }

    private static func record(from row: Row) throws -> EventPictureRecord {
        EventPictureRecord(url: try row.get("url"), picture: try row.get("picture"), etag: try row.get("etag"),
                           lastModified: try row.get("last_modified"), checked: try row.get("checked"), error: try row.get("error"))
    }
}

extension StateStore {
    /// Every picture file a record names (posters, pictures fetched by URL, logos read at
    /// import): what `PictureFileStore.removeAll(except:)` must keep.
    public func referencedPictureHashes() throws -> Set<String> {
        try posters.pictureHashes().union(try eventPictures.pictureHashes()).union(try residents.storedLogoHashes())
    }

    /// `<state>/pictures`, or nil for an in-memory store.
    public var pictureFiles: PictureFileStore? {
        database.isInMemory ? nil : PictureFileStore(stateDirectory: (database.path as NSString).deletingLastPathComponent)
    }

    /// Forgets the pictures no event, resident or poster names any more: the URL records,
    /// then the files. Returns the hashes of the files removed.
    @discardableResult
    public func collectUnusedPictures() throws -> [String] {
        try eventPictures.removeUnreferenced()
        guard let files = pictureFiles else { return [] }
        return try files.removeAll(except: try referencedPictureHashes())
    }
}
