import Foundation

/// How fresh one programme source is, as the `sources` table records it.
///
/// Instants have whole-second precision (see ``StoreSchema``). `lastSuccess` counts a
/// `304 Not Modified` as a success: the stored copy was confirmed current then.
public struct SourceStatus: Sendable, Hashable {
    /// The feed's config name, or `push:NAME`.
    public var id: String
    public var kind: SourceKind
    public var url: String?
    /// HTTP validators of the last `200`, to send back as `If-None-Match` /
    /// `If-Modified-Since` (Last-Modified verbatim, as the server wrote it).
    public var etag: String?
    public var lastModified: String?
    public var lastAttempt: Date?
    public var lastSuccess: Date?
    /// Why the last attempt failed; nil once a later attempt succeeded.
    public var lastError: String?
    public var consecutiveFailures: Int
    /// Events (series, single events and overrides) stored for the source.
    public var eventCount: Int
    /// Events in the feed as last read, dropped ones included.
    public var eventsRead: Int
    /// What the last successful read skipped: every warning counted, the first few kept.
    public var warningCount: Int
    public var warnings: [SourceWarning]

    public init(
        id: String, kind: SourceKind, url: String? = nil, etag: String? = nil, lastModified: String? = nil,
        lastAttempt: Date? = nil, lastSuccess: Date? = nil, lastError: String? = nil,
        consecutiveFailures: Int = 0, eventCount: Int = 0, eventsRead: Int = 0, warningCount: Int = 0,
        warnings: [SourceWarning] = []
    ) {
        self.id = id
        self.kind = kind
        self.url = url
        self.etag = etag
        self.lastModified = lastModified
        self.lastAttempt = lastAttempt
        self.lastSuccess = lastSuccess
        self.lastError = lastError
        self.consecutiveFailures = consecutiveFailures
        self.eventCount = eventCount
        self.eventsRead = eventsRead
        self.warningCount = warningCount
        self.warnings = warnings
    }
}

/// One warning of a source's last read: the line of the file when the format has lines,
/// and what was skipped (the event named in the message).
public struct SourceWarning: Sendable, Hashable, Codable {
    public var line: Int?
    public var message: String

    public init(line: Int? = nil, message: String) {
        self.line = line
        self.message = message
    }
}

/// What a successful read found besides its events, stored with the source.
public struct SourceReadReport: Sendable, Hashable {
    /// At most this many warnings are stored per source.
    public static let maxStoredWarnings = 20

    public var eventsRead: Int
    public var warningCount: Int
    public var warnings: [SourceWarning]

    public init(eventsRead: Int, warningCount: Int = 0, warnings: [SourceWarning] = []) {
        self.eventsRead = eventsRead
        self.warningCount = max(warningCount, warnings.count)
        self.warnings = Array(warnings.prefix(Self.maxStoredWarnings))
    }
}
