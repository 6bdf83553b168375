import Foundation
import KioskCore

/// Fetches the residents' logos given as http(s) URLs (`residents.logo_url`) in the feed
/// helper, as event pictures are (`PictureFetchRound`: sandboxed child, conditional GET,
/// the size limit and timeout of a feed with default settings, checked to decode), and
/// stores them by content hash.
///
/// Every `pollInterval` it looks for the URLs that are due: never fetched (a new import:
/// fetched within a poll), fetched longer than `refreshInterval` ago (checked again, a
/// 304 costing nothing), failed longer than `retryInterval` ago. A logo that fails (404,
/// too large, too slow, not a picture) leaves its resident on screen without it, or with
/// the copy fetched before; the journal says which. Pictures no longer named are then
/// removed.
struct ResidentLogoFetcher: Sendable {
    let lobby: Lobby
    var helper = FeedHelperClient()
    let logger: JournalLogger
    /// A feed's default timeout and size limit (`[feed] timeout`, `max-size`).
    var timeout: TimeInterval = KioskConfig.Feed(name: "", url: "", format: .ics).timeout
    var maxBytes: Int = KioskConfig.Feed(name: "", url: "", format: .ics).maxBytes
    var pollInterval: TimeInterval = 60
    var refreshInterval: TimeInterval = 6 * 3600
    var retryInterval: TimeInterval = 30 * 60

    /// Fetches what is due, then waits `pollInterval` (`retryInterval` after a round that
    /// failed as a whole: the helper killed at its deadline, the store unwritable), until
    /// cancelled.
    func run() async {
        while !Task.isCancelled {
            let failed: Bool
            do {
                _ = try await round()
                failed = false
            } catch {
                logger.warning("residents: logos: \(error); next attempt in \(Int(retryInterval / 60)) min")
                failed = true
            }
            FeedPuller.releaseFreedMemory()
            try? await Task.sleep(for: lobby.clock.realDuration(of: failed ? retryInterval : pollInterval))
        }
    }

    /// One round, its failure logged; returns how many URLs were fetched.
    @discardableResult
    func refresh() async -> Int {
        do {
            return try await round()
        } catch {
            logger.warning("residents: logos: \(error)")
            return 0
        }
    }

    /// One round: the due URLs (at most `PictureFetchRound.maximumPerRound`, never fetched
    /// first, then the oldest); returns how many were fetched.
    func round() async throws -> Int {
        let now = lobby.clock.now()
        let due = try await lobby.residentLogoURLs().filter { entry in
            guard let checked = entry.checked else { return true }
            return now.timeIntervalSince(checked) >= (entry.failed ? retryInterval : refreshInterval)
        }
        guard !due.isEmpty else { return 0 }
        let names = Dictionary(due.map { ($0.url, $0.residents) }, uniquingKeysWith: { a, _ in a })
        let round = PictureFetchRound(lobby: lobby, helper: helper, timeout: timeout, maxBytes: maxBytes)
        let outcomes = try await round.run(due.map(\.url))
        let failures = PictureFetchRound.logFailures(
            of: outcomes, to: logger,
            subject: { url in "residents: logo of " + TerminalText.sanitized((names[url] ?? []).prefix(3).map { "« \($0) »" }.joined(separator: ", ")) },
            keptPrevious: "the logo fetched before stays on screen", withoutPicture: "shown without a logo")
        if due.count > outcomes.count {
            logger.info("residents: \(due.count) logo URLs due, the first \(outcomes.count) fetched (the rest at the next round)")
        }
        if failures > 0 { logger.warning("residents: \(failures) of \(outcomes.count) logos could not be fetched") }
        try await lobby.collectUnusedPictures()
        return outcomes.count
    }
}

/// The logo fetcher as a `DaemonService` (`resident-logos`).
struct ResidentLogoService: DaemonService {
    let fetcher: ResidentLogoFetcher
    var name: String { "resident-logos" }

    func run(_ lifecycle: ServiceLifecycle) async throws {
        lifecycle.ready()
        let fetcher = self.fetcher
        await lifecycle.cancelOnShutdown { await fetcher.run() }
    }
}
