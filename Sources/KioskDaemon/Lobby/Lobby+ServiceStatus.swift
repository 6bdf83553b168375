import Foundation
import KioskCore

extension Lobby {
    /// One line for systemd's `STATUS=` (shown by `systemctl status kioskd`): the venue,
    /// how fresh the programme is and the badge reader's link, e.g.
    /// `Le Mixeur: programme fetched 12 min ago; reader connected`.
    public func serviceStatus() -> String {
        let now = clock.now()
        let facts = freshness
        var parts: [String] = []
        if !facts.hasPulledSources {
            parts.append("no programme feed configured")
        } else if let last = facts.lastSuccess {
            let minutes = max(0, Int(now.timeIntervalSince(last) / 60))
            var programme = "programme fetched \(minutes) min ago"
            if facts.allFailing { programme += ", every feed failing since" }
            if now.timeIntervalSince(last) > config.feedSettings.offlineAfter { programme += " (offline)" }
            parts.append(programme)
        } else {
            parts.append(facts.allFailing ? "programme never fetched, every feed failing" : "programme not fetched yet")
        }
        if let screen = displayStatus { parts.append(screen) }
        switch checkIn.reader {
        case .notConfigured: break
        case .connecting: parts.append("reader connecting")
        case .connected: parts.append("reader connected")
        case .disconnected: parts.append("reader disconnected" + (checkIn.readerProblem.map { " (\($0))" } ?? ""))
        }
        return "\(config.venue.name): " + parts.joined(separator: "; ")
    }
}
