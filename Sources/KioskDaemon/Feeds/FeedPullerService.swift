import Foundation
import KioskCore

/// A feed puller as a `DaemonService` (`feed:NAME`): ready at once, pulling until the
/// group stops it (its loop is cancelled; a fetch in flight kills its helper child).
struct FeedPullerService: DaemonService {
    let puller: FeedPuller
    /// What the puller was made from: a reload replaces it only when this changed.
    let key: Key

    struct Key: Hashable {
        var feed: KioskConfig.Feed
        var timeZone: String
        var language: Language
        var configPath: String
    }

    var name: String { Self.name(of: puller.feed) }
    static func name(of feed: KioskConfig.Feed) -> String { "feed:" + feed.name }

    init(_ puller: FeedPuller, config: KioskConfig) {
        self.puller = puller
        self.key = Self.key(puller.feed, config: config)
    }

    static func key(_ feed: KioskConfig.Feed, config: KioskConfig) -> Key {
        var feed = feed
        feed.line = 0  // a feed that only moved in the file is the same feed
        return Key(feed: feed, timeZone: config.venue.timeZone.identifier, language: feed.language ?? config.venue.language, configPath: config.path)
    }

    /// What each puller running in `group` was made from, by service name (feeds whose URL
    /// could not be used have none).
    static func keys(of config: KioskConfig, runningIn group: ServiceGroup) -> [String: Key] {
        let keys = Dictionary(config.feeds.map { (name(of: $0), key($0, config: config)) }, uniquingKeysWith: { a, _ in a })
        return keys.filter { group.serviceNames.contains($0.key) }
    }

    func run(_ lifecycle: ServiceLifecycle) async throws {
        lifecycle.ready()
        let puller = self.puller
        await lifecycle.cancelOnShutdown { await puller.run() }
    }
}

extension DaemonRuntime {
    /// After a reload: stops (and awaits) the pullers of feeds removed or changed, starts
    /// those of new or changed feeds; an unchanged feed keeps its puller and its schedule.
    static func replaceChangedPullers(
        in group: ServiceGroup, running: inout [String: FeedPullerService.Key], config: KioskConfig, lobby: Lobby, logger: JournalLogger,
        helper: FeedHelperClient = FeedHelperClient()
    ) async {
        var wanted: [String: FeedPullerService] = [:]
        for var puller in feedPullers(for: config, lobby: lobby, logger: logger) {
            puller.helper = helper
            let service = FeedPullerService(puller, config: config)
            wanted[service.name] = service
        }
        for name in running.keys.sorted() where wanted[name] == nil {
            await group.replace(name, with: nil)
            running[name] = nil
            logger.info("SIGHUP: \(name) removed")
        }
        for (name, service) in wanted.sorted(by: { $0.key < $1.key }) where running[name] != service.key {
            await group.replace(name, with: service)
            logger.info("SIGHUP: \(name) \(running[name] == nil ? "added" : "changed; its puller replaced")")
            running[name] = service.key
        }
    }
}
