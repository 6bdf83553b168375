import Foundation

/// Where a person stands today before a scan, from their last check-in row of the day.
///
/// "Today" is the venue's calendar day: someone who came in yesterday and was never
/// checked out (no closing-time check-out, daemon down) starts the day absent.
public enum PresenceState: Sendable, Hashable {
    case absent
    /// In since their last entry, counted for `eventUID` if any.
    case present(since: Date, eventUID: String?)

    public var isPresent: Bool { if case .present = self { true } else { false } }
}
