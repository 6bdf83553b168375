import Foundation
import KioskCore
import KioskFeeds

/// `kioskctl --feed-helper`: one fetch of one feed, in a short-lived child of the daemon.
/// This is what the two processes say to each other; the helper's side (fetch, decode,
/// sandbox) is in the KioskControl module, linked into `kioskctl` and not into `kioskd`.
///
/// The daemon (`FeedHelperClient`) starts `kioskctl` (the one installed beside `kioskd`)
/// with the request on its standard input and no other descriptor but its output and
/// standard error (the spawn closes the rest); the helper sandboxes itself
/// (`ProcessSandbox`: Landlock lets it read only the system's libraries and
/// configuration and the feed's own file, connect over TCP only to the feed's port (and
/// 80/443 for redirects, 53 for DNS), never bind; resource limits; no core dump; it dies
/// with its parent), then fetches (conditional GET, every OpenAgenda page), decodes
/// with `FeedDecoder`, writes the `Response` (JSON) on its standard output and exits.
/// The daemon kills it at its deadline. It never sees the state directory: a parser bug
/// there cannot reach the check-in ledger, and the daemon's binary does not even link the
/// HTTP and TLS libraries (FoundationNetworking, libcurl, OpenSSL).
public enum FeedHelper {
    public static let flag = "--feed-helper"
    /// Test entry: sandboxes itself as for a file feed, then tries to open each path given
    /// and to connect to `--connect PORT` on 127.0.0.1, printing what happened.
    public static let probeFlag = "--feed-helper-probe"

    /// What the daemon asks.
    public struct Request: Codable, Sendable, Hashable {
        /// Absolute http(s) or file URL (relative paths resolved by the daemon).
        public var url: String
        public var format: FeedFormat
        public var etag: String?
        public var lastModified: String?
        public var timeout: Double
        public var maxBytes: Int
        /// OpenAgenda's public key (the `key:` header).
        public var key: String?
        public var venueTimeZone: String
        public var language: String
        public var probeFrom: Date?
        public var probeTo: Date?
        /// When set, the helper fetches these event pictures instead of the feed (the
        /// feed's timeout and size limit for each) and answers `Response.pictures`.
        public var pictures: [PictureRequest]?
    }

    /// One event picture to fetch, with the validators of the copy held.
    public struct PictureRequest: Codable, Sendable, Hashable {
        public var url: String
        public var etag: String?
        public var lastModified: String?

        public init(url: String, etag: String? = nil, lastModified: String? = nil) {
            self.url = url
            self.etag = etag
            self.lastModified = lastModified
        }
    }

    /// What became of one picture: not modified, new bytes (checked to decode within the
    /// screen's limits), or why not.
    public struct PictureAnswer: Codable, Sendable {
        public var url: String
        public var notModified = false
        public var bytes: Data?
        public var etag: String?
        public var lastModified: String?
        public var error: String?

        public init(url: String) { self.url = url }
    }

    /// One warning of the read, as `FeedWarning` says it.
    public struct Warning: Codable, Sendable, Hashable {
        public var line: Int?
        public var event: String?
        public var message: String

        public init(line: Int?, event: String?, message: String) {
            self.line = line
            self.event = event
            self.message = message
        }
    }

    /// What the helper answers.
    public struct Response: Codable, Sendable {
        public enum Outcome: String, Codable, Sendable { case events, notModified, failed }
        public var outcome: Outcome
        public var events: [ProgrammeEvent] = []
        public var etag: String?
        public var lastModified: String?
        public var warnings: [Warning] = []
        public var warningCount = 0
        public var eventsRead = 0
        public var eventsDropped = 0
        /// Why it failed (`outcome == .failed`), and of which `FeedFetchError.Kind`.
        public var error: String?
        public var errorKind: String?
        /// What the sandbox enforced, for the debug log.
        public var sandbox: String?
        /// The answers to `Request.pictures`, in order.
        public var pictures: [PictureAnswer] = []

        public init(
            outcome: Outcome, events: [ProgrammeEvent] = [], etag: String? = nil, lastModified: String? = nil, warnings: [Warning] = [],
            warningCount: Int = 0, eventsRead: Int = 0, eventsDropped: Int = 0, error: String? = nil, errorKind: String? = nil,
            sandbox: String? = nil, pictures: [PictureAnswer] = []
        ) {
            self.outcome = outcome
            self.events = events
            self.etag = etag
            self.lastModified = lastModified
            self.warnings = warnings
            self.warningCount = warningCount
            self.eventsRead = eventsRead
            self.eventsDropped = eventsDropped
            self.error = error
            self.errorKind = errorKind
            self.sandbox = sandbox
            self.pictures = pictures
        }
    }
}
