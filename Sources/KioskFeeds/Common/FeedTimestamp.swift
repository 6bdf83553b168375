import Foundation
import KioskCore

/// An ISO-8601 timestamp as JSON feeds write it: with an offset (`Z`, `+02:00`, `+0200`,
/// `+02`), without one (a local time), or a bare date. Fractional seconds (OpenAgenda's
/// `.000`) are accepted and dropped; a space may stand for `T`.
public enum FeedTimestamp: Sendable, Hashable {
    case instant(Date)
    /// A wall-clock time to read in some zone (the event's, else the venue's).
    case local(CivilDate, secondOfDay: Int)
    case date(CivilDate)

    /// Parses `text`; nil when it is not one of the shapes above or names an impossible date.
    public static func parse(_ text: String) -> FeedTimestamp? {
        let b = Array(text.trimmingCharacters(in: .whitespaces).utf8)
        func digits(_ from: Int, _ count: Int) -> Int? {
            guard from + count <= b.count else { return nil }
            var n = 0
            for i in from..<(from + count) {
                let d = b[i] &- 0x30
                guard d <= 9 else { return nil }
                n = n * 10 + Int(d)
            }
            return n
        }
        guard b.count >= 10, b[4] == UInt8(ascii: "-"), b[7] == UInt8(ascii: "-"),
              let y = digits(0, 4), let m = digits(5, 2), let d = digits(8, 2) else { return nil }
        let date = CivilDate(year: y, month: m, day: d)
        guard date.isValid else { return nil }
        if b.count == 10 { return .date(date) }
        guard b[10] == UInt8(ascii: "T") || b[10] == UInt8(ascii: "t") || b[10] == UInt8(ascii: " "),
              let hh = digits(11, 2), b.count >= 16, b[13] == UInt8(ascii: ":"), let mm = digits(14, 2),
              hh < 24, mm < 60 else { return nil }
        var i = 16
        var ss = 0
        if i < b.count, b[i] == UInt8(ascii: ":") {
            guard let s = digits(i + 1, 2), s <= 60 else { return nil }
            ss = min(s, 59)
            i += 3
            if i < b.count, b[i] == UInt8(ascii: ".") || b[i] == UInt8(ascii: ",") {
                i += 1
                let fractionStart = i
                while i < b.count, b[i] >= 0x30, b[i] <= 0x39 { i += 1 }
                guard i > fractionStart else { return nil }
            }
        }
        let secondOfDay = hh * 3600 + mm * 60 + ss
        if i == b.count { return .local(date, secondOfDay: secondOfDay) }
        var offset = 0
        if b[i] == UInt8(ascii: "Z") || b[i] == UInt8(ascii: "z") {
            guard i + 1 == b.count else { return nil }
        } else if b[i] == UInt8(ascii: "+") || b[i] == UInt8(ascii: "-") {
            let sign = b[i] == UInt8(ascii: "-") ? -1 : 1
            guard let oh = digits(i + 1, 2) else { return nil }
            var om = 0
            switch b.count - (i + 3) {
            case 0: break
            case 2: guard let v = digits(i + 3, 2) else { return nil }; om = v
            case 3: guard b[i + 3] == UInt8(ascii: ":"), let v = digits(i + 4, 2) else { return nil }; om = v
            default: return nil
            }
            guard oh <= 18, om < 60 else { return nil }
            offset = sign * (oh * 3600 + om * 60)
        } else {
            return nil
        }
        return .instant(Date(timeIntervalSince1970: TimeInterval(date.dayNumber * 86_400 + secondOfDay - offset)))
    }

    /// The instant, local times and dates read on `zone`'s wall clock.
    public func instant(in zone: IANATimeZone) -> Date {
        switch self {
        case .instant(let d): return d
        case .local(let c, let s): return RecurrenceWallClock(zone: zone).instant(of: c, secondOfDay: s)
        case .date(let c): return RecurrenceWallClock(zone: zone).instant(of: c, secondOfDay: 0)
        }
    }
}

/// Why a JSON feed (OpenAgenda or the native programme format) was rejected: which event
/// (its uid, else its position), which field, and what is wrong.
public struct FeedJSONError: Error, Sendable, Hashable, CustomStringConvertible {
    public var format: String
    /// `uid` of the event, or `#index` when it has none; nil for the document itself.
    public var event: String?
    public var field: String
    public var reason: String

    public init(format: String, event: String? = nil, field: String, reason: String) {
        self.format = format
        self.event = event
        self.field = field
        self.reason = reason
    }

    public var description: String { "\(format): " + detail }

    /// The description without the format: `event 42: timings[1].begin: ...`.
    public var detail: String { (event.map { "event \($0): " } ?? "") + "\(field): \(reason)" }
}

/// Small readers over `JSONSerialization` values.
enum JSONValue {
    /// A string, or a number written without a fractional part when integral.
    static func string(_ any: Any?) -> String? {
        switch any {
        case let s as String: return s
        case let n as NSNumber:
            let d = n.doubleValue
            return d.rounded() == d && abs(d) < 1e15 ? String(Int64(d)) : String(d)
        default: return nil
        }
    }

    static func int(_ any: Any?) -> Int? {
        switch any {
        case let n as NSNumber:
            // A double out of Int's range (1e300) must not reach intValue.
            let d = n.doubleValue
            guard d.isFinite, d > -9.0e18, d < 9.0e18 else { return nil }
            return n.intValue
        case let s as String: return Int(s)
        default: return nil
        }
    }

    static func bool(_ any: Any?) -> Bool {
        switch any {
        case let n as NSNumber: return n.boolValue
        case let s as String: return s == "true" || s == "1"
        default: return false
        }
    }
}
