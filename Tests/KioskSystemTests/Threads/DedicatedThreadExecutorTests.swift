import Foundation
import Synchronization
import Testing
@testable import KioskSystem
#if canImport(Glibc)
import Glibc
#endif

/// An actor on a `DedicatedThreadExecutor` runs on that thread, in order, and its timers
/// fire there; the thread ends when the executor is released.
// The time limit guards against a hang only: each of the 500 hops back to the cooperative
// pool waits for a free pool thread, which the full parallel suite on 2 cores keeps busy
// (it took 121 s there once).
@Suite(.timeLimit(.minutes(5))) struct DedicatedThreadExecutorTests {
    actor Counter {
        nonisolated let executor: DedicatedThreadExecutor
        nonisolated var unownedExecutor: UnownedSerialExecutor { executor.asUnownedSerialExecutor() }
        var values: [Int] = []
        var threads = Set<String>()

        init(executor: DedicatedThreadExecutor) { self.executor = executor }

        func append(_ value: Int) {
            values.append(value)
            threads.insert(Self.threadName())
            precondition(executor.isCurrent)
        }

        static func threadName() -> String {
            let comm = (try? String(contentsOfFile: "/proc/thread-self/comm", encoding: .utf8)) ?? ""
            return comm.trimmingCharacters(in: .newlines)
        }
    }

    @Test func anActorRunsOnItsThreadInOrder() async {
        let counter = Counter(executor: DedicatedThreadExecutor(name: "test-counter"))
        for i in 0..<500 { await counter.append(i) }
        #expect(await counter.values == Array(0..<500))
        #expect(await counter.threads == ["test-counter"])
        #expect(counter.executor.jobsRun >= 500)
        #expect(!counter.executor.isCurrent)
    }

    @Test func concurrentCallersAreSerialised() async {
        let counter = Counter(executor: DedicatedThreadExecutor(name: "test-serial"))
        await withTaskGroup(of: Void.self) { group in
            for i in 0..<200 { group.addTask { await counter.append(i) } }
        }
        #expect(await counter.values.sorted() == Array(0..<200))
    }

    @Test func timersFireInDeadlineOrderOnTheThreadAndCanBeCancelled() async throws {
        let executor = DedicatedThreadExecutor(name: "test-timers")
        let fired = Mutex<[String]>([])
        let onThread = Atomic<Bool>(true)
        for (name, ms) in [("c", 90), ("a", 30), ("b", 60)] {
            executor.schedule(after: .milliseconds(ms)) {
                if !executor.isCurrent { onThread.store(false, ordering: .relaxed) }
                fired.withLock { $0.append(name) }
            }
        }
        let cancelled = executor.schedule(after: .milliseconds(45)) { fired.withLock { $0.append("cancelled") } }
        #expect(executor.cancel(cancelled))
        #expect(executor.pendingTimers == 3)
        let deadline = ContinuousClock.now + .seconds(5)
        while fired.withLock({ $0.count }) < 3, ContinuousClock.now < deadline { try await Task.sleep(for: .milliseconds(10)) }
        #expect(fired.withLock { $0 } == ["a", "b", "c"])
        let allOnThread = onThread.load(ordering: .relaxed)
        #expect(allOnThread)
        #expect(!executor.cancel(cancelled), "a cancelled timer is gone")
        executor.schedule(after: .seconds(60)) {}
        executor.cancelAllTimers()
        #expect(executor.pendingTimers == 0)
    }

    @Test func assumeIsolatedWorksFromATimer() async throws {
        let counter = Counter(executor: DedicatedThreadExecutor(name: "test-assume"))
        counter.executor.schedule(after: .milliseconds(5)) { counter.assumeIsolated { $0.append(42) } }
        let deadline = ContinuousClock.now + .seconds(5)
        while await counter.values.isEmpty, ContinuousClock.now < deadline { try await Task.sleep(for: .milliseconds(5)) }
        #expect(await counter.values == [42])
    }

    @Test func theThreadEndsWhenTheExecutorIsReleased() async throws {
        func named(_ name: String) -> Bool {
            ((try? FileManager.default.contentsOfDirectory(atPath: "/proc/self/task")) ?? []).contains { task in
                (try? String(contentsOfFile: "/proc/self/task/\(task)/comm", encoding: .utf8))?.hasPrefix(name) == true
            }
        }
        do {
            let counter = Counter(executor: DedicatedThreadExecutor(name: "test-ends"))
            await counter.append(1)
            #expect(named("test-ends"))
        }
        let deadline = ContinuousClock.now + .seconds(5)
        while named("test-ends"), ContinuousClock.now < deadline { try await Task.sleep(for: .milliseconds(10)) }
        #expect(!named("test-ends"), "the executor's thread is gone once nothing holds it")
    }
}
