import Foundation
import KioskCore

/// A native JSON programme as read: its events and what was skipped.
public struct ProgrammeJSONDocument: Sendable {
    public var events: [ProgrammeEvent]
    public var warnings: FeedWarnings
    /// Entries of `events` and those dropped as broken.
    public var eventsRead: Int
    public var eventsDropped: Int
}

/// Reads the native JSON programme format staff write by hand (see
/// `docs/programme-json.md`): `{"timeZone": ..., "events": [...]}` or a bare array of
/// events.
///
/// Each event: `uid`, `title`, `start` (required); `end`, `room`, `category` or
/// `categories`, `audience`, `status`, `summary`, `url`, `image`, `rrule`, `exdates`,
/// `timeZone` (optional). `start`/`end` are ISO-8601: a date (`2024-10-12`, all-day, end
/// exclusive), a local time (`2024-10-12T14:00`, read in the event's or the document's zone,
/// else the venue's), or an instant with an offset. Missing `end`: one hour, or one day for
/// all-day events. Unknown keys are ignored so the format can grow.
///
/// Salvage: an event without a usable uid, title or start, or that is not an object, is
/// dropped; a second event with the same uid is dropped; a bad optional field (end,
/// status, rrule, one exdate, timeZone, image, a string field of another type) is skipped.
/// Each is named by index and uid in a warning. Refused (`FeedJSONError`) only when the
/// document is not JSON (or is cut), or is not an object with `events` or an array.
public struct ProgrammeJSONParser: Sendable {
    public var venueTimeZone: IANATimeZone

    public init(venueTimeZone: IANATimeZone) {
        self.venueTimeZone = venueTimeZone
    }

    static let format = "programme JSON"

    public func read(_ bytes: [UInt8]) throws(FeedJSONError) -> ProgrammeJSONDocument { try read(Data(bytes)) }

    public func read(_ data: Data) throws(FeedJSONError) -> ProgrammeJSONDocument {
        let root: Any
        do { root = try JSONSerialization.jsonObject(with: data) } catch {
            throw FeedJSONError(format: Self.format, field: "(document)", reason: "not valid JSON (cut short?): \(error.localizedDescription)")
        }
        var warnings = FeedWarnings()
        var documentZone: String?
        let list: [Any]
        if let array = root as? [Any] {
            list = array
        } else if let object = root as? [String: Any] {
            guard let array = object["events"] as? [Any] else {
                throw FeedJSONError(format: Self.format, field: "events", reason: "missing or not an array")
            }
            list = array
            if let zone = object["timeZone"] {
                if let name = zone as? String, IANATimeZone(identifier: name) != nil {
                    documentZone = name
                } else {
                    warnings.add("timeZone is not an IANA zone name like Europe/Paris; the venue's zone is used")
                }
            }
        } else {
            throw FeedJSONError(format: Self.format, field: "(document)", reason: "expected an object with \"events\" or an array of events")
        }
        var document = ProgrammeJSONDocument(events: [], warnings: warnings, eventsRead: list.count, eventsDropped: 0)
        var seen = Set<String>()
        for (index, item) in list.enumerated() {
            guard let json = item as? [String: Any] else {
                document.eventsDropped += 1
                document.warnings.add(event: "#\(index)", "dropped: not an object")
                continue
            }
            guard let event = self.event(json, index: index, documentZone: documentZone, warnings: &document.warnings) else {
                document.eventsDropped += 1
                continue
            }
            guard seen.insert(event.uid).inserted else {
                document.warnings.add(event: "#\(index) \(event.uid)", "dropped: uid already used by an earlier event")
                continue
            }
            document.events.append(event)
        }
        return document
    }

