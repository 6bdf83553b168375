import Glibc

/// An IPv4 or IPv6 address with a TCP port, parsed from the text a configuration holds.
///
/// Accepted forms: `127.0.0.1:8080`, `0.0.0.0:8080`, `[::1]:8080`, `[::]:8080` and
/// `localhost:8080` (always 127.0.0.1: no resolver is asked, so the daemon listens where
/// its configuration says even when /etc/hosts is odd). Other host names are refused:
/// a listening address must be numeric. Port 0 asks the kernel for a free port (tests);
/// `TCPListener.localAddress` tells which one it chose.
public struct SocketAddress: Sendable, Hashable, CustomStringConvertible {
    public enum Family: Sendable, Hashable { case ipv4, ipv6 }

    public let family: Family
    /// The address in network byte order: 4 bytes for IPv4, 16 for IPv6.
    public let addressBytes: [UInt8]
    public let port: UInt16

    /// An IPv4 address from its four bytes (`127, 0, 0, 1`).
    public init(ipv4 a: UInt8, _ b: UInt8, _ c: UInt8, _ d: UInt8, port: UInt16) {
        family = .ipv4
        addressBytes = [a, b, c, d]
        self.port = port
    }

    /// The IPv4 loopback address 127.0.0.1 with `port`.
    public static func loopback(port: UInt16) -> SocketAddress { SocketAddress(ipv4: 127, 0, 0, 1, port: port) }

    private init(family: Family, addressBytes: [UInt8], port: UInt16) {
        self.family = family
        self.addressBytes = addressBytes
        self.port = port
    }

    /// Parses `HOST:PORT` (see the type's documentation for the forms).
    public init(parsing text: String) throws(SocketAddressParseError) {
        func failure(_ reason: String) -> SocketAddressParseError { SocketAddressParseError(text: text, reason: reason) }
        let host: Substring
        let portText: Substring
        let bracketed: Bool
        if text.hasPrefix("[") {
            guard let close = text.firstIndex(of: "]") else { throw failure("missing ] after an IPv6 address") }
            host = text[text.index(after: text.startIndex)..<close]
            let rest = text[text.index(after: close)...]
            guard rest.hasPrefix(":") else { throw failure("missing :PORT after the IPv6 address") }
            portText = rest.dropFirst()
            bracketed = true
        } else {
            guard let colon = text.lastIndex(of: ":") else { throw failure("missing :PORT") }
            host = text[..<colon]
            portText = text[text.index(after: colon)...]
            guard !host.contains(":") else { throw failure("an IPv6 address must be written in brackets: [::1]:8080") }
            bracketed = false
        }
        guard !portText.isEmpty, portText.count <= 5, portText.utf8.allSatisfy({ $0 >= 0x30 && $0 <= 0x39 }),
            let port = Int(portText), port <= 65535
        else { throw failure("the port must be a number from 0 to 65535") }
        guard !host.isEmpty else { throw failure("missing host") }
        if bracketed {
            var address = in6_addr()
            guard inet_pton(AF_INET6, String(host), &address) == 1 else { throw failure("not an IPv6 address") }
            self.init(family: .ipv6, addressBytes: withUnsafeBytes(of: &address) { Array($0) }, port: UInt16(port))
        } else if host.lowercased() == "localhost" {
            self.init(ipv4: 127, 0, 0, 1, port: UInt16(port))
        } else {
            var address = in_addr()
            guard inet_pton(AF_INET, String(host), &address) == 1 else {
                throw failure("the host must be a numeric IPv4 address, [IPv6] or localhost")
            }
            self.init(family: .ipv4, addressBytes: withUnsafeBytes(of: &address) { Array($0) }, port: UInt16(port))
        }
    }

    /// The same address with another port.
    public func withPort(_ newPort: UInt16) -> SocketAddress {
        SocketAddress(family: family, addressBytes: addressBytes, port: newPort)
    }

    /// The numeric host without brackets: `127.0.0.1`, `::1`.
    public var host: String {
        var text = [CChar](repeating: 0, count: Int(INET6_ADDRSTRLEN) + 1)
        let domain = family == .ipv4 ? AF_INET : AF_INET6
        _ = addressBytes.withUnsafeBytes { raw in inet_ntop(domain, raw.baseAddress, &text, socklen_t(text.count)) }
        return String(decoding: text.prefix { $0 != 0 }.map { UInt8(bitPattern: $0) }, as: UTF8.self)
    }

