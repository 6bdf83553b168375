import Foundation
import KioskTestSupport
import Synchronization
import Testing
@testable import KioskDaemon

/// The daemon's services: started in order, each once the one before is ready; stopped in
/// reverse on a shutdown or when one fails; a service deaf to shutdown is cancelled at the
/// deadline; a replaced service leaves no task behind.
@Suite(.timeLimit(.minutes(5))) struct ServiceGroupTests {
    final class Log: Sendable {
        let lines = Mutex<[String]>([])
        func add(_ line: String) { lines.withLock { $0.append(line) } }
        var all: [String] { lines.withLock { $0 } }
    }

    /// Records its start, readiness and stop; may fail after a delay or ignore shutdown.
    struct Probe: DaemonService {
        let name: String
        let log: Log
        var readyAfter: Duration = .zero
        /// Fails once `log` has this line (another service ready, say).
        var failOnceLogged: String?
        var ignoresShutdown = false
        /// Throws before it is ready (a port taken).
        var failsBeforeReady = false
        /// Inner tasks alive now (a puller's loop, say), across every probe of `log`.
        var live: Tasks?

        final class Tasks: Sendable { let count = Atomic<Int>(0) }

        struct Broke: Error, CustomStringConvertible { var description: String { "broke" } }

        func run(_ lifecycle: ServiceLifecycle) async throws {
            log.add("start \(name)")
            if failsBeforeReady {
                log.add("fail \(name)")
                throw Broke()
            }
            if readyAfter > .zero { try? await Task.sleep(for: readyAfter) }
            lifecycle.ready()
            log.add("ready \(name)")
            if let failOnceLogged {
                _ = await ServiceGroupTests.until { log.all.contains(failOnceLogged) }
                log.add("fail \(name)")
                throw Broke()
            }
            if ignoresShutdown {
                while !Task.isCancelled { try? await Task.sleep(for: .milliseconds(20)) }
                log.add("cancelled \(name)")
                return
            }
            if let live {
                await lifecycle.cancelOnShutdown {
                    live.count.add(1, ordering: .relaxed)
                    while !Task.isCancelled { try? await Task.sleep(for: .seconds(60)) }
                    live.count.subtract(1, ordering: .relaxed)
                }
            } else {
                await lifecycle.waitForShutdown()
            }
            log.add("stop \(name)")
        }
    }

    /// Polls `condition`; the long default is for a loaded machine (the suite's time limit
    /// catches a hang), not a timing claim.
    static func until(_ seconds: Double = 240, _ condition: () -> Bool) async -> Bool {
        await eventually(timeout: seconds, every: .milliseconds(5), condition)
    }

    @Test func servicesStartInOrderOnceReadyAndStopInReverse() async throws {
        let log = Log()
        let group = ServiceGroup(services: [
            Probe(name: "display", log: log, readyAfter: .milliseconds(50)),
            Probe(name: "store", log: log, readyAfter: .milliseconds(20)),
            Probe(name: "lobby", log: log),
        ])
        let running = Task { try await group.run() }
        #expect(await Self.until { log.all.contains("ready lobby") })
        group.shutdown(reason: "SIGTERM")
        try await running.value
        #expect(log.all == [
            "start display", "ready display", "start store", "ready store", "start lobby", "ready lobby",
            "stop lobby", "stop store", "stop display",
        ])
        #expect(group.runningTasks == 0)
    }

    @Test func aFailingServiceStopsTheOthersInReverse() async throws {
        let log = Log()
        let group = ServiceGroup(services: [
            Probe(name: "display", log: log), Probe(name: "reader", log: log, failOnceLogged: "ready http"),
            Probe(name: "feed:a", log: log), Probe(name: "http", log: log),
        ])
        await #expect(throws: ServiceGroup.Failure.self) { try await group.run() }
        #expect(Array(log.all.suffix(4)) == ["fail reader", "stop http", "stop feed:a", "stop display"])
        #expect(group.history.contains { $0.hasPrefix("failed reader: broke") })
        #expect(group.runningTasks == 0)
    }

    @Test func aServiceDeafToShutdownIsCancelledAtTheDeadline() async throws {
        let log = Log()
        let group = ServiceGroup(services: [Probe(name: "a", log: log), Probe(name: "deaf", log: log, ignoresShutdown: true)], shutdownDeadline: .milliseconds(200))
        let running = Task { try await group.run() }
        #expect(await Self.until { log.all.contains("ready deaf") })
        let asked = ContinuousClock.now
        group.shutdown(reason: "test")
        try await running.value
        #expect(asked.duration(to: .now) >= .milliseconds(200))
        #expect(log.all.suffix(2) == ["cancelled deaf", "stop a"])
        #expect(group.history.contains("cancelled deaf after 0.2 seconds"))
    }

    @Test func aReloadThatSwapsAFeedPullerLeavesNoTaskBehind() async throws {
        let log = Log()
        let live = Probe.Tasks()
        let group = ServiceGroup(services: [Probe(name: "lobby", log: log), Probe(name: "feed:a", log: log, live: live), Probe(name: "http", log: log)])
        let running = Task { try await group.run() }
        #expect(await Self.until { log.all.contains("ready http") && live.count.load(ordering: .relaxed) == 1 })
        #expect(group.runningTasks == 3)
        for round in 0..<5 {
            await group.replace("feed:a", with: Probe(name: "feed:a", log: log, live: live))
            #expect(await Self.until { live.count.load(ordering: .relaxed) == 1 }, "round \(round)")
            #expect(group.runningTasks == 3, "round \(round): one task per service, the old puller's awaited")
        }
        #expect(group.serviceNames == ["lobby", "feed:a", "http"], "the new puller takes the old one's place")
        await group.replace("feed:b", with: Probe(name: "feed:b", log: log, live: live))
        await group.replace("feed:a", with: nil)
        #expect(group.serviceNames == ["lobby", "http", "feed:b"])
        #expect(group.runningTasks == 3)
        group.shutdown(reason: "test")
        try await running.value
        #expect(live.count.load(ordering: .relaxed) == 0)
        #expect(group.runningTasks == 0)
        #expect(log.all.filter { $0 == "stop feed:a" }.count == 6)
    }

    /// A reload can come before the group's own task ran, or while it is stopping: the
    /// service is started once, or not at all, and no task outlives `run`.
    @Test func aReplaceBeforeTheGroupRunsOrWhileItStopsLeavesOneTaskOrNone() async throws {
        let log = Log()
        let group = ServiceGroup(services: [Probe(name: "lobby", log: log), Probe(name: "feed:a", log: log)])
        await group.replace("feed:b", with: Probe(name: "feed:b", log: log))
        await group.replace("feed:a", with: Probe(name: "feed:a", log: log, readyAfter: .milliseconds(10)))
        #expect(group.runningTasks == 2, "feed:b and the new feed:a, started by replace")
        let running = Task { try await group.run() }
        #expect(await Self.until { log.all.contains("ready lobby") })
        #expect(group.runningTasks == 3, "run started the lobby alone")
        #expect(log.all.filter { $0.hasPrefix("start ") }.sorted() == ["start feed:a", "start feed:b", "start lobby"])
        group.shutdown(reason: "test")
        await group.replace("feed:c", with: Probe(name: "feed:c", log: log))
        try await running.value
        await group.replace("feed:d", with: Probe(name: "feed:d", log: log))
        #expect(group.runningTasks == 0)
        #expect(!log.all.contains("start feed:c") && !log.all.contains("start feed:d"), "nothing starts once the group stops")
    }

    /// A replacement that cannot start is `replace`'s failure, not the group's: the group
    /// runs on without it, its task awaited, and the next one of that name takes its place.
    @Test func aReplacementThatCannotStartIsReturnedAndTheGroupRunsOn() async throws {
        let log = Log()
        let group = ServiceGroup(services: [Probe(name: "lobby", log: log), Probe(name: "http", log: log), Probe(name: "feed:a", log: log)])
        let running = Task { try await group.run() }
        #expect(await group.until(.running) == .running)
        let failure = await group.replace("http", with: Probe(name: "http", log: log, failsBeforeReady: true))
        #expect(failure?.service == "http")
        #expect(failure?.error is Probe.Broke)
        #expect(group.serviceNames == ["lobby", "feed:a"])
        #expect(group.runningTasks == 2)
        #expect(group.phase == .running)
        #expect(await group.replace("http", with: Probe(name: "http", log: log)) == nil)
        #expect(group.serviceNames == ["lobby", "http", "feed:a"])
        #expect(group.runningTasks == 3)
        group.shutdown(reason: "test")
        try await running.value
        #expect(Array(log.all.suffix(3)) == ["stop feed:a", "stop http", "stop lobby"])
        #expect(group.history.contains("failed http: broke"))
        #expect(group.runningTasks == 0)
    }
}
