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

    public init(
        id: String, kind: SourceKind, url: String? = nil, etag: String? = nil, lastModified: String? = nil,
        lastAttempt: Date? = nil, lastSuccess: Date? = nil, lastError: String? = nil,
        consecutiveFailures: Int = 0, eventCount: Int = 0
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
    }
}
