import Foundation
import KioskCore
import KioskStore

extension Lobby {
    /// The http(s) image URLs the stored events of `feed` name.
    public func eventImageURLs(of feed: KioskConfig.Feed) throws -> [String] {
        try store.eventPictures.imageURLs(ofSource: feed.name)
    }

    public func eventPicture(url: String) throws -> EventPictureRecord? {
        try store.eventPictures.get(url: url)
    }

    /// Records a fetch of `url`: with `bytes` (already checked to decode), the file is
    /// stored by content hash; without, the previous picture (if any) stays.
    public func recordEventPicture(url: String, bytes: [UInt8]?, etag: String?, lastModified: String?, error: String?) throws {
        var record = try store.eventPictures.get(url: url)
            ?? EventPictureRecord(url: url, picture: nil, etag: nil, lastModified: nil, checked: clock.now(), error: nil)
        if let bytes, let files = pictureFiles {
            record.picture = try files.store(bytes)
            record.etag = etag
            record.lastModified = lastModified
        }
        record.checked = clock.now()
        record.error = error
        try store.eventPictures.save(record)
        if bytes != nil { eventPictureHashes = try store.eventPictures.picturesByEvent() }
    }

    /// Forgets pictures no event or poster names any more, rows and files.
    public func collectUnusedPictures() throws {
        try store.eventPictures.removeUnreferenced()
        if let files = pictureFiles { try files.removeAll(except: try store.referencedPictureHashes()) }
        eventPictureHashes = try store.eventPictures.picturesByEvent()
    }

    /// `<state>/pictures`, or nil for an in-memory store.
    var pictureFiles: PictureFileStore? {
        store.database.isInMemory ? nil : PictureFileStore(stateDirectory: (store.database.path as NSString).deletingLastPathComponent)
    }
}
