import Foundation

/// Asks OpenAgenda API v2 listings for what the programme needs and follows their `after`
/// cursor: `{total, events, after}`, where `after` (an array of values, or null on the
/// last page) goes back as `after[]=`.
public enum OpenAgendaPaging {
    /// The fields the screen uses. A plain listing carries only `firstTiming`/`lastTiming`:
    /// `timings` must be asked for (so must `image`, `accessibility`, `attendanceMode`).
    public static let fields = [
        "uid", "title", "description", "keywords", "image", "timings", "firstTiming", "nextTiming", "lastTiming",
        "location", "status", "attendanceMode", "accessibility", "age", "canonicalUrl", "updatedAt",
    ]

    /// The largest page the API gives.
    public static let maxPageSize = 300

    /// The page URL: the configured URL with, unless it says otherwise, `size=300` (a
    /// larger size is lowered to 300), `includeFields[]=` for each of `fields` (not when it
    /// asks `detailed=1` or its own fields), `monolingual=` the feed's language, and the
    /// cursor of the previous page.
    public static func url(_ base: URL, after cursor: [String]?, language: String? = nil) -> URL {
        guard var components = URLComponents(url: base, resolvingAgainstBaseURL: false) else { return base }
        var items = (components.queryItems ?? []).filter { !$0.name.hasPrefix("after") }
        if let i = items.firstIndex(where: { $0.name == "size" }) {
            if let n = Int(items[i].value ?? ""), n > 0 { items[i].value = String(min(n, maxPageSize)) } else { items[i].value = String(maxPageSize) }
        } else {
            items.append(URLQueryItem(name: "size", value: String(maxPageSize)))
        }
        if !items.contains(where: { $0.name.hasPrefix("includeFields") || $0.name == "detailed" }) {
            items += fields.map { URLQueryItem(name: "includeFields[]", value: $0) }
        }
        if let language, !items.contains(where: { $0.name == "monolingual" }) {
            items.append(URLQueryItem(name: "monolingual", value: language))
        }
        for value in cursor ?? [] { items.append(URLQueryItem(name: "after[]", value: value)) }
        components.queryItems = items
        return components.url ?? base
    }

    /// The cursor for the next page; nil on the last page.
    public static func nextCursor(in page: Data) throws -> [String]? {
        guard let object = try JSONSerialization.jsonObject(with: page) as? [String: Any] else {
            throw FeedFetchError(kind: .http, message: "OpenAgenda page is not a JSON object")
        }
        if let events = object["events"] as? [Any], events.isEmpty { return nil }
        switch object["after"] {
        case let array as [Any]: return array.isEmpty ? nil : array.map { "\($0)" }
        case let string as String: return [string]
        case let number as NSNumber: return [number.stringValue]
        default: return nil
        }
    }

    /// The pages' events as one response document.
    public static func merge(_ pages: [Data]) throws -> Data {
        guard pages.count > 1 else { return pages.first ?? Data("{\"events\":[]}".utf8) }
        var events: [Any] = []
        for page in pages {
            guard let object = try JSONSerialization.jsonObject(with: page) as? [String: Any], let list = object["events"] as? [Any] else {
                throw FeedFetchError(kind: .http, message: "OpenAgenda page without an events array")
            }
            events += list
        }
        return try JSONSerialization.data(withJSONObject: ["total": events.count, "events": events, "after": NSNull()])
    }
}
