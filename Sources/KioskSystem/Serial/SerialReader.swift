import Dispatch
import Foundation
import Glibc
import Synchronization

/// Keeps a badge reader's serial device open and delivers what it sends, across unplugs.
///
/// A dedicated thread sleeps in `poll(2)` on the port and on a wake-up pipe: no busy
/// loop, no timer while idle. Bytes are delivered as they arrive, in chunks of whatever
/// size `read` returned (feed them to a `BadgeFrameDecoder`). When the device goes away
/// (`read` gives 0, `EIO`, `ENODEV`, or `poll` says `POLLHUP`) it reports
/// `.disconnected(reason)`, closes the descriptor, and reopens the same *path* (so a
/// udev symlink that now points at a new `/dev/ttyUSB1` is followed) with exponential
/// backoff, reporting `.reconnecting` before each wait and `.connected` on success.
///
/// Events are delivered on the reader's thread, in order; the handler must not block
/// for long (hop to the owning actor or queue). Call `stop()` before dropping the last
/// reference: the running thread keeps the reader alive until then.
public final class SerialReader: Sendable {
    /// The link state, as reported to the handler.
    public enum Status: Sendable, Hashable {
        case connected(path: String)
        case disconnected(SerialDisconnection)
        /// About to wait `delay` before reopening (attempt 1 is the first retry).
        case reconnecting(attempt: Int, delay: Duration)
    }

    /// What the handler receives.
    public enum Event: Sendable, Hashable {
        case status(Status)
        case bytes([UInt8])
    }

    private struct Shared {
        var port: SerialPort?
        var isStarted = false
        var isStopping = false
        var isJoined = false
        var thread: pthread_t?
    }

    public let path: String
    public let baudRate: BaudRate
    public let backoff: SerialReconnectBackoff
    private let handler: @Sendable (Event) -> Void
    /// The open port (or nil) and the lifecycle flags; the port is touched only under this lock.
    private let shared: Mutex<Shared>
    /// Both ends of the wake-up pipe: written by `stop()`, polled by the reader thread.
    private let wakeRead: Int32
    private let wakeWrite: Int32
    private let finished = DispatchSemaphore(value: 0)

    /// Creates a stopped reader; nothing is opened before `start()`.
    public init(
        path: String, baudRate: BaudRate, backoff: SerialReconnectBackoff = SerialReconnectBackoff(),
        handler: @escaping @Sendable (Event) -> Void
    ) throws(SystemCallError) {
        var fds: [Int32] = [-1, -1]
        try retryingOnInterrupt("pipe", "serial reader wake-up") { pipe(&fds) }
        for fd in fds {
            _ = fcntl(fd, F_SETFD, FD_CLOEXEC)
            _ = fcntl(fd, F_SETFL, fcntl(fd, F_GETFL) | O_NONBLOCK)
        }
        self.path = path
        self.baudRate = baudRate
        self.backoff = backoff
        self.handler = handler
        self.shared = Mutex(Shared())
        self.wakeRead = fds[0]
        self.wakeWrite = fds[1]
    }

    deinit {
        Glibc.close(wakeRead)
        Glibc.close(wakeWrite)
    }

    /// Starts the reader thread (once; later calls do nothing).
    public func start() {
        let shouldStart = shared.withLock { shared in
            guard !shared.isStarted else { return false }
            shared.isStarted = true
            return true
        }
        guard shouldStart else { return }
        let thread = Thread { [self] in
            shared.withLock { $0.thread = pthread_self() }
            Self.nameCurrentThread("serial-reader")
            run()
            finished.signal()
        }
        thread.start()
    }

    /// Stops the thread and closes the port; returns once the thread has ended, after
    /// which the handler is never called again. Safe to call twice, and from the handler
    /// itself (it then does not wait).
    public func stop() {
        let (mustJoin, onReaderThread) = shared.withLock { shared in
            shared.isStopping = true
            let onReaderThread = shared.thread.map { pthread_equal($0, pthread_self()) != 0 } ?? false
            let mustJoin = shared.isStarted && !shared.isJoined && !onReaderThread
            if mustJoin { shared.isJoined = true }
            return (mustJoin, onReaderThread)
        }
        var byte: UInt8 = 1
        _ = Glibc.write(wakeWrite, &byte, 1)
        if mustJoin && !onReaderThread { finished.wait() }
    }

    /// Writes to the device (PN532 commands). Throws `ENODEV` while disconnected.
    public func write(_ bytes: [UInt8]) throws(SystemCallError) {
        try shared.withLock { (shared) throws(SystemCallError) in
            guard let port = shared.port else { throw SystemCallError("write", path, errno: .noDevice) }
            try port.write(bytes)
        }
    }

    private var isStopping: Bool { shared.withLock { $0.isStopping } }

    // MARK: - Reader thread

