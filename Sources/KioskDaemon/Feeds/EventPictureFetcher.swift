import Foundation
import KioskCore
import KioskDisplay

/// After a pull, fetches the pictures the feed's events name (OpenAgenda `image`,
/// iCalendar `IMAGE` / `ATTACH`), with the feed's timeout and size limit and a conditional
/// GET, checks that each decodes within the screen's limits, and stores it by content hash.
///
/// A picture that fails (404, too large, too slow, not a PNG or JPEG) is recorded with its
/// reason and the event keeps its place on screen without it (or with the copy fetched
/// before). At most `maximumPerPull` URLs are fetched per pull, one at a time.
struct EventPictureFetcher {
    static let maximumPerPull = 64

    let feed: KioskConfig.Feed
    let lobby: Lobby
    /// The fetches and the decoding checks run in one `kioskd --feed-helper` child.
    let helper: FeedHelperClient
    let logger: JournalLogger

    func refresh() async {
        do {
            let urls = try await lobby.eventImageURLs(of: feed)
            var pictures: [FeedHelper.PictureRequest] = []
            var held: Set<String> = []
            for text in urls.prefix(Self.maximumPerPull) {
                guard let url = URL(string: text), ["http", "https"].contains(url.scheme?.lowercased() ?? "") else { continue }
                let known = try await lobby.eventPicture(url: text)
                let holds = known?.picture != nil
                if holds { held.insert(text) }
                pictures.append(.init(url: text, etag: holds ? known?.etag : nil, lastModified: holds ? known?.lastModified : nil))
            }
            var failures = 0
            if !pictures.isEmpty {
                var request = FeedHelper.Request(url: pictures[0].url, format: feed.format, timeout: feed.timeout, maxBytes: feed.maxBytes, venueTimeZone: "UTC", language: "fr")
                request.pictures = pictures
                var client = helper
                client.grace += feed.timeout * Double(pictures.count)
                let answers = try await client.run(request).get().pictures
                for answer in answers {
                    if answer.notModified {
                        try await lobby.recordEventPicture(url: answer.url, bytes: nil, etag: nil, lastModified: nil, error: nil)
                    } else if let bytes = answer.bytes {
                        try await lobby.recordEventPicture(url: answer.url, bytes: [UInt8](bytes), etag: answer.etag, lastModified: answer.lastModified, error: nil)
                    } else {
                        failures += 1
                        let error = answer.error ?? "no answer"
                        try await lobby.recordEventPicture(url: answer.url, bytes: nil, etag: nil, lastModified: nil, error: error)
                        // `recordEventPicture` keeps a picture fetched before: say which happens.
                        let outcome = held.contains(answer.url) ? "the copy fetched before stays on screen" : "the event is shown without it"
                        logger.info("feed \(feed.name): picture \(TerminalText.sanitized(String(answer.url.prefix(120)))): \(TerminalText.sanitized(error)); \(outcome)")
                    }
                }
            }
            if urls.count > Self.maximumPerPull {
                logger.info("feed \(feed.name): \(urls.count) picture URLs, the first \(Self.maximumPerPull) fetched")
            }
            if failures > 0 { logger.warning("feed \(feed.name): \(failures) of \(min(urls.count, Self.maximumPerPull)) event pictures could not be fetched") }
            try await lobby.collectUnusedPictures()
        } catch {
            logger.warning("feed \(feed.name): event pictures: \(error)")
        }
    }
}
