import CLinux
import Glibc

/// A listening TCP socket: `socket`, `SO_REUSEADDR`, `bind`, `listen`, then non-blocking
/// `accept4`. Its descriptor is close-on-exec and non-blocking, for a dispatch read
/// source to report pending connections; it is closed on deinit (or `close()`).
///
/// `SO_REUSEADDR` lets a restarted daemon bind while old connections sit in TIME_WAIT;
/// it does not let two listeners share an address (Linux still answers `EADDRINUSE`).
public final class TCPListener {
    public let descriptor: FileDescriptor
    /// The address actually bound: with port 0 requested, the port the kernel chose.
    public let localAddress: SocketAddress

    private init(descriptor: FileDescriptor, localAddress: SocketAddress) {
        self.descriptor = descriptor
        self.localAddress = localAddress
    }

    /// Binds `address` and listens with room for `backlog` pending connections.
    public static func listening(on address: SocketAddress, backlog: Int32 = 128) throws(SocketError) -> TCPListener {
        let text = address.description
        let type = Int32(SOCK_STREAM.rawValue) | Int32(SOCK_CLOEXEC.rawValue) | Int32(SOCK_NONBLOCK.rawValue)
        let fd = socket(address.domain, type, 0)
        guard fd >= 0 else { throw SocketError("socket", address: text) }
        // Owned from here: a throw below closes it through deinit.
        let descriptor = FileDescriptor(adopting: fd, name: "TCP listener \(text)")
        var one: Int32 = 1
        guard setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &one, socklen_t(MemoryLayout<Int32>.size)) == 0 else {
            throw SocketError("setsockopt(SO_REUSEADDR)", address: text)
        }
        guard address.withSocketAddress({ bind(fd, $0, $1) }) == 0 else { throw SocketError("bind", address: text) }
        guard listen(fd, backlog) == 0 else { throw SocketError("listen", address: text) }
        let (result, bound) = SocketAddress.filledByKernel { getsockname(fd, $0, $1) }
        guard result == 0, let bound else { throw SocketError("getsockname", address: text) }
        return TCPListener(descriptor: descriptor, localAddress: bound)
    }

    /// Accepts one pending connection, non-blocking and close-on-exec; nil when none is
    /// pending (`EAGAIN`). Connections aborted before being accepted are skipped.
    /// `EMFILE`/`ENFILE` (out of descriptors) are thrown: the caller should pause.
    public func accept() throws(SocketError) -> TCPConnection? {
        let flags = Int32(SOCK_CLOEXEC.rawValue) | Int32(SOCK_NONBLOCK.rawValue)
        let fd = descriptor.rawValue
        while true {
            let (result, peer) = SocketAddress.filledByKernel { kiosk_accept4(fd, $0, $1, flags) }
            if result >= 0 {
                let connection = FileDescriptor(adopting: result, name: "TCP connection")
                guard let peer else { continue }  // not IP: cannot happen on a TCP listener; closed by deinit
                return TCPConnection(descriptor: connection, peerAddress: peer)
            }
            let error = Errno.current
            switch error.rawValue {
            case EINTR, ECONNABORTED, EPROTO: continue
            case EAGAIN, EWOULDBLOCK: return nil
            default: throw SocketError("accept4", address: localAddress.description, errno: error)
            }
        }
    }

    /// Closes the socket now instead of at deinit: new connections are refused.
    public func close() { descriptor.close() }
}
