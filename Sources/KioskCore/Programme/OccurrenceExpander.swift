import Foundation

/// Turns programme events (single events, recurring series, overrides) into the concrete
/// occurrences that overlap a window, as the lobby and `kioskctl occurrences` list them.
///
/// - Series recur on the wall clock of their zone (`timeZoneRules`, else the IANA
///   `timeZone`, else the venue's zone), then become instants: a weekly 10:00 stays at
///   10:00 across daylight-saving changes.
/// - The recurrence set is RRULE + RDATE - EXDATE (RFC 5545 section 3.8.5); DTSTART is
///   always its first instance. EXDATE and RECURRENCE-ID are compared as instants (as days
///   for all-day series), so they may be written in another zone than DTSTART.
/// - An event with `recurrenceID` replaces the instance of the same `uid` that starts then;
///   it is listed at its own (possibly moved) time. A cancelled override stays in the list
///   with status `cancelled`.
/// - Rules without COUNT start near the window instead of at DTSTART; every rule is capped
///   (`Limits`) so a hostile feed cannot stall the daemon.
///
/// Cost: proportional to the instances near the window, plus one offset lookup per
/// timed instance (cached per ~12-day span).
public enum OccurrenceExpander {
    /// Caps on the work done for one series in one call.
    public struct Limits: Sendable, Hashable {
        /// Periods (years, months, weeks, days, hours...) a rule may visit.
        public var maxIterationsPerRule: Int
        /// Instances kept per series in the window.
        public var maxOccurrencesPerSeries: Int

        public init(maxIterationsPerRule: Int = 100_000, maxOccurrencesPerSeries: Int = 5_000) {
            self.maxIterationsPerRule = maxIterationsPerRule
            self.maxOccurrencesPerSeries = maxOccurrencesPerSeries
        }
    }

    /// The occurrences overlapping [from, to), sorted by start (all-day ones at the start of
    /// their day in `venueTimeZone`), then uid. Floating events and all-day dates are read
    /// in `venueTimeZone`. `source` is copied into each occurrence.
    public static func occurrences(
        of events: [ProgrammeEvent], from: Date, to: Date, venueTimeZone: TimeZone,
        source: String = "", limits: Limits = Limits()
    ) -> [Occurrence] {
        let windowStart = Int(from.timeIntervalSince1970.rounded(.down))
        let windowEnd = Int(to.timeIntervalSince1970.rounded(.up))
        guard windowEnd > windowStart else { return [] }
        var expansion = Expansion(
            windowStart: windowStart, windowEnd: windowEnd, venueTimeZone: venueTimeZone,
            source: source, limits: limits)
        for event in events where event.recurrenceID != nil {
            expansion.noteOverride(event)
        }
        for event in events {
            if event.recurrenceID == nil, let recurrence = event.recurrence, !recurrence.isEmpty {
                expansion.expandSeries(event, recurrence)
            } else {
                expansion.addSingle(event)
            }
        }
        expansion.found.sort { a, b in
            if a.start != b.start { return a.start < b.start }
            if a.occurrence.uid != b.occurrence.uid { return a.occurrence.uid < b.occurrence.uid }
            if a.end != b.end { return a.end < b.end }
            return a.occurrence.title < b.occurrence.title
        }
        return expansion.found.map(\.occurrence)
    }
}

/// The state of one `occurrences(of:...)` call.
private struct Expansion {
    struct Found {
        var start: Int
        var end: Int
        var occurrence: Occurrence
    }

    struct OverrideKeys {
        var instants: Set<Int> = []
        var days: Set<Int> = []
    }

    let windowStart: Int, windowEnd: Int
    let venueTimeZone: TimeZone
    let venueClock: RecurrenceWallClock
    let source: String
    let limits: OccurrenceExpander.Limits
    var clocks: [String: RecurrenceWallClock] = [:]
    var overrides: [String: OverrideKeys] = [:]
    var found: [Found] = []

