import Foundation
import Synchronization
import KioskCore
import KioskFeeds
import KioskStore
import KioskSystem
#if canImport(Glibc)
import Glibc
#endif

/// Pulls one configured feed for as long as its task runs: fetch (conditional), decode,
/// hand a valid programme to the lobby (stored in one transaction), or record why not.
///
/// A feed that fails to download, is cut short or too large, or that `FeedDecoder` refuses
/// (not a feed, truncated, more than half of its events broken) is rejected whole: the
/// lobby keeps the last good copy and shows its age. Otherwise what the read skipped is
/// logged and stored with the source.
public struct FeedPuller: Sendable {
    /// Feeds whose helper reported a weaker sandbox, warned about once per process (the
    /// kernel does not change while kioskd runs; the debug log has it at every fetch).
    private static let weakSandboxWarned = Mutex<Set<String>>([])
    static func firstWeakSandbox(_ feed: String) -> Bool {
        weakSandboxWarned.withLock { $0.insert(feed).inserted }
    }

    public let feed: KioskConfig.Feed
    public let url: URL
    public let lobby: Lobby
    public let logger: JournalLogger
    public let venueTimeZone: IANATimeZone
    public let language: Language
    /// Runs each fetch in a child process (tests point it at the built `kioskd`).
    public var helper = FeedHelperClient()

    public init(feed: KioskConfig.Feed, configPath: String, config: KioskConfig, lobby: Lobby, logger: JournalLogger) throws(FeedFetchError) {
        guard let url = FeedFetcher.resolve(feed.url, relativeTo: configPath) else {
            throw FeedFetchError(kind: .network, message: "feed \(feed.name): unsupported URL '\(feed.url)'")
        }
        self.feed = feed
        self.url = url
        self.lobby = lobby
        self.logger = logger
        self.venueTimeZone = config.venue.timeZone
        self.language = feed.language ?? config.venue.language
    }

    /// Fetches until cancelled, waiting the refresh interval or the backoff in between.
    public func run() async {
        let backoff = FeedBackoff(base: 30, cap: feed.refresh)
        var failures = 0
        while !Task.isCancelled {
            failures = await pullOnce(failuresBefore: failures) ? 0 : failures + 1
            // A new programme is parsed, stored and read back while the old copy is still
            // held: the heap peaks, then frees. Give the freed pages back to the system, or
            // each new version leaves the resident set a little higher (Tests/longrun).
            Self.releaseFreedMemory()
            let delay = backoff.delay(afterFailures: failures, unit: Double.random(in: 0..<1))
            if failures > 0 { logger.info("feed \(feed.name): next attempt in \(Int(delay)) s", .feed(feed.name)) }
            try? await Task.sleep(for: lobby.clock.realDuration(of: delay))
        }
    }

    /// glibc's `malloc_trim(0)` (not in Swift's Glibc module: malloc.h), found once by
    /// name; nothing on a C library without it.
    private static let mallocTrim: (@convention(c) (Int) -> Int32)? = {
        guard let symbol = dlsym(UnsafeMutableRawPointer(bitPattern: 0), "malloc_trim") else { return nil }
        return unsafeBitCast(symbol, to: (@convention(c) (Int) -> Int32).self)
    }()

    static func releaseFreedMemory() {
        _ = mallocTrim?(0)
    }

    /// Consecutive failures from which a failing feed is logged at warning (before: notice):
    /// one failed fetch is a network blip; three in a row (about 3.5 min with the backoff)
    /// is a degraded programme a maintainer should hear of (`journalctl -p warning`).
    public static let warningAfterFailures = 3

    /// One attempt; true when the lobby now holds a current copy (new or unchanged).
    /// `failuresBefore`: the consecutive failures before this attempt (for the log level).
    ///
    /// The fetch and the decoding run in a `kioskctl --feed-helper` child (`FeedHelperClient`);
    /// this process only stores what it answers.
    @discardableResult
    public func pullOnce(failuresBefore: Int = Self.warningAfterFailures) async -> Bool {
        let validators = await lobby.validators(for: feed)
        let options = await FeedDecoder.Options.daemon(config: lobby.config, language: language, now: lobby.clock.now())
        let request = FeedHelper.Request(
            url: url.absoluteString, format: feed.format, etag: validators.etag, lastModified: validators.lastModified,
            timeout: feed.timeout, maxBytes: feed.maxBytes, key: feed.key, venueTimeZone: venueTimeZone.identifier,
            language: language.rawValue, probeFrom: options.probeWindow?.start, probeTo: options.probeWindow?.end)
        do {
            let response = try await helper.run(request).get()
            logger.debug("feed \(feed.name): helper \(response.sandbox ?? "(no sandbox report)")")
            if let sandbox = response.sandbox, sandbox.contains(ProcessSandbox.Report.missingMarker), Self.firstWeakSandbox(feed.name) {
                // No file-system rule at all is a warning (the helper could read the state
                // directory); only the newer TCP rules or scopes missing, as on Debian 12's
                // kernel 6.1, is a notice.
                let message = "feed \(feed.name): the feed helper runs with a weaker sandbox than kiosk asks for (\(sandbox)); an older kernel or a seccomp filter without the landlock calls"
                if sandbox.contains(ProcessSandbox.Report.fileSystemOpen) {
                    logger.warning(message, .feed(feed.name))
                } else {
                    logger.notice(message, .feed(feed.name))
                }
            }
            switch response.outcome {
            case .notModified:
                try await lobby.feedUnchanged(feed)
                logger.debug("feed \(feed.name): not modified", .feed(feed.name))
            case .events:
                let warnings = response.warnings.map { FeedWarning(line: $0.line, event: $0.event, message: $0.message) }
                if response.warningCount > 0 {
                    let first = warnings.prefix(3).map { TerminalText.sanitized($0.description) }.joined(separator: "; ")
                    logger.warning("feed \(feed.name): \(response.warningCount) warnings, \(response.eventsDropped) of \(response.eventsRead) events dropped; \(first)")
                }
                let report = SourceReadReport(eventsRead: response.eventsRead, warningCount: response.warningCount, warnings: warnings.map(\.sourceWarning))
                try await lobby.acceptFeed(feed, events: response.events, etag: response.etag, lastModified: response.lastModified, report: report)
            case .failed:
                throw FeedFetchError(kind: FeedFetchError.Kind(rawValue: response.errorKind ?? "") ?? .helper, message: response.error ?? "the feed helper failed without a reason")
            }
            await EventPictureFetcher(feed: feed, lobby: lobby, helper: helper, logger: logger).refresh()
            return true
        } catch {
            let message = "\(error)"
            let failures = failuresBefore + 1
            let level: KioskConfig.Log.Level = failures >= Self.warningAfterFailures ? .warning : .notice
            logger.log(level, "feed \(feed.name): \(TerminalText.sanitized(message)); keeping the last good programme (\(failures) failure(s) in a row)", fields: [.feed(feed.name)])
            try? await lobby.feedFailed(feed, error: message)
            return false
        }
    }
}
