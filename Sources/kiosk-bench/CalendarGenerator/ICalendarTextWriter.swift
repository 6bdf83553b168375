import KioskCore

/// Writes iCalendar content lines as exporters do: CRLF endings, TEXT escapes, and lines
/// longer than 75 octets folded with CRLF + SPACE (RFC 5545 section 3.1).
///
/// Folds fall between UTF-8 characters, never inside one, so that the peer (Python
/// `icalendar`, which decodes before it unfolds) reads the same text as we do.
struct ICalendarTextWriter {
    private(set) var text = ""

    /// Appends `name` + `:` + `value`, folded. `name` carries the parameters (`DTSTART;TZID=...`).
    mutating func line(_ name: String, _ value: String) {
        let whole = name + ":" + value
        var octets = 0
        var limit = 75
        for scalar in whole.unicodeScalars {
            let size = UTF8.width(scalar)
            if octets + size > limit {
                text += "\r\n "
                octets = 1
                limit = 75
            }
            text.unicodeScalars.append(scalar)
            octets += size
        }
        text += "\r\n"
    }

    /// TEXT escaping: backslash, semicolon, comma, newline.
    static func escaped(_ value: String) -> String {
        var out = ""
        out.reserveCapacity(value.utf8.count + 8)
        for character in value {
            switch character {
            case "\\": out += "\\\\"
            case ";": out += "\\;"
            case ",": out += "\\,"
            case "\n": out += "\\n"
            default: out.append(character)
            }
        }
        return out
    }

    /// `YYYYMMDD`.
    static func date(_ day: CivilDate) -> String {
        pad(day.year, 4) + pad(day.month, 2) + pad(day.day, 2)
    }

    /// `YYYYMMDDTHHMMSS` (local, no zone designator).
    static func dateTime(_ day: CivilDate, minuteOfDay: Int, second: Int = 0) -> String {
        date(day) + "T" + pad(minuteOfDay / 60, 2) + pad(minuteOfDay % 60, 2) + pad(second, 2)
    }

    /// `YYYYMMDDTHHMMSSZ` for seconds since 1970 (UTC).
    static func utc(_ seconds: Int) -> String {
        let day = Int((Double(seconds) / 86_400).rounded(.down))
        let rest = seconds - day * 86_400
        return date(CivilDate(dayNumber: day)) + "T" + pad(rest / 3600, 2) + pad(rest / 60 % 60, 2) + pad(rest % 60, 2) + "Z"
    }

    static func pad(_ n: Int, _ width: Int) -> String {
        let s = String(n)
        return s.count >= width ? s : String(repeating: "0", count: width - s.count) + s
    }
}
