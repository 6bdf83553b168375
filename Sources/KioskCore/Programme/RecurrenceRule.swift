import Foundation

/// A parsed RRULE value (RFC 5545 section 3.3.10), ready to expand.
///
/// Weekdays are ISO numbers (1 = Monday ... 7 = Sunday). Lists keep the order of the text;
/// the expansion does not depend on it. Parsing is strict about the values of the parts it
/// knows (a clear `RecurrenceRuleError` names the part) and ignores parts it does not know
/// (`X-` extensions, RFC 7529 `RSCALE`/`SKIP`), as calendar clients do.
public struct RecurrenceRule: Sendable, Hashable {
    public enum Frequency: Int, Sendable, Hashable, Comparable, CaseIterable {
        // Ordered from the finest to the coarsest.
        case secondly, minutely, hourly, daily, weekly, monthly, yearly

        public static func < (a: Frequency, b: Frequency) -> Bool { a.rawValue < b.rawValue }

        public var name: String {
            switch self {
            case .secondly: "SECONDLY"
            case .minutely: "MINUTELY"
            case .hourly: "HOURLY"
            case .daily: "DAILY"
            case .weekly: "WEEKLY"
            case .monthly: "MONTHLY"
            case .yearly: "YEARLY"
            }
        }
    }

    /// One BYDAY entry: a weekday, optionally the n-th (or n-th from the end when negative)
    /// in the month or year.
    public struct WeekdayNumber: Sendable, Hashable {
        /// nil: every such weekday of the period.
        public var ordinal: Int?
        /// ISO weekday, 1 = Monday ... 7 = Sunday.
        public var weekday: Int

        public init(ordinal: Int? = nil, weekday: Int) {
            self.ordinal = ordinal
            self.weekday = weekday
        }
    }

    /// The UNTIL bound, inclusive.
    public enum Until: Sendable, Hashable {
        /// `...Z`: compared with the instances as instants.
        case instant(Date)
        /// `YYYYMMDD`: the last day an instance may fall on (in the series' wall clock).
        case date(CivilDate)
        /// A local date-time without `Z` (floating, or a sloppy exporter): compared on the
        /// series' wall clock.
        case local(CivilDate, secondOfDay: Int)
    }

    public var frequency: Frequency
    public var interval: Int = 1
    public var count: Int?
    public var until: Until?
    public var bySecond: [Int] = []
    public var byMinute: [Int] = []
    public var byHour: [Int] = []
    public var byDay: [WeekdayNumber] = []
    public var byMonthDay: [Int] = []
    public var byYearDay: [Int] = []
    public var byWeekNo: [Int] = []
    public var byMonth: [Int] = []
    public var bySetPos: [Int] = []
    /// ISO weekday the week starts on (WKST), Monday by default.
    public var weekStart: Int = 1

    public init(frequency: Frequency) {
        self.frequency = frequency
    }

    /// The largest INTERVAL read: a million seconds is 11 days, a million years is past
    /// 9999 whatever the DTSTART. Larger values (2*10^14 in a hostile feed) are refused.
    public static let maxInterval = 1_000_000

    /// True when the rule ends by itself (COUNT or UNTIL).
    public var isBounded: Bool { count != nil || until != nil }

