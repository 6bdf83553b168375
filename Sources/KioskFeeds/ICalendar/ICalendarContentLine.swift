/// One unfolded content line (RFC 5545 section 3.1): `NAME;PARAM=VALUE:VALUE`, as ranges of
/// the unfolded byte buffer, with the physical line it started on.
struct ICalendarContentLine {
    /// Upper-cased property name.
    var name: String
    /// Parameters with upper-cased names; quoted values have lost their quotes.
    var parameters: [(name: String, values: [String])]
    /// The value bytes (escapes not yet resolved).
    var value: ArraySlice<UInt8>
    var line: Int

    func parameter(_ name: String) -> String? {
        for p in parameters where p.name == name { return p.values.first }
        return nil
    }
}

/// Splits iCalendar bytes into unfolded content lines.
///
/// Folding is undone on bytes, before any UTF-8 decoding, because exporters cut lines at 75
/// octets, sometimes inside a multi-byte character: a line break (CRLF or a bare LF)
/// followed by one SPACE or TAB is removed. A UTF-8 BOM and blank lines are skipped.
struct ICalendarUnfolder {
    private(set) var buffer: [UInt8] = []
    /// Start offset in `buffer` and physical line number of each logical line.
    private(set) var starts: [(offset: Int, line: Int)] = []

    init(_ bytes: [UInt8]) {
        buffer.reserveCapacity(bytes.count)
        var i = 0
        let n = bytes.count
        if n >= 3, bytes[0] == 0xEF, bytes[1] == 0xBB, bytes[2] == 0xBF { i = 3 }
        var physical = 0
        var inLogical = false
        while i < n {
            physical += 1
            var end = i
            while end < n, bytes[end] != 0x0A { end += 1 }
            let next = end + 1
            var contentEnd = end
            if contentEnd > i, bytes[contentEnd - 1] == 0x0D { contentEnd -= 1 }
            if contentEnd == i {
                inLogical = false  // blank line
            } else if (bytes[i] == 0x20 || bytes[i] == 0x09), inLogical {
                buffer.append(contentsOf: bytes[(i + 1)..<contentEnd])
            } else {
                starts.append((buffer.count, physical))
                buffer.append(contentsOf: bytes[i..<contentEnd])
                inLogical = true
            }
            i = next
        }
    }

    var count: Int { starts.count }

    func range(_ index: Int) -> Range<Int> {
        let start = starts[index].offset
        let end = index + 1 < starts.count ? starts[index + 1].offset : buffer.count
        return start..<end
    }

    /// Whether logical line `index` starts with an x-name (`X-APPLE-...`): such lines are
    /// skipped without a word when they do not parse.
    func isExtension(_ index: Int) -> Bool {
        let r = range(index)
        return r.count >= 2 && (buffer[r.lowerBound] | 0x20) == UInt8(ascii: "x") && buffer[r.lowerBound + 1] == UInt8(ascii: "-")
    }

    /// Parses logical line `index` into name, parameters and value.
    func contentLine(_ index: Int) throws(ICalendarError) -> ICalendarContentLine {
        let r = range(index)
        let line = starts[index].line
        var i = r.lowerBound
        let end = r.upperBound
        // Name: letters, digits, '-'.
        var nameBytes: [UInt8] = []
        nameBytes.reserveCapacity(16)
        while i < end, buffer[i] != UInt8(ascii: ";"), buffer[i] != UInt8(ascii: ":") {
            let b = buffer[i]
            guard Self.isNameByte(b) else {
                throw ICalendarError(line: line, reason: "invalid character in property name '\(Self.text(buffer[r.lowerBound..<min(end, r.lowerBound + 40)]))'")
            }
            nameBytes.append(b >= 0x61 && b <= 0x7A ? b - 0x20 : b)
            i += 1
        }
        guard !nameBytes.isEmpty else { throw ICalendarError(line: line, reason: "content line has no property name") }
        let name = String(decoding: nameBytes, as: UTF8.self)
        var parameters: [(name: String, values: [String])] = []
        while i < end, buffer[i] == UInt8(ascii: ";") {
            i += 1
            let nameStart = i
            while i < end, buffer[i] != UInt8(ascii: "="), buffer[i] != UInt8(ascii: ":"), buffer[i] != UInt8(ascii: ";") { i += 1 }
            guard i < end, buffer[i] == UInt8(ascii: "=") else {
                throw ICalendarError(line: line, reason: "parameter '\(Self.text(buffer[nameStart..<i]))' of \(name) has no '='")
            }
            let parameterName = Self.text(buffer[nameStart..<i]).uppercased()
            i += 1
            var values: [String] = []
            while true {
                if i < end, buffer[i] == UInt8(ascii: "\"") {
                    let valueStart = i + 1
                    i = valueStart
                    while i < end, buffer[i] != UInt8(ascii: "\"") { i += 1 }
                    guard i < end else { throw ICalendarError(line: line, reason: "unterminated quoted value of parameter \(parameterName)") }
                    values.append(Self.caretDecoded(Self.text(buffer[valueStart..<i])))
                    i += 1
                } else {
                    // Not RFC 5545, but what iOS writes in X-APPLE-STRUCTURED-LOCATION: a
                    // backslash keeps the next character (`X-ADDRESS=12 rue\; Paris`).
                    let valueStart = i
                    var escaped = false
                    while i < end, buffer[i] != UInt8(ascii: ","), buffer[i] != UInt8(ascii: ";"), buffer[i] != UInt8(ascii: ":") {
                        if buffer[i] == 0x5C, i + 1 < end { escaped = true; i += 1 }
                        i += 1
                    }
                    if escaped {
                        var value: [UInt8] = []
                        var k = valueStart
                        while k < i {
                            if buffer[k] == 0x5C, k + 1 < i { k += 1 }
                            value.append(buffer[k])
                            k += 1
                        }
                        values.append(Self.caretDecoded(Self.text(value[...])))
                    } else {
                        values.append(Self.caretDecoded(Self.text(buffer[valueStart..<i])))
                    }
                }
                if i < end, buffer[i] == UInt8(ascii: ",") { i += 1 } else { break }
            }
            parameters.append((parameterName, values))
        }
        guard i < end, buffer[i] == UInt8(ascii: ":") else {
            throw ICalendarError(line: line, reason: "content line '\(Self.text(buffer[r.lowerBound..<min(end, r.lowerBound + 40)]))' has no ':' before its value")
        }
        return ICalendarContentLine(name: name, parameters: parameters, value: buffer[(i + 1)..<end], line: line)
    }

    /// RFC 6868 parameter value encoding: `^n` newline, `^'` double quote, `^^` caret.
    static func caretDecoded(_ text: String) -> String {
        guard text.contains("^") else { return text }
        var out = ""
        var pending = false
        for c in text {
            if pending {
                switch c {
                case "n", "N": out.append("\n")
                case "'": out.append("\"")
                case "^": out.append("^")
                default: out.append("^"); out.append(c)
                }
                pending = false
            } else if c == "^" {
                pending = true
            } else {
                out.append(c)
            }
        }
        if pending { out.append("^") }
        return out
    }

    @inline(__always) static func isNameByte(_ b: UInt8) -> Bool {
        (b >= 0x41 && b <= 0x5A) || (b >= 0x61 && b <= 0x7A) || (b >= 0x30 && b <= 0x39) || b == 0x2D
    }

    static func text(_ bytes: ArraySlice<UInt8>) -> String { String(decoding: bytes, as: UTF8.self) }
}
