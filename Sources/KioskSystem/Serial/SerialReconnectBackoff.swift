/// How long `SerialReader` waits between attempts to reopen a vanished device.
///
/// Exponential: `initial`, doubled per failed attempt, capped at `maximum`
/// (defaults 0.5 s, 1 s, 2 s, 4 s, 8 s, 10 s, 10 s...). The count restarts only after a
/// connection proved good (it delivered bytes or stayed up `stableAfter`), so a device
/// node that opens but fails at once does not make the loop spin at the first delay.
public struct SerialReconnectBackoff: Sendable, Hashable {
    public var initial: Duration
    public var maximum: Duration
    public var stableAfter: Duration

    public init(initial: Duration = .milliseconds(500), maximum: Duration = .seconds(10), stableAfter: Duration = .seconds(5)) {
        precondition(initial > .zero && maximum >= initial, "backoff needs 0 < initial <= maximum")
        self.initial = initial
        self.maximum = maximum
        self.stableAfter = stableAfter
    }

    /// The wait before attempt number `attempt` (1 for the first retry).
    public func delay(beforeAttempt attempt: Int) -> Duration {
        var delay = initial
        for _ in 1..<max(1, attempt) {
            delay = delay * 2
            if delay >= maximum { return maximum }
        }
        return min(delay, maximum)
    }
}
