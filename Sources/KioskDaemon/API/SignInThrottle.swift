import Foundation
import KioskCore
import Synchronization

/// Limits how fast one client address may try tokens: on the staff page's sign-in form
/// and with a wrong bearer token on the API.
///
/// `allowedFailures` failures within `window` are allowed, the last of them blocking the
/// address for `firstDelay`; each failure after a block ends blocks it again for twice as
/// long (up to
/// `maximumDelay`). While blocked, attempts are refused at once (429, `Retry-After`)
/// without the token being checked, so guessing costs minutes, not microseconds. An
/// address that stays quiet for `forgiveAfter` starts afresh; a successful sign-in clears
/// its window but not a block in force.
///
/// The table is bounded (`maximumAddresses`, the stalest forgotten first), so a client
/// cycling through source addresses cannot swell it.
public final class SignInThrottle: Sendable {
    public let allowedFailures: Int
    public let window: TimeInterval
    public let firstDelay: TimeInterval
    public let maximumDelay: TimeInterval
    public let forgiveAfter: TimeInterval
    public let maximumAddresses: Int

    private struct Record {
        /// Failures inside the current window, oldest first.
        var failures: [Date] = []
        var blockedUntil: Date?
        /// The next block's length.
        var nextDelay: TimeInterval
        var lastSeen: Date
    }
    private let table = Mutex<[String: Record]>([:])

    public init(
        allowedFailures: Int = 5, window: TimeInterval = 60, firstDelay: TimeInterval = 30, maximumDelay: TimeInterval = 3600,
        forgiveAfter: TimeInterval = 3600, maximumAddresses: Int = 4096
    ) {
        self.allowedFailures = max(1, allowedFailures)
        self.window = window
        self.firstDelay = firstDelay
        self.maximumDelay = maximumDelay
        self.forgiveAfter = forgiveAfter
        self.maximumAddresses = max(1, maximumAddresses)
    }

    /// What a failure or a blocked attempt did.
    public enum Verdict: Sendable, Hashable {
        /// Go on: the attempt may be checked.
        case allowed
        /// Refuse without checking, for this many more seconds (rounded up, at least 1).
        case blocked(retryAfter: Int)
    }

    /// Whether `address` may try a token now.
    public func check(_ address: String, now: Date) -> Verdict {
        table.withLock { table in
            guard var record = table[address] else { return .allowed }
            if now.timeIntervalSince(record.lastSeen) > forgiveAfter && (record.blockedUntil ?? .distantPast) <= now {
                table[address] = nil
                return .allowed
            }
            if let until = record.blockedUntil, until > now {
                record.lastSeen = now
                table[address] = record
                return .blocked(retryAfter: max(1, Int(until.timeIntervalSince(now).rounded(.up))))
            }
            return .allowed
        }
    }

    /// Records a failed attempt from `address`; returns the failures in the window and,
    /// when this one starts a block, its length in seconds.
    @discardableResult
    public func recordFailure(_ address: String, now: Date) -> (recent: Int, blockedFor: Int?) {
        table.withLock { table in
            if table[address] == nil && table.count >= maximumAddresses,
                let stalest = table.min(by: { $0.value.lastSeen < $1.value.lastSeen })?.key {
                table[stalest] = nil
            }
            var record = table[address] ?? Record(nextDelay: firstDelay, lastSeen: now)
            if now.timeIntervalSince(record.lastSeen) > forgiveAfter && (record.blockedUntil ?? .distantPast) <= now {
                record = Record(nextDelay: firstDelay, lastSeen: now)
            }
            record.lastSeen = now
            record.failures.removeAll { now.timeIntervalSince($0) >= window || $0 > now }
            record.failures.append(now)
            var blockedFor: Int?
            let afterBlock = record.nextDelay > firstDelay
            if record.failures.count >= allowedFailures || afterBlock {
                // The allowance used up, or the first failure once a block has run out.
                let delay = min(record.nextDelay, maximumDelay)
                record.blockedUntil = now.addingTimeInterval(delay)
                record.nextDelay = min(maximumDelay, delay * 2)
                record.failures = []
                blockedFor = Int(delay.rounded(.up))
            }
            table[address] = record
            return (record.failures.count, blockedFor)
        }
    }

    /// A successful sign-in: the window's failures are forgotten (a block in force stays).
    public func recordSuccess(_ address: String, now: Date) {
        table.withLock { table in
            guard var record = table[address] else { return }
            record.failures = []
            if (record.blockedUntil ?? .distantPast) <= now { record.nextDelay = firstDelay }
            table[address] = record
        }
    }

    /// Addresses being tracked (tests, diagnostics).
    public var trackedAddresses: Int { table.withLock { $0.count } }
}