    init(windowStart: Int, windowEnd: Int, venueTimeZone: TimeZone, source: String, limits: OccurrenceExpander.Limits) {
        self.windowStart = windowStart
        self.windowEnd = windowEnd
        self.venueTimeZone = venueTimeZone
        self.venueClock = RecurrenceWallClock(zone: venueTimeZone)
        self.source = source
        self.limits = limits
    }

    mutating func clock(for event: ProgrammeEvent) -> RecurrenceWallClock {
        if let rules = event.timeZoneRules {
            let key = "rules:" + rules.identifier + ":\(rules.hashValue)"
            if let c = clocks[key] { return c }
            let c = RecurrenceWallClock(rules: rules)
            clocks[key] = c
            return c
        }
        guard let id = event.timeZone, id != venueTimeZone.identifier else { return venueClock }
        if let c = clocks[id] { return c }
        let c = TimeZone(identifier: id).map(RecurrenceWallClock.init(zone:)) ?? venueClock
        clocks[id] = c
        return c
    }

    static func seconds(_ date: Date) -> Int { Int(date.timeIntervalSince1970.rounded(.down)) }

    /// The instant `time` starts at; dates start at local midnight of `clock`.
    func instant(_ time: EventTime, _ clock: RecurrenceWallClock) -> Int {
        switch time {
        case .instant(let d): return Self.seconds(d)
        case .date(let c): return clock.instant(fromLocal: c.dayNumber * 86_400)
        }
    }

    func overlaps(start: Int, end: Int) -> Bool {
        start < windowEnd && (end > windowStart || (end == start && start >= windowStart))
    }

    mutating func noteOverride(_ event: ProgrammeEvent) {
        guard let id = event.recurrenceID else { return }
        var keys = overrides[event.uid] ?? OverrideKeys()
        switch id {
        case .instant(let d): keys.instants.insert(Self.seconds(d))
        case .date(let c): keys.days.insert(c.dayNumber)
        }
        overrides[event.uid] = keys
    }

    mutating func addSingle(_ event: ProgrammeEvent) {
        if event.isAllDay, case .date(let first) = event.start {
            var lastExclusive = first.dayNumber + 1
            if case .date(let end) = event.end, end.dayNumber > first.dayNumber { lastExclusive = end.dayNumber }
            addAllDay(event, day: first.dayNumber, days: lastExclusive - first.dayNumber)
        } else {
            let clock = clock(for: event)
            let start = instant(event.start, clock)
            let end = max(start, instant(event.end, clock))
            addTimed(event, start: start, end: end)
        }
    }

    @discardableResult
    mutating func addTimed(_ event: ProgrammeEvent, start: Int, end: Int) -> Bool {
        guard overlaps(start: start, end: end) else { return false }
        let occurrence = Occurrence(
            uid: event.uid, title: event.title, summary: event.summary, room: event.room,
            categories: event.categories, audience: event.audience, status: event.status,
            start: .instant(Date(timeIntervalSince1970: TimeInterval(start))),
            end: .instant(Date(timeIntervalSince1970: TimeInterval(end))), source: source)
        found.append(Found(start: start, end: end, occurrence: occurrence))
        return true
    }

    @discardableResult
    mutating func addAllDay(_ event: ProgrammeEvent, day: Int, days: Int) -> Bool {
        let start = venueClock.instant(fromLocal: day * 86_400)
        let end = venueClock.instant(fromLocal: (day + days) * 86_400)
        guard overlaps(start: start, end: end) else { return false }
        let occurrence = Occurrence(
            uid: event.uid, title: event.title, summary: event.summary, room: event.room,
            categories: event.categories, audience: event.audience, status: event.status,
            start: .date(CivilDate(dayNumber: day)), end: .date(CivilDate(dayNumber: day + days)), source: source)
        found.append(Found(start: start, end: end, occurrence: occurrence))
        return true
    }

