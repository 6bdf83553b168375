/// A `multipart/form-data` body (RFC 7578) split into its named parts: what a browser
/// sends for a form with `enctype="multipart/form-data"` (the staff page's programme
/// upload).
///
/// The framing is RFC 2046 section 5.1.1: parts separated by `CRLF--boundary`, the first
/// delimiter possibly at the very start, a preamble before it and an epilogue after the
/// closing `--boundary--` both ignored, transport padding (spaces, tabs) allowed after a
/// delimiter. Part headers are RFC 5322-style lines up to a blank line; only
/// `Content-Disposition` and `Content-Type` matter here.
///
/// What is deliberately not done:
/// - `Content-Transfer-Encoding` is not decoded (RFC 7578 section 4.7 says senders must not
///   use it and browsers never do); the part's header is kept so a caller can refuse.
/// - `filename*=` (RFC 5987) is not decoded; browsers send `filename="..."` with UTF-8
///   and escape `"`, CR and LF as `%22`, `%0D`, `%0A` (HTML's form submission algorithm),
///   which `MultipartPart.filename` returns as sent.
/// - The `_charset_` convention is left to the caller: every value here is bytes.
public struct MultipartFormData: Sendable, Hashable {
    public private(set) var parts: [MultipartPart]

    public init(parts: [MultipartPart]) {
        self.parts = parts
    }

    /// Why a body could not be split. `offset` is a byte offset in the body.
    public struct ParseError: Error, Sendable, Hashable, CustomStringConvertible {
        public var offset: Int
        public var message: String
        public init(offset: Int, message: String) {
            self.offset = offset
            self.message = message
        }
        public var description: String { "multipart body, byte \(offset): \(message)" }
    }

    /// The `boundary` parameter of a `multipart/...` content type (quoted or not), checked
    /// against RFC 2046's grammar: 1 to 70 characters from its `bchars` set, not ending
    /// with a space. Nil when the type is not multipart or the boundary is missing or bad.
    public static func boundary(fromContentType contentType: String) -> String? {
        let (type, parameters) = MediaTypeParameters.split(contentType)
        guard type.hasPrefix("multipart/") else { return nil }
        guard let boundary = parameters["boundary"], (1...70).contains(boundary.utf8.count), boundary.last != " " else {
            return nil
        }
        let allowed = Set("0123456789abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ'()+_,-./:=? ".utf8)
        guard boundary.utf8.allSatisfy({ allowed.contains($0) }) else { return nil }
        return boundary
    }

    /// Parses a request's body when its `Content-Type` is `multipart/form-data` with a
    /// boundary; nil when it is another type (the caller answers 415).
    public init?(request: HTTPRequest, limits: Limits = Limits()) throws(ParseError) {
        guard let type = request.headers["Content-Type"],
            MediaTypeParameters.split(type).type == "multipart/form-data"
        else { return nil }
        guard let boundary = Self.boundary(fromContentType: type) else {
            throw ParseError(offset: 0, message: "the Content-Type has no valid boundary parameter")
        }
        try self.init(body: request.body, boundary: boundary, limits: limits)
        for (index, part) in parts.enumerated() where part.name == nil {
            throw ParseError(offset: 0, message: "part \(index + 1) has no Content-Disposition: form-data; name=...")
        }
    }

    /// Bounds on what a client can make the parser do.
    public struct Limits: Sendable, Hashable {
        /// Parts in one body.
        public var maximumParts = 64
        /// Bytes of one part's header block.
        public var maximumHeaderBytes = 8 * 1024
        public init() {}
    }

    /// Splits `body` at `boundary` (without the leading `--`). Parts without a
    /// `Content-Disposition` are kept (as in RFC 2046's own `multipart/mixed` example);
    /// `init?(request:)` is the strict form-data entry point.
    public init(body: [UInt8], boundary: String, limits: Limits = Limits()) throws(ParseError) {
        let dash = Array("--\(boundary)".utf8)
        let delimiter = [0x0D, 0x0A] + dash
        // The first delimiter may start the body (no preceding CRLF); otherwise it follows
        // a preamble and a CRLF.
        var cursor: Int
        if body.starts(with: dash) {
            cursor = dash.count
        } else if let found = Self.find(delimiter, in: body, from: 0) {
            cursor = found + delimiter.count
        } else {
            throw ParseError(offset: 0, message: "the boundary never appears")
        }
        var parts: [MultipartPart] = []
        while true {
            // After a delimiter: `--` closes the body; otherwise padding then CRLF.
            if body[cursor...].starts(with: [0x2D, 0x2D]) { break }
            while cursor < body.count, body[cursor] == 0x20 || body[cursor] == 0x09 { cursor += 1 }
            guard body[cursor...].starts(with: [0x0D, 0x0A]) else {
                throw ParseError(offset: cursor, message: "a delimiter line is not followed by CRLF")
            }
            cursor += 2
            guard parts.count < limits.maximumParts else {
                throw ParseError(offset: cursor, message: "more than \(limits.maximumParts) parts")
            }
            guard let next = Self.find(delimiter, in: body, from: cursor) else {
                throw ParseError(offset: cursor, message: "the closing delimiter --\(boundary)-- is missing")
            }
            parts.append(try Self.part(body[cursor..<next], offset: cursor, limits: limits))
            cursor = next + delimiter.count
        }
        self.parts = parts
    }

    /// The first part named `name`.
    public subscript(_ name: String) -> MultipartPart? {
        parts.first { $0.name == name }
    }

    /// The text of the first part named `name` when it is UTF-8 (nil when absent or not).
    public func text(_ name: String) -> String? {
        self[name].flatMap { String(validating: $0.content, as: UTF8.self) }
    }