    /// Parses an RRULE value such as `FREQ=MONTHLY;BYDAY=-1SU;COUNT=4`; a leading
    /// `RRULE:` is accepted. Names and values are case-insensitive.
    public init(parsing text: String) throws(RecurrenceRuleError) {
        var body = Substring(text.trimmingCharacters(in: .whitespacesAndNewlines))
        if body.uppercased().hasPrefix("RRULE:") { body = body.dropFirst(6) }
        var frequency: Frequency?
        var rule = RecurrenceRule(frequency: .daily)
        var seen = Set<String>()
        for rawPart in body.split(separator: ";", omittingEmptySubsequences: true) {
            let part = rawPart.trimmingCharacters(in: .whitespaces)
            if part.isEmpty { continue }
            guard let eq = part.firstIndex(of: "=") else {
                throw RecurrenceRuleError(rule: text, part: part, reason: "expected NAME=VALUE")
            }
            let name = part[..<eq].uppercased()
            let value = part[part.index(after: eq)...].uppercased()
            if !seen.insert(name).inserted, name != "X" {
                throw RecurrenceRuleError(rule: text, part: part, reason: "\(name) appears twice")
            }
            func fail(_ reason: String) -> RecurrenceRuleError {
                RecurrenceRuleError(rule: text, part: part, reason: reason)
            }
            func integers(_ range: ClosedRange<Int>, allowNegative: Bool) throws(RecurrenceRuleError) -> [Int] {
                var out: [Int] = []
                for item in value.split(separator: ",", omittingEmptySubsequences: false) {
                    guard let n = Int(item.trimmingCharacters(in: .whitespaces)) else {
                        throw fail("'\(item)' is not an integer")
                    }
                    let magnitude = allowNegative ? abs(n) : n
                    guard range.contains(magnitude), n != 0 || range.contains(0) else {
                        throw fail("\(n) is out of range (\(allowNegative ? "±" : "")\(range.lowerBound)...\(range.upperBound))")
                    }
                    out.append(n)
                }
                return out
            }
            switch name {
            case "FREQ":
                guard let f = Frequency.allCases.first(where: { $0.name == value }) else {
                    throw fail("unknown frequency '\(value)'")
                }
                frequency = f
            case "INTERVAL":
                guard let n = Int(value), n >= 1 else { throw fail("INTERVAL must be a positive integer") }
                guard n <= Self.maxInterval else { throw fail("INTERVAL \(value) is over \(Self.maxInterval)") }
                rule.interval = n
            case "COUNT":
                guard let n = Int(value), n >= 0 else { throw fail("COUNT must be a non-negative integer") }
                rule.count = n
            case "UNTIL":
                guard let until = RecurrenceRule.parseUntil(value) else {
                    throw fail("UNTIL must be YYYYMMDD or YYYYMMDDTHHMMSS[Z]")
                }
                rule.until = until
            case "BYSECOND": rule.bySecond = try integers(0...60, allowNegative: false)
            case "BYMINUTE": rule.byMinute = try integers(0...59, allowNegative: false)
            case "BYHOUR": rule.byHour = try integers(0...23, allowNegative: false)
            case "BYMONTHDAY": rule.byMonthDay = try integers(1...31, allowNegative: true)
            case "BYYEARDAY": rule.byYearDay = try integers(1...366, allowNegative: true)
            case "BYWEEKNO": rule.byWeekNo = try integers(1...53, allowNegative: true)
            case "BYMONTH": rule.byMonth = try integers(1...12, allowNegative: false)
            case "BYSETPOS": rule.bySetPos = try integers(1...366, allowNegative: true)
            case "BYDAY":
                for item in value.split(separator: ",", omittingEmptySubsequences: false) {
                    let entry = item.trimmingCharacters(in: .whitespaces)
                    guard entry.count >= 2, let weekday = RecurrenceRule.weekday(entry.suffix(2)) else {
                        throw fail("'\(entry)' is not a weekday (MO, TU, WE, TH, FR, SA, SU with an optional ordinal)")
                    }
                    let prefix = entry.dropLast(2)
                    var ordinal: Int?
                    if !prefix.isEmpty {
                        guard let n = Int(prefix.hasPrefix("+") ? prefix.dropFirst() : prefix), n != 0, abs(n) <= 53 else {
                            throw fail("'\(entry)' has an invalid ordinal (±1...53)")
                        }
                        ordinal = n
                    }
                    rule.byDay.append(WeekdayNumber(ordinal: ordinal, weekday: weekday))
                }
            case "WKST":
                guard let weekday = RecurrenceRule.weekday(Substring(value)) else { throw fail("'\(value)' is not a weekday") }
                rule.weekStart = weekday
            default:
                continue  // X- names and extensions: ignored.
            }
        }
        guard let frequency else {
            throw RecurrenceRuleError(rule: text, part: "FREQ", reason: "FREQ is missing")
        }
        rule.frequency = frequency
        self = rule
    }

    static func weekday(_ code: Substring) -> Int? {
        switch code {
        case "MO": 1
        case "TU": 2
        case "WE": 3
        case "TH": 4
        case "FR": 5
        case "SA": 6
        case "SU": 7
        default: nil
        }
    }

    static func parseUntil(_ value: String) -> Until? {
        let bytes = Array(value.utf8)
        func number(_ from: Int, _ length: Int) -> Int? {
            var n = 0
            for i in from..<(from + length) {
                let b = bytes[i]
                guard b >= 0x30, b <= 0x39 else { return nil }
                n = n * 10 + Int(b - 0x30)
            }
            return n
        }
        guard bytes.count >= 8, let y = number(0, 4), let m = number(4, 2), let d = number(6, 2) else { return nil }
        let date = CivilDate(year: y, month: m, day: d)
        guard date.isValid else { return nil }
        if bytes.count == 8 { return .date(date) }
        guard bytes.count >= 15, bytes[8] == UInt8(ascii: "T"),
              let hh = number(9, 2), let mm = number(11, 2), let ss = number(13, 2),
              hh < 24, mm < 60, ss <= 60 else { return nil }
        let secondOfDay = hh * 3600 + mm * 60 + min(ss, 59)
        if bytes.count == 15 { return .local(date, secondOfDay: secondOfDay) }
        guard bytes.count == 16, bytes[15] == UInt8(ascii: "Z") else { return nil }
        return .instant(Date(timeIntervalSince1970: TimeInterval(date.dayNumber * 86400 + secondOfDay)))
    }
}

/// Why an RRULE value could not be read: the whole rule, the offending part and the reason.
public struct RecurrenceRuleError: Error, Sendable, Hashable, CustomStringConvertible {
    public var rule: String
    public var part: String
    public var reason: String

    public init(rule: String, part: String, reason: String) {
        self.rule = rule
        self.part = part
        self.reason = reason
    }

    public var description: String { "invalid RRULE '\(rule)': \(part): \(reason)" }
}
