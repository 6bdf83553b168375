/// Comma-separated values as RFC 4180 defines them: quoted fields may hold commas,
/// line breaks and doubled quotes; records end with CRLF (LF accepted on input). Reading
/// takes another separator too: the `;` that spreadsheets in French (and other decimal-
/// comma) locales write (`separator(guessedFrom:)`).
public enum CSV {
    /// A malformed document: where, and what.
    public struct ParseError: Error, Sendable, Equatable, CustomStringConvertible {
        public var line: Int
        public var message: String
        public var description: String { "line \(line): \(message)" }
    }

    /// Parses a whole document into records of fields. A UTF-8 BOM is skipped; a
    /// trailing empty line does not make an empty record.
    public static func parse(_ text: String, separator: Unicode.Scalar = ",") throws(ParseError) -> [[String]] {
        try parseRecords(text, separator: separator).map(\.fields)
    }

    /// As ``parse(_:separator:)``, with the line each record starts on (1 for the first;
    /// a quoted line break moves the next records down).
    public static func parseRecords(_ text: String, separator: Unicode.Scalar = ",") throws(ParseError) -> [(line: Int, fields: [String])] {
        var records: [(line: Int, fields: [String])] = []
        var recordLine = 1
        var record: [String] = []
        var field = ""
        var line = 1
        var inQuotes = false
        var fieldWasQuoted = false
        var iterator = text.unicodeScalars.makeIterator()
        var pending: Unicode.Scalar? = iterator.next()
        if pending == "\u{FEFF}" { pending = iterator.next() }
        func next() -> Unicode.Scalar? {
            defer { pending = iterator.next() }
            return pending
        }
        while let c = next() {
            if inQuotes {
                if c == "\"" {
                    if pending == "\"" { field.unicodeScalars.append("\""); _ = next() } else { inQuotes = false }
                } else {
                    if c == "\n" { line += 1 }
                    field.unicodeScalars.append(c)
                }
                continue
            }
            switch c {
            case "\"":
                guard field.isEmpty && !fieldWasQuoted else {
                    throw ParseError(line: line, message: "a quote inside an unquoted field (quote the whole field and double the quote)")
                }
                inQuotes = true
                fieldWasQuoted = true
            case separator:
                record.append(field)
                field = ""
                fieldWasQuoted = false
            case "\r":
                if pending == "\n" { continue }
                fallthrough
            case "\n":
                record.append(field)
                records.append((recordLine, record))
                record = []
                field = ""
                fieldWasQuoted = false
                line += 1
                recordLine = line
            default:
                if fieldWasQuoted {
                    throw ParseError(line: line, message: "text after a closing quote")
                }
                field.unicodeScalars.append(c)
            }
        }
        if inQuotes { throw ParseError(line: line, message: "a quoted field is not closed") }
        if !field.isEmpty || fieldWasQuoted || !record.isEmpty {
            record.append(field)
            records.append((recordLine, record))
        }
        return records
    }

    /// `;` when the first line (a header row) has more semicolons than commas outside
    /// quotes, as a spreadsheet in a French locale exports it; `,` otherwise.
    public static func separator(guessedFrom text: String) -> Unicode.Scalar {
        var commas = 0, semicolons = 0, inQuotes = false
        for c in text.unicodeScalars.prefix(4096) {
            if c == "\"" { inQuotes.toggle() } else if !inQuotes {
                if c == "\n" || c == "\r" { break }
                if c == "," { commas += 1 } else if c == ";" { semicolons += 1 }
            }
        }
        return semicolons > commas ? ";" : ","
    }

    /// Quotes a field when it needs it (comma, quote, CR or LF, or leading/trailing space).
    public static func escape(_ field: String) -> String {
        let needsQuotes = field.unicodeScalars.contains(where: { $0 == "," || $0 == "\"" || $0 == "\n" || $0 == "\r" })
            || field.first == " " || field.last == " "
        guard needsQuotes else { return field }
        return "\"" + field.replacingOccurrences(of: "\"", with: "\"\"") + "\""
    }

    /// One record per line, CRLF-terminated.
    public static func format(_ records: [[String]]) -> String {
        records.map { $0.map(escape).joined(separator: ",") + "\r\n" }.joined()
    }
}

extension String {
    fileprivate func replacingOccurrences(of target: String, with replacement: String) -> String {
        var out = ""
        var rest = self[...]
        while let range = rest.range(of: target) {
            out += rest[..<range.lowerBound]
            out += replacement
            rest = rest[range.upperBound...]
        }
        return out + rest
    }
}
