import Glibc

/// An AF_UNIX datagram socket: unbound for sending (what `SystemdNotifier` uses), or
/// bound to an address to receive (what systemd, and the tests playing systemd, do).
/// The descriptor is closed on deinit; a bound path is unlinked then too.
public final class UnixDatagramSocket {
    public let descriptor: FileDescriptor
    /// The address bound by `bound(to:)`, nil for a sending socket.
    public let address: UnixSocketAddress?

    private init(descriptor: FileDescriptor, address: UnixSocketAddress?) {
        self.descriptor = descriptor
        self.address = address
    }

    /// A socket for `send(_:to:)`.
    public static func unbound() throws(SystemCallError) -> UnixDatagramSocket {
        let fd = try retryingOnInterrupt("socket", "AF_UNIX datagram") { socket(AF_UNIX, Int32(SOCK_DGRAM.rawValue) | Int32(SOCK_CLOEXEC.rawValue), 0) }
        return UnixDatagramSocket(descriptor: FileDescriptor(adopting: fd, name: "unix datagram socket"), address: nil)
    }

    /// A socket bound to `address`, ready for `receive`.
    public static func bound(to address: UnixSocketAddress) throws(SystemCallError) -> UnixDatagramSocket {
        let fd = try retryingOnInterrupt("socket", "\(address)") { socket(AF_UNIX, Int32(SOCK_DGRAM.rawValue) | Int32(SOCK_CLOEXEC.rawValue), 0) }
        let descriptor = FileDescriptor(adopting: fd, name: "\(address)")
        let result = address.withSocketAddress { bind(fd, $0, $1) }
        guard result == 0 else { throw SystemCallError("bind", "\(address)") }
        return UnixDatagramSocket(descriptor: descriptor, address: address)
    }

    /// Sends `payload` as one datagram.
    public func send(_ payload: [UInt8], to destination: UnixSocketAddress) throws(SystemCallError) {
        let fd = descriptor.rawValue
        let sent = try retryingOnInterrupt("sendto", "\(destination)") {
            destination.withSocketAddress { address, length in
                payload.withUnsafeBytes { sendto(fd, $0.baseAddress, $0.count, Int32(MSG_NOSIGNAL), address, length) }
            }
        }
        guard sent == payload.count else { throw SystemCallError("sendto", "\(destination) (short datagram)", errno: .ioError) }
    }

    /// Waits up to `timeout` seconds for one datagram; nil when none came.
    public func receive(timeout: Double, maximumSize: Int = 4096) throws(SystemCallError) -> [UInt8]? {
        var poller = pollfd(fd: descriptor.rawValue, events: Int16(POLLIN), revents: 0)
        let ready = try retryingOnInterrupt("poll", descriptor.name) { poll(&poller, 1, Int32(max(0, timeout * 1000))) }
        guard ready > 0 else { return nil }
        var buffer = [UInt8](repeating: 0, count: maximumSize)
        let fd = descriptor.rawValue
        let count = try retryingOnInterrupt("recv", descriptor.name) { buffer.withUnsafeMutableBytes { recv(fd, $0.baseAddress, $0.count, 0) } }
        return Array(buffer[..<count])
    }

    deinit {
        if let address, !address.isAbstract {
            _ = address.pathBytes.withUnsafeBufferPointer { bytes in
                String(decoding: bytes, as: UTF8.self).withCString { unlink($0) }
            }
        }
    }
}
