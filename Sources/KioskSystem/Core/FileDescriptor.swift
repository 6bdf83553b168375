import Glibc

/// An open file descriptor that closes itself: the owner of one kernel handle.
///
/// Not `Sendable`: one owner (an actor, a queue) uses it.
public final class FileDescriptor {
    public let rawValue: Int32
    /// What was opened (a path), for error messages.
    public let name: String
    private var isClosed = false

    /// Takes ownership of `rawValue`: it is closed when this object goes away.
    public init(adopting rawValue: Int32, name: String) {
        self.rawValue = rawValue
        self.name = name
    }

    /// `open(2)` with `O_CLOEXEC` added.
    public static func open(_ path: String, flags: Int32, mode: mode_t = 0o644) throws(SystemCallError) -> FileDescriptor {
        let fd = try retryingOnInterrupt("open", path) { Glibc.open(path, flags | O_CLOEXEC, mode) }
        return FileDescriptor(adopting: fd, name: path)
    }

    /// Reads up to `count` bytes; an empty array means end of file.
    /// Throws `.wouldBlock` errors as they are, for non-blocking callers to test.
    public func read(upTo count: Int) throws(SystemCallError) -> [UInt8] {
        var buffer = [UInt8](repeating: 0, count: count)
        let fd = rawValue
        let n = buffer.withUnsafeMutableBytes { raw in
            while true {
                let r = Glibc.read(fd, raw.baseAddress, count)
                if r >= 0 || Errno.current != .interrupted { return r }
            }
        }
        if n < 0 { throw SystemCallError("read", name) }
        buffer.removeSubrange(n...)
        return buffer
    }

    /// Writes every byte, looping over short writes (and waiting on EAGAIN with poll).
    public func writeAll(_ bytes: some Collection<UInt8>) throws(SystemCallError) {
        let array = Array(bytes)
        var offset = 0
        while offset < array.count {
            let n = array.withUnsafeBytes { raw in
                Glibc.write(rawValue, raw.baseAddress! + offset, array.count - offset)
            }
            if n >= 0 { offset += n; continue }
            let err = Errno.current
            if err == .interrupted { continue }
            if err == .wouldBlock {
                var p = pollfd(fd: rawValue, events: Int16(POLLOUT), revents: 0)
                _ = Glibc.poll(&p, 1, 1000)
                continue
            }
            throw SystemCallError("write", name, errno: err)
        }
    }

    /// Closes now instead of at deinit. Further use is a programming error.
    public func close() {
        guard !isClosed else { return }
        isClosed = true
        _ = Glibc.close(rawValue)
    }

    deinit { close() }
}
