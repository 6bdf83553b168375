import Foundation
import Synchronization

/// A part of the daemon with a lifecycle, in the spirit of swift-service-lifecycle's
/// `Service`: `run` opens what it needs, calls `lifecycle.ready()` once it can be relied
/// on (the next service is started only then), works until `lifecycle` asks it to shut
/// down (or its task is cancelled, past the group's deadline), releases what it opened,
/// and returns. Returning early, or throwing, stops the whole group.
public protocol DaemonService: Sendable {
    /// A short name for the journal and for `ServiceGroup.replace` (`feed:programme`).
    var name: String { get }
    func run(_ lifecycle: ServiceLifecycle) async throws
}

/// What a running service is told by its group: start-up done, shutdown asked.
public final class ServiceLifecycle: Sendable {
    private struct State {
        var ready = false
        var readyWaiters: [CheckedContinuation<Bool, Never>] = []
        var shuttingDown = false
        var shutdownWaiters: [Int: CheckedContinuation<Void, Never>] = [:]
        var nextWaiter = 0
        var ended = false
    }
    private let state = Mutex(State())
    public let name: String

    init(name: String) { self.name = name }

    /// The service has started: the group may start the next one.
    public func ready() {
        let waiters = state.withLock { s -> [CheckedContinuation<Bool, Never>] in
            guard !s.ready else { return [] }
            s.ready = true
            defer { s.readyWaiters = [] }
            return s.readyWaiters
        }
        for w in waiters { w.resume(returning: true) }
    }

    /// True once the service said it was ready.
    var becameReady: Bool { state.withLock { $0.ready } }
    /// True once the group asked the service to stop.
    public var isShuttingDown: Bool { state.withLock { $0.shuttingDown } }
    /// True once `run` returned (or threw).
    var hasEnded: Bool { state.withLock { $0.ended } }

    /// Returns when the group asks the service to stop, or when the task is cancelled.
    public func waitForShutdown() async {
        let id = state.withLock { s -> Int in s.nextWaiter += 1; return s.nextWaiter }
        await withTaskCancellationHandler {
            await withCheckedContinuation { (continuation: CheckedContinuation<Void, Never>) in
                let resumeNow = state.withLock { s -> Bool in
                    if s.shuttingDown || Task.isCancelled { return true }
                    s.shutdownWaiters[id] = continuation
                    return false
                }
                if resumeNow { continuation.resume() }
            }
        } onCancel: {
            state.withLock { $0.shutdownWaiters.removeValue(forKey: id) }?.resume()
        }
    }

    /// Runs `body` until it returns or shutdown is asked (then its task is cancelled):
    /// for a loop that sleeps (a feed puller, a tick loop).
    public func cancelOnShutdown(_ body: @escaping @Sendable () async -> Void) async {
        await withTaskGroup(of: Void.self) { group in
            group.addTask { await body() }
            group.addTask { await self.waitForShutdown() }
            await group.next()
            group.cancelAll()
        }
    }

    func requestShutdown() {
        let waiters = state.withLock { s -> [CheckedContinuation<Void, Never>] in
            guard !s.shuttingDown else { return [] }
            s.shuttingDown = true
            defer { s.shutdownWaiters = [:] }
            return Array(s.shutdownWaiters.values)
        }
        for w in waiters { w.resume() }
    }

    /// Waits until `ready()` or the end of the service; true when it became ready.
    func untilReadyOrEnded() async -> Bool {
        await withCheckedContinuation { continuation in
            let answer = state.withLock { s -> Bool? in
                if s.ready { return true }
                if s.ended { return false }
                s.readyWaiters.append(continuation)
                return nil
            }
            if let answer { continuation.resume(returning: answer) }
        }
    }

    func markEnded() {
        let waiters = state.withLock { s -> [CheckedContinuation<Bool, Never>] in
            s.ended = true
            defer { s.readyWaiters = [] }
            return s.ready ? [] : s.readyWaiters
        }
        for w in waiters { w.resume(returning: false) }
    }
}

