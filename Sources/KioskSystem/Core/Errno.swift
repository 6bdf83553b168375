import Glibc

/// A POSIX error number with a name, as the kernel reported it.
public struct Errno: RawRepresentable, Error, Hashable, Sendable, CustomStringConvertible {
    public var rawValue: Int32
    public init(rawValue: Int32) { self.rawValue = rawValue }

    /// The calling thread's current `errno`.
    public static var current: Errno { Errno(rawValue: errno) }

    public static let interrupted = Errno(rawValue: EINTR)
    public static let wouldBlock = Errno(rawValue: EAGAIN)
    public static let ioError = Errno(rawValue: EIO)
    public static let noDevice = Errno(rawValue: ENODEV)
    public static let noSuchFile = Errno(rawValue: ENOENT)
    public static let badFileDescriptor = Errno(rawValue: EBADF)
    public static let permissionDenied = Errno(rawValue: EACCES)
    public static let busy = Errno(rawValue: EBUSY)
    public static let notATerminal = Errno(rawValue: ENOTTY)
    public static let invalidArgument = Errno(rawValue: EINVAL)
    public static let brokenPipe = Errno(rawValue: EPIPE)

    public var description: String { String(cString: strerror(rawValue)) }
}

/// A failed system call: which call, on what, and the errno it returned.
public struct SystemCallError: Error, CustomStringConvertible, Sendable {
    public var call: String
    public var subject: String
    public var errno: Errno

    public init(_ call: String, _ subject: String = "", errno: Errno = .current) {
        self.call = call
        self.subject = subject
        self.errno = errno
    }

    public var description: String {
        subject.isEmpty ? "\(call): \(errno) (errno \(errno.rawValue))"
            : "\(call) \(subject): \(errno) (errno \(errno.rawValue))"
    }
}

/// Runs a system call, retrying while it fails with EINTR. Returns the call's result, or
/// throws `SystemCallError` carrying the call's name and `subject` (a path, a device).
@discardableResult
public func retryingOnInterrupt<T: BinaryInteger>(
    _ call: String, _ subject: String = "", _ body: () -> T
) throws(SystemCallError) -> T {
    while true {
        let result = body()
        if result >= 0 { return result }
        let err = Errno.current
        if err == .interrupted { continue }
        throw SystemCallError(call, subject, errno: err)
    }
}
