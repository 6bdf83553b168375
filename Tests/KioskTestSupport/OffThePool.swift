import Foundation

// Waiting in tests without holding a thread of Swift's cooperative pool.
//
// The pool has as many threads as cores: two in CI. A test that blocks one of them
// (sleeping in a polling loop, waiting for a child process, reading a pipe to its end,
// encoding a large image) holds up every other test of the parallel suite, and the HTTP
// handlers and timers those tests need: on a loaded machine a dozen unrelated tests then
// time out together. The helpers here suspend the test instead, and run what must block
// on a thread of its own.

/// Runs `body` on a new thread and resumes with what it returns or throws: for a blocking
/// call (a child's `waitUntilExit`, a read to the end of a pipe, a `wait4`, a long
/// computation) made from an async test.
///
/// Record no issue (`#expect`) inside `body`: it runs outside the test's task.
public func onOwnThread<T: Sendable>(_ body: @escaping @Sendable () throws -> T) async throws -> T {
    try await withCheckedThrowingContinuation { continuation in
        let thread = Thread { continuation.resume(with: Result { try body() }) }
        thread.name = "test-blocking"
        thread.start()
    }
}

/// Runs `body` on a new thread and resumes with what it returns (see the throwing form).
public func onOwnThread<T: Sendable>(_ body: @escaping @Sendable () -> T) async -> T {
    await withCheckedContinuation { continuation in
        let thread = Thread { continuation.resume(returning: body()) }
        thread.name = "test-blocking"
        thread.start()
    }
}

/// Looks at `condition` every `interval` until it holds or `timeout` seconds have passed,
/// suspending (not sleeping a thread) between looks; returns whether it held.
///
/// For a state that stays once reached. A state that may come and go between two looks
/// (a welcome shown for a moment) is to be recorded where it happens, not polled.
public func eventually(
    timeout: Double = 5, every interval: Duration = .milliseconds(20), _ condition: () async throws -> Bool
) async rethrows -> Bool {
    let deadline = ContinuousClock.now + .milliseconds(Int64(timeout * 1000))
    while ContinuousClock.now < deadline {
        if try await condition() { return true }
        try? await Task.sleep(for: interval)
    }
    return try await condition()
}

extension Process {
    /// Waits for the child to end, on a thread of its own; its termination status.
    @discardableResult
    public func exitStatus() async -> Int32 {
        await onOwnThread {
            self.waitUntilExit()
            return self.terminationStatus
        }
    }

    /// The termination status once the child has ended, or nil if it still runs after
    /// `seconds` (looked at every 20 ms, suspending between looks).
    public func exitStatus(within seconds: Double) async -> Int32? {
        guard await eventually(timeout: seconds, { !isRunning }) else { return nil }
        return terminationStatus
    }
}

extension FileHandle {
    /// Everything up to the end of the file or pipe, read on a thread of its own.
    public func readAllOffThePool() async -> Data {
        await onOwnThread { self.readDataToEndOfFile() }
    }
}

/// Runs `executable` with `arguments` to its end on a thread of its own: `input` written to
/// its standard input (then closed), its standard output (and standard error, when
/// `withErrors`) read to the end. For tests that check an answer against a reference tool.
public func runToEnd(
    _ executable: String, _ arguments: [String] = [], input: Data? = nil, withErrors: Bool = false
) async throws -> (status: Int32, output: String) {
    try await onOwnThread {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: executable)
        process.arguments = arguments
        let inputPipe = Pipe(), output = Pipe()
        if input != nil { process.standardInput = inputPipe }
        process.standardOutput = output
        if withErrors { process.standardError = output }
        try process.run()
        if let input {
            inputPipe.fileHandleForWriting.write(input)
            try inputPipe.fileHandleForWriting.close()
        }
        let text = String(decoding: output.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
        process.waitUntilExit()
        return (process.terminationStatus, text)
    }
}

/// Runs the async `body` with a thread of its own as its task executor: its nonisolated
/// code, and the child tasks it starts, run on that thread instead of the cooperative
/// pool. For seconds of product code computed in process (laying out and drawing a frame,
/// encoding a PNG, `ControlCommand.main`) that is async or calls async code, where
/// `onOwnThread` cannot take it. Code isolated to an actor still runs on that actor's
/// executor; `#expect` may be used in `body` (it is the test's task).
public func offThePool<T, Failure: Error>(
    isolation: isolated (any Actor)? = #isolation, _ body: () async throws(Failure) -> T
) async throws(Failure) -> T {
    let executor = OwnThreadTaskExecutor()
    defer { executor.finish() }
    return try await withTaskExecutorPreference(executor, isolation: isolation, operation: body)
}

/// A task executor with one thread, for `offThePool`: jobs run in the order they come;
/// the thread ends once `finish` is called and the jobs queued by then have run.
final class OwnThreadTaskExecutor: TaskExecutor, @unchecked Sendable {
    // @unchecked: `jobs` and `finished` are read and written with `condition` locked.
    private let condition = NSCondition()
    private var jobs: [UnownedJob] = []
    private var finished = false

    init() {
        // The thread holds the executor until it ends, so the jobs' unowned reference to
        // it stays valid while any can run.
        Thread {
            // The system's name (tests look for it): a new thread inherits its creator's.
            if let comm = FileHandle(forWritingAtPath: "/proc/thread-self/comm") {
                comm.write(Data("test-executor".utf8))
                try? comm.close()
            }
            self.run()
        }.start()
    }

    func enqueue(_ job: consuming ExecutorJob) {
        let job = UnownedJob(job)
        condition.lock()
        defer { condition.unlock() }
        if finished {
            // Late (a job after the body returned): on a thread of its own, never lost.
            Thread { job.runSynchronously(on: self.asUnownedTaskExecutor()) }.start()
            return
        }
        jobs.append(job)
        condition.signal()
    }

    func finish() {
        condition.lock()
        finished = true
        condition.signal()
        condition.unlock()
    }

    private func run() {
        condition.lock()
        while true {
            if !jobs.isEmpty {
                let job = jobs.removeFirst()
                condition.unlock()
                job.runSynchronously(on: asUnownedTaskExecutor())
                condition.lock()
            } else if finished {
                break
            } else {
                condition.wait()
            }
        }
        condition.unlock()
    }
}