/// Runs the daemon's services: started one after the other in order (each once ready),
/// stopped in reverse order when one fails or ends, or when `shutdown(reason:)` is called
/// (SIGTERM), each given `shutdownDeadline` before its task is cancelled; every service's
/// task is awaited before `run` returns. `replace` swaps services while running (a
/// reload): the old one is stopped and awaited, the new one started in its place.
public final class ServiceGroup: Sendable {
    public struct Failure: Error, Sendable, CustomStringConvertible {
        public var service: String
        public var message: String
        /// What the service threw (nil when it ended on its own).
        public var error: (any Error)?
        public var description: String { "\(service): \(message)" }
    }

    /// Where the group is: starting its services, all of them running, stopping, stopped.
    public enum Phase: Int, Sendable, Comparable {
        case starting, running, stopping, stopped
        public static func < (a: Phase, b: Phase) -> Bool { a.rawValue < b.rawValue }
    }
    public var phase: Phase { shared.withLock { $0.phase } }

    /// What happened, in order (tests and the journal): `started NAME`, `stopped NAME`, `failed NAME: …`.
    public var history: [String] { shared.withLock { $0.history } }
    /// Service tasks not ended yet (a swapped service must not leave one behind).
    public var runningTasks: Int { shared.withLock { $0.running } }
    /// The services in start order, as they are now (without a replacement that could not start).
    public var serviceNames: [String] { shared.withLock { $0.order.filter { !$0.couldNotStart }.map(\.service.name) } }

    private final class Entry: Sendable {
        let service: any DaemonService
        let lifecycle: ServiceLifecycle
        let task: Mutex<Task<Error?, Never>?> = Mutex(nil)
        /// Set when the group itself stops it: its end is then expected, not a failure.
        let stopping = Atomic<Bool>(false)
        /// Started by `replace`: a failure before it is ready is `replace`'s to report,
        /// not the group's.
        let isReplacement: Bool
        init(_ service: any DaemonService, isReplacement: Bool = false) {
            self.service = service
            self.lifecycle = ServiceLifecycle(name: service.name)
            self.isReplacement = isReplacement
        }
        /// Its end stops the group: not when the group stopped it, nor when it is a
        /// replacement that never became ready.
        var endStopsGroup: Bool {
            !stopping.load(ordering: .relaxed) && !(isReplacement && !lifecycle.becameReady)
        }
        /// A replacement that ended before it was ready: it keeps its place in the order
        /// for the next `replace` of that name, and nothing else.
        var couldNotStart: Bool { isReplacement && lifecycle.hasEnded && !lifecycle.becameReady }
    }

    private struct Shared {
        var order: [Entry] = []
        var history: [String] = []
        var running = 0
        var stopReason: String?
        /// The group is stopping its services (asked to, or one failed): `replace` no
        /// longer starts any.
        var stopping = false
        var phase = Phase.starting
        var phaseWaiters: [(Phase, CheckedContinuation<Phase, Never>)] = []
        var stopWaiter: CheckedContinuation<Void, Never>?
        var events: [Event] = []
        var eventWaiter: CheckedContinuation<Event, Never>?
    }

    private enum Event: Sendable {
        case ended(ObjectIdentifier, Error?)
        case stop
    }

    private let shared: Mutex<Shared>
    let shutdownDeadline: Duration
    let log: @Sendable (String) -> Void

    public init(services: [any DaemonService], shutdownDeadline: Duration = .seconds(10), log: @escaping @Sendable (String) -> Void = { _ in }) {
        shared = Mutex(Shared(order: services.map { Entry($0) }))
        self.shutdownDeadline = shutdownDeadline
        self.log = log
    }

    /// Asks the group to stop (from a signal handler's task, any thread).
    public func shutdown(reason: String) {
        let first = shared.withLock { s -> Bool in
            guard s.stopReason == nil else { return false }
            s.stopReason = reason
            return true
        }
        if first { post(.stop) }
    }

