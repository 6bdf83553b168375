import Foundation
import KioskCore

/// What one fetch of a feed gave.
public enum FeedFetchResult: Sendable {
    /// A new body, with the validators to send next time.
    case body(Data, etag: String?, lastModified: String?)
    /// 304: the copy we have is current.
    case notModified
}

/// Why a fetch failed, in words a maintainer can act on.
public struct FeedFetchError: Error, Sendable, CustomStringConvertible {
    public enum Kind: String, Sendable {
        case http, timeout, tooLarge = "too-large", network, file, truncated
        /// The feed helper process failed (crashed, killed, no answer).
        case helper
        /// The feed's bytes were refused by `FeedDecoder`.
        case parse
    }
    public var kind: Kind
    public var message: String
    public var description: String { message }

    public init(kind: Kind, message: String) {
        self.kind = kind
        self.message = message
    }
}

/// Fetches one feed: over HTTP(S) with URLSession (conditional GET with ETag and
/// Last-Modified, a timeout, a maximum body size), or from a local file.
///
/// A body larger than the limit is abandoned as soon as the limit is passed (or at once
/// when Content-Length announces it), never buffered whole. The fetch itself
/// (`FeedFetcher+HTTP.swift`) is in the KioskControl module, run by the feed helper only:
/// the daemon links no HTTP client.
public struct FeedFetcher: Sendable {
    public var userAgent = "kiosk/1.0 (lobby screen; +https://example.invalid/kiosk)"

    public init() {}

    /// Resolves a feed's `url` setting: http(s) and file URLs as they are; a plain path
    /// relative to the directory of the configuration file.
    public static func resolve(_ url: String, relativeTo configPath: String) -> URL? {
        if url.hasPrefix("http://") || url.hasPrefix("https://") || url.hasPrefix("file://") { return URL(string: url) }
        if url.hasPrefix("webcal://") { return URL(string: "https://" + url.dropFirst("webcal://".count)) }
        if url.contains("://") { return nil }
        let base = URL(fileURLWithPath: configPath).deletingLastPathComponent()
        return url.hasPrefix("/") ? URL(fileURLWithPath: url) : base.appendingPathComponent(url).standardizedFileURL
    }
}
