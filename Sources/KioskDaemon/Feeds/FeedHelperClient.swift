import Foundation
import KioskCore
import Synchronization
import KioskSystem
#if canImport(Glibc)
import Glibc
#endif

/// Runs one fetch in a `kioskctl --feed-helper` child (see `FeedHelper`) and reads its
/// answer, killing it at the deadline.
///
/// The child gets the request on a pipe as its standard input and answers on another as
/// its standard output; its standard error is the daemon's (the journal). It starts with
/// the signals the daemon handles back at their defaults, an empty signal mask, and an
/// environment of proxy and certificate settings only. The wait runs on a thread of its
/// own, not on Swift's cooperative pool. The answer is bounded in size before it is
/// decoded.
public struct FeedHelperClient: Sendable {
    /// The program to run: `kioskctl` beside this executable by default
    /// (`defaultExecutable`); tests give the built `kioskctl`, or a program that hangs or
    /// crashes.
    public var executable: String
    /// The whole argument vector, `argv[0]` first.
    public var arguments: [String]
    /// Added to the feed's timeout for the decoding before the child is killed.
    public var grace: Double = 15

    public init(executable: String = Self.defaultExecutable, arguments: [String] = ["kioskctl", FeedHelper.flag]) {
        self.executable = executable
        self.arguments = arguments
    }

    /// `kioskctl` in the directory of the running executable (`/proc/self/exe`): the
    /// package installs both in /usr/bin, `swift build` puts both in `.build/CONFIG/`
    /// (building kioskd builds kioskctl), and a test bundle sits beside them. The helper
    /// is not this executable itself: kioskd's binary links no HTTP or TLS library.
    public static let defaultExecutable: String = {
        var buffer = [UInt8](repeating: 0, count: Int(PATH_MAX) + 1)
        let n = buffer.withUnsafeMutableBufferPointer { b in
            b.baseAddress!.withMemoryRebound(to: CChar.self, capacity: b.count) { readlink("/proc/self/exe", $0, b.count - 1) }
        }
        guard n > 0 else { return "/usr/bin/kioskctl" }
        var path = String(decoding: buffer[..<n], as: UTF8.self)
        // After an upgrade replaced the running file, the link names it "… (deleted)".
        if path.hasSuffix(" (deleted)") { path.removeLast(" (deleted)".count) }
        guard let slash = path.lastIndex(of: "/") else { return "/usr/bin/kioskctl" }
        return String(path[..<slash]) + "/kioskctl"
    }()

    /// Environment variables passed on: proxies and certificate locations a maintainer
    /// may set in the unit, nothing else.
    static let passedEnvironment = ["http_proxy", "https_proxy", "no_proxy", "all_proxy", "HTTP_PROXY", "HTTPS_PROXY", "NO_PROXY", "ALL_PROXY", "SSL_CERT_FILE", "SSL_CERT_DIR"]

    /// Fetches and decodes in a child; the child's failures (a crash, a hang past the
    /// deadline, an answer that does not decode) come back as `FeedFetchError`s.
    public func run(_ request: FeedHelper.Request) async -> Result<FeedHelper.Response, FeedFetchError> {
        let body: Data
        do { body = try JSONEncoder().encode(request) } catch {
            return .failure(FeedFetchError(kind: .helper, message: "feed helper: cannot encode the request: \(error)"))
        }
        let deadline = max(1, request.timeout + grace)
        let limit = min(Int.max / 8, max(1 << 20, request.maxBytes)) * 4 + (16 << 20)
        let executable = self.executable, arguments = self.arguments
        let box = ChildBox()
        return await withTaskCancellationHandler {
            await withCheckedContinuation { continuation in
                let thread = Thread {
                    continuation.resume(returning: Self.runBlocking(
                        executable: executable, arguments: arguments, request: [UInt8](body), deadline: deadline, limit: limit,
                        started: { box.started($0) }))
                }
                thread.name = "feed-helper"
                thread.start()
            }
        } onCancel: {
            box.cancel()
        }
    }

    /// The child of one fetch, for the cancellation handler: cancelling (the daemon
    /// stops, or a reload replaces the puller) kills it, so its wait ends at once.
    final class ChildBox: Sendable {
        private let state = Mutex<(pid: Int32, cancelled: Bool)>((0, false))
        func started(_ pid: Int32) {
            let cancelled = state.withLock { s -> Bool in s.pid = pid; return s.cancelled }
            if cancelled { kill(pid, SIGKILL) }
        }
        func cancel() {
            let pid = state.withLock { s -> Int32 in s.cancelled = true; return s.pid }
            if pid > 0 { kill(pid, SIGKILL) }
        }
    }