    /// Starts the services in order and runs until they are all stopped again. Throws the
    /// first failure (a service that threw, or ended on its own) once everything stopped.
    public func run() async throws {
        var failure: Failure?
        let entries = shared.withLock { $0.order }
        for entry in entries {
            if shared.withLock({ $0.stopReason != nil }) { break }
            // (A `replace` that came before this task ran may have started it already, or
            // replaced it: then it is not started here.)
            let live = shared.withLock { s -> Bool in
                _ = launch(entry, in: &s)
                return s.order.contains { $0 === entry }
            }
            guard live else { continue }
            if await !entry.lifecycle.untilReadyOrEnded() {
                if entry.stopping.load(ordering: .relaxed) { continue }  // replaced meanwhile
                failure = await endReason(of: entry)
                break
            }
            record("started \(entry.service.name)")
        }
        if failure == nil { enter(.running) }
        // Running: wait for a stop request or a service's end.
        while failure == nil, shared.withLock({ $0.stopReason == nil }) {
            switch await nextEvent() {
            case .stop: break
            case .ended(let id, let error):
                guard let entry = shared.withLock({ s in s.order.first { ObjectIdentifier($0) == id } }),
                      entry.endStopsGroup else { continue }  // replaced, being replaced, or a replacement that could not start
                failure = Failure(service: entry.service.name, message: error.map { "\($0)" } ?? "ended on its own", error: error)
            }
        }
        if let failure { record("failed \(failure.service): \(failure.message)") }
        enter(.stopping)
        // Stop in reverse order of the services running now; from here on `replace`
        // starts nothing (`stopping`), so none is left running behind.
        while true {
            let running = shared.withLock { s in
                s.stopping = true
                return s.order.filter { e in e.task.withLock { $0 != nil } }
            }
            if running.isEmpty { break }
            for entry in running.reversed() { await stop(entry) }
        }
        enter(.stopped)
        if let failure { throw failure }
    }

    /// Stops the service named `name` (awaiting its end) and starts `replacement` in its
    /// place; with no current service of that name, starts `replacement` last; with a nil
    /// replacement, only stops. Returns once the new one is ready, or with its failure
    /// when it threw or ended before it was ready: then its task is awaited and the group
    /// runs on without a service of that name (keeping its place for the next `replace`
    /// of that name), and the caller decides (kioskd's reload starts the previous
    /// configuration again). A replacement that fails after it was ready stops the group
    /// like any service.
    @discardableResult
    public func replace(_ name: String, with replacement: (any DaemonService)?) async -> Failure? {
        let old = shared.withLock { s in s.order.first { $0.service.name == name } }
        if let old { await stop(old) }
        let entry = replacement.map { Entry($0, isReplacement: true) }
        // Inserted and started under the same lock as `stopping`: the stop loop sees it.
        let launched = shared.withLock { s -> Bool in
            let index = old.flatMap { o in s.order.firstIndex { $0 === o } }
            if let index { s.order.remove(at: index) }
            guard let entry, !s.stopping, s.stopReason == nil else { return false }
            s.order.insert(entry, at: index ?? s.order.count)
            return launch(entry, in: &s)
        }
        guard launched, let entry, let replacement else { return nil }
        if await entry.lifecycle.untilReadyOrEnded() {
            record("started \(replacement.name)")
            return nil
        }
        let failure = await endReason(of: entry)
        entry.stopping.store(true, ordering: .relaxed)
        entry.task.withLock { $0 = nil }
        record("failed \(failure.service): \(failure.message)")
        return failure
    }

    /// Waits until the group has reached `phase` (or gone past it) and returns where it
    /// is: `until(.running)` answers `.running` once every service is ready, or
    /// `.stopping`/`.stopped` when one failed to start or a stop was asked first.
    public func until(_ phase: Phase) async -> Phase {
        await withCheckedContinuation { continuation in
            let now = shared.withLock { s -> Phase? in
                if s.phase >= phase { return s.phase }
                s.phaseWaiters.append((phase, continuation))
                return nil
            }
            if let now { continuation.resume(returning: now) }
        }
    }

    // MARK: Internals