    private static func part(_ bytes: ArraySlice<UInt8>, offset: Int, limits: Limits) throws(ParseError) -> MultipartPart {
        // A part with no header fields starts directly with the blank line.
        let headerEnd: Int
        let contentStart: Int
        if bytes.starts(with: [0x0D, 0x0A]) {
            headerEnd = bytes.startIndex
            contentStart = bytes.startIndex + 2
        } else if let blank = find([0x0D, 0x0A, 0x0D, 0x0A], in: bytes, from: bytes.startIndex) {
            headerEnd = blank
            contentStart = blank + 4
        } else {
            throw ParseError(offset: offset, message: "a part's header fields are not ended by an empty line")
        }
        guard headerEnd - bytes.startIndex <= limits.maximumHeaderBytes else {
            throw ParseError(offset: offset, message: "a part's header fields exceed \(limits.maximumHeaderBytes) bytes")
        }
        guard let headerText = String(validating: bytes[bytes.startIndex..<headerEnd], as: UTF8.self) else {
            throw ParseError(offset: offset, message: "a part's header fields are not UTF-8")
        }
        var headers = HTTPHeaders()
        var lines: [String] = []
        for line in headerText.split(separator: "\r\n", omittingEmptySubsequences: false) where !line.isEmpty {
            // Obsolete line folding (RFC 5322 section 3.2.2): a continuation line.
            if let first = line.first, first == " " || first == "\t", !lines.isEmpty {
                lines[lines.count - 1] += " " + line.trimmingOWS
            } else {
                lines.append(String(line))
            }
        }
        for line in lines {
            guard let colon = line.firstIndex(of: ":"), colon != line.startIndex else {
                throw ParseError(offset: offset, message: "a part's header line '\(line.prefix(60))' has no name")
            }
            headers.add(String(line[..<colon]), String(line[line.index(after: colon)...].trimmingOWS))
        }
        return MultipartPart(headers: headers, content: Array(bytes[contentStart...]))
    }

    /// The index where `needle` first occurs in `haystack` at or after `from`.
    static func find<C: RandomAccessCollection<UInt8>>(_ needle: [UInt8], in haystack: C, from: C.Index) -> C.Index? where C.Index == Int {
        guard let first = needle.first, haystack.endIndex - from >= needle.count else { return nil }
        var i = from
        let last = haystack.endIndex - needle.count
        while i <= last {
            if haystack[i] == first {
                var j = 1
                while j < needle.count, haystack[i + j] == needle[j] { j += 1 }
                if j == needle.count { return i }
            }
            i += 1
        }
        return nil
    }
}

/// One part of a multipart body: its header fields and its content bytes, exactly as sent
/// (the CRLF before the next delimiter belongs to the delimiter, not to the content).
public struct MultipartPart: Sendable, Hashable {
    public var headers: HTTPHeaders
    public var content: [UInt8]

    public init(headers: HTTPHeaders, content: [UInt8]) {
        self.headers = headers
        self.content = content
    }

    /// The `name` parameter of `Content-Disposition: form-data` (RFC 7578 section 4.2).
    public var name: String? { disposition?.parameters["name"] }

    /// The `filename` parameter: present for file inputs (empty when no file was chosen).
    public var filename: String? { disposition?.parameters["filename"] }

    /// The part's media type, `text/plain` when absent (RFC 7578 section 4.4).
    public var contentType: String {
        headers["Content-Type"].map { MediaTypeParameters.split($0).type } ?? "text/plain"
    }

    private var disposition: (type: String, parameters: [String: String])? {
        guard let value = headers["Content-Disposition"] else { return nil }
        let split = MediaTypeParameters.split(value)
        guard split.type == "form-data" else { return nil }
        return split
    }
}

/// `type/subtype; name=value; name="quoted \" value"` as in `Content-Type` (RFC 9110
/// section 8.3.1) and `Content-Disposition` (RFC 6266 section 4.1): the type lowercased,
/// parameter names lowercased, quoted values unescaped. The first of a repeated
/// parameter wins.
public enum MediaTypeParameters {
    public static func split(_ value: String) -> (type: String, parameters: [String: String]) {
        let scalars = Array(value.unicodeScalars)
        var i = 0
        func skipSpaces() { while i < scalars.count, scalars[i] == " " || scalars[i] == "\t" { i += 1 } }
        var type = ""
        while i < scalars.count, scalars[i] != ";" { type.unicodeScalars.append(scalars[i]); i += 1 }
        var parameters: [String: String] = [:]
        while i < scalars.count {
            i += 1  // the ';'
            skipSpaces()
            var name = ""
            while i < scalars.count, scalars[i] != "=", scalars[i] != ";" { name.unicodeScalars.append(scalars[i]); i += 1 }
            name = String(Substring(name).trimmingOWS).lowercased()
            guard i < scalars.count, scalars[i] == "=" else { continue }
            i += 1
            skipSpaces()
            var parameterValue = ""
            if i < scalars.count, scalars[i] == "\"" {
                i += 1
                while i < scalars.count, scalars[i] != "\"" {
                    if scalars[i] == "\\", i + 1 < scalars.count { i += 1 }
                    parameterValue.unicodeScalars.append(scalars[i])
                    i += 1
                }
                i += 1  // the closing quote
                while i < scalars.count, scalars[i] != ";" { i += 1 }
            } else {
                while i < scalars.count, scalars[i] != ";" { parameterValue.unicodeScalars.append(scalars[i]); i += 1 }
                parameterValue = String(Substring(parameterValue).trimmingOWS)
            }
            if !name.isEmpty, parameters[name] == nil { parameters[name] = parameterValue }
        }
        return (String(Substring(type).trimmingOWS).lowercased(), parameters)
    }
}
