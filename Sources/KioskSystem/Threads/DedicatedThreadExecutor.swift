#if canImport(Glibc)
import Glibc
#endif

/// A serial executor with a thread of its own: an actor that declares it as its
/// `unownedExecutor` runs every job on that one thread, never on Swift's cooperative
/// pool (which has as many threads as cores: two on the board). Blocking work done by
/// the actor — a SQLite commit and its fsync, a display write — then delays only that
/// actor, and nothing else on the pool can delay it.
///
/// It also keeps timers (``schedule(after:_:)``) run on the same thread, so that work
/// due later (taking a welcome off the screen) needs no task sleeping on the pool.
///
/// Jobs run in the order they were enqueued; a due timer runs between two jobs. The
/// thread ends once the executor is released (no actor holds it, so no job can come).
public final class DedicatedThreadExecutor: SerialExecutor, @unchecked Sendable {
    // @unchecked: every mutable field of `State` is read and written with `state.mutex`
    // held; `thread` is set once in init before anything is enqueued.

    /// A timer handle, to ``cancel(_:)`` it.
    public struct TimerID: Hashable, Sendable {
        fileprivate let value: Int
    }

    /// What the thread runs, in order: an actor's job, or an action submitted by a thread
    /// outside Swift concurrency (``submit(_:)``).
    private enum Work {
        case job(UnownedJob)
        case action(@Sendable () -> Void)
    }

    private final class State: @unchecked Sendable {
        // @unchecked: see DedicatedThreadExecutor.
        let mutex = UnsafeMutablePointer<pthread_mutex_t>.allocate(capacity: 1)
        let condition = UnsafeMutablePointer<pthread_cond_t>.allocate(capacity: 1)
        var jobs: [Work] = []
        var head = 0
        var timers: [(deadline: UInt64, id: Int, action: @Sendable () -> Void)] = []
        var nextTimerID = 0
        var closing = false
        var jobsRun = 0
        let name: String
        /// Unowned: the thread's loop runs jobs on it while it lives; set after init.
        var executor: UnownedSerialExecutor?

        init(name: String) {
            self.name = name
            pthread_mutex_init(mutex, nil)
            var attributes = pthread_condattr_t()
            pthread_condattr_init(&attributes)
            pthread_condattr_setclock(&attributes, CLOCK_MONOTONIC)
            pthread_cond_init(condition, &attributes)
            pthread_condattr_destroy(&attributes)
        }

        deinit {
            pthread_cond_destroy(condition)
            pthread_mutex_destroy(mutex)
            mutex.deallocate()
            condition.deallocate()
        }

        func locked<T>(_ body: () -> T) -> T {
            pthread_mutex_lock(mutex)
            defer { pthread_mutex_unlock(mutex) }
            return body()
        }
    }

    private let state: State
    private var thread = pthread_t()

    /// Starts the thread, named `name` (at most 15 bytes are kept, as `top -H` shows it).
    public init(name: String) {
        state = State(name: name)
        let box = Unmanaged.passRetained(state).toOpaque()
        var attributes = pthread_attr_t()
        pthread_attr_init(&attributes)
        defer { pthread_attr_destroy(&attributes) }
        let created = pthread_create(&thread, &attributes, { argument in
            let state = Unmanaged<State>.fromOpaque(argument!).takeRetainedValue()
            DedicatedThreadExecutor.loop(state)
            return nil
        }, box)
        precondition(created == 0, "pthread_create failed: \(created)")
        pthread_detach(thread)
        state.locked { state.executor = UnownedSerialExecutor(ordinary: self) }
    }

    deinit {
        // Nothing can enqueue any more (no actor holds us): let the thread end.
        state.locked {
            state.closing = true
            state.executor = nil
            state.timers.removeAll()
        }
        pthread_cond_signal(state.condition)
    }

    public func enqueue(_ job: consuming ExecutorJob) {
        let job = UnownedJob(job)
        state.locked { state.jobs.append(.job(job)) }
        pthread_cond_signal(state.condition)
    }

    /// Runs `action` on the executor's thread after the jobs and actions already queued,
    /// before those queued later: a plain thread (a serial reader) hands work to an actor
    /// this way, in order, without a task and so without a thread of the cooperative pool.
    /// In `action`, `actor.assumeIsolated` gives access to an actor on this executor.
    public func submit(_ action: @escaping @Sendable () -> Void) {
        state.locked { state.jobs.append(.action(action)) }
        pthread_cond_signal(state.condition)
    }