    mutating func expandSeries(_ event: ProgrammeEvent, _ recurrence: Recurrence) {
        let allDay = event.isAllDay
        let clock = allDay ? venueClock : clock(for: event)
        let dtstart: LocalSeconds
        let duration: Int  // seconds for timed series, days for all-day ones
        if allDay, case .date(let first) = event.start {
            dtstart = first.dayNumber * 86_400
            if case .date(let end) = event.end, end.dayNumber > first.dayNumber {
                duration = end.dayNumber - first.dayNumber
            } else {
                duration = 1
            }
        } else {
            let start = instant(event.start, clock)
            dtstart = clock.local(fromInstant: start)
            duration = max(0, instant(event.end, clock) - start)
        }
        let durationSeconds = allDay ? duration * 86_400 : duration
        // The margin covers the hour a wall clock can jump at a DST change.
        let margin = 4 * 3600
        let skipTo = clock.local(fromInstant: windowStart) - durationSeconds - margin
        let stopAfter = clock.local(fromInstant: windowEnd) + margin
        // Instances from here on may overlap the window and count towards the cap.
        let countFrom = skipTo + margin
        let startSecondOfDay = dtstart - floorDivide(dtstart, 86_400) * 86_400

        // Instances on the wall clock: every rule (each includes DTSTART) and the RDATEs.
        var locals: [LocalSeconds] = []
        let cap = limits.maxOccurrencesPerSeries
        var anyRule = false
        for text in recurrence.rules {
            guard let rule = try? RecurrenceRule(parsing: text) else { continue }
            anyRule = true
            var untilLocal: LocalSeconds?
            switch rule.until {
            case .instant(let d)?: untilLocal = clock.local(fromInstant: Self.seconds(d))
            case .date(let c)?: untilLocal = c.dayNumber * 86_400 + 86_399
            case .local(let c, let s)?: untilLocal = c.dayNumber * 86_400 + s
            case nil: untilLocal = nil
            }
            var kept = 0
            rule.expand(
                dtstart: dtstart, skipTo: skipTo, stopAfter: stopAfter, untilLocal: untilLocal,
                maxIterations: limits.maxIterationsPerRule
            ) { local in
                if local >= skipTo {
                    locals.append(local)
                    if local >= countFrom { kept += 1 }
                }
                return kept < cap
            }
        }
        if !anyRule { locals.append(dtstart) }
        for extra in recurrence.dates {
            switch extra {
            case .instant(let d):
                let local = clock.local(fromInstant: Self.seconds(d))
                locals.append(allDay ? floorDivide(local, 86_400) * 86_400 : local)
            case .date(let c):
                locals.append(c.dayNumber * 86_400 + (allDay ? 0 : startSecondOfDay))
            }
        }
        locals.sort()

        var excludedInstants = Set<Int>(), excludedDays = Set<Int>()
        for ex in recurrence.exceptions {
            switch ex {
            case .instant(let d):
                excludedInstants.insert(Self.seconds(d))
                if allDay { excludedDays.insert(floorDivide(clock.local(fromInstant: Self.seconds(d)), 86_400)) }
            case .date(let c): excludedDays.insert(c.dayNumber)
            }
        }
        var replaced = overrides[event.uid] ?? Expansion.OverrideKeys()
        if allDay {
            for i in replaced.instants { replaced.days.insert(floorDivide(clock.local(fromInstant: i), 86_400)) }
        }

        var previous: LocalSeconds?
        var added = 0
        for local in locals where local != previous {
            previous = local
            if added >= cap { break }
            let day = floorDivide(local, 86_400)
            if allDay {
                if excludedDays.contains(day) || replaced.days.contains(day) { continue }
                if addAllDay(event, day: day, days: duration) { added += 1 }
            } else {
                let start = clock.instant(fromLocal: local)
                if excludedInstants.contains(start) || excludedDays.contains(day) { continue }
                if replaced.instants.contains(start) || replaced.days.contains(day) { continue }
                if addTimed(event, start: start, end: start + duration) { added += 1 }
            }
        }
    }
}
