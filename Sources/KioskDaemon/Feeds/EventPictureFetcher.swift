import Foundation
import KioskCore

/// After a pull, fetches the pictures the feed's events name (OpenAgenda `image`,
/// iCalendar `IMAGE` / `ATTACH`), with the feed's timeout and size limit and a conditional
/// GET, checks that each decodes within the screen's limits, and stores it by content hash
/// (`PictureFetchRound`).
///
/// A picture that fails (404, too large, too slow, not a PNG or JPEG) is recorded with its
/// reason and the event keeps its place on screen without it (or with the copy fetched
/// before). At most `maximumPerPull` URLs are fetched per pull, one at a time.
struct EventPictureFetcher {
    static let maximumPerPull = PictureFetchRound.maximumPerRound

    let feed: KioskConfig.Feed
    let lobby: Lobby
    /// The fetches and the decoding checks run in one `kioskctl --feed-helper` child.
    let helper: FeedHelperClient
    let logger: JournalLogger

    func refresh() async {
        do {
            let urls = try await lobby.eventImageURLs(of: feed)
            let round = PictureFetchRound(lobby: lobby, helper: helper, timeout: feed.timeout, maxBytes: feed.maxBytes)
            let failures = PictureFetchRound.logFailures(
                of: try await round.run(urls), to: logger, subject: { _ in "feed \(feed.name): picture" },
                keptPrevious: "the copy fetched before stays on screen", withoutPicture: "the event is shown without it")
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
