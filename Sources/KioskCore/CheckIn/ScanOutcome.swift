import Foundation

/// What a badge scan did, returned by the ledger once it is committed to disk: the
/// screen may draw the welcome only after it has one.
public struct ScanOutcome: Sendable, Hashable {
    /// The tag as stored (normalised: trimmed, upper-case).
    public var tag: String
    /// Whole seconds, as stored.
    public var at: Date
    public var decision: CheckInDecision
    /// The `checkins` row written, or the `unknown_scans` row for an unknown badge.
    public var recordID: Int64
    /// Whether this scan raised the anonymous count of the day (first entry of the
    /// person today) and of the event (first entry counted for it today).
    public var countedForDay: Bool
    public var countedForEvent: Bool

    public init(tag: String, at: Date, decision: CheckInDecision, recordID: Int64, countedForDay: Bool = false, countedForEvent: Bool = false) {
        self.tag = tag
        self.at = at
        self.decision = decision
        self.recordID = recordID
        self.countedForDay = countedForDay
        self.countedForEvent = countedForEvent
    }

    /// The text to show for this scan (see ``WelcomeMessage``).
    public func welcome(language: Language, showLastNames: Bool = false, host: Resident? = nil) -> WelcomeMessage {
        WelcomeMessage(decision: decision, language: language, showLastNames: showLastNames, host: host)
    }
}
