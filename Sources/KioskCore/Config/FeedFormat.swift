/// Format of a programme feed (`[feed] format`); KioskFeeds detects and decodes it.
public enum FeedFormat: String, Sendable, Hashable, CaseIterable, Codable {
    case ics, openagenda, json
}