    /// Spawns, feeds, reads and reaps the child (blocking; on its own thread).
    static func runBlocking(
        executable: String, arguments: [String], request: [UInt8], deadline: Double, limit: Int, started: (Int32) -> Void = { _ in }
    ) -> Result<FeedHelper.Response, FeedFetchError> {
        func failure(_ message: String) -> Result<FeedHelper.Response, FeedFetchError> { .failure(FeedFetchError(kind: .helper, message: message)) }
        guard let inputPipe = ProcessSandbox.closeOnExecPipe() else { return failure("feed helper: pipe: errno \(errno)") }
        guard let outputPipe = ProcessSandbox.closeOnExecPipe() else {
            close(inputPipe.read); close(inputPipe.write)
            return failure("feed helper: pipe: errno \(errno)")
        }
        let input = [inputPipe.read, inputPipe.write], output = [outputPipe.read, outputPipe.write]
        let environment = ProcessInfo.processInfo.environment
        let envStrings = passedEnvironment.compactMap { name in environment[name].map { "\(name)=\($0)" } }
        let spawned = ProcessSandbox.spawn(path: executable, arguments: arguments, environment: envStrings, standardInput: input[0], standardOutput: output[1])
        close(input[0])
        close(output[1])
        guard spawned > 0 else {
            close(input[1]); close(output[0])
            return failure("feed helper: cannot start \(executable): \(String(cString: strerror(-spawned)))")
        }
        let pid = spawned
        started(pid)
        let started = DispatchTime.now().uptimeNanoseconds
        func remainingMilliseconds() -> Int32 {
            let elapsed = Double(DispatchTime.now().uptimeNanoseconds &- started) / 1e9
            return Int32(max(0, min(Double(Int32.max), ((deadline - elapsed) * 1000).rounded(.up))))  // never before it
        }

        // A child that exits without reading (a crash) makes this write fail with EPIPE:
        // SIGPIPE is blocked on this thread (its own, ended after this fetch), so it stays
        // pending here and dies with the thread instead of killing the daemon.
        var pipeSignal = sigset_t()
        sigemptyset(&pipeSignal)
        sigaddset(&pipeSignal, SIGPIPE)
        pthread_sigmask(SIG_BLOCK, &pipeSignal, nil)
        // The request is small (under a pipe's 64 KiB buffer), so this does not block.
        _ = request.withUnsafeBytes { write(input[1], $0.baseAddress, $0.count) }
        close(input[1])

        var answer: [UInt8] = []
        var buffer = [UInt8](repeating: 0, count: 1 << 16)
        var killedAtDeadline = false, tooLarge = false
        while true {
            let wait = remainingMilliseconds()
            if wait == 0 { killedAtDeadline = true; break }
            var poller = pollfd(fd: output[0], events: Int16(POLLIN), revents: 0)
            let ready = poll(&poller, 1, wait)
            if ready < 0, errno == EINTR { continue }
            if ready == 0 { killedAtDeadline = true; break }
            let n = buffer.withUnsafeMutableBytes { read(output[0], $0.baseAddress, $0.count) }
            if n < 0, errno == EINTR || errno == EAGAIN { continue }
            guard n > 0 else { break }
            answer += buffer[..<n]
            if answer.count > limit { tooLarge = true; break }
        }
        close(output[0])
        // Reap: the child closed its output (or is being killed); give it the rest of the
        // deadline to exit, then SIGKILL.
        var status: Int32 = 0
        if killedAtDeadline || tooLarge { kill(pid, SIGKILL) }
        while true {
            let reaped = waitpid(pid, &status, killedAtDeadline || tooLarge ? 0 : WNOHANG)
            if reaped == pid { break }
            if reaped < 0, errno != EINTR { break }
            if reaped == 0 {
                if remainingMilliseconds() == 0 { killedAtDeadline = true; kill(pid, SIGKILL); continue }
                usleep(5_000)
            }
        }
        if killedAtDeadline {
            return .failure(FeedFetchError(kind: .timeout, message: "the feed helper did not finish within \(Int(deadline)) s and was killed"))
        }
        if tooLarge { return failure("the feed helper's answer was over \(limit) bytes; killed") }
        let signalled = status & 0x7F
        if signalled != 0 && signalled != 0x7F {
            return failure("the feed helper crashed (signal \(signalled)\(signalled == SIGXCPU ? ": CPU limit" : signalled == SIGSEGV ? ": segmentation fault" : ""))")
        }
        guard let response = try? JSONDecoder().decode(FeedHelper.Response.self, from: Data(answer)) else {
            let code = (status >> 8) & 0xFF
            return failure("the feed helper exited with status \(code) without a readable answer (\(answer.count) bytes)")
        }
        return .success(response)
    }
}
