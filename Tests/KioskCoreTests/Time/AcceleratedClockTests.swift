import Foundation
import Testing
import KioskCore

/// The long-run test's clock: it must run `rate` times faster than real time, and a
/// sleep for a span of it must be that span divided by the rate (what the daemon's tick
/// loop, feed pullers and chores rely on to keep every event of a simulated week).
@Suite struct AcceleratedClockTests {
    @Test func startsAtTheGivenInstantAndRunsRateTimesFaster() async throws {
        let start = try #require(ISO8601.parse("2026-11-23T00:00:00+01:00"))
        let clock = AcceleratedClock(startingAt: start, rate: 2000)
        let first = clock.now()
        #expect(first >= start && first.timeIntervalSince(start) < 60, "\(first.timeIntervalSince(start)) s after start")
        let realBefore = ContinuousClock.now
        try await Task.sleep(for: .milliseconds(50))
        let simulated = clock.now().timeIntervalSince(first)
        let real = ContinuousClock.now - realBefore
        let realSeconds = Double(real.components.seconds) + Double(real.components.attoseconds) / 1e18
        // At least 0.05 s really passed, so at least 100 simulated seconds; at most what
        // really passed (plus the two readings) times the rate.
        #expect(simulated >= 100)
        #expect(simulated <= (realSeconds + 0.01) * 2000)
    }

    @Test func realDurationDividesByTheRate() {
        let fast = AcceleratedClock(startingAt: Date(timeIntervalSince1970: 0), rate: 3000)
        #expect(fast.rate == 3000)
        #expect(fast.realDuration(of: 900) == .milliseconds(300))   // a 15-minute feed refresh
        #expect(fast.realDuration(of: 60) == .milliseconds(20))     // a minute tick
        #expect(fast.realDuration(of: -5) == .zero)
        // Every other clock runs at the real pace: a sleep stays what it says.
        #expect(SystemClock().rate == 1)
        #expect(FixedClock(Date()).realDuration(of: 1.5) == .milliseconds(1500))
        #expect(OffsetClock(startingAt: Date()).realDuration(of: 0.0004) == .milliseconds(1))
    }
}
