import KioskCore

/// A DATE or DATE-TIME value as written (RFC 5545 sections 3.3.4, 3.3.5), before a zone is
/// applied.
struct ICalendarDateTime {
    var date: CivilDate
    /// nil for a DATE value.
    var secondOfDay: Int?
    var isUTC: Bool
}

/// Readers for iCalendar value types, working on bytes.
enum ICalendarValues {
    /// TEXT (section 3.3.11): `\\` `\;` `\,` `\n` `\N`; an unknown escape keeps the
    /// character after the backslash.
    static func text(_ bytes: ArraySlice<UInt8>) -> String {
        guard bytes.contains(0x5C) else { return String(decoding: bytes, as: UTF8.self) }
        var out: [UInt8] = []
        out.reserveCapacity(bytes.count)
        var i = bytes.startIndex
        while i < bytes.endIndex {
            let b = bytes[i]
            if b == 0x5C, i + 1 < bytes.endIndex {
                let e = bytes[i + 1]
                out.append(e == UInt8(ascii: "n") || e == UInt8(ascii: "N") ? 0x0A : e)
                i += 2
            } else {
                out.append(b)
                i += 1
            }
        }
        return String(decoding: out, as: UTF8.self)
    }

    /// Splits on commas that are not escaped (CATEGORIES, EXDATE lists).
    static func list(_ bytes: ArraySlice<UInt8>) -> [ArraySlice<UInt8>] {
        var parts: [ArraySlice<UInt8>] = []
        var start = bytes.startIndex
        var i = bytes.startIndex
        while i < bytes.endIndex {
            if bytes[i] == 0x5C { i += 2; continue }
            if bytes[i] == UInt8(ascii: ",") {
                parts.append(bytes[start..<i])
                start = i + 1
            }
            i += 1
        }
        parts.append(bytes[start..<bytes.endIndex])
        return parts
    }

    /// The value as text for a message: at most 40 characters.
    static func excerpt(_ bytes: ArraySlice<UInt8>) -> String {
        let text = String(decoding: trimmed(bytes), as: UTF8.self)
        return text.count > 40 ? String(text.prefix(40)) + "…" : text
    }

    static func trimmed(_ bytes: ArraySlice<UInt8>) -> ArraySlice<UInt8> {
        var s = bytes.startIndex, e = bytes.endIndex
        while s < e, bytes[s] == 0x20 || bytes[s] == 0x09 { s += 1 }
        while e > s, bytes[e - 1] == 0x20 || bytes[e - 1] == 0x09 { e -= 1 }
        return bytes[s..<e]
    }

    @inline(__always) private static func digits(_ b: ArraySlice<UInt8>, _ from: Int, _ count: Int) -> Int? {
        var n = 0
        for i in from..<(from + count) {
            let d = b[i] &- 0x30
            guard d <= 9 else { return nil }
            n = n * 10 + Int(d)
        }
        return n
    }

    /// `YYYYMMDD`, `YYYYMMDDTHHMMSS` or `YYYYMMDDTHHMMSSZ`; nil when malformed or impossible.
    static func dateTime(_ raw: ArraySlice<UInt8>) -> ICalendarDateTime? {
        let b = trimmed(raw)
        let s = b.startIndex
        guard b.count >= 8, let y = digits(b, s, 4), let m = digits(b, s + 4, 2), let d = digits(b, s + 6, 2) else { return nil }
        let date = CivilDate(year: y, month: m, day: d)
        guard date.isValid else { return nil }
        if b.count == 8 { return ICalendarDateTime(date: date, secondOfDay: nil, isUTC: false) }
        guard b.count == 15 || b.count == 16, b[s + 8] == UInt8(ascii: "T") || b[s + 8] == UInt8(ascii: "t"),
              let hh = digits(b, s + 9, 2), let mm = digits(b, s + 11, 2), let ss = digits(b, s + 13, 2),
              hh < 24, mm < 60, ss <= 60 else { return nil }
        var utc = false
        if b.count == 16 {
            guard b[s + 15] == UInt8(ascii: "Z") || b[s + 15] == UInt8(ascii: "z") else { return nil }
            utc = true
        }
        return ICalendarDateTime(date: date, secondOfDay: hh * 3600 + mm * 60 + min(ss, 59), isUTC: utc)
    }

    static let maxDurationDays = 3_652_500

    /// DURATION (section 3.3.6) as whole days and remaining seconds, both signed:
    /// `P1D` -> (1, 0), `PT1H30M` -> (0, 5400), `P2W` -> (14, 0), `-P1D` -> (-1, 0).
    static func duration(_ raw: ArraySlice<UInt8>) -> (days: Int, seconds: Int)? {
        let b = Array(trimmed(raw))
        var i = 0
        var sign = 1
        if i < b.count, b[i] == UInt8(ascii: "+") || b[i] == UInt8(ascii: "-") {
            sign = b[i] == UInt8(ascii: "-") ? -1 : 1
            i += 1
        }
        guard i < b.count, b[i] == UInt8(ascii: "P") else { return nil }
        i += 1
        var days = 0, seconds = 0, inTime = false, sawAny = false
        while i < b.count {
            if b[i] == UInt8(ascii: "T") { inTime = true; i += 1; continue }
            var n = 0, digitsSeen = 0
            while i < b.count, b[i] >= 0x30, b[i] <= 0x39 {
                guard digitsSeen < 9 else { return nil }  // over 999,999,999 of a unit: not a programme's duration
                n = n * 10 + Int(b[i] - 0x30)
                i += 1
                digitsSeen += 1
            }
            guard digitsSeen > 0, i < b.count else { return nil }
            switch (b[i], inTime) {
            case (UInt8(ascii: "W"), false): days += 7 * n
            case (UInt8(ascii: "D"), false): days += n
            case (UInt8(ascii: "H"), true): seconds += 3600 * n
            case (UInt8(ascii: "M"), true): seconds += 60 * n
            case (UInt8(ascii: "S"), true): seconds += n
            default: return nil
            }
            guard days <= Self.maxDurationDays, seconds <= Self.maxDurationDays * 86_400 else { return nil }
            sawAny = true
            i += 1
        }
        // At most about 10,000 years, so that any date plus it stays a date.
        guard sawAny, days + seconds / 86_400 <= Self.maxDurationDays else { return nil }
        return (sign * days, sign * seconds)
    }

    /// UTC-OFFSET (section 3.3.14): `+0100`, `-0500`, `+013045` -> seconds east of UTC.
    static func utcOffset(_ raw: ArraySlice<UInt8>) -> Int? {
        let b = trimmed(raw)
        let s = b.startIndex
        guard b.count == 5 || b.count == 7, b[s] == UInt8(ascii: "+") || b[s] == UInt8(ascii: "-"),
              let h = digits(b, s + 1, 2), let m = digits(b, s + 3, 2) else { return nil }
        let sec = b.count == 7 ? (digits(b, s + 5, 2) ?? -1) : 0
        guard sec >= 0 else { return nil }
        return (b[s] == UInt8(ascii: "-") ? -1 : 1) * (h * 3600 + m * 60 + sec)
    }
}
