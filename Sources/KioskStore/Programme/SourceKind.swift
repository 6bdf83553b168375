import KioskCore

/// Where a programme source's events come from: a pulled feed format, or a staff push.
public enum SourceKind: String, Sendable, Hashable, CaseIterable, Codable, DatabaseValueConvertible {
    case ics, openagenda, json, push

    /// The kind of a configured feed.
    public init(_ format: FeedFormat) {
        switch format {
        case .ics: self = .ics
        case .openagenda: self = .openagenda
        case .json: self = .json
        }
    }
}
