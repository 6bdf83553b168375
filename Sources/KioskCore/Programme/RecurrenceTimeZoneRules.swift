import Foundation

/// A time zone described by its own observances (an iCalendar VTIMEZONE, RFC 5545 section
/// 3.6.5), used when a feed's TZID is neither an IANA name nor a name we can map to one.
///
/// Each observance (STANDARD or DAYLIGHT) starts at a local time read in the offset in
/// force before it (`offsetFrom`), then puts `offsetTo` in force; its onsets repeat by its
/// RRULE and RDATEs. Offsets are seconds east of UTC.
public struct RecurrenceTimeZoneRules: Sendable, Hashable, Codable {
    /// A wall-clock date and time without a zone.
    public struct LocalTime: Sendable, Hashable, Codable {
        public var date: CivilDate
        public var secondOfDay: Int

        public init(date: CivilDate, secondOfDay: Int) {
            self.date = date
            self.secondOfDay = secondOfDay
        }

        var localSeconds: Int { date.dayNumber * 86_400 + secondOfDay }
    }

    public struct Observance: Sendable, Hashable, Codable {
        public var isDaylight: Bool
        public var start: LocalTime
        public var offsetFrom: Int
        public var offsetTo: Int
        /// RRULE text of the onsets, e.g. `FREQ=YEARLY;BYMONTH=3;BYDAY=-1SU`.
        public var rule: String?
        public var additionalStarts: [LocalTime]

        public init(isDaylight: Bool, start: LocalTime, offsetFrom: Int, offsetTo: Int,
                    rule: String? = nil, additionalStarts: [LocalTime] = []) {
            self.isDaylight = isDaylight
            self.start = start
            self.offsetFrom = offsetFrom
            self.offsetTo = offsetTo
            self.rule = rule
            self.additionalStarts = additionalStarts
        }
    }

    /// The TZID as the feed wrote it (for messages only).
    public var identifier: String
    public var observances: [Observance]

    public init(identifier: String, observances: [Observance]) {
        self.identifier = identifier
        self.observances = observances
    }

    /// Offset changes whose instants fall in (from, to), with the offset in force at `from`:
    /// the `offsetTo` of the latest onset at or before `from`, however old (an Outlook zone
    /// without daylight saving has one STANDARD observance starting in 1601), else the
    /// `offsetFrom` of the earliest observance. Instants are seconds since 1970 (UTC).
    ///
    /// Onset rules are expanded from about 400 days before `from` (or before their UNTIL
    /// when they ended earlier), within a fixed candidate budget per observance.
    func transitions(from: Int, to: Int) -> (initial: Int, changes: [(at: Int, offset: Int)]) {
        var latest: (at: Int, offset: Int)?
        var changes: [(at: Int, offset: Int)] = []
        for observance in observances {
            func add(_ local: Int) {
                let instant = local - observance.offsetFrom
                if instant <= from {
                    if latest == nil || instant >= latest!.at { latest = (instant, observance.offsetTo) }
                } else if instant < to {
                    changes.append((instant, observance.offsetTo))
                }
            }
            let start = observance.start.localSeconds
            for extra in observance.additionalStarts { add(extra.localSeconds) }
            guard let text = observance.rule, let rule = try? RecurrenceRule(parsing: text) else {
                add(start)
                continue
            }
            var untilLocal: Int?
            switch rule.until {
            case .instant(let d)?: untilLocal = d.wholeSecondsSince1970 + observance.offsetFrom
            case .date(let c)?: untilLocal = c.dayNumber * 86_400 + 86_399
            case .local(let c, let s)?: untilLocal = c.dayNumber * 86_400 + s
            case nil: untilLocal = nil
            }
            // Rules recur at least yearly in practice; look back a little over a period.
            let lookBack = 400 * 86_400 * (rule.frequency == .yearly ? min(max(rule.interval, 1), 100) : 1)
            let anchor = min(from + observance.offsetFrom, untilLocal ?? .max)
            var budget = CandidateBudget(candidates: 20_000)
            _ = rule.expand(
                dtstart: start, skipTo: anchor - lookBack, stopAfter: to + observance.offsetFrom + 86_400,
                untilLocal: untilLocal, budget: &budget
            ) { local in
                add(local)
                return true
            }
        }
        changes.sort { $0.at < $1.at }
        let earliest = observances.min { $0.start.localSeconds < $1.start.localSeconds }
        return (latest?.offset ?? earliest?.offsetFrom ?? 0, changes)
    }
}
