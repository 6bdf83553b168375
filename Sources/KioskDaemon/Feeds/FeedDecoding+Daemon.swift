import Foundation
import KioskCore
import KioskFeeds
import KioskStore

extension FeedDecoder.Options {
    /// How the daemon decodes a feed or a push at `now`: in the venue's zone and the
    /// language asked, with the lobby's window (plus a day either side) as the probe, so
    /// that an event the expansion budgets would cut on screen is named in the read's
    /// warnings.
    static func daemon(config: KioskConfig, language: Language, now: Date) -> Self {
        let window = LobbySnapshot.window(at: now, config: config)
        let probe = DateInterval(start: window.from.addingTimeInterval(-86_400), end: max(window.to, window.from).addingTimeInterval(86_400))
        return Self(venueTimeZone: config.venue.timeZone, language: language.rawValue, probeWindow: probe)
    }
}

extension FeedDecoding {
    /// What the store keeps with the source: events read, warnings (the event named in
    /// each message).
    var sourceReport: SourceReadReport {
        SourceReadReport(eventsRead: eventsRead, warningCount: warningCount, warnings: warnings.map(\.sourceWarning))
    }
}

extension FeedWarning {
    var sourceWarning: SourceWarning {
        SourceWarning(line: line, message: (event.map { "event \($0): " } ?? "") + message)
    }
}
