import Foundation

/// The JSON form of notices, as staff push them and as the demo ships them:
/// `{"notices": [{"id", "kind", "title", "body", "author", "terms", "deadline",
/// "event_date", "posted", "expires", "urgent"}]}` (a bare array works too).
///
/// Dates are `YYYY-MM-DD` (read in the venue's zone: `expires` means the end of that day)
/// or full ISO 8601 instants. `expires` is required; `deadline` is required for calls.
public enum NoticeDocument {
    public struct DecodeError: Error, Sendable, Equatable, CustomStringConvertible {
        public var location: String
        public var message: String
        public var description: String { "\(location): \(message)" }
    }

    public static func parse(_ data: Data, timeZone: IANATimeZone, now: Date) throws(DecodeError) -> [Notice] {
        let object: Any
        do { object = try JSONSerialization.jsonObject(with: data) } catch {
            throw DecodeError(location: "JSON", message: "not valid JSON (\((error as NSError).localizedDescription))")
        }
        let items: [Any]
        if let array = object as? [Any] { items = array } else if let dict = object as? [String: Any], let array = dict["notices"] as? [Any] { items = array } else if let dict = object as? [String: Any], dict["title"] != nil {
            items = [dict]
        } else {
            throw DecodeError(location: "JSON", message: "expected {\"notices\": [...]}, an array, or one notice")
        }
        var notices: [Notice] = []
        for (i, item) in items.enumerated() {
            guard let dict = item as? [String: Any] else {
                throw DecodeError(location: "notices[\(i)]", message: "expected an object")
            }
            notices.append(try notice(from: dict, location: "notices[\(i)]", timeZone: timeZone, now: now))
        }
        return notices
    }

    public static func notice(from d: [String: Any], location: String, timeZone: IANATimeZone, now: Date) throws(DecodeError) -> Notice {
        func string(_ key: String) throws(DecodeError) -> String? {
            guard let v = d[key], !(v is NSNull) else { return nil }
            guard let s = v as? String else { throw DecodeError(location: "\(location).\(key)", message: "expected a string") }
            let t = s.trimmingCharacters(in: .whitespacesAndNewlines)
            return t.isEmpty ? nil : t
        }
        func date(_ key: String) throws(DecodeError) -> CivilDate? {
            guard let s = try string(key) else { return nil }
            guard let c = CivilDate(iso: s) else { throw DecodeError(location: "\(location).\(key)", message: "'\(s)' is not a date YYYY-MM-DD") }
            return c
        }
        func instant(_ key: String, endOfDay: Bool) throws(DecodeError) -> Date? {
            guard let s = try string(key) else { return nil }
            if let c = CivilDate(iso: s) { return (endOfDay ? c.adding(days: 1) : c).start(in: timeZone) }
            if let i = ISO8601.parse(s) { return i }
            throw DecodeError(location: "\(location).\(key)", message: "'\(s)' is not a date or an ISO 8601 instant")
        }
        guard let title = try string("title") else { throw DecodeError(location: "\(location).title", message: "a notice needs a title") }
        let kindText = try string("kind") ?? "information"
        guard let kind = Notice.Kind(rawValue: kindText) else {
            throw DecodeError(location: "\(location).kind", message: "'\(kindText)' is not one of \(Notice.Kind.allCases.map(\.rawValue).joined(separator: ", "))")
        }
        var terms: Notice.Terms?
        if let t = try string("terms") {
            guard let v = Notice.Terms(rawValue: t) else {
                throw DecodeError(location: "\(location).terms", message: "'\(t)' is not one of gift, sale, rental, loan")
            }
            terms = v
        }
        if terms != nil && kind != .offer && kind != .request {
            throw DecodeError(location: "\(location).terms", message: "terms apply to offers and requests only")
        }
        let deadline = try date("deadline")
        if kind == .call && deadline == nil {
            throw DecodeError(location: "\(location).deadline", message: "a call for projects needs a deadline")
        }
        let eventDate = try date("event_date")
        let posted = try instant("posted", endOfDay: false) ?? now
        guard let expires = try instant("expires", endOfDay: true) ?? deadline.map({ $0.adding(days: 1).start(in: timeZone) }) else {
            throw DecodeError(location: "\(location).expires", message: "a notice needs an expiry date")
        }
        guard expires > posted else { throw DecodeError(location: "\(location).expires", message: "expires before it is posted") }
        var urgent = false
        if let u = d["urgent"] {
            guard let b = u as? Bool else { throw DecodeError(location: "\(location).urgent", message: "expected true or false") }
            urgent = b
        }
        let id = try string("id") ?? Resident.slug(title)
        return Notice(
            id: id, kind: kind, title: title, body: try string("body") ?? "", author: try string("author") ?? "",
            terms: terms, deadline: deadline, eventDate: eventDate, posted: posted, expires: expires, urgent: urgent)
    }
}

/// ISO 8601 instants as feeds and people write them: `2026-11-24T14:05:00Z`,
/// `...+01:00`, `...+0100`, with or without fractional seconds.
public enum ISO8601 {
    public static func parse(_ text: String) -> Date? {
        let s = Array(text.utf8)
        func num(_ from: Int, _ len: Int) -> Int? {
            guard from + len <= s.count else { return nil }
            var v = 0
            for b in s[from..<(from + len)] { guard b >= 48 && b <= 57 else { return nil }; v = v * 10 + Int(b - 48) }
            return v
        }
        guard s.count >= 19, let y = num(0, 4), s[4] == 45, let mo = num(5, 2), s[7] == 45, let d = num(8, 2),
              s[10] == 84 || s[10] == 116 || s[10] == 32, let h = num(11, 2), s[13] == 58, let mi = num(14, 2), s[16] == 58, let sec = num(17, 2)
        else { return nil }
        var i = 19
        var fraction = 0.0
        if i < s.count, s[i] == 46 || s[i] == 44 {
            i += 1
            var scale = 0.1
            while i < s.count, s[i] >= 48 && s[i] <= 57 { fraction += Double(s[i] - 48) * scale; scale /= 10; i += 1 }
        }
        var offset = 0
        if i < s.count {
            if s[i] == 90 || s[i] == 122 { i += 1 } else if s[i] == 43 || s[i] == 45 {
                let sign = s[i] == 45 ? -1 : 1
                guard let oh = num(i + 1, 2) else { return nil }
                var j = i + 3
                if j < s.count, s[j] == 58 { j += 1 }
                guard let om = num(j, 2) else { return nil }
                offset = sign * (oh * 3600 + om * 60)
                i = j + 2
            } else { return nil }
        } else {
            return nil
        }
        guard i == s.count else { return nil }
        let date = CivilDate(year: y, month: mo, day: d)
        guard date.isValid, h < 24, mi < 60, sec <= 60 else { return nil }
        let seconds = Double(date.dayNumber * 86400 + h * 3600 + mi * 60 + sec - offset) + fraction
        return Date(timeIntervalSince1970: seconds)
    }

    /// `2026-11-24T13:05:00Z`.
    public static func format(_ date: Date) -> String {
        let t = Int(date.timeIntervalSince1970.rounded(.down))
        let days = t >= 0 ? t / 86400 : (t - 86399) / 86400
        let secs = t - days * 86400
        let c = CivilDate(dayNumber: days)
        let h = String(secs / 3600).leftPadded(to: 2), m = String(secs / 60 % 60).leftPadded(to: 2), s = String(secs % 60).leftPadded(to: 2)
        return "\(c)T\(h):\(m):\(s)Z"
    }
}
