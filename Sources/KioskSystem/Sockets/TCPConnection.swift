import Glibc

/// A connected TCP socket: what `TCPListener.accept()` returns (non-blocking) or
/// `connect(to:)` opens (blocking, for clients and tests). Closed on deinit.
///
/// Reads and writes on a non-blocking socket report `.wouldBlock` instead of waiting, so
/// a dispatch source can say when to try again. Writes use `send` with `MSG_NOSIGNAL`:
/// a peer that has gone answers `EPIPE` instead of killing the process with SIGPIPE.
public final class TCPConnection {
    public let descriptor: FileDescriptor
    /// The other end, as accept or connect saw it.
    public let peerAddress: SocketAddress

    public init(descriptor: FileDescriptor, peerAddress: SocketAddress) {
        self.descriptor = descriptor
        self.peerAddress = peerAddress
    }

    /// What a read gave.
    public enum ReadResult: Sendable, Hashable {
        case bytes([UInt8])
        /// Nothing to read now (non-blocking socket).
        case wouldBlock
        /// The peer closed its side (or shut down writing).
        case endOfStream
    }

    /// What a write did.
    public enum WriteResult: Sendable, Hashable {
        /// This many bytes were queued (possibly fewer than given).
        case wrote(Int)
        /// The socket buffer is full (non-blocking socket).
        case wouldBlock
    }

    /// Opens a blocking connection to `address` (a client's side), from `source` when given
    /// (bound before connecting, e.g. 127.0.0.2 with port 0 to appear as another client).
    public static func connect(to address: SocketAddress, from source: SocketAddress? = nil) throws(SocketError) -> TCPConnection {
        let text = address.description
        let fd = socket(address.domain, Int32(SOCK_STREAM.rawValue) | Int32(SOCK_CLOEXEC.rawValue), 0)
        guard fd >= 0 else { throw SocketError("socket", address: text) }
        let descriptor = FileDescriptor(adopting: fd, name: "TCP connection to \(text)")
        if let source {
            guard source.withSocketAddress({ bind(fd, $0, $1) }) == 0 else { throw SocketError("bind", address: source.description) }
        }
        while address.withSocketAddress({ Glibc.connect(fd, $0, $1) }) != 0 {
            if Errno.current == .interrupted { continue }
            throw SocketError("connect", address: text)
        }
        return TCPConnection(descriptor: descriptor, peerAddress: address)
    }

    /// The local end of the connection.
    public func localAddress() throws(SocketError) -> SocketAddress {
        let fd = descriptor.rawValue
        let (result, address) = SocketAddress.filledByKernel { getsockname(fd, $0, $1) }
        guard result == 0, let address else { throw SocketError("getsockname", address: peerAddress.description) }
        return address
    }

    /// Reads up to `count` bytes.
    public func read(upTo count: Int) throws(SocketError) -> ReadResult {
        var buffer = [UInt8](repeating: 0, count: count)
        let fd = descriptor.rawValue
        while true {
            let n = buffer.withUnsafeMutableBytes { recv(fd, $0.baseAddress, count, 0) }
            if n > 0 {
                buffer.removeSubrange(n...)
                return .bytes(buffer)
            }
            if n == 0 { return .endOfStream }
            let error = Errno.current
            switch error.rawValue {
            case EINTR: continue
            case EAGAIN, EWOULDBLOCK: return .wouldBlock
            default: throw SocketError("recv", address: peerAddress.description, errno: error)
            }
        }
    }

    /// Writes as much of `bytes` as the socket takes now.
    public func send(_ bytes: ArraySlice<UInt8>) throws(SocketError) -> WriteResult {
        let fd = descriptor.rawValue
        while true {
            let n = bytes.withUnsafeBytes { Glibc.send(fd, $0.baseAddress, $0.count, Int32(MSG_NOSIGNAL)) }
            if n >= 0 { return .wrote(n) }
            let error = Errno.current
            switch error.rawValue {
            case EINTR: continue
            case EAGAIN, EWOULDBLOCK: return .wouldBlock
            default: throw SocketError("send", address: peerAddress.description, errno: error)
            }
        }
    }

    /// Writes every byte, waiting while the buffer is full (blocking sockets: clients, tests).
    public func sendAll(_ bytes: [UInt8]) throws(SocketError) {
        var offset = 0
        while offset < bytes.count {
            switch try send(bytes[offset...]) {
            case .wrote(let n): offset += n
            case .wouldBlock:
                var poller = pollfd(fd: descriptor.rawValue, events: Int16(POLLOUT), revents: 0)
                _ = poll(&poller, 1, 1000)
            }
        }
    }

    /// Waits up to `timeout` seconds for something to read (or end of stream).
    public func waitUntilReadable(timeout: Double) -> Bool {
        var poller = pollfd(fd: descriptor.rawValue, events: Int16(POLLIN), revents: 0)
        while true {
            let ready = poll(&poller, 1, Int32(max(0, timeout * 1000)))
            if ready < 0 && Errno.current == .interrupted { continue }
            return ready > 0
        }
    }

    /// What waits on the socket, asked without waiting and without reading (`poll`).
    public enum InputState: Sendable, Hashable {
        case nothing
        /// Bytes to read; the peer is still there.
        case bytes
        /// The peer closed its side (FIN: `POLLRDHUP`) or the connection is gone (`POLLHUP`,
        /// `POLLERR`: a reset). Bytes it sent before may still wait to be read. A peer that
        /// only shut down writing, and still reads, looks the same: TCP does not tell them apart.
        case hungUp
    }

    /// What waits on the socket now (see `InputState`).
    public func inputState() -> InputState {
        let hangUp = pollReadHangUp | Int16(POLLHUP) | Int16(POLLERR)
        var poller = pollfd(fd: descriptor.rawValue, events: Int16(POLLIN) | pollReadHangUp, revents: 0)
        while true {
            let ready = poll(&poller, 1, 0)
            if ready < 0 && Errno.current == .interrupted { continue }
            guard ready > 0 else { return .nothing }
            return poller.revents & hangUp != 0 ? .hungUp : .bytes
        }
    }

    /// Sends FIN: the peer reads end of stream, and this side can still read.
    public func shutdownWriting() {
        _ = shutdown(descriptor.rawValue, Int32(SHUT_WR))
    }

    /// Makes a close send RST instead of FIN (SO_LINGER with a zero timeout): for tests
    /// of a peer that vanishes.
    public func setResetOnClose() {
        var value = linger(l_onoff: 1, l_linger: 0)
        _ = setsockopt(descriptor.rawValue, SOL_SOCKET, SO_LINGER, &value, socklen_t(MemoryLayout<linger>.size))
    }

    /// Closes now instead of at deinit.
    public func close() { descriptor.close() }
}

/// `POLLRDHUP` (Linux 2.6.17, `<bits/poll.h>`): Glibc's module leaves it out (it is behind
/// `_GNU_SOURCE`).
private let pollReadHangUp: Int16 = 0x2000
