import Foundation

/// Converts between instants and the wall clock of one zone (IANA or VTIMEZONE rules),
/// caching the offsets of the ~12-day spans it has been asked about.
///
/// Local times that do not exist (spring forward) use the offset from before the gap, so
/// 02:30 on the Paris spring-forward day becomes 03:30 CEST; ambiguous ones (fall back)
/// take the first occurrence. RFC 5545 section 3.3.5 asks for exactly this.
///
/// Not `Sendable`: a cache owned by one expansion or one parse.
public final class RecurrenceWallClock {
    private enum Source {
        case zone(IANATimeZone)
        case rules(RecurrenceTimeZoneRules)
    }

    private struct Span {
        let initial: Int
        let changes: [(at: Int, offset: Int)]
    }

    private static let spanShift = 20  // 2^20 s, about 12 days
    private let source: Source
    private var spans: [Int: Span] = [:]

    public init(zone: IANATimeZone) { source = .zone(zone) }
    public init(rules: RecurrenceTimeZoneRules) { source = .rules(rules) }

    /// The instant the wall clock shows `date` at `secondOfDay` (gap: offset from before
    /// it; ambiguous: the first).
    public func instant(of date: CivilDate, secondOfDay: Int) -> Date {
        Date(timeIntervalSince1970: TimeInterval(instant(fromLocal: date.dayNumber * 86_400 + secondOfDay)))
    }

    /// The wall-clock date and second of the day at `instant`.
    public func localTime(of instant: Date) -> (date: CivilDate, secondOfDay: Int) {
        let local = self.local(fromInstant: instant.wholeSecondsSince1970)
        let day = floorDivide(local, 86_400)
        return (CivilDate(dayNumber: day), local - day * 86_400)
    }

    /// Seconds east of UTC in force at `instant` (seconds since 1970).
    func offset(atInstant instant: Int) -> Int {
        let key = instant >> Self.spanShift
        let span: Span
        if let cached = spans[key] {
            span = cached
        } else {
            span = makeSpan(key)
            spans[key] = span
        }
        var offset = span.initial
        for change in span.changes {
            if change.at <= instant { offset = change.offset } else { break }
        }
        return offset
    }

    func local(fromInstant instant: Int) -> LocalSeconds { instant + offset(atInstant: instant) }

    func instant(fromLocal local: LocalSeconds) -> Int {
        let before = offset(atInstant: local - 86_400)
        let after = offset(atInstant: local + 86_400)
        if before == after { return local - before }
        let early = local - before, late = local - after
        let earlyValid = offset(atInstant: early) == before
        let lateValid = offset(atInstant: late) == after
        switch (earlyValid, lateValid) {
        case (true, true): return min(early, late)  // ambiguous: the first one
        case (true, false): return early
        case (false, true): return late
        case (false, false): return early  // in the gap: the offset from before it
        }
    }

    private func makeSpan(_ key: Int) -> Span {
        let from = key << Self.spanShift, to = (key + 1) << Self.spanShift
        switch source {
        case .rules(let rules):
            let t = rules.transitions(from: from, to: to)
            return Span(initial: t.initial, changes: t.changes)
        case .zone(let zone):
            let changes = zone.transitions(from: from + 1, to: to).prefix(9).map { (at: $0.at, offset: $0.after) }
            return Span(initial: zone.utcOffset(at: from), changes: changes)
        }
    }
}
