import Foundation

/// What an API token may do (docs/api.md): `staff` pushes programmes and notices and reads
/// the screen; `maintainer` may also import residents and read presence, attendance and
/// the audit log. Ordered: a maintainer may do everything staff may.
public enum APIRole: String, Sendable, Hashable, CaseIterable, Comparable, Codable {
    case staff, maintainer

    public static func < (a: APIRole, b: APIRole) -> Bool {
        allCases.firstIndex(of: a)! < allCases.firstIndex(of: b)!
    }
}

/// A numeric address and TCP port to listen on: `127.0.0.1:8080`, `[::1]:8080`,
/// `0.0.0.0:8080`. Port 0 asks the kernel for a free port (tests).
///
/// Only numeric hosts (and `localhost`, read as 127.0.0.1) are accepted: the daemon starts
/// before name resolution can be trusted, and "which interface" must be unambiguous for
/// the loopback rule.
public struct HTTPListenAddress: Sendable, Hashable, CustomStringConvertible {
    /// IPv4 dotted quad or IPv6 text, without brackets.
    public var host: String
    public var port: UInt16

    public init(host: String, port: UInt16) {
        self.host = host
        self.port = port
    }

    /// Reads `HOST:PORT` or `[IPV6]:PORT`; nil when it is neither.
    public init?(parsing text: some StringProtocol) {
        let t = String(text).trimmingCharacters(in: .whitespaces)
        let hostPart: Substring, portPart: Substring
        if t.hasPrefix("[") {
            guard let close = t.firstIndex(of: "]"), t[t.index(after: close)...].hasPrefix(":") else { return nil }
            hostPart = t[t.index(after: t.startIndex)..<close]
            portPart = t[t.index(close, offsetBy: 2)...]
            guard Self.isIPv6(hostPart) else { return nil }
        } else {
            guard let colon = t.lastIndex(of: ":") else { return nil }
            hostPart = t[..<colon]
            portPart = t[t.index(after: colon)...]
            guard hostPart == "localhost" || Self.isIPv4(hostPart) else { return nil }
        }
        guard !portPart.isEmpty, portPart.allSatisfy({ $0.isASCII && $0.isNumber }), let port = UInt16(portPart) else { return nil }
        self.host = hostPart == "localhost" ? "127.0.0.1" : String(hostPart)
        self.port = port
    }

    /// 127.0.0.0/8, `::1` and IPv4-mapped loopback (`::ffff:127.0.0.1`).
    public var isLoopback: Bool {
        if Self.isIPv4(host) { return host.hasPrefix("127.") }
        let lower = host.lowercased()
        if lower.hasPrefix("::ffff:"), Self.isIPv4(lower.dropFirst(7)) { return lower.dropFirst(7).hasPrefix("127.") }
        return Self.expandedIPv6(lower) == Array(repeating: 0, count: 7) + [1]
    }

    /// True for an IPv6 host (written in brackets in URLs and in `description`).
    public var isIPv6: Bool { host.contains(":") }

    /// `127.0.0.1:8080` or `[::1]:8080`.
    public var description: String { isIPv6 ? "[\(host)]:\(port)" : "\(host):\(port)" }

    static func isIPv4(_ text: some StringProtocol) -> Bool {
        let parts = text.split(separator: ".", omittingEmptySubsequences: false)
        return parts.count == 4 && parts.allSatisfy { p in
            !p.isEmpty && p.count <= 3 && p.allSatisfy { $0.isASCII && $0.isNumber } && Int(p)! <= 255 && (p.count == 1 || p.first != "0")
        }
    }

    static func isIPv6(_ text: some StringProtocol) -> Bool {
        let lower = text.lowercased()
        if lower.hasPrefix("::ffff:"), isIPv4(lower.dropFirst(7)) { return true }
        return expandedIPv6(lower) != nil
    }

    /// The eight 16-bit groups of a pure-hex IPv6 text (RFC 4291 section 2.2 forms 1 and 2).
    static func expandedIPv6(_ text: String) -> [UInt16]? {
        func groups(_ s: Substring) -> [UInt16]? {
            if s.isEmpty { return [] }
            var out: [UInt16] = []
            for g in s.split(separator: ":", omittingEmptySubsequences: false) {
                guard (1...4).contains(g.count), let v = UInt16(g, radix: 16) else { return nil }
                out.append(v)
            }
            return out
        }
        let halves = text.components(separatedBy: "::")
        switch halves.count {
        case 1:
            guard let all = groups(Substring(text)), all.count == 8 else { return nil }
            return all
        case 2:
            guard let head = groups(Substring(halves[0])), let tail = groups(Substring(halves[1])), head.count + tail.count <= 7 else { return nil }
            return head + Array(repeating: 0, count: 8 - head.count - tail.count) + tail
        default:
            return nil
        }
    }
}

