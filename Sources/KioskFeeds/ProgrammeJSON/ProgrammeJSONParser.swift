import Foundation
import KioskCore

/// Reads the native JSON programme format staff write by hand (see
/// `docs/programme-json.md`): `{"timeZone": ..., "events": [...]}` or a bare array of
/// events.
///
/// Each event: `uid`, `title`, `start` (required); `end`, `room`, `category` or
/// `categories`, `audience`, `status`, `summary`, `url`, `rrule`, `exdates`, `timeZone`
/// (optional). `start`/`end` are ISO-8601: a date (`2024-10-12`, all-day, end exclusive),
/// a local time (`2024-10-12T14:00`, read in the event's or the document's zone, else the
/// venue's), or an instant with an offset. Missing `end`: one hour, or one day for all-day
/// events. Unknown keys are ignored so the format can grow.
public struct ProgrammeJSONParser: Sendable {
    public var venueTimeZone: TimeZone

    public init(venueTimeZone: TimeZone) {
        self.venueTimeZone = venueTimeZone
    }

    static let format = "programme JSON"

    public func parse(_ bytes: [UInt8]) throws(FeedJSONError) -> [ProgrammeEvent] { try parse(Data(bytes)) }

    public func parse(_ data: Data) throws(FeedJSONError) -> [ProgrammeEvent] {
        let root: Any
        do { root = try JSONSerialization.jsonObject(with: data) } catch {
            throw FeedJSONError(format: Self.format, field: "(document)", reason: "not valid JSON: \(error.localizedDescription)")
        }
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
                guard let name = zone as? String, TimeZone(identifier: name) != nil else {
                    throw FeedJSONError(format: Self.format, field: "timeZone", reason: "not an IANA zone name like Europe/Paris")
                }
                documentZone = name
            }
        } else {
            throw FeedJSONError(format: Self.format, field: "(document)", reason: "expected an object with \"events\" or an array of events")
        }
        var events: [ProgrammeEvent] = []
        var seen = Set<String>()
        for (index, item) in list.enumerated() {
            guard let json = item as? [String: Any] else {
                throw FeedJSONError(format: Self.format, event: "#\(index)", field: "(event)", reason: "not an object")
            }
            let event = try self.event(json, index: index, documentZone: documentZone)
            guard seen.insert(event.uid).inserted else {
                throw FeedJSONError(format: Self.format, event: event.uid, field: "uid", reason: "used by two events")
            }
            events.append(event)
        }
        return events
    }

    func event(_ json: [String: Any], index: Int, documentZone: String?) throws(FeedJSONError) -> ProgrammeEvent {
        let name = JSONValue.string(json["uid"]) ?? "#\(index)"
        func fail(_ field: String, _ reason: String) -> FeedJSONError {
            FeedJSONError(format: Self.format, event: name, field: field, reason: reason)
        }
        func string(_ key: String) throws(FeedJSONError) -> String? {
            guard let value = json[key], !(value is NSNull) else { return nil }
            guard let s = value as? String else { throw fail(key, "must be a string") }
            return s
        }
        guard let uid = JSONValue.string(json["uid"]), !uid.isEmpty else { throw fail("uid", "missing") }
        guard let title = try string("title"), !title.isEmpty else { throw fail("title", "missing") }
        var zoneName = documentZone
        if let z = try string("timeZone") {
            guard TimeZone(identifier: z) != nil else { throw fail("timeZone", "'\(z)' is not an IANA zone name") }
            zoneName = z
        }
        let zone = zoneName.flatMap(TimeZone.init(identifier:)) ?? venueTimeZone
        func time(_ key: String) throws(FeedJSONError) -> EventTime? {
            guard let raw = try string(key) else { return nil }
            guard let stamp = FeedTimestamp.parse(raw) else {
                throw fail(key, "'\(raw)' is not ISO-8601 (2024-10-12, 2024-10-12T14:00 or 2024-10-12T14:00:00+02:00)")
            }
            if case .date(let d) = stamp { return .date(d) }
            return .instant(stamp.instant(in: zone))
        }
        guard let start = try time("start") else { throw fail("start", "missing") }
        var end = try time("end")
        let endIsDefault = end == nil
        switch (start, end) {
        case (.date(let s), nil): end = .date(s.adding(days: 1))
        case (.instant(let s), nil): end = .instant(s + 3600)
        case (.date(let s), .date(let e)?): if e <= s { throw fail("end", "must be after start (all-day end is exclusive)") }
        case (.instant(let s), .instant(let e)?): if e < s { throw fail("end", "is before start") }
        default: throw fail("end", "must be a date when start is a date, a time when start is a time")
        }
        var categories: [String] = []
        if let c = try string("category") { categories.append(c) }
        if let list = json["categories"] {
            guard let array = list as? [Any] else { throw fail("categories", "must be an array of strings") }
            categories += array.compactMap { $0 as? String }
        }
        var status = EventStatus.confirmed
        if let s = try string("status") {
            guard let parsed = EventStatus(rawValue: s.lowercased()) else {
                throw fail("status", "'\(s)' is not one of confirmed, tentative, cancelled, postponed, full")
            }
            status = parsed
        }
        var recurrence: Recurrence?
        if let rule = try string("rrule") {
            do { _ = try RecurrenceRule(parsing: rule) } catch { throw fail("rrule", error.reason + " (\(error.part))") }
            var exceptions: [EventTime] = []
            if let list = json["exdates"] {
                guard let array = list as? [Any] else { throw fail("exdates", "must be an array of dates or times") }
                for (n, item) in array.enumerated() {
                    guard let raw = item as? String, let stamp = FeedTimestamp.parse(raw) else { throw fail("exdates[\(n)]", "not an ISO-8601 date or time") }
                    if case .date(let d) = stamp { exceptions.append(.date(d)) } else { exceptions.append(.instant(stamp.instant(in: zone))) }
                }
            }
            recurrence = Recurrence(rules: [rule], exceptions: exceptions)
        }
        var event = ProgrammeEvent(
            uid: uid, title: title, summary: try string("summary") ?? "", room: try string("room") ?? "",
            categories: categories, audience: try string("audience") ?? "", status: status, start: start, end: end!,
            timeZone: zoneName, recurrence: recurrence, url: try string("url"))
        if endIsDefault { event.endIsDefault = true }
        return event
    }
}