    /// `127.0.0.1:8080` or `[::1]:8080`.
    public var description: String {
        family == .ipv4 ? "\(host):\(port)" : "[\(host)]:\(port)"
    }

    /// True for 127.0.0.0/8, ::1 and IPv4-mapped loopback (`::ffff:127.0.0.1`).
    public var isLoopback: Bool {
        switch family {
        case .ipv4:
            return addressBytes[0] == 127
        case .ipv6:
            if addressBytes == [UInt8](repeating: 0, count: 15) + [1] { return true }
            let mappedPrefix = [UInt8](repeating: 0, count: 10) + [0xFF, 0xFF]
            return Array(addressBytes.prefix(12)) == mappedPrefix && addressBytes[12] == 127
        }
    }

    /// True for 0.0.0.0 and `::` (every interface).
    public var isUnspecified: Bool { addressBytes.allSatisfy { $0 == 0 } }

    // MARK: - C conversions (internal: raw sockaddr values stop here)

    /// The address family constant for `socket(2)`.
    var domain: Int32 { family == .ipv4 ? AF_INET : AF_INET6 }

    /// Calls `body` with a `sockaddr_in`/`sockaddr_in6` and its length.
    func withSocketAddress<R>(_ body: (UnsafePointer<sockaddr>, socklen_t) throws -> R) rethrows -> R {
        var storage = sockaddr_storage()
        let length: Int
        switch family {
        case .ipv4:
            var address = sockaddr_in()
            address.sin_family = sa_family_t(AF_INET)
            address.sin_port = port.bigEndian
            withUnsafeMutableBytes(of: &address.sin_addr) { $0.copyBytes(from: addressBytes) }
            withUnsafeMutableBytes(of: &storage) { raw in withUnsafeBytes(of: address) { raw.copyMemory(from: $0) } }
            length = MemoryLayout<sockaddr_in>.size
        case .ipv6:
            var address = sockaddr_in6()
            address.sin6_family = sa_family_t(AF_INET6)
            address.sin6_port = port.bigEndian
            withUnsafeMutableBytes(of: &address.sin6_addr) { $0.copyBytes(from: addressBytes) }
            withUnsafeMutableBytes(of: &storage) { raw in withUnsafeBytes(of: address) { raw.copyMemory(from: $0) } }
            length = MemoryLayout<sockaddr_in6>.size
        }
        return try withUnsafePointer(to: &storage) { pointer in
            try pointer.withMemoryRebound(to: sockaddr.self, capacity: 1) { try body($0, socklen_t(length)) }
        }
    }

    /// Reads an address the kernel filled in (`accept4`, `getsockname`); nil for other families.
    init?(storage: sockaddr_storage) {
        var storage = storage
        switch Int32(storage.ss_family) {
        case AF_INET:
            let address = withUnsafeBytes(of: &storage) { $0.load(as: sockaddr_in.self) }
            self.init(family: .ipv4, addressBytes: withUnsafeBytes(of: address.sin_addr) { Array($0) },
                      port: UInt16(bigEndian: address.sin_port))
        case AF_INET6:
            let address = withUnsafeBytes(of: &storage) { $0.load(as: sockaddr_in6.self) }
            self.init(family: .ipv6, addressBytes: withUnsafeBytes(of: address.sin6_addr) { Array($0) },
                      port: UInt16(bigEndian: address.sin6_port))
        default:
            return nil
        }
    }

    /// Calls `fill` (getsockname, getpeername, accept4) with room for any address.
    static func filledByKernel(_ fill: (UnsafeMutablePointer<sockaddr>, UnsafeMutablePointer<socklen_t>) -> Int32) -> (result: Int32, address: SocketAddress?) {
        var storage = sockaddr_storage()
        var length = socklen_t(MemoryLayout<sockaddr_storage>.size)
        let result = withUnsafeMutablePointer(to: &storage) { pointer in
            pointer.withMemoryRebound(to: sockaddr.self, capacity: 1) { fill($0, &length) }
        }
        return (result, result >= 0 ? SocketAddress(storage: storage) : nil)
    }
}
