/// Builds iCalendar content lines (RFC 5545 section 3.1): TEXT escaping, folding at 75
/// octets without splitting a UTF-8 character, CRLF endings.
struct ICalendarWriter {
    private(set) var bytes: [UInt8] = []

    /// Writes `NAME;PARAMS:VALUE`, folded. `value` is written as given (escape TEXT first).
    mutating func line(_ name: String, _ value: String, parameters: [(String, String)] = []) {
        var text = name
        for (key, parameterValue) in parameters {
            text += ";" + key + "=" + Self.parameterValue(parameterValue)
        }
        text += ":" + value
        fold(Array(text.utf8))
    }

    /// Appends `content` as one logical line: physical lines of at most 75 octets, each
    /// continuation starting with a space (counted in its 75), breaks only before a byte
    /// that begins a UTF-8 character.
    private mutating func fold(_ content: [UInt8]) {
        var lineLength = 0
        var i = 0
        while i < content.count {
            // The whole UTF-8 sequence starting at i.
            var end = i + 1
            while end < content.count && content[end] & 0xC0 == 0x80 { end += 1 }
            if lineLength + (end - i) > 75 {
                bytes += [0x0D, 0x0A, 0x20]
                lineLength = 1
            }
            bytes += content[i..<end]
            lineLength += end - i
            i = end
        }
        bytes += [0x0D, 0x0A]
    }

    /// TEXT escaping (RFC 5545 section 3.3.11): backslash, semicolon, comma, newline.
    /// CR LF and lone CR become `\n`; other control characters (forbidden in TEXT) are dropped.
    static func text(_ value: String) -> String {
        var out = ""
        var previousWasCR = false
        for scalar in value.unicodeScalars {
            defer { previousWasCR = scalar == "\r" }
            switch scalar {
            case "\\": out += "\\\\"
            case ";": out += "\\;"
            case ",": out += "\\,"
            case "\n": if !previousWasCR { out += "\\n" }
            case "\r": out += "\\n"
            case "\t": out.unicodeScalars.append(scalar)
            case _ where scalar.value < 0x20 || scalar.value == 0x7F: continue
            default: out.unicodeScalars.append(scalar)
            }
        }
        return out
    }

    /// A parameter value, quoted when it holds `:`, `;` or `,` (section 3.2); `"` and
    /// control characters cannot be written and are dropped.
    static func parameterValue(_ value: String) -> String {
        let cleaned = String(String.UnicodeScalarView(value.unicodeScalars.filter { $0 != "\"" && $0.value >= 0x20 && $0.value != 0x7F }))
        if cleaned.contains(where: { $0 == ":" || $0 == ";" || $0 == "," }) { return "\"" + cleaned + "\"" }
        return cleaned
    }
}
