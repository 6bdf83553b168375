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
    public var warnings: FeedWarnings
    /// Entries of the listing (removed ones left out) and those dropped as broken.
    public var eventsRead: Int
    public var eventsDropped: Int
    /// Entries marked removed (`removed=1` listings): left out of the programme.
    public var removed: Int
}

/// Reads OpenAgenda API v2 event lists as the API answers them.
///
/// - Multilingual fields (`title`, `description`, `keywords`) pick `language`, then
///   French, then English, then any language (alphabetically, to stay stable); a plain
///   string (`monolingual=fr`) is taken as is.
/// - `timings` when the listing carries them (`includeFields[]=timings` or `detailed=1`);
///   without them, `firstTiming`, `nextTiming` and `lastTiming` (what a plain listing has),
///   with one warning for the page: the occurrences in between are not known.
/// - `status`: 1 scheduled -> confirmed, 2 rescheduled, 3 moved online, 4 postponed, 5
///   full, 6 cancelled. `attendanceMode` 2 (online), or status 3, replaces the room with
///   "En ligne" ("Online" in English).
/// - `keywords` -> categories, `location.name` -> room, `location.timezone` -> zone of
///   timings written without an offset, `accessibility{hi,vi,pi,mi,ii}` -> labels
///   `hearing`, `visual`, `psychic`, `motor`, `intellectual`, `age{min,max}` -> audience,
///   `image{base,filename,variants}` -> `imageURL` (the `full` variant when there is one).
/// - Timings accept `+02:00`, `+0200`, `Z` and milliseconds.
/// - Entries with `removed: true`, or with nothing but `uid` and `updatedAt` (how a
///   `removed=1` listing names a removed event), are left out.
///
/// Salvage: an entry that is not an object, has no uid or no usable timing is dropped and
/// named (by index and uid) in a warning; a bad timing, status or picture is skipped with
/// a warning. Refused (`FeedJSONError`) only when the document is not JSON (or cut), has no
/// `events` array; `FeedDecoder` also refuses a page with more than half its entries broken.
public struct OpenAgendaParser: Sendable {
    public var language: String
    public var venueTimeZone: IANATimeZone
    /// Timings read per event; OpenAgenda allows 800.
    public static let maxTimings = 1_000

    public init(language: String = "fr", venueTimeZone: IANATimeZone) {
        self.language = language
        self.venueTimeZone = venueTimeZone
    }

    static let format = "OpenAgenda"

    public func parse(_ data: Data) throws(FeedJSONError) -> OpenAgendaPage {
        let root: Any
        do { root = try JSONSerialization.jsonObject(with: data, options: [.fragmentsAllowed]) } catch {
            throw FeedJSONError(format: Self.format, field: "(document)", reason: "not valid JSON (cut short?): \(error.localizedDescription)")
        }
        guard let object = root as? [String: Any] else {
            throw FeedJSONError(format: Self.format, field: "(document)", reason: "expected an object {total, events, after}")
        }
        guard let list = object["events"] as? [Any] else {
            throw FeedJSONError(format: Self.format, field: "events", reason: "missing or not an array")
        }
        var page = OpenAgendaPage(events: [], total: JSONValue.int(object["total"]), after: nil, warnings: FeedWarnings(), eventsRead: 0, eventsDropped: 0, removed: 0)
        var withoutTimings: [String] = []
        for (index, item) in list.enumerated() {
            guard let event = item as? [String: Any] else {
                page.eventsRead += 1
                page.eventsDropped += 1
                page.warnings.add(event: "#\(index)", "dropped: not an object")
                continue
            }
            if Self.isRemoved(event) {
                page.removed += 1
                continue
            }
            page.eventsRead += 1
            switch events(event, index: index, warnings: &page.warnings) {
            case .dropped: page.eventsDropped += 1
            case .read(let found, let fromSummary):
                page.events += found
                if fromSummary, let first = found.first { withoutTimings.append(first.uid) }
            }
        }
        if !withoutTimings.isEmpty {
            let some = withoutTimings.prefix(5).joined(separator: ", ") + (withoutTimings.count > 5 ? ", …" : "")
            page.warnings.add(
                "\(withoutTimings.count) events without timings (\(some)): listed at firstTiming, nextTiming and lastTiming only; "
                    + "ask the API for includeFields[]=timings or detailed=1 to get every date")
        }
        if let cursor = object["after"] as? [Any] {
            page.after = cursor.isEmpty ? nil : cursor.compactMap(JSONValue.string)
        } else if let single = JSONValue.string(object["after"]) {
            page.after = [single]
        }
        return page
    }

    public func parse(_ bytes: [UInt8]) throws(FeedJSONError) -> OpenAgendaPage { try parse(Data(bytes)) }

    /// `removed: true`, or an entry with nothing but its uid and `updatedAt`.
    static func isRemoved(_ json: [String: Any]) -> Bool {
        if JSONValue.bool(json["removed"]) { return true }
        return json["uid"] != nil && json.keys.allSatisfy { $0 == "uid" || $0 == "updatedAt" || $0 == "removed" }
    }

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

