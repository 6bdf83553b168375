import Foundation

/// How long a feed waits before its next fetch: its refresh interval after a success;
/// after failures, exponential backoff with jitter, never longer than the refresh interval.
///
/// "Full jitter on the upper half": the delay is drawn in [d/2, d] where
/// d = min(cap, base * 2^(failures-1)), so that kiosks of a network that lost the same
/// server do not all come back at the same second.
public struct FeedBackoff: Sendable, Hashable {
    public var base: TimeInterval
    public var cap: TimeInterval

    public init(base: TimeInterval = 30, cap: TimeInterval) {
        self.base = base
        self.cap = max(base, cap)
    }

    /// The ceiling of the delay after `failures` consecutive failures (0 = success).
    public func ceiling(afterFailures failures: Int) -> TimeInterval {
        guard failures > 0 else { return cap }
        let exponent = Double(min(failures - 1, 30))
        return min(cap, base * pow(2, exponent))
    }

    /// The delay to wait, `unit` in [0, 1) chosen by the caller (random in the daemon).
    public func delay(afterFailures failures: Int, unit: Double) -> TimeInterval {
        let ceiling = ceiling(afterFailures: failures)
        guard failures > 0 else { return ceiling }
        return ceiling / 2 + ceiling / 2 * min(max(unit, 0), 1)
    }
}
