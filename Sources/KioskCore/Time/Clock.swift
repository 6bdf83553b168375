import Foundation

/// Where every component asks for "now". Tests and `kioskctl render --at` fix it.
public protocol Clock: Sendable {
    /// The current instant (wall clock: may jump, may be wrong on a board without RTC).
    func now() -> Date
    /// Seconds of this clock per real second: 1, except for the test-only
    /// `AcceleratedClock`. Whoever sleeps until an instant of this clock divides the
    /// wait by it (`realDuration(of:)`).
    var rate: Double { get }
}

extension Clock {
    public var rate: Double { 1 }

    /// How long to really sleep for `seconds` of this clock to pass.
    public func realDuration(of seconds: TimeInterval) -> Duration {
        .milliseconds(Int64((max(0, seconds) / rate * 1000).rounded(.up)))
    }
}

/// The system's wall clock.
public struct SystemClock: Clock {
    public init() {}
    public func now() -> Date { Date() }
}

/// A clock stopped at one instant; `advance` moves it (tests, renders, simulations).
public final class FixedClock: Clock, @unchecked Sendable {
    // @unchecked: `instant` is guarded by `lock`.
    private let lock = NSLock()
    private var instant: Date

    public init(_ instant: Date) { self.instant = instant }

    public func now() -> Date { lock.withLock { instant } }

    public func set(_ date: Date) { lock.withLock { instant = date } }

    public func advance(by seconds: TimeInterval) { lock.withLock { instant += seconds } }
}

/// A clock that starts at a chosen instant and then runs at the real pace: what
/// `kioskd --at` uses to show a given moment live (demos, screenshots, tests).
public struct OffsetClock: Clock {
    private let start: Date
    private let origin: ContinuousClock.Instant

    public init(startingAt start: Date) {
        self.start = start
        origin = ContinuousClock.now
    }

    public func now() -> Date {
        let elapsed = ContinuousClock.now - origin
        let seconds = Double(elapsed.components.seconds) + Double(elapsed.components.attoseconds) / 1e18
        return start.addingTimeInterval(seconds)
    }
}

/// A clock that starts at a chosen instant and runs `rate` times faster than real time:
/// the long-run test's simulated week (`kioskd --at START` with
/// `$KIOSK_DEBUG_CLOCK_RATE`). Every sleep in the daemon that waits for an instant of the
/// clock is divided by `rate`, so minute ticks, panel rotations, feed refreshes and the
/// nightly purge all happen, only sooner. A test hook: never set it in production.
public struct AcceleratedClock: Clock {
    private let start: Date
    private let origin: ContinuousClock.Instant
    public let rate: Double

    public init(startingAt start: Date, rate: Double) {
        precondition(rate > 0, "a clock rate is positive")
        self.start = start
        self.rate = rate
        origin = ContinuousClock.now
    }

    public func now() -> Date {
        let elapsed = ContinuousClock.now - origin
        let seconds = Double(elapsed.components.seconds) + Double(elapsed.components.attoseconds) / 1e18
        return start.addingTimeInterval(seconds * rate)
    }
}
