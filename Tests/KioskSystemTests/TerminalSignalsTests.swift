import CLinux
import Dispatch
import Glibc
import KioskTestSupport
import Synchronization
import Testing
@testable import KioskSystem

/// Signals are process-wide: these tests use SIGUSR1/SIGUSR2/SIGWINCH only and run one
/// at a time.
@Suite("SignalWatcher and EmergencyTerminalRestore", .serialized)
struct TerminalSignalsTests {
    /// Collects signals delivered by a watcher, thread-safely.
    final class Received: Sendable {
        private let signals = Mutex<[UnixSignal]>([])
        let arrived = DispatchSemaphore(value: 0)
        func append(_ signal: UnixSignal) {
            signals.withLock { $0.append(signal) }
            arrived.signal()
        }
        var all: [UnixSignal] { signals.withLock { $0 } }
        /// Waits for the next signal on a thread of its own (not the cooperative pool's).
        func waitForArrival(timeout: DispatchTime) async -> DispatchTimeoutResult {
            await onOwnThread { self.arrived.wait(timeout: timeout) }
        }
    }

    @Test func watcherDeliversSignalsOnItsQueue() async throws {
        let queue = DispatchQueue(label: "test.signals")
        let received = Received()
        let watcher = SignalWatcher(signals: [.userDefined1, .windowSizeChanged], queue: queue) { signal in
            dispatchPrecondition(condition: .onQueue(queue))
            received.append(signal)
        }
        #expect(watcher.signals == [.userDefined1, .windowSizeChanged].sorted { $0.rawValue < $1.rawValue })
        kill(getpid(), SIGUSR1)
        #expect(await received.waitForArrival(timeout: .now() + 5) == .success)
        kill(getpid(), SIGWINCH)
        #expect(await received.waitForArrival(timeout: .now() + 5) == .success)
        #expect(Set(received.all) == [.userDefined1, .windowSizeChanged])
        watcher.cancel()
        watcher.cancel()
        // SIGWINCH's default action is to ignore it: safe to send after cancel.
        kill(getpid(), SIGWINCH)
        #expect(await received.waitForArrival(timeout: .now() + .milliseconds(200)) == .timedOut)
    }

    /// The display watch leaves the VT switching signals ignored when it stops: one that
    /// comes before the console is given back must not terminate the process.
    @Test func aWatcherCancelledLeavingItsSignalsIgnoredSurvivesThem() async throws {
        let queue = DispatchQueue(label: "test.signals.ignored")
        let received = Received()
        let watcher = SignalWatcher(signals: [.userDefined1], queue: queue) { received.append($0) }
        defer { _ = signal(SIGUSR1, SIG_DFL) }
        watcher.cancel(leaving: .ignored)
        #expect(kiosk_signal_is_ignored(SIGUSR1) != 0)
        kill(getpid(), SIGUSR1)  // with the default action this would end the test process
        #expect(await received.waitForArrival(timeout: .now() + .milliseconds(200)) == .timedOut)
        // The default cancel restores the default action.
        let again = SignalWatcher(signals: [.userDefined1], queue: queue) { received.append($0) }
        again.cancel()
        #expect(kiosk_signal_is_ignored(SIGUSR1) == 0)
    }

    @Test func emergencyRestoreWritesTheBytesAndHandsTheSignalOn() async throws {
        var fds: [Int32] = [0, 0]
        #expect(pipe(&fds) == 0)
        _ = fcntl(fds[0], F_SETFD, FD_CLOEXEC)
        _ = fcntl(fds[1], F_SETFD, FD_CLOEXEC)
        let readEnd = FileDescriptor(adopting: fds[0], name: "pipe")
        let writeEnd = FileDescriptor(adopting: fds[1], name: "pipe")
        // The handler that was there before: "ignore", so re-raising is harmless here.
        _ = signal(SIGUSR2, SIG_IGN)
        defer { _ = signal(SIGUSR2, SIG_DFL) }
        let restore = Array("\u{1B}[0m\u{1B}[?7h\u{1B}[?25h\u{1B}[?1049l".utf8)
        try EmergencyTerminalRestore.install(restore, on: writeEnd, signals: [.userDefined2])
        writeEnd.close()  // the restore path keeps its own duplicate
        // kill, not raise: the test runs on a dispatch worker thread, which blocks SIGUSR2;
        // a process-directed signal goes to a thread that does not.
        kill(getpid(), SIGUSR2)
        var request = pollfd(fd: readEnd.rawValue, events: Int16(POLLIN), revents: 0)
        try #require(poll(&request, 1, 5000) == 1, "the handler wrote nothing within 5 s")
        #expect(try readEnd.read(upTo: 1024) == restore)
        // The previous disposition is back: a second signal writes nothing.
        try await Task.sleep(for: .milliseconds(50))  // let the handler finish putting it back
        kill(getpid(), SIGUSR2)
        #expect(poll(&request, 1, 100) == 0)
        EmergencyTerminalRestore.uninstall()
        // Uninstalling closed the duplicate: the pipe now reads end of file.
        try #require(poll(&request, 1, 5000) == 1, "no end of file within 5 s")
        #expect(try readEnd.read(upTo: 16) == [])
    }

    @Test func crashingChildRestoresTheTerminalAndStillDies() throws {
        var fds: [Int32] = [0, 0]
        #expect(pipe(&fds) == 0)
        _ = fcntl(fds[0], F_SETFD, FD_CLOEXEC)
        _ = fcntl(fds[1], F_SETFD, FD_CLOEXEC)
        let readEnd = FileDescriptor(adopting: fds[0], name: "pipe")
        let writeEnd = FileDescriptor(adopting: fds[1], name: "pipe")
        let restore = Array("\u{1B}[?1049l".utf8)
        // SIGSYS stands in for a crash signal: default action "core", and unlike SIGSEGV it
        // has no Swift backtracer handler that would print a report for the child.
        let crash = UnixSignal(rawValue: SIGSYS)
        try EmergencyTerminalRestore.install(restore, on: writeEnd, signals: [crash])
        defer { EmergencyTerminalRestore.uninstall() }
        let child = fork()
        if child == 0 {
            // Child: only async-signal-safe calls after fork.
            raise(SIGSYS)
            _exit(0)
        }
        #expect(child > 0)
        writeEnd.close()
        EmergencyTerminalRestore.uninstall()  // the parent's own copy; the child has its own
        var status: Int32 = 0
        #expect(waitpid(child, &status, 0) == child)
        #expect(status & 0x7F == SIGSYS, "the child must die of the signal (status \(status))")
        var request = pollfd(fd: readEnd.rawValue, events: Int16(POLLIN), revents: 0)
        try #require(poll(&request, 1, 5000) == 1, "the child's handler wrote nothing within 5 s")
        #expect(try readEnd.read(upTo: 1024) == restore)
    }

    @Test func tooManyBytesAreRefused() {
        let fd = FileDescriptor(adopting: dup(STDERR_FILENO), name: "stderr")
        let tooMany = [UInt8](repeating: 0x41, count: EmergencyTerminalRestore.capacity + 1)
        #expect(throws: SystemCallError.self) {
            try EmergencyTerminalRestore.install(tooMany, on: fd, signals: [.userDefined2])
        }
    }
}
