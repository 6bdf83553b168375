/// Drops the repeats a reader sends while a card stays on its antenna.
///
/// A read passes when its tag differs from the last one that passed, or when more than
/// `window` has elapsed since the same tag was last *seen* (passed or dropped): a card
/// left on the reader stays silent, and is let through again once it has been away for
/// `window`. Time is a monotonic instant given by the caller (`ContinuousClock.now` in
/// the daemon, fixed instants in tests), so wall-clock jumps on a board without RTC do
/// not matter. Pure value; owned by whoever owns the reader.
public struct BadgeDebouncer: Sendable {
    public let window: Duration
    private var last: (tagID: String, seenAt: ContinuousClock.Instant)?

    /// - Parameter window: how long a repeat of the same tag is dropped (default 1.5 s).
    public init(window: Duration = .milliseconds(1500)) {
        self.window = window
    }

    /// Whether `read`, seen at `instant`, is a new scan (true) or a repeat to drop (false).
    public mutating func admit(_ read: BadgeRead, at instant: ContinuousClock.Instant) -> Bool {
        defer { last = (read.tagID, instant) }
        guard let last, last.tagID == read.tagID else { return true }
        return last.seenAt.duration(to: instant) > window
    }

    /// Forgets the last tag (e.g. after the reader reconnected).
    public mutating func reset() { last = nil }
}