    private func run() {
        var attempt = 0
        var failingSinceLastConnection = false
        while !isStopping {
            switch openPort() {
            case .success(let descriptor):
                failingSinceLastConnection = false
                handler(.status(.connected(path: path)))
                let openedAt = ContinuousClock.now
                let (reason, deliveredBytes) = pump(descriptor)
                shared.withLock { shared in
                    shared.port?.close()
                    shared.port = nil
                }
                guard let reason else { return }
                if deliveredBytes || openedAt.duration(to: .now) >= backoff.stableAfter { attempt = 0 }
                handler(.status(.disconnected(reason)))
                // Failed reopens that follow are part of this same disconnection.
                failingSinceLastConnection = true
            case .failure(let error):
                if !failingSinceLastConnection {
                    failingSinceLastConnection = true
                    handler(.status(.disconnected(.openFailed(call: error.call, errno: error.errno))))
                }
            }
            guard !isStopping else { return }
            attempt += 1
            let delay = backoff.delay(beforeAttempt: attempt)
            handler(.status(.reconnecting(attempt: attempt, delay: delay)))
            waitForWakeUp(timeout: delay)
        }
    }

    /// Opens the port and parks it under the lock; returns the descriptor to poll.
    private func openPort() -> Result<Int32, SystemCallError> {
        shared.withLock { (shared) -> Result<Int32, SystemCallError> in
            do throws(SystemCallError) {
                let port = try SerialPort(path: path, baudRate: baudRate)
                shared.port = port
                return .success(port.pollableDescriptor)
            } catch {
                return .failure(error)
            }
        }
    }

    /// Delivers bytes until the device goes away (returns why) or `stop()` (returns nil).
    private func pump(_ descriptor: Int32) -> (SerialDisconnection?, deliveredBytes: Bool) {
        var deliveredBytes = false
        while true {
            var fds = [
                pollfd(fd: descriptor, events: Int16(POLLIN), revents: 0),
                pollfd(fd: wakeRead, events: Int16(POLLIN), revents: 0),
            ]
            let ready = Glibc.poll(&fds, 2, -1)
            if ready < 0 {
                let errno = Errno.current
                if errno == .interrupted { continue }
                return (.readFailed(errno), deliveredBytes)
            }
            if fds[1].revents != 0 {
                drainWakePipe()
                if isStopping { return (nil, deliveredBytes) }
            }
            let events = Int32(fds[0].revents)
            guard events != 0 else { continue }
            let outcome: Result<SerialPort.ReadOutcome, SystemCallError> = shared.withLock { shared in
                guard let port = shared.port else { return .success(.endOfFile) }
                return Result { () throws(SystemCallError) in try port.read() }
            }
            switch outcome {
            case .success(.bytes(let bytes)):
                deliveredBytes = true
                handler(.bytes(bytes))
            case .success(.noData):
                if events & Int32(POLLNVAL) != 0 { return (.readFailed(.badFileDescriptor), deliveredBytes) }
                if events & Int32(POLLHUP | POLLERR) != 0 { return (.hangUp, deliveredBytes) }
            case .success(.endOfFile):
                return (.endOfFile, deliveredBytes)
            case .failure(let error):
                return (.readFailed(error.errno), deliveredBytes)
            }
        }
    }

    /// Sleeps up to `timeout`, or less if `stop()` wrote to the wake-up pipe.
    private func waitForWakeUp(timeout: Duration) {
        let deadline = ContinuousClock.now + timeout
        while !isStopping {
            let remaining = ContinuousClock.now.duration(to: deadline)
            guard remaining > .zero else { return }
            let (seconds, attoseconds) = remaining.components
            let milliseconds = Int32(clamping: seconds * 1000 + (attoseconds + 999_999_999_999_999) / 1_000_000_000_000_000)
            var fd = pollfd(fd: wakeRead, events: Int16(POLLIN), revents: 0)
            if Glibc.poll(&fd, 1, milliseconds) > 0 { drainWakePipe() }
        }
    }

    /// Names the thread for `top -H`, `ps -L` and the tests (at most 15 bytes). Foundation's
    /// `Thread.name` does not reach the kernel on Linux, and `pthread_setname_np` is hidden
    /// behind `_GNU_SOURCE`; `/proc/thread-self/comm` is the kernel's own door. Best effort.
    private static func nameCurrentThread(_ name: String) {
        let fd = Glibc.open("/proc/thread-self/comm", O_WRONLY | O_CLOEXEC)
        guard fd >= 0 else { return }
        _ = Array(name.utf8.prefix(15)).withUnsafeBytes { Glibc.write(fd, $0.baseAddress, $0.count) }
        Glibc.close(fd)
    }

    private func drainWakePipe() {
        var buffer = [UInt8](repeating: 0, count: 64)
        while Glibc.read(wakeRead, &buffer, buffer.count) > 0 {}
    }
}
