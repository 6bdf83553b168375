import Glibc

/// A failed socket call: which syscall, on which address, and the errno it returned.
///
/// `description` reads as a journal line a person can act on:
/// `bind 127.0.0.1:8080: Address already in use (errno 98)`.
public struct SocketError: Error, Sendable, Hashable, CustomStringConvertible {
    /// The system call: `socket`, `bind`, `listen`, `accept4`, `recv`, `send`, `connect`...
    public var call: String
    /// The local or peer address the call was about (`127.0.0.1:8080`), or empty.
    public var address: String
    public var errno: Errno

    public init(_ call: String, address: String, errno: Errno = .current) {
        self.call = call
        self.address = address
        self.errno = errno
    }

    /// True when another socket already holds the address (`EADDRINUSE`).
    public var isAddressInUse: Bool { errno.rawValue == EADDRINUSE }

    public var description: String {
        address.isEmpty ? "\(call): \(errno) (errno \(errno.rawValue))"
            : "\(call) \(address): \(errno) (errno \(errno.rawValue))"
    }
}

/// Why a text like `127.0.0.1:8080` is not a socket address.
public struct SocketAddressParseError: Error, Sendable, Hashable, CustomStringConvertible {
    public var text: String
    public var reason: String

    public init(text: String, reason: String) {
        self.text = text
        self.reason = reason
    }

    public var description: String { "invalid listen address \"\(text)\": \(reason)" }
}
