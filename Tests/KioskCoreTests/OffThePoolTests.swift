import Foundation
import Testing
import KioskTestSupport

/// The test helper that moves async product code off the cooperative pool really does:
/// the body, what it awaits, its child tasks and what follows a call into an actor run on
/// the executor's thread, however the body was suspended.
@Suite struct OffThePoolTests {
    /// The system's name of the thread this runs on.
    static func threadName() -> String {
        let name = (try? String(contentsOfFile: "/proc/thread-self/comm", encoding: .utf8)) ?? ""
        return name.trimmingCharacters(in: .newlines)
    }

    static func nameAfterASuspension() async -> String {
        await Task.yield()
        return threadName()
    }

    static func nameAfterAContinuation() async -> String {
        await withCheckedContinuation { (c: CheckedContinuation<Void, Never>) in
            Thread { c.resume() }.start()
        }
        return threadName()
    }

    static func nameAfterASleep() async -> String {
        try? await Task.sleep(for: .milliseconds(5))
        return threadName()
    }

    actor Elsewhere {
        func name() -> String { OffThePoolTests.threadName() }
    }

    @Test func theBodyAndItsChildTasksRunOnTheExecutorsThread() async throws {
        #expect(Self.threadName() != "test-executor")
        let (body, awaited, child, afterActor) = await offThePool {
            let body = Self.threadName()
            let awaited = [await Self.nameAfterASuspension(), await Self.nameAfterAContinuation(), await Self.nameAfterASleep()]
            async let child = Self.nameAfterASuspension()
            _ = await Elsewhere().name()
            let afterActor = Self.threadName()
            return (body, awaited, await child, afterActor)
        }
        #expect(body == "test-executor")
        #expect(awaited == ["test-executor", "test-executor", "test-executor"], "after a yield, a continuation resumed by another thread, a sleep")
        #expect(child == "test-executor")
        #expect(afterActor == "test-executor")
        #expect(Self.threadName() != "test-executor")
    }

    /// A failed expectation in the body is the test's (the body runs in the test's task):
    /// tests wrapped whole in `offThePool` can still fail.
    @Test func anExpectationInTheBodyIsRecordedForTheTest() async {
        await withKnownIssue {
            await offThePool { #expect(Bool(false), "recorded from the executor's thread") }
        }
    }

    @Test func anErrorThrownInTheBodyReachesTheTest() async {
        struct Refused: Error {}
        await #expect(throws: Refused.self) {
            try await offThePool { () async throws -> Int in throw Refused() }
        }
    }
}