    private func enter(_ phase: Phase) {
        let (woken, now) = shared.withLock { s -> ([CheckedContinuation<Phase, Never>], Phase) in
            s.phase = max(s.phase, phase)
            let due = s.phaseWaiters.filter { $0.0 <= s.phase }.map(\.1)
            s.phaseWaiters.removeAll { $0.0 <= s.phase }
            return (due, s.phase)
        }
        for w in woken { w.resume(returning: now) }
    }

    /// Starts `entry`'s task unless it has one or was replaced meanwhile (called with
    /// `shared` locked).
    private func launch(_ entry: Entry, in s: inout Shared) -> Bool {
        guard entry.task.withLock({ $0 == nil }), s.order.contains(where: { $0 === entry }) else { return false }
        s.running += 1
        let task = Task { [self] () -> Error? in
            var failure: Error?
            do { try await entry.service.run(entry.lifecycle) } catch { failure = error }
            entry.lifecycle.markEnded()
            shared.withLock { $0.running -= 1 }
            post(.ended(ObjectIdentifier(entry), failure))
            return failure
        }
        entry.task.withLock { $0 = task }
        return true
    }

    /// Asks `entry` to stop, waits up to the deadline, then cancels it and waits for it.
    private func stop(_ entry: Entry) async {
        guard let task = entry.task.withLock({ $0 }) else { return }
        // One that failed or ended on its own is only awaited (its end is in the history).
        let endedBefore = entry.lifecycle.hasEnded
        entry.stopping.store(true, ordering: .relaxed)
        entry.lifecycle.requestShutdown()
        let deadline = shutdownDeadline
        let inTime = await withTaskGroup(of: Bool.self) { group in
            group.addTask { _ = await task.value; return true }
            group.addTask { try? await Task.sleep(for: deadline); return false }
            let first = await group.next() ?? true
            // Past the deadline the service's task is cancelled here, so that the child
            // awaiting its value (not cancellable itself) can end.
            if !first { task.cancel() }
            group.cancelAll()
            return first
        }
        if !inTime { record("cancelled \(entry.service.name) after \(deadline)") }
        _ = await task.value
        entry.task.withLock { $0 = nil }
        if !endedBefore { record("stopped \(entry.service.name)") }
    }

    private func endReason(of entry: Entry) async -> Failure {
        let error = await entry.task.withLock({ $0 })?.value
        return Failure(service: entry.service.name, message: error.map { "\($0)" } ?? "ended before it was ready", error: error)
    }

    private func record(_ line: String) {
        shared.withLock { $0.history.append(line) }
        log(line)
    }

    private func post(_ event: Event) {
        let waiter = shared.withLock { s -> CheckedContinuation<Event, Never>? in
            if let w = s.eventWaiter { s.eventWaiter = nil; return w }
            s.events.append(event)
            return nil
        }
        waiter?.resume(returning: event)
    }

    private func nextEvent() async -> Event {
        await withCheckedContinuation { continuation in
            let ready = shared.withLock { s -> Event? in
                if !s.events.isEmpty { return s.events.removeFirst() }
                s.eventWaiter = continuation
                return nil
            }
            if let ready { continuation.resume(returning: ready) }
        }
    }
}

/// A part of the daemon opened once and closed at the end (the lobby, the badge reader,
/// the HTTP server…): ready as soon as `start` returns, closed with `stop` when the group
/// stops it. A `start` that throws stops the group (the services started before it are
/// stopped in reverse).
public struct StartStopService<Part: Sendable>: DaemonService {
    public let name: String
    let start: @Sendable () async throws -> Part
    let stop: @Sendable (Part) async -> Void

    public init(_ name: String, start: @escaping @Sendable () async throws -> Part, stop: @escaping @Sendable (Part) async -> Void) {
        self.name = name
        self.start = start
        self.stop = stop
    }

    public func run(_ lifecycle: ServiceLifecycle) async throws {
        let part = try await start()
        lifecycle.ready()
        await lifecycle.waitForShutdown()
        await stop(part)
    }
}
