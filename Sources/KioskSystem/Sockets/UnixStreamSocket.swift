import CLinux
import Glibc

/// A listening AF_UNIX stream socket at a file path: what kioskd's status socket
/// (`/run/kiosk/kioskd.sock`) is. Non-blocking and close-on-exec, for a dispatch read
/// source to report pending connections. The file is created with `mode` (the directory
/// around it decides who may reach it) and removed on `close()` or deinit.
public final class UnixStreamListener {
    public let descriptor: FileDescriptor
    public let path: String
    private var removed = false

    private init(descriptor: FileDescriptor, path: String) {
        self.descriptor = descriptor
        self.path = path
    }

    /// Binds `path` and listens. A socket file left there by a process that died is
    /// replaced; any other kind of file at `path` is an error (`EEXIST`), never deleted.
    public static func listening(at path: String, mode: mode_t = 0o660, backlog: Int32 = 8) throws(SystemCallError) -> UnixStreamListener {
        guard let address = UnixSocketAddress(path), !address.isAbstract else { throw SystemCallError("bind", path, errno: .invalidArgument) }
        var info = stat()
        if lstat(path, &info) == 0 {
            guard info.st_mode & S_IFMT == S_IFSOCK else { throw SystemCallError("bind", "\(path) (not a socket)", errno: Errno(rawValue: EEXIST)) }
            unlink(path)
        }
        let type = Int32(SOCK_STREAM.rawValue) | Int32(SOCK_CLOEXEC.rawValue) | Int32(SOCK_NONBLOCK.rawValue)
        let fd = try retryingOnInterrupt("socket", path) { socket(AF_UNIX, type, 0) }
        let descriptor = FileDescriptor(adopting: fd, name: path)
        guard address.withSocketAddress({ bind(fd, $0, $1) }) == 0 else { throw SystemCallError("bind", path) }
        let listener = UnixStreamListener(descriptor: descriptor, path: path)
        guard chmod(path, mode) == 0 else { throw SystemCallError("chmod", path) }
        guard listen(fd, backlog) == 0 else { throw SystemCallError("listen", path) }
        return listener
    }

    /// Accepts one pending connection (non-blocking, close-on-exec); nil when none is pending.
    public func accept() throws(SystemCallError) -> FileDescriptor? {
        let flags = Int32(SOCK_CLOEXEC.rawValue) | Int32(SOCK_NONBLOCK.rawValue)
        while true {
            let fd = kiosk_accept4(descriptor.rawValue, nil, nil, flags)
            if fd >= 0 { return FileDescriptor(adopting: fd, name: "\(path) connection") }
            let error = Errno.current
            switch error.rawValue {
            case EINTR, ECONNABORTED, EPROTO: continue
            case EAGAIN, EWOULDBLOCK: return nil
            default: throw SystemCallError("accept4", path, errno: error)
            }
        }
    }

    /// Stops listening and removes the socket file.
    public func close() {
        descriptor.close()
        if !removed {
            removed = true
            unlink(path)
        }
    }

    deinit { close() }
}

/// The client side: connects to a listening AF_UNIX stream socket and reads what it says.
public enum UnixStreamClient {
    /// Connects to `path`, reads until the server closes (at most `limit` bytes, within
    /// `timeout` seconds in all) and returns the bytes. `ENOENT` / `ECONNREFUSED` mean
    /// nobody listens; `EACCES` that this user may not reach the socket.
    public static func readAll(from path: String, limit: Int = 1 << 20, timeout: Double = 3) throws(SystemCallError) -> [UInt8] {
        guard let address = UnixSocketAddress(path) else { throw SystemCallError("connect", path, errno: .invalidArgument) }
        let fd = try retryingOnInterrupt("socket", path) { socket(AF_UNIX, Int32(SOCK_STREAM.rawValue) | Int32(SOCK_CLOEXEC.rawValue), 0) }
        let descriptor = FileDescriptor(adopting: fd, name: path)
        _ = try retryingOnInterrupt("connect", path) { address.withSocketAddress { connect(fd, $0, $1) } }
        var received: [UInt8] = []
        let deadline = monotonicSeconds() + timeout
        while true {
            let left = deadline - monotonicSeconds()
            guard left > 0 else { throw SystemCallError("read", "\(path) (no answer within \(timeout) s)", errno: Errno(rawValue: ETIMEDOUT)) }
            var poller = pollfd(fd: fd, events: Int16(POLLIN), revents: 0)
            _ = try retryingOnInterrupt("poll", path) { poll(&poller, 1, Int32(left * 1000) + 1) }
            guard poller.revents != 0 else { continue }
            let chunk = try descriptor.read(upTo: 16384)
            if chunk.isEmpty { return received }
            guard received.count + chunk.count <= limit else { throw SystemCallError("read", "\(path) (answer over \(limit) bytes)", errno: Errno(rawValue: EMSGSIZE)) }
            received += chunk
        }
    }

    private static func monotonicSeconds() -> Double {
        var now = timespec()
        clock_gettime(CLOCK_MONOTONIC, &now)
        return Double(now.tv_sec) + Double(now.tv_nsec) / 1e9
    }
}
