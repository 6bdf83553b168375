/// Percent-decoding of URL parts and `application/x-www-form-urlencoded` bodies (the
/// no-JavaScript staff page posts forms), per the WHATWG URL standard's
/// application/x-www-form-urlencoded parser, but strict: a `%` not followed by two hex
/// digits, or bytes that are not UTF-8 after decoding, make the input invalid (nil) rather
/// than being passed through, so a handler answers 400 instead of storing garbage.
public enum PercentEncoding {
    /// Decodes `%XX` sequences (and `+` as a space when `plusAsSpace`, as in forms and query
    /// strings); nil on a malformed escape or invalid UTF-8.
    public static func decode(_ text: some StringProtocol, plusAsSpace: Bool = false) -> String? {
        let utf8 = Array(text.utf8)
        var out: [UInt8] = []
        out.reserveCapacity(utf8.count)
        var i = 0
        while i < utf8.count {
            let c = utf8[i]
            if c == UInt8(ascii: "%") {
                guard i + 2 < utf8.count, let h = HTTPRequestParser.hexValue(utf8[i + 1]),
                    let l = HTTPRequestParser.hexValue(utf8[i + 2])
                else { return nil }
                out.append(UInt8(h << 4 | l))
                i += 3
            } else {
                out.append(plusAsSpace && c == UInt8(ascii: "+") ? 0x20 : c)
                i += 1
            }
        }
        return String(validating: out, as: UTF8.self)
    }

    /// Encodes everything but the RFC 3986 unreserved characters (`A-Z a-z 0-9 - . _ ~`).
    public static func encode(_ text: String) -> String {
        var out = ""
        for b in text.utf8 {
            switch b {
            case 0x30...0x39, 0x41...0x5A, 0x61...0x7A, UInt8(ascii: "-"), UInt8(ascii: "."), UInt8(ascii: "_"), UInt8(ascii: "~"):
                out.unicodeScalars.append(Unicode.Scalar(b))
            default:
                let digits = Array("0123456789ABCDEF".unicodeScalars)
                out.unicodeScalars.append("%")
                out.unicodeScalars.append(digits[Int(b >> 4)])
                out.unicodeScalars.append(digits[Int(b & 0x0F)])
            }
        }
        return out
    }
}

/// Name/value pairs of a query string or an `application/x-www-form-urlencoded` body, in
/// order, duplicates kept (a multi-select sends the name once per choice).
public struct HTTPFormFields: Sendable, Hashable, Sequence {
    public private(set) var fields: [HTTPField]

    public init(fields: [HTTPField] = []) {
        self.fields = fields
    }

    /// Parses `a=1&b=x+y&c` (`c` has an empty value; empty pieces between `&&` are skipped).
    /// Nil when a name or value is badly escaped or not UTF-8.
    public init?(parsing text: some StringProtocol) {
        var fields: [HTTPField] = []
        for piece in Substring(text).split(separator: "&", omittingEmptySubsequences: true) {
            let name: Substring, value: Substring
            if let eq = piece.firstIndex(of: "=") {
                name = piece[..<eq]
                value = piece[piece.index(after: eq)...]
            } else {
                name = piece
                value = ""
            }
            guard let n = PercentEncoding.decode(name, plusAsSpace: true),
                let v = PercentEncoding.decode(value, plusAsSpace: true)
            else { return nil }
            fields.append(HTTPField(name: n, value: v))
        }
        self.fields = fields
    }

    /// Parses a form body; nil when it is not UTF-8 or badly escaped.
    public init?(body: [UInt8]) {
        guard let text = String(validating: body, as: UTF8.self) else { return nil }
        self.init(parsing: text)
    }

    public func makeIterator() -> IndexingIterator<[HTTPField]> { fields.makeIterator() }

    /// The first value named `name` (exact, case-sensitive: form names are not headers).
    public subscript(_ name: String) -> String? {
        fields.first { $0.name == name }?.value
    }

    public func values(_ name: String) -> [String] {
        fields.filter { $0.name == name }.map(\.value)
    }

    /// `a=1&b=x%20y`, the inverse of parsing (spaces as `%20`).
    public var encoded: String {
        fields.map { PercentEncoding.encode($0.name) + "=" + PercentEncoding.encode($0.value) }.joined(separator: "&")
    }
}

extension HTTPRequest {
    /// The decoded query fields; nil when the query is badly escaped. Empty without a query.
    public var queryFields: HTTPFormFields? {
        guard let query else { return HTTPFormFields() }
        return HTTPFormFields(parsing: query)
    }

    /// The path split at `/`, each segment percent-decoded (`%2F` stays inside its
    /// segment); nil when a segment is badly escaped. `/api/v1/notices/` gives
    /// `["api", "v1", "notices", ""]`.
    public var pathSegments: [String]? {
        var segments: [String] = []
        for raw in path.split(separator: "/", omittingEmptySubsequences: false).dropFirst() {
            guard let s = PercentEncoding.decode(raw) else { return nil }
            segments.append(s)
        }
        return segments
    }
}
