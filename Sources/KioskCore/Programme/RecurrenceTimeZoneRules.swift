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

    /// Offset changes whose instants fall in [from, to), with the offset in force at `from`.
    /// Instants are seconds since 1970 (UTC).
    func transitions(from: Int, to: Int) -> (initial: Int, changes: [(at: Int, offset: Int)]) {
        var all: [(at: Int, offset: Int)] = []
        let lookBack = from - 400 * 86_400
        for observance in observances {
            let start = observance.start.localSeconds
            func add(_ local: Int) {
                let instant = local - observance.offsetFrom
                if instant >= lookBack, instant < to { all.append((instant, observance.offsetTo)) }
            }
            for extra in observance.additionalStarts { add(extra.localSeconds) }
            if let text = observance.rule, let rule = try? RecurrenceRule(parsing: text) {
                rule.expand(
                    dtstart: start, skipTo: lookBack + observance.offsetFrom,
                    stopAfter: to + observance.offsetFrom + 86_400, untilLocal: nil, maxIterations: 2_000
                ) { local in
                    add(local)
                    return true
                }
            } else {
                add(start)
            }
        }
        all.sort { $0.at < $1.at }
        let earliest = observances.min { $0.start.localSeconds < $1.start.localSeconds }
        var initial = earliest?.offsetFrom ?? 0
        var changes: [(at: Int, offset: Int)] = []
        for t in all {
            if t.at <= from { initial = t.offset } else { changes.append(t) }
        }
        return (initial, changes)
    }
}
