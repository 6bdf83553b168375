import KioskCore

/// Where a programme source's events come from: a configured feed, in one of the formats
/// KioskFeeds reads, or a staff push.
///
/// The formats are `FeedFormat`'s, the one list of them (`[feed] format`, the helper's
/// request, `FeedDecoder`): a format added there is a source kind here too. Stored and
/// shown (database, API JSON, `kioskctl sources`) as the format's name, or `push`.
public enum SourceKind: Sendable, Hashable {
    case feed(FeedFormat)
    case push

    public static let ics = SourceKind.feed(.ics)
    public static let openagenda = SourceKind.feed(.openagenda)
    public static let json = SourceKind.feed(.json)

    /// The kind of a configured feed.
    public init(_ format: FeedFormat) { self = .feed(format) }

    /// The feed's format; nil for a push.
    public var format: FeedFormat? {
        if case .feed(let format) = self { return format }
        return nil
    }
}

extension SourceKind: RawRepresentable, CaseIterable, Codable, DatabaseValueConvertible {
    public static let allCases: [SourceKind] = FeedFormat.allCases.map(SourceKind.feed) + [.push]

    public var rawValue: String {
        switch self {
        case .feed(let format): format.rawValue
        case .push: "push"
        }
    }

    public init?(rawValue: String) {
        if rawValue == "push" {
            self = .push
        } else if let format = FeedFormat(rawValue: rawValue) {
            self = .feed(format)
        } else {
            return nil
        }
    }
}
