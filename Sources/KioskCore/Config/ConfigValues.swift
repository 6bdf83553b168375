import Foundation

/// Parsers for the value syntaxes of `kiosk.conf`, each throwing a message that the
/// caller turns into a `ConfigError` with the line.
public enum ConfigValue {
    /// A systemd-style time span: `90`, `90s`, `15min`, `3h`, `1d`, `500ms`, `1h 30min`.
    /// A bare number is seconds.
    public static func duration(_ text: String) throws(ConfigValueError) -> TimeInterval {
        let units: [(String, Double)] = [
            ("ms", 0.001), ("msec", 0.001), ("s", 1), ("sec", 1), ("second", 1), ("seconds", 1),
            ("m", 60), ("min", 60), ("minute", 60), ("minutes", 60), ("h", 3600), ("hour", 3600),
            ("hours", 3600), ("d", 86400), ("day", 86400), ("days", 86400),
        ]
        let table = Dictionary(uniqueKeysWithValues: units)
        var total = 0.0
        var sawPart = false
        var chars = Substring(text.trimmingCharacters(in: .whitespaces))
        while !chars.isEmpty {
            chars = chars.drop(while: { $0 == " " })
            let number = chars.prefix(while: { $0.isASCII && ($0.isNumber || $0 == ".") })
            guard !number.isEmpty, let value = Double(number) else {
                throw ConfigValueError("'\(text)' is not a duration (examples: 30s, 15min, 3h)")
            }
            chars = chars.dropFirst(number.count).drop(while: { $0 == " " })
            let unit = chars.prefix(while: { $0.isLetter })
            chars = chars.dropFirst(unit.count)
            let factor: Double
            if unit.isEmpty { factor = 1 } else if let f = table[String(unit).lowercased()] { factor = f } else {
                throw ConfigValueError("unknown time unit '\(unit)' in '\(text)' (use ms, s, min, h, d)")
            }
            total += value * factor
            sawPart = true
        }
        guard sawPart else { throw ConfigValueError("empty duration") }
        return total
    }

    /// `yes/no`, `true/false`, `on/off`, `1/0`.
    public static func bool(_ text: String) throws(ConfigValueError) -> Bool {
        switch text.lowercased() {
        case "yes", "true", "on", "1": return true
        case "no", "false", "off", "0": return false
        default: throw ConfigValueError("'\(text)' is not a boolean (use yes or no)")
        }
    }

    /// A whole number within `range`.
    public static func integer(_ text: String, in range: ClosedRange<Int>) throws(ConfigValueError) -> Int {
        guard let n = Int(text), range.contains(n) else {
            throw ConfigValueError("'\(text)' must be a whole number from \(range.lowerBound) to \(range.upperBound)")
        }
        return n
    }

    /// A byte size: `512`, `10K`, `20M`, `1G` (powers of 1024).
    public static func byteSize(_ text: String) throws(ConfigValueError) -> Int {
        let t = text.trimmingCharacters(in: .whitespaces).uppercased()
        let multipliers: [Character: Int] = ["K": 1 << 10, "M": 1 << 20, "G": 1 << 30]
        var digits = Substring(t)
        var factor = 1
        if let last = t.last, let m = multipliers[last] { factor = m; digits = t.dropLast() }
        if digits.hasSuffix("I") || digits.hasSuffix("B") { digits = digits.dropLast() }
        guard let n = Int(digits), n >= 0 else { throw ConfigValueError("'\(text)' is not a size (examples: 512K, 20M)") }
        let (bytes, overflow) = n.multipliedReportingOverflow(by: factor)
        guard !overflow else { throw ConfigValueError("'\(text)' is too large a size") }
        return bytes
    }

    /// A byte size (as ``byteSize(_:)``) within `range`, which the message gives in MB.
    public static func byteSize(_ text: String, in range: ClosedRange<Int>) throws(ConfigValueError) -> Int {
        let bytes = try byteSize(text)
        guard range.contains(bytes) else {
            throw ConfigValueError("'\(text)' must be from \(range.lowerBound >> 20)M to \(range.upperBound >> 20)M")
        }
        return bytes
    }

    /// An IANA time-zone name known to this system's tz database.
    public static func timeZone(_ text: String) throws(ConfigValueError) -> IANATimeZone {
        guard text.contains("/") || text == "UTC" else {
            throw ConfigValueError("unknown time zone '\(text)' (use an IANA name such as Europe/Paris)")
        }
        do { return try IANATimeZone.named(text) } catch {
            throw ConfigValueError("unknown time zone '\(text)' (use an IANA name such as Europe/Paris): \(error.reason)" + (error.path.map { " (\($0))" } ?? ""))
        }
    }

    /// One of the raw values of `E`.
    public static func choice<E: RawRepresentable & CaseIterable>(_ text: String, as: E.Type) throws(ConfigValueError) -> E
    where E.RawValue == String {
        if let v = E(rawValue: text.lowercased()) { return v }
        let options = E.allCases.map(\.rawValue).joined(separator: ", ")
        throw ConfigValueError("'\(text)' is not one of: \(options)")
    }