    /// One event, or nil (with its warning) when it has to be dropped.
    func event(_ json: [String: Any], index: Int, documentZone: String?, warnings: inout FeedWarnings) -> ProgrammeEvent? {
        var name = "#\(index)"
        if let uid = JSONValue.string(json["uid"]) { name += " \(uid)" }
        func drop(_ reason: String) -> ProgrammeEvent? {
            warnings.add(event: name, "dropped: \(reason)")
            return nil
        }
        func string(_ key: String) -> String? {
            guard let value = json[key], !(value is NSNull) else { return nil }
            guard let s = value as? String else {
                warnings.add(event: name, "\(key) must be a string; ignored")
                return nil
            }
            return s
        }
        guard let uid = JSONValue.string(json["uid"]), !uid.isEmpty else { return drop("uid missing") }
        guard !FeedText.hasControlCharacters(uid) else {
            name = "#\(index) \(FeedText.shown(uid))"
            return drop("uid contains control characters")
        }
        guard let title = string("title"), !title.isEmpty else { return drop("title missing") }
        var zoneName = documentZone
        if let z = string("timeZone") {
            if IANATimeZone(identifier: z) != nil { zoneName = z } else { warnings.add(event: name, "timeZone '\(z)' is not an IANA zone name; ignored") }
        }
        let zone = zoneName.flatMap(IANATimeZone.init(identifier:)) ?? venueTimeZone
        func time(_ raw: String) -> EventTime? {
            guard let stamp = FeedTimestamp.parse(raw) else { return nil }
            if case .date(let d) = stamp { return .date(d) }
            return .instant(stamp.instant(in: zone))
        }
        guard let rawStart = string("start") else { return drop("start missing") }
        guard let start = time(rawStart) else {
            return drop("start '\(rawStart.prefix(40))' is not ISO-8601 (2024-10-12, 2024-10-12T14:00 or 2024-10-12T14:00:00+02:00)")
        }
        var end: EventTime?
        if let rawEnd = string("end") {
            end = time(rawEnd)
            switch (start, end) {
            case (_, nil): warnings.add(event: name, "end '\(rawEnd.prefix(40))' is not ISO-8601; ignored")
            case (.date(let s), .date(let e)?) where e <= s:
                warnings.add(event: name, "end must be after start (all-day end is exclusive); ignored")
                end = nil
            case (.instant(let s), .instant(let e)?) where e < s:
                warnings.add(event: name, "end is before start; ignored")
                end = nil
            case (.date, .instant?), (.instant, .date?):
                warnings.add(event: name, "end must be a date when start is a date, a time when start is a time; ignored")
                end = nil
            default: break
            }
        }
        // No end stated (or a bad one): the default, which open-data exports do not publish.
        let endIsDefault = end == nil
        switch (start, end) {
        case (.date(let s), nil): end = .date(s.adding(days: 1))
        case (.instant(let s), nil): end = .instant(s + 3600)
        default: break
        }
        var categories: [String] = []
        if let c = string("category") { categories.append(c) }
        if let list = json["categories"] {
            if let array = list as? [Any] { categories += array.compactMap { $0 as? String } } else { warnings.add(event: name, "categories must be an array of strings; ignored") }
        }
        var status = EventStatus.confirmed
        if let s = string("status") {
            if let parsed = EventStatus(rawValue: s.lowercased()) {
                status = parsed
            } else {
                warnings.add(event: name, "status '\(s.prefix(40))' is not one of confirmed, tentative, cancelled, postponed, full, rescheduled, moved-online; confirmed assumed")
            }
        }
        var recurrence: Recurrence?
        if let rule = string("rrule") {
            do {
                _ = try RecurrenceRule(parsing: rule)
                var exceptions: [EventTime] = []
                if let list = json["exdates"] {
                    if let array = list as? [Any] {
                        for (n, item) in array.prefix(10_000).enumerated() {
                            if let raw = item as? String, let t = time(raw) { exceptions.append(t) } else { warnings.add(event: name, "exdates[\(n)] is not an ISO-8601 date or time; skipped") }
                        }
                    } else {
                        warnings.add(event: name, "exdates must be an array of dates or times; ignored")
                    }
                }
                recurrence = Recurrence(rules: [rule], exceptions: exceptions)
            } catch {
                warnings.add(event: name, "rrule: \(error.reason) (\(error.part)); the event is listed once")
            }
        }
        var imageURL: String?
        if let image = string("image") {
            imageURL = FeedImageURL.validated(image)
            if imageURL == nil { warnings.add(event: name, "image is not an http(s) URL; ignored") }
        }
        return ProgrammeEvent(
            uid: uid, title: title, summary: string("summary") ?? "", room: string("room") ?? "",
            categories: categories, audience: string("audience") ?? "", status: status, start: start, end: end!,
            timeZone: zoneName, recurrence: recurrence, url: string("url"), imageURL: imageURL,
            endIsDefault: endIsDefault ? true : nil)
    }
}