    public func asUnownedSerialExecutor() -> UnownedSerialExecutor {
        UnownedSerialExecutor(ordinary: self)
    }

    /// True on this executor's thread (`assumeIsolated` from a timer relies on it).
    public var isCurrent: Bool { pthread_equal(pthread_self(), thread) != 0 }

    public func checkIsolated() {
        precondition(isCurrent, "not on the \(state.name) thread")
    }

    /// Jobs run so far (instrumentation: tests check the actor's work lands here).
    public var jobsRun: Int { state.locked { state.jobsRun } }

    /// Runs `action` on the executor's thread once `delay` has passed (monotonic time).
    @discardableResult
    public func schedule(after delay: Duration, _ action: @escaping @Sendable () -> Void) -> TimerID {
        let deadline = Self.monotonicNanoseconds() &+ Self.nanoseconds(delay)
        let id: Int = state.locked {
            state.nextTimerID += 1
            let index = state.timers.firstIndex { $0.deadline > deadline } ?? state.timers.count
            state.timers.insert((deadline, state.nextTimerID, action), at: index)
            return state.nextTimerID
        }
        pthread_cond_signal(state.condition)
        return TimerID(value: id)
    }

    /// Cancels a timer that has not fired yet; true when it was still pending.
    @discardableResult
    public func cancel(_ timer: TimerID) -> Bool {
        state.locked {
            guard let index = state.timers.firstIndex(where: { $0.id == timer.value }) else { return false }
            state.timers.remove(at: index)
            return true
        }
    }

    /// Timers not fired yet.
    public var pendingTimers: Int { state.locked { state.timers.count } }

    /// Drops every pending timer (the owner is stopping). Jobs still run: the thread ends
    /// when the executor is released.
    public func cancelAllTimers() {
        state.locked {
            state.timers.removeAll()
        }
        pthread_cond_signal(state.condition)
    }

    // MARK: The thread

    private static func loop(_ state: State) {
        nameThisThread(state.name)
        pthread_mutex_lock(state.mutex)
        while true {
            if state.head < state.jobs.count, let executor = state.executor {
                let job = state.jobs[state.head]
                state.head += 1
                if state.head == state.jobs.count {
                    state.jobs.removeAll(keepingCapacity: state.jobs.count < 64)
                    state.head = 0
                }
                state.jobsRun += 1
                pthread_mutex_unlock(state.mutex)
                switch job {
                case .job(let job): job.runSynchronously(on: executor)
                case .action(let action): action()
                }
                pthread_mutex_lock(state.mutex)
                continue
            }
            let now = monotonicNanoseconds()
            if let first = state.timers.first, first.deadline <= now {
                state.timers.removeFirst()
                pthread_mutex_unlock(state.mutex)
                first.action()
                pthread_mutex_lock(state.mutex)
                continue
            }
            if state.closing { break }
            if let next = state.timers.first?.deadline {
                var until = timespec(tv_sec: Int(next / 1_000_000_000), tv_nsec: Int(next % 1_000_000_000))
                _ = pthread_cond_timedwait(state.condition, state.mutex, &until)
            } else {
                pthread_cond_wait(state.condition, state.mutex)
            }
        }
        pthread_mutex_unlock(state.mutex)
    }

    /// Names the calling thread (`pthread_setname_np` is not in Swift's Glibc module):
    /// Linux keeps the first 15 bytes of `/proc/thread-self/comm`.
    private static func nameThisThread(_ name: String) {
        let fd = open("/proc/thread-self/comm", O_WRONLY | O_CLOEXEC)
        guard fd >= 0 else { return }
        let bytes = Array(name.utf8.prefix(15))
        _ = bytes.withUnsafeBytes { write(fd, $0.baseAddress, $0.count) }
        close(fd)
    }

    static func monotonicNanoseconds() -> UInt64 {
        var now = timespec()
        clock_gettime(CLOCK_MONOTONIC, &now)
        return UInt64(now.tv_sec) &* 1_000_000_000 &+ UInt64(now.tv_nsec)
    }

    static func nanoseconds(_ duration: Duration) -> UInt64 {
        let (seconds, attoseconds) = duration.components
        guard seconds >= 0 else { return 0 }
        let (whole, overflow) = UInt64(seconds).multipliedReportingOverflow(by: 1_000_000_000)
        return overflow ? UInt64.max / 2 : whole &+ UInt64(max(0, attoseconds) / 1_000_000_000)
    }
}
