import Foundation

/// An open-data file of `/feeds/`: its bytes and strong validator.
public struct FeedExport: Sendable, Hashable {
    public var body: [UInt8]
    /// `"` + 32 hex digits of the SHA-256 of `body` + `"` (a strong ETag, RFC 9110 section 8.8.3).
    public var etag: String
    public var contentType: String
}

/// The open-data formats served under `/feeds/`.
public enum ProgrammeExportFormat: String, Sendable, CaseIterable {
    /// `programme.ics`: every stored event, RFC 5545, recurrences kept.
    case iCalendar = "ics"
    /// `programme.json`: schema.org `Event` JSON-LD, occurrences of the next `jsonLDDays`.
    case jsonLD = "json"

    public var contentType: String {
        switch self {
        case .iCalendar: "text/calendar; charset=utf-8"
        case .jsonLD: "application/ld+json; charset=utf-8"
        }
    }
}
