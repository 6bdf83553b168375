import Foundation
import KioskCore

/// One page of an OpenAgenda API v2 `GET /v2/agendas/{uid}/events` response.
public struct OpenAgendaPage: Sendable {
    /// One `ProgrammeEvent` per timing: `uid` is the OpenAgenda uid, `recurrenceID` the
    /// timing's begin (so each (uid, recurrenceID) pair is unique and the expander lists
    /// every timing once).
    public var events: [ProgrammeEvent]
    public var total: Int?
    /// The `after` cursor to pass back as `after[]=...` (each value in order); nil on the
    /// last page.
    public var after: [String]?
}

/// Reads OpenAgenda API v2 event lists.
///
/// - Multilingual fields (`title`, `description`, `keywords`) pick `language`, then
///   French, then English, then any language (alphabetically, to stay stable); a plain
///   string (`monolingual=fr`) is taken as is.
/// - `status`: 1 scheduled, 2 rescheduled, 3 moved online -> confirmed; 4 postponed;
///   5 full; 6 cancelled.
/// - `keywords` -> categories, `location.name` -> room, `location.timezone` -> zone of
///   timings written without an offset, `accessibility{hi,vi,pi,mi,ii}` -> labels
///   `hearing`, `visual`, `psychic`, `motor`, `intellectual`, `age{min,max}` -> audience.
/// - Timings accept `+02:00`, `+0200`, `Z` and milliseconds.
public struct OpenAgendaParser: Sendable {
    public var language: String
    public var venueTimeZone: TimeZone

    public init(language: String = "fr", venueTimeZone: TimeZone) {
        self.language = language
        self.venueTimeZone = venueTimeZone
    }

    public func parse(_ data: Data) throws(FeedJSONError) -> OpenAgendaPage {
        let root: Any
        do { root = try JSONSerialization.jsonObject(with: data, options: [.fragmentsAllowed]) } catch {
            throw FeedJSONError(format: "OpenAgenda", field: "(document)", reason: "not valid JSON: \(error.localizedDescription)")
        }
        guard let object = root as? [String: Any] else {
            throw FeedJSONError(format: "OpenAgenda", field: "(document)", reason: "expected an object {total, events, after}")
        }
        guard let list = object["events"] as? [Any] else {
            throw FeedJSONError(format: "OpenAgenda", field: "events", reason: "missing or not an array")
        }
        var events: [ProgrammeEvent] = []
        for (index, item) in list.enumerated() {
            guard let event = item as? [String: Any] else {
                throw FeedJSONError(format: "OpenAgenda", event: "#\(index)", field: "(event)", reason: "not an object")
            }
            events += try self.events(event, index: index)
        }
        var after: [String]?
        if let cursor = object["after"] as? [Any] {
            after = cursor.compactMap(JSONValue.string)
        } else if let single = JSONValue.string(object["after"]) {
            after = [single]
        }
        return OpenAgendaPage(events: events, total: JSONValue.int(object["total"]), after: after)
    }

    public func parse(_ bytes: [UInt8]) throws(FeedJSONError) -> OpenAgendaPage { try parse(Data(bytes)) }

    /// The text of a multilingual field in the configured language, with the fallbacks.
    func text(_ any: Any?) -> String? {
        if let s = any as? String { return s }
        guard let map = any as? [String: Any] else { return nil }
        for key in [language, "fr", "en"] {
            if let s = map[key] as? String, !s.isEmpty { return s }
        }
        for key in map.keys.sorted() {
            if let s = map[key] as? String, !s.isEmpty { return s }
        }
        return nil
    }

    func list(_ any: Any?) -> [String] {
        if let array = any as? [Any] { return array.compactMap(JSONValue.string) }
        guard let map = any as? [String: Any] else { return [] }
        for key in [language, "fr", "en"] + map.keys.sorted() {
            if let array = map[key] as? [Any], !array.isEmpty { return array.compactMap(JSONValue.string) }
        }
        return []
    }

    func events(_ json: [String: Any], index: Int) throws(FeedJSONError) -> [ProgrammeEvent] {
        guard let uid = JSONValue.string(json["uid"]), !uid.isEmpty else {
            throw FeedJSONError(format: "OpenAgenda", event: "#\(index)", field: "uid", reason: "missing")
        }
        func fail(_ field: String, _ reason: String) -> FeedJSONError {
            FeedJSONError(format: "OpenAgenda", event: uid, field: field, reason: reason)
        }
        let title = text(json["title"]) ?? ""
        let summary = text(json["description"]) ?? ""
        let location = json["location"] as? [String: Any]
        let room = (location?["name"] as? String) ?? ""
        let zoneName = location?["timezone"] as? String
        let zone = zoneName.flatMap(TimeZone.init(identifier:)) ?? venueTimeZone
        let status: EventStatus
        switch json["status"] {
        case nil, is NSNull: status = .confirmed
        default:
            guard let code = JSONValue.int(json["status"]) else { throw fail("status", "not a number") }
            switch code {
            case 1, 2, 3: status = .confirmed
            case 4: status = .postponed
            case 5: status = .full
            case 6: status = .cancelled
            default: throw fail("status", "\(code) is not one of 1...6")
            }
        }
        var accessibility: [String] = []
        if let flags = json["accessibility"] as? [String: Any] {
            for (key, label) in [("hi", "hearing"), ("vi", "visual"), ("pi", "psychic"), ("mi", "motor"), ("ii", "intellectual")]
            where JSONValue.bool(flags[key]) {
                accessibility.append(label)
            }
        }
        var audience = ""
        if let age = json["age"] as? [String: Any] {
            let minimum = JSONValue.int(age["min"]), maximum = JSONValue.int(age["max"])
            switch (minimum, maximum) {
            case let (lo?, hi?): audience = "\(lo)–\(hi) ans"
            case let (lo?, nil): audience = "Dès \(lo) ans"
            case let (nil, hi?): audience = "Jusqu'à \(hi) ans"
            default: break
            }
        }
        let url = (json["canonicalUrl"] as? String) ?? (json["link"] as? String)
        guard let timings = json["timings"] as? [Any] else { throw fail("timings", "missing or not an array") }
        var out: [ProgrammeEvent] = []
        out.reserveCapacity(timings.count)
        for (n, item) in timings.enumerated() {
            guard let timing = item as? [String: Any] else { throw fail("timings[\(n)]", "not an object") }
            func time(_ key: String) throws(FeedJSONError) -> Date {
                guard let raw = timing[key] as? String else { throw fail("timings[\(n)].\(key)", "missing") }
                guard let stamp = FeedTimestamp.parse(raw) else {
                    throw fail("timings[\(n)].\(key)", "'\(raw)' is not an ISO-8601 date-time")
                }
                return stamp.instant(in: zone)
            }
            let begin = try time("begin")
            let end = timing["end"] == nil ? begin : try time("end")
            out.append(ProgrammeEvent(
                uid: uid, recurrenceID: .instant(begin), title: title, summary: summary, room: room,
                categories: list(json["keywords"]), audience: audience, status: status,
                start: .instant(begin), end: .instant(max(begin, end)), timeZone: zoneName, url: url,
                accessibility: accessibility))
        }
        return out
    }
}
