import Glibc

/// The address of an AF_UNIX socket as systemd writes it in `$NOTIFY_SOCKET`: a file
/// path, or a name in Linux's abstract namespace written with a leading `@`.
///
/// An abstract name has no file and no terminating NUL: its length is part of the
/// name, so the `socklen_t` passed to the kernel must be exactly
/// `offsetof(sun_path) + 1 + name length`, never `sizeof(sockaddr_un)` (that would name
/// a different socket, padded with NULs).
public struct UnixSocketAddress: Sendable, Hashable, CustomStringConvertible {
    /// The bytes of `sun_path`: for an abstract name, a leading NUL then the name.
    public let pathBytes: [UInt8]

    /// Parses `$NOTIFY_SOCKET`'s form: `/run/systemd/notify` or `@name`. Nil when empty
    /// or too long for `sun_path` (108 bytes on Linux, with the path's NUL).
    public init?(_ text: String) {
        var bytes = Array(text.utf8)
        guard !bytes.isEmpty else { return nil }
        if bytes[0] == UInt8(ascii: "@") {
            guard bytes.count > 1 else { return nil }
            bytes[0] = 0
        } else if bytes[0] != UInt8(ascii: "/") {
            return nil  // sd_notify accepts only absolute paths and abstract names.
        }
        let capacity = MemoryLayout.size(ofValue: sockaddr_un().sun_path)
        // A path needs room for its terminating NUL; an abstract name uses every byte.
        guard bytes.count <= (bytes[0] == 0 ? capacity : capacity - 1) else { return nil }
        pathBytes = bytes
    }

    public var isAbstract: Bool { pathBytes.first == 0 }

    public var description: String {
        isAbstract ? "@" + String(decoding: pathBytes.dropFirst(), as: UTF8.self) : String(decoding: pathBytes, as: UTF8.self)
    }

    /// Calls `body` with a `sockaddr_un` and its exact length.
    public func withSocketAddress<R>(_ body: (UnsafePointer<sockaddr>, socklen_t) throws -> R) rethrows -> R {
        var address = sockaddr_un()
        address.sun_family = sa_family_t(AF_UNIX)
        withUnsafeMutableBytes(of: &address.sun_path) { raw in
            raw.copyBytes(from: pathBytes)
        }
        let pathOffset = MemoryLayout<sockaddr_un>.offset(of: \.sun_path)!
        // Paths are passed with their NUL (as sd_notify does); abstract names without.
        let length = pathOffset + pathBytes.count + (isAbstract ? 0 : 1)
        return try withUnsafePointer(to: &address) { pointer in
            try pointer.withMemoryRebound(to: sockaddr.self, capacity: 1) { try body($0, socklen_t(length)) }
        }
    }
}
