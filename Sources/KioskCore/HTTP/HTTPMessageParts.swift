/// An HTTP request method (RFC 9110 section 9), case-sensitive as on the wire.
///
/// Any token is representable; `HTTPRequestParser.Limits.implementedMethods` decides which
/// ones are answered 501 Not Implemented.
public struct HTTPMethod: RawRepresentable, Sendable, Hashable, CustomStringConvertible {
    public let rawValue: String
    public init(rawValue: String) { self.rawValue = rawValue }

    public static let get = HTTPMethod(rawValue: "GET")
    public static let head = HTTPMethod(rawValue: "HEAD")
    public static let post = HTTPMethod(rawValue: "POST")
    public static let put = HTTPMethod(rawValue: "PUT")
    public static let patch = HTTPMethod(rawValue: "PATCH")
    public static let delete = HTTPMethod(rawValue: "DELETE")
    public static let options = HTTPMethod(rawValue: "OPTIONS")

    public var description: String { rawValue }
}

/// The HTTP version of a request line: only 1.0 and 1.1 are spoken here.
public struct HTTPVersion: Sendable, Hashable, CustomStringConvertible {
    public var major: Int
    public var minor: Int
    public init(major: Int, minor: Int) {
        self.major = major
        self.minor = minor
    }

    public static let http1_0 = HTTPVersion(major: 1, minor: 0)
    public static let http1_1 = HTTPVersion(major: 1, minor: 1)

    public var description: String { "HTTP/\(major).\(minor)" }
}

/// One header field line as received or to be sent, name spelled as given.
public struct HTTPField: Sendable, Hashable {
    public var name: String
    public var value: String
    public init(name: String, value: String) {
        self.name = name
        self.value = value
    }
}

/// Header fields in order, looked up case-insensitively (RFC 9110 section 5.1).
///
/// Repeated fields are kept as separate entries; `values(_:)` returns them all and
/// `listValues(_:)` also splits comma-separated lists (for `Connection`,
/// `Transfer-Encoding`...).
public struct HTTPHeaders: Sendable, Hashable, Sequence, ExpressibleByDictionaryLiteral {
    public private(set) var fields: [HTTPField] = []

    public init() {}

    public init(dictionaryLiteral elements: (String, String)...) {
        for (name, value) in elements { add(name, value) }
    }

    public var count: Int { fields.count }

    public func makeIterator() -> IndexingIterator<[HTTPField]> { fields.makeIterator() }

    /// Appends a field (keeps any existing one of that name).
    public mutating func append(_ field: HTTPField) {
        fields.append(field)
    }

    /// Appends a field (keeps any existing one of that name).
    public mutating func add(_ name: String, _ value: String) {
        fields.append(HTTPField(name: name, value: value))
    }

    /// Replaces every field named `name` with one field (or removes them when nil).
    public mutating func set(_ name: String, _ value: String?) {
        remove(name)
        if let value { add(name, value) }
    }

    public mutating func remove(_ name: String) {
        fields.removeAll { Self.sameName($0.name, name) }
    }

    /// The first value of `name`, if any.
    public subscript(_ name: String) -> String? {
        fields.first { Self.sameName($0.name, name) }?.value
    }

    /// Every value of `name`, in order.
    public func values(_ name: String) -> [String] {
        fields.filter { Self.sameName($0.name, name) }.map(\.value)
    }

    /// Every comma-separated element of every `name` field, trimmed, empty ones dropped
    /// (RFC 9110 section 5.6.1).
    public func listValues(_ name: String) -> [String] {
        values(name).flatMap { value in
            value.split(separator: ",").map { $0.trimmingOWS }.filter { !$0.isEmpty }.map(String.init)
        }
    }

    public func contains(_ name: String) -> Bool { self[name] != nil }

    /// True when `name`'s list contains `token`, compared case-insensitively.
    public func listContains(_ name: String, token: String) -> Bool {
        listValues(name).contains { $0.lowercased() == token.lowercased() }
    }

    static func sameName(_ a: String, _ b: String) -> Bool {
        a.utf8.count == b.utf8.count && a.lowercased() == b.lowercased()
    }
}

extension Substring {
    /// Without leading and trailing spaces and tabs (RFC 9110 "OWS").
    var trimmingOWS: Substring {
        var s = self
        while let f = s.first, f == " " || f == "\t" { s.removeFirst() }
        while let l = s.last, l == " " || l == "\t" { s.removeLast() }
        return s
    }
}
