import Foundation
import KioskCore
import KioskStore

extension Lobby {
    /// The http(s) image URLs the stored events of `feed` name.
    public func eventImageURLs(of feed: KioskConfig.Feed) throws -> [String] {
        try store.eventPictures.imageURLs(ofSource: feed.name)
    }

    /// What we know of the picture fetched from `url` (an event's image or a logo).
    public func fetchedPicture(url: String) throws -> EventPictureRecord? {
        try store.eventPictures.get(url: url)
    }

    /// The directory's logo URLs with their last check (`ResidentRepository.logoURLs`) and
    /// the names of the residents that use each.
    public func residentLogoURLs() throws -> [(url: String, checked: Date?, failed: Bool, residents: [String])] {
        var names: [String: [String]] = [:]
        for resident in residents { if case .url(let url)? = resident.logo { names[url, default: []].append(resident.name) } }
        return try store.residents.logoURLs().map { ($0.url, $0.checked, $0.failed, names[$0.url] ?? []) }
    }

    /// Records a fetch of `url`: with `bytes` (already checked to decode), the file is
    /// stored by content hash; without, the previous picture (if any) stays.
    public func recordFetchedPicture(url: String, bytes: [UInt8]?, etag: String?, lastModified: String?, error: String?) throws {
        var record = try store.eventPictures.get(url: url)
            ?? EventPictureRecord(url: url, picture: nil, etag: nil, lastModified: nil, checked: clock.now(), error: nil)
        if let bytes, let files = store.pictureFiles {
            record.picture = try files.store(bytes)
            record.etag = etag
            record.lastModified = lastModified
        }
        record.checked = clock.now()
        record.error = error
        try store.eventPictures.save(record)
        if bytes != nil { try reloadPictureHashes() }
    }

    /// Forgets pictures no event, resident or poster names any more, rows and files.
    public func collectUnusedPictures() throws {
        try store.collectUnusedPictures()
        try reloadPictureHashes()
    }

    var pictureFiles: PictureFileStore? { store.pictureFiles }

    /// How long an ended poster is kept (and listed on the staff page) before the nightly
    /// purge deletes it and its file.
    public static let endedPosterRetentionDays = 30

    /// Deletes the posters whose last day is more than `endedPosterRetentionDays` before
    /// today, then the picture files nothing names any more (every time: the nightly
    /// collection also takes what a withdrawal, an import or a round left younger than
    /// `PictureFileStore.minimumUnusedAge`); returns how many posters.
    @discardableResult
    public func purgeEndedPosters() throws -> Int {
        let today = CivilDate(clock.now(), in: config.venue.timeZone)
        let removed = try store.posters.purge(endedBefore: today.adding(days: -Self.endedPosterRetentionDays))
        if removed > 0 { try reloadPosters() }
        try collectUnusedPictures()
        return removed
    }
}
