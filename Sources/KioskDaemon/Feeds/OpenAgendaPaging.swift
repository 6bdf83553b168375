import Foundation

/// Follows the `after` cursor of OpenAgenda API v2 listings: `{total, events, after}`,
/// where `after` (an array of values, or null on the last page) goes back as `after[]=`.
public enum OpenAgendaPaging {
    /// The page URL: the configured URL with `size=300` unless it says otherwise, and the
    /// cursor of the previous page.
    public static func url(_ base: URL, after cursor: [String]?) -> URL {
        guard var components = URLComponents(url: base, resolvingAgainstBaseURL: false) else { return base }
        var items = (components.queryItems ?? []).filter { !$0.name.hasPrefix("after") }
        if !items.contains(where: { $0.name == "size" }) { items.append(URLQueryItem(name: "size", value: "300")) }
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
