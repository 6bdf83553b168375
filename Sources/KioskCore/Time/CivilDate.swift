import Foundation

/// A calendar date without a time or a zone (an all-day event's day, a deadline).
///
/// Never converted through UTC midnight: the day an all-day event falls on is the same
/// in every zone.
public struct CivilDate: Sendable, Hashable, Comparable, Codable, CustomStringConvertible {
    public var year: Int
    public var month: Int
    public var day: Int

    public init(year: Int, month: Int, day: Int) {
        self.year = year
        self.month = month
        self.day = day
    }

    /// The date of `instant` on the wall calendar of `timeZone`.
    public init(_ instant: Date, in timeZone: IANATimeZone) {
        self = timeZone.civilDate(of: instant)
    }

    /// Parses `YYYY-MM-DD` or `YYYYMMDD`; nil for anything else or an impossible date.
    public init?(iso: some StringProtocol) {
        let digits = String(iso.filter { $0 != "-" })
        guard digits.count == 8, digits.allSatisfy(\.isASCII), digits.allSatisfy(\.isNumber), let n = Int(digits) else { return nil }
        if iso.contains("-") && (iso.count != 10 || Array(iso)[4] != "-" || Array(iso)[7] != "-") { return nil }
        self.init(year: n / 10000, month: n / 100 % 100, day: n % 100)
        guard isValid else { return nil }
    }

    /// True when the day exists on the Gregorian calendar (no 31 February).
    public var isValid: Bool {
        guard (1...12).contains(month), day >= 1 else { return false }
        return day <= CivilDate.daysIn(month: month, year: year)
    }

    public static func daysIn(month: Int, year: Int) -> Int {
        switch month {
        case 2: return (year % 4 == 0 && year % 100 != 0) || year % 400 == 0 ? 29 : 28
        case 4, 6, 9, 11: return 30
        default: return 31
        }
    }

    /// Days since 1970-01-01 (proleptic Gregorian), for arithmetic without a calendar.
    public var dayNumber: Int {
        // Howard Hinnant's days_from_civil.
        let y = month <= 2 ? year - 1 : year
        let era = (y >= 0 ? y : y - 399) / 400
        let yoe = y - era * 400
        let mp = (month + 9) % 12
        let doy = (153 * mp + 2) / 5 + day - 1
        let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy
        return era * 146097 + doe - 719468
    }

    public init(dayNumber z0: Int) {
        let z = z0 + 719468
        let era = (z >= 0 ? z : z - 146096) / 146097
        let doe = z - era * 146097
        let yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365
        let doy = doe - (365 * yoe + yoe / 4 - yoe / 100)
        let mp = (5 * doy + 2) / 153
        let d = doy - (153 * mp + 2) / 5 + 1
        let m = mp < 10 ? mp + 3 : mp - 9
        self.init(year: yoe + era * 400 + (m <= 2 ? 1 : 0), month: m, day: d)
    }

    public func adding(days: Int) -> CivilDate { CivilDate(dayNumber: dayNumber + days) }

    /// ISO weekday: 1 = Monday ... 7 = Sunday.
    public var isoWeekday: Int { ((dayNumber % 7 + 7 + 3) % 7) + 1 }

    /// The instant this day starts in `timeZone` (00:00 local, or the first instant after
    /// a gap when midnight does not exist).
    public func start(in timeZone: IANATimeZone) -> Date {
        Date(timeIntervalSince1970: TimeInterval(timeZone.startOfDay(self)))
    }

    public static func < (a: CivilDate, b: CivilDate) -> Bool {
        (a.year, a.month, a.day) < (b.year, b.month, b.day)
    }

    /// `YYYY-MM-DD`.
    public var description: String {
        let y = String(year).leftPadded(to: 4), m = String(month).leftPadded(to: 2), d = String(day).leftPadded(to: 2)
        return "\(y)-\(m)-\(d)"
    }
}

@inline(__always) func floorDivide(_ a: Int, _ b: Int) -> Int {
    let q = a / b
    return (a % b != 0 && (a < 0) != (b < 0)) ? q - 1 : q
}

extension String {
    func leftPadded(to width: Int, with pad: Character = "0") -> String {
        count >= width ? self : String(repeating: pad, count: width - count) + self
    }
}

extension Date {
    /// Whole seconds since 1970 (rounded down), clamped to about ±31,700 years so that
    /// converting an instant computed from a feed's numbers can never trap.
    public var wholeSecondsSince1970: Int {
        let t = timeIntervalSince1970
        guard t.isFinite else { return 0 }
        return Int(min(max(t, -1e12), 1e12).rounded(.down))
    }
}