    /// `image{base, filename, variants[{filename, type}]}`: the `full` variant when there
    /// is one, else the original; a plain URL string is taken as is.
    static func imageURL(_ any: Any?) -> (url: String?, problem: String?) {
        switch any {
        case nil, is NSNull: return (nil, nil)
        case let text as String:
            let url = FeedImageURL.validated(text)
            return (url, url == nil ? "image '\(text.prefix(60))' is not an http(s) URL" : nil)
        case let image as [String: Any]:
            guard let filename = image["filename"] as? String else { return (nil, "image has no filename") }
            var chosen = filename
            if let variants = image["variants"] as? [Any] {
                for case let variant as [String: Any] in variants where variant["type"] as? String == "full" {
                    if let name = variant["filename"] as? String { chosen = name }
                }
            }
            let base = (image["base"] as? String) ?? ""
            let joined = chosen.lowercased().hasPrefix("http") ? chosen : base + chosen
            let url = FeedImageURL.validated(joined)
            return (url, url == nil ? "image '\(joined.prefix(60))' is not an http(s) URL" : nil)
        default:
            return (nil, "image is neither an object nor a URL")
        }
    }

    enum Entry {
        case read([ProgrammeEvent], fromSummary: Bool)
        case dropped
    }

    func events(_ json: [String: Any], index: Int, warnings: inout FeedWarnings) -> Entry {
        guard let uid = JSONValue.string(json["uid"]), !uid.isEmpty else {
            warnings.add(event: "#\(index)", "dropped: uid missing")
            return .dropped
        }
        guard !FeedText.hasControlCharacters(uid) else {
            warnings.add(event: "#\(index) \(FeedText.shown(uid))", "dropped: uid contains control characters")
            return .dropped
        }
        let name = "#\(index) \(uid)"
        let title = text(json["title"]) ?? ""
        let summary = text(json["description"]) ?? ""
        let location = json["location"] as? [String: Any]
        var room = (location?["name"] as? String) ?? ""
        let zoneName = (location?["timezone"] as? String).flatMap { IANATimeZone(identifier: $0) != nil ? $0 : nil }
        let zone = zoneName.flatMap(IANATimeZone.init(identifier:)) ?? venueTimeZone
        var status = EventStatus.confirmed
        switch json["status"] {
        case nil, is NSNull: break
        default:
            switch JSONValue.int(json["status"]) {
            case 1?: status = .confirmed
            case 2?: status = .rescheduled
            case 3?: status = .movedOnline
            case 4?: status = .postponed
            case 5?: status = .full
            case 6?: status = .cancelled
            default: warnings.add(event: name, "status \(JSONValue.string(json["status"]) ?? "?") is not one of 1...6; scheduled assumed")
            }
        }
        if status == .movedOnline || JSONValue.int(json["attendanceMode"]) == 2 {
            room = language == "en" ? "Online" : "En ligne"
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
        let image = Self.imageURL(json["image"])
        if let problem = image.problem { warnings.add(event: name, "\(problem); ignored") }

        // Timings, or the summary a plain listing carries instead.
        var slots: [(key: String, value: Any)] = []
        var fromSummary = false
        if let timings = json["timings"] as? [Any] {
            if timings.count > Self.maxTimings { warnings.add(event: name, "more than \(Self.maxTimings) timings; the rest ignored") }
            slots = timings.prefix(Self.maxTimings).enumerated().map { ("timings[\($0.offset)]", $0.element) }
        } else {
            for key in ["firstTiming", "nextTiming", "lastTiming"] {
                if let value = json[key], !(value is NSNull) { slots.append((key, value)) }
            }
            fromSummary = true
        }
        var out: [ProgrammeEvent] = []
        var seen = Set<Date>()
        out.reserveCapacity(slots.count)
        for (field, item) in slots {
            guard let timing = item as? [String: Any] else {
                warnings.add(event: name, "\(field) is not an object; skipped")
                continue
            }
            func time(_ key: String) -> Date? {
                guard let raw = timing[key] as? String else { return nil }
                return FeedTimestamp.parse(raw)?.instant(in: zone)
            }
            guard let begin = time("begin") else {
                warnings.add(event: name, "\(field).begin '\(JSONValue.string(timing["begin"]) ?? "missing")' is not an ISO-8601 date-time; skipped")
                continue
            }
            var end = begin
            if timing["end"] != nil {
                if let e = time("end") { end = e } else { warnings.add(event: name, "\(field).end is not an ISO-8601 date-time; ignored") }
            }
            guard seen.insert(begin).inserted else { continue }
            out.append(ProgrammeEvent(
                uid: uid, recurrenceID: .instant(begin), title: title, summary: summary, room: room,
                categories: list(json["keywords"]), audience: audience, status: status,
                start: .instant(begin), end: .instant(max(begin, end)), timeZone: zoneName, url: url,
                accessibility: accessibility, imageURL: image.url))
        }
        guard !out.isEmpty else {
            warnings.add(event: name, "dropped: no usable timing")
            return .dropped
        }
        return .read(out, fromSummary: fromSummary)
    }
}