extension KioskConfig {
    /// `[http]`: the staff API server.
    ///
    /// ```ini
    /// [http]
    /// listen = 127.0.0.1:8080   # off disables the server; any non-loopback address needs a [token]
    /// max-connections = 32      # more are answered 503 with Retry-After
    /// max-connections-per-address = 8   # one client cannot hold more (nor fill the server)
    /// max-body = 8M             # larger bodies are answered 413
    /// request-timeout = 30s     # a request not complete by then is answered 408 and dropped
    /// ```
    public struct HTTP: Sendable, Hashable {
        public static let defaultListen = HTTPListenAddress(host: "127.0.0.1", port: 8080)
        /// Where to listen; nil when `listen = off`.
        public var listen: HTTPListenAddress? = HTTP.defaultListen
        public var maxConnections = 32
        /// Connections one client address may hold at once (a phone's browser opens up to 6).
        public var maxConnectionsPerAddress = 8
        /// Bytes of a request body after de-chunking.
        public var maxBody = 8 << 20
        /// Seconds a client has to send a whole request (head and body).
        public var requestTimeout: TimeInterval = 30
        /// The line of `listen`, for messages; 0 when it is not written (the default
        /// address: kioskd then runs on without the API when the port is busy).
        public var listenLine = 0

        public init() {}
    }

    /// `[token "NAME"]`: one bearer token of the staff API, stored only as its SHA-256.
    ///
    /// ```ini
    /// [token "accueil"]
    /// role = staff                # staff | maintainer
    /// hash = sha256:9f86d0...     # what `kioskctl token new` prints
    /// ```
    /// The name is who acted, in the audit log.
    public struct Token: Sendable, Hashable {
        public var name: String
        public var role: APIRole
        public var digest: TokenDigest
        /// Where the `[token]` header stands, for messages.
        public var line: Int

        public init(name: String, role: APIRole, digest: TokenDigest, line: Int = 0) {
            self.name = name
            self.role = role
            self.digest = digest
            self.line = line
        }
    }

    /// Reads `[http]` or one `[token "NAME"]` section.
    mutating func applyHTTP(_ r: inout SectionReader) throws(ConfigError) {
        let s = r.section
        switch s.name {
        case "http":
            if s.argument != nil { throw ConfigError(path: r.path, line: s.line, message: "[http] takes no name") }
            try r.value("listen") { text in
                if ["off", "no", "none", "false"].contains(text.lowercased()) {
                    http.listen = nil
                } else {
                    guard let address = HTTPListenAddress(parsing: text) else {
                        throw ConfigValueError("'\(text)' is not ADDRESS:PORT with a numeric address (examples: 127.0.0.1:8080, [::1]:8080, 0.0.0.0:8080) or off")
                    }
                    http.listen = address
                }
            }
            http.listenLine = s.entries.first { $0.key == "listen" }?.line ?? 0
            try r.value("max-connections") { http.maxConnections = try ConfigValue.integer($0, in: 1...10_000) }
            try r.value("max-connections-per-address") { http.maxConnectionsPerAddress = try ConfigValue.integer($0, in: 1...10_000) }
            try r.value("max-body") { text in
                let size = try ConfigValue.byteSize(text)
                guard (1024...(1 << 30)).contains(size) else { throw ConfigValueError("must be from 1K to 1G") }
                http.maxBody = size
            }
            try r.value("request-timeout") { text in
                let seconds = try ConfigValue.duration(text)
                guard (1...3600).contains(seconds) else { throw ConfigValueError("must be from 1 s to 1 h") }
                http.requestTimeout = seconds
            }
        case "token":
            guard let name = s.argument else {
                throw ConfigError(path: r.path, line: s.line, message: "a token needs a name: [token \"accueil\"]")
            }
            guard Self.isTokenName(name) else {
                throw ConfigError(path: r.path, line: s.line, message: "token name '\(name)' must be 1-40 letters, digits, '-', '_' or '.'")
            }
            var role: APIRole?
            var digest: TokenDigest?
            try r.value("role") { role = try ConfigValue.choice($0, as: APIRole.self) }
            try r.value("hash") { text in
                guard let d = TokenDigest(parsing: text) else {
                    throw ConfigValueError("expected sha256: followed by 64 hex digits (what `kioskctl token new` prints), never the token itself")
                }
                digest = d
            }
            guard let role else { throw ConfigError(path: r.path, line: s.line, message: "token \"\(name)\" needs 'role = staff' or 'role = maintainer'") }
            guard let digest else { throw ConfigError(path: r.path, line: s.line, message: "token \"\(name)\" needs 'hash = sha256:...'") }
            if let other = tokens.first(where: { $0.digest == digest }) {
                throw ConfigError(path: r.path, line: s.line, message: "token \"\(name)\" has the same hash as token \"\(other.name)\" (line \(other.line))")
            }
            tokens.append(Token(name: name, role: role, digest: digest, line: s.line))
        default:
            throw ConfigError(path: r.path, line: s.line, message: "[\(s.name)] is not an HTTP section (http, token)")
        }
    }

    /// Checks that need the whole file: a server reachable from the network needs a token.
    func validateHTTP() throws(ConfigError) {
        if let listen = http.listen, !listen.isLoopback, tokens.isEmpty {
            throw ConfigError(
                path: path, line: http.listenLine,
                message: "listen = \(listen) is reachable from the network but no [token \"NAME\"] is configured; add one (kioskctl token new --name NAME --role staff) or listen on 127.0.0.1")
        }
    }

    /// A token's name as written in the audit log: 1-40 of `A-Z a-z 0-9 - _ .`.
    public static func isTokenName(_ name: String) -> Bool {
        (1...40).contains(name.count) && name.allSatisfy { $0.isASCII && ($0.isLetter || $0.isNumber || $0 == "-" || $0 == "_" || $0 == ".") }
    }
}