    /// `#RRGGBB` (six hex digits) as `0xRRGGBB`.
    public static func rgbColor(_ text: String) throws(ConfigValueError) -> UInt32 {
        let digits = text.dropFirst()
        guard text.first == "#", digits.count == 6, digits.allSatisfy(\.isHexDigit), let value = UInt32(digits, radix: 16) else {
            throw ConfigValueError("'\(text)' is not a colour #RRGGBB (six hexadecimal digits, e.g. #E4003A)")
        }
        return value
    }

    /// A screen rotation in degrees: 0, 90, 180 or 270.
    public static func rotation(_ text: String) throws(ConfigValueError) -> ScreenRotation {
        guard let degrees = Int(text), let rotation = ScreenRotation(rawValue: degrees) else {
            throw ConfigValueError("'\(text)' is not a rotation: 0, 90, 180 or 270 (degrees, clockwise)")
        }
        return rotation
    }
}

/// A bad value, before it is placed on a line.
public struct ConfigValueError: Error, Sendable {
    public var message: String
    public init(_ message: String) { self.message = message }
}

/// A time of day in minutes after midnight, wall clock of the venue.
public struct TimeOfDay: Sendable, Hashable, Comparable, CustomStringConvertible {
    public var minutes: Int

    public init(hour: Int, minute: Int) { minutes = hour * 60 + minute }

    /// `9:00`, `09:00`, `9h`, `9h30`, `24:00` (end of day).
    public init(parsing text: String) throws(ConfigValueError) {
        let t = text.trimmingCharacters(in: .whitespaces).lowercased()
        let parts = t.split(omittingEmptySubsequences: false, whereSeparator: { $0 == ":" || $0 == "h" })
        guard (1...2).contains(parts.count), let h = Int(parts[0]),
              let m = parts.count == 2 ? (parts[1].isEmpty ? 0 : Int(parts[1])) : 0,
              (0...24).contains(h), (0...59).contains(m), h * 60 + m <= 24 * 60,
              parts.count == 2 || t.allSatisfy(\.isNumber)
        else { throw ConfigValueError("'\(text)' is not a time of day (example: 09:30)") }
        minutes = h * 60 + m
    }

    public static func < (a: TimeOfDay, b: TimeOfDay) -> Bool { a.minutes < b.minutes }

    /// `09:30`.
    public var description: String {
        String(minutes / 60).leftPadded(to: 2) + ":" + String(minutes % 60).leftPadded(to: 2)
    }
}

/// The building's opening hours: per ISO weekday (1 = Monday) a list of ranges.
public struct OpeningHours: Sendable, Hashable {
    public struct Range: Sendable, Hashable {
        public var opens: TimeOfDay
        public var closes: TimeOfDay
    }

    /// Index 0 = Monday ... 6 = Sunday.
    public var days: [[Range]]

    public init(days: [[Range]]) { self.days = days }

    /// Open 24 hours every day (no schedule configured).
    public static let always = OpeningHours(days: Array(repeating: [Range(opens: TimeOfDay(hour: 0, minute: 0), closes: TimeOfDay(hour: 24, minute: 0))], count: 7))

    /// `closed`, or `09:00-19:00`, or `09:00-12:30, 14:00-19:00`.
    public static func parseDay(_ text: String) throws(ConfigValueError) -> [Range] {
        if text.lowercased() == "closed" || text.lowercased() == "fermé" { return [] }
        var ranges: [Range] = []
        for part in text.split(separator: ",") {
            let bounds = part.split(separator: "-")
            guard bounds.count == 2 else { throw ConfigValueError("'\(part.trimmingCharacters(in: .whitespaces))' is not a range like 09:00-19:00") }
            let opens = try TimeOfDay(parsing: String(bounds[0]))
            let closes = try TimeOfDay(parsing: String(bounds[1]))
            guard opens < closes else { throw ConfigValueError("range \(opens)-\(closes) closes before it opens") }
            if let last = ranges.last, opens < last.closes {
                throw ConfigValueError("ranges overlap or are out of order at \(opens)")
            }
            ranges.append(Range(opens: opens, closes: closes))
        }
        guard !ranges.isEmpty else { throw ConfigValueError("empty opening hours (write 'closed')") }
        return ranges
    }

    /// The ranges of the day `date` falls on.
    public func ranges(on date: CivilDate) -> [Range] { days[date.isoWeekday - 1] }

    /// Whether the building is open at `instant`.
    public func isOpen(at instant: Date, timeZone: IANATimeZone) -> Bool {
        let day = timeZone.civilDate(of: instant)
        let c = timeZone.hourAndMinute(of: instant)
        let minute = c.hour * 60 + c.minute
        return ranges(on: day).contains { $0.opens.minutes <= minute && minute < $0.closes.minutes }
    }
}
