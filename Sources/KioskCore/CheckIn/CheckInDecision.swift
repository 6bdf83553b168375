import Foundation

/// What one badge scan means, decided from what is known at that instant. Pure.
///
/// | badge | person today | `secondScanChecksOut` | decision |
/// | --- | --- | --- | --- |
/// | unknown or revoked | – | – | ``unknownBadge(tag:)`` |
/// | known, role visitor | absent | – | ``visitorPass(person:occurrence:)`` |
/// | known, other role | absent | – | ``checkIn(person:occurrence:)`` |
/// | known | present | true | ``checkOut(person:)`` |
/// | known | present | false | ``stayIn(person:occurrence:)`` |
///
/// `occurrence` is the public event the entry counts for (see
/// ``Occurrence/countedForAttendance(at:among:timeZone:)``), nil when
/// `attendanceToRunningEvent` is off or nothing is in progress.
public enum CheckInDecision: Sendable, Hashable {
    /// An entry: write an `in` row, count the person for the day (and the event).
    case checkIn(person: Person, occurrence: Occurrence?)
    /// A visitor pass coming in: like a check-in, and the welcome gives directions.
    case visitorPass(person: Person, occurrence: Occurrence?)
    /// Someone already in, with `secondScanChecksOut` off: write another `in` row (it may
    /// count them for an event that has started since), welcome them again.
    case stayIn(person: Person, occurrence: Occurrence?)
    /// Someone already in leaving: write an `out` row.
    case checkOut(person: Person)
    /// Nobody holds this tag: keep the scan for staff to enrol, send them to reception.
    case unknownBadge(tag: String)

    /// Decides what a scan of `tag` means.
    ///
    /// - Parameters:
    ///   - person: who holds the (non-revoked) badge; nil when nobody does.
    ///   - presence: the person's state today before this scan.
    ///   - occurrences: the programme around `instant` (today's occurrences will do);
    ///     only those in progress at `instant` are considered.
    ///   - timeZone: the venue's, for all-day occurrences.
    public init(
        tag: String, person: Person?, presence: PresenceState, settings: CheckInSettings, at instant: Date,
        runningOccurrences occurrences: [Occurrence], timeZone: IANATimeZone
    ) {
        guard let person else {
            self = .unknownBadge(tag: tag)
            return
        }
        let occurrence = settings.attendanceToRunningEvent
            ? Occurrence.countedForAttendance(at: instant, among: occurrences, timeZone: timeZone) : nil
        switch presence {
        case .present where settings.secondScanChecksOut:
            self = .checkOut(person: person)
        case .present:
            self = .stayIn(person: person, occurrence: occurrence)
        case .absent:
            self = person.role == .visitor
                ? .visitorPass(person: person, occurrence: occurrence) : .checkIn(person: person, occurrence: occurrence)
        }
    }

    /// The person the badge belongs to; nil for an unknown badge.
    public var person: Person? {
        switch self {
        case .checkIn(let p, _), .visitorPass(let p, _), .stayIn(let p, _), .checkOut(let p): p
        case .unknownBadge: nil
        }
    }

    /// The event the entry counts for; nil for check-outs and unknown badges.
    public var occurrence: Occurrence? {
        switch self {
        case .checkIn(_, let o), .visitorPass(_, let o), .stayIn(_, let o): o
        case .checkOut, .unknownBadge: nil
        }
    }

    /// The direction of the row the decision writes; nil for an unknown badge (no
    /// check-in row, an `unknown_scans` row instead).
    public var direction: CheckInDirection? {
        switch self {
        case .checkIn, .visitorPass, .stayIn: .in
        case .checkOut: .out
        case .unknownBadge: nil
        }
    }
}
