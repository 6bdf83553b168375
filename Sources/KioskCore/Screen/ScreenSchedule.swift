import Foundation

/// When the lobby screen should be lit, and how far its static content is shifted against
/// burn-in: pure functions of the instant, the opening hours and today's occurrences.
///
/// The screen is on while the building is open, and also from `wakeBefore` ahead of each
/// of today's timed, non-cancelled occurrences until that occurrence ends (an evening
/// concert keeps the screen lit after closing time; a morning workshop wakes it before
/// opening). Otherwise it is off *on purpose*: closed building, or the last event of the
/// day is over. With the default opening hours (always open) the screen never sleeps.
/// All-day occurrences do not wake the screen. Days are the venue's (its time zone).
public struct ScreenSchedule: Sendable, Hashable {
    /// Why the screen is dark.
    public enum OffReason: String, Sendable, Hashable {
        /// Outside opening hours and no event soon today.
        case closed
        /// Outside opening hours and today's last event has ended.
        case afterLastEvent
    }

    public enum State: Sendable, Hashable {
        case on
        case off(OffReason)

        public var isOn: Bool { self == .on }
    }

    public var hours: OpeningHours
    public var timeZone: IANATimeZone
    /// How long before an event the screen wakes (default 30 minutes).
    public var wakeBefore: TimeInterval

    public init(hours: OpeningHours, timeZone: IANATimeZone, wakeBefore: TimeInterval = 1800) {
        self.hours = hours
        self.timeZone = timeZone
        self.wakeBefore = wakeBefore
    }

    /// The schedule of `config`: its `[hours]`, venue time zone and `[screen] wake-before`.
    public init(config: KioskConfig) {
        self.init(hours: config.venue.hours, timeZone: config.venue.timeZone, wakeBefore: config.screen.wakeBefore)
    }

    /// Whether the screen should be lit at `now`, given the occurrences known around it
    /// (only those of `now`'s day count; others are ignored). `days`, when given for the
    /// same zone, answers "which day" from its table instead of asking `Calendar` for
    /// every occurrence (the same answers; see `VenueDays`).
    public func state(at now: Date, occurrences: [Occurrence], days: VenueDays? = nil) -> State {
        if hours.isOpen(at: now, timeZone: timeZone) { return .on }
        let venueDays = days.flatMap { $0.timeZone == timeZone ? $0 : nil } ?? VenueDays(timeZone: timeZone)
        let today = venueDays.civilDate(of: now)
        var endedToday = false
        for o in occurrences where o.status != .cancelled && !o.start.isDate && !o.end.isDate {
            let start = o.start.instant(in: timeZone)
            let end = o.end.instant(in: timeZone)
            guard venueDays.civilDate(of: start) == today || venueDays.civilDate(of: end) == today else { continue }
            if start.addingTimeInterval(-wakeBefore) <= now && now < end { return .on }
            if end <= now { endedToday = true }
        }
        return .off(endedToday ? .afterLastEvent : .closed)
    }

    /// Columns of horizontal shift for burn-in protection at `instant`: 0, 1, 2, 0, … each
    /// held for `period` seconds (five minutes), counted from the Unix epoch so that a
    /// render of an instant (`kioskctl render --at`) shows the shift the screen shows.
    public static func burnInShift(at instant: Date, period: TimeInterval = 300, steps: Int = 3) -> Int {
        let slot = Int((instant.timeIntervalSince1970 / period).rounded(.down))
        return ((slot % steps) + steps) % steps
    }
}
