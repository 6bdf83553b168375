import Foundation

/// Turns programme events (single events, recurring series, overrides) into the concrete
/// occurrences that overlap a window, as the lobby and `kioskctl occurrences` list them.
///
/// - Series recur on the wall clock of their zone (`timeZoneRules`, else the IANA
///   `timeZone`, else the venue's zone), then become instants: a weekly 10:00 stays at
///   10:00 across daylight-saving changes.
/// - The recurrence set is RRULE + RDATE - EXDATE (RFC 5545 section 3.8.5); DTSTART is
///   always its first instance. EXDATE and RECURRENCE-ID are compared as instants (as days
///   for all-day series), so they may be written in another zone than DTSTART. An RDATE
///   period keeps its own end.
/// - An event with `recurrenceID` replaces the instance of the same `uid` that starts then;
///   it is listed at its own (possibly moved) time. With `RANGE=THISANDFUTURE` it also
///   replaces every later instance, shifted as it is shifted (RFC 5545 section 3.2.13).
///   A cancelled override stays in the list with status `cancelled`.
/// - A series given a DURATION ends each instance that nominal duration after its start
///   (a day is a calendar day across a daylight-saving change, section 3.3.6); a series
///   given an end keeps the exact length of its first instance.
///
/// Budgets (`Limits`) hold for one call, that is one feed over one window: occurrences kept
/// (per series and in all), candidates examined (per series and in all) and time. They are
/// spent while candidates are generated, never after; an event that exceeds one is cut
/// (what it found so far is kept) and named in `Result.cuts`, and the other events are
/// still expanded. Single events are listed first and series sparsest first, so a hostile
/// series cannot push the ordinary programme out.
///
/// Memory of one call: the occurrences kept (at most `maxOccurrences`), plus for the
/// series being expanded at most `maxOccurrencesPerSeries + 1` instants and its RDATEs,
/// plus constant-size state per rule (see `RecurrenceRule.expand`): never proportional to
/// the candidates a rule could generate.
public enum OccurrenceExpander {
    /// Caps on the work of one call (one feed over one window).
    public struct Limits: Sendable, Hashable {
        /// Occurrences one series may keep in the window.
        public var maxOccurrencesPerSeries: Int
        /// Candidates (periods, days and times looked at) one series may examine, all its
        /// rules together.
        public var maxCandidatesPerSeries: Int
        /// Occurrences the call may return, all events together.
        public var maxOccurrences: Int
        /// Candidates the call may examine, all series together.
        public var maxCandidates: Int
        /// Wall-clock time the call may take, checked every 4,096 candidates: a backstop on
        /// a slow board (the candidate budgets bound the work; 4 million candidates take
        /// well under this in a release build here).
        public var maxDuration: Duration

        public init(
            maxOccurrencesPerSeries: Int = 5_000, maxCandidatesPerSeries: Int = 1_000_000,
            maxOccurrences: Int = 20_000, maxCandidates: Int = 4_000_000, maxDuration: Duration = .milliseconds(500)
        ) {
            self.maxOccurrencesPerSeries = maxOccurrencesPerSeries
            self.maxCandidatesPerSeries = maxCandidatesPerSeries
            self.maxOccurrences = maxOccurrences
            self.maxCandidates = maxCandidates
            self.maxDuration = maxDuration
        }
    }

    /// An event whose occurrences were cut by a budget.
    public struct Cut: Sendable, Hashable, CustomStringConvertible {
        public enum Reason: String, Sendable, Hashable {
            case occurrencesPerSeries, candidatesPerSeries, occurrences, candidates, time
        }
        public var uid: String
        public var title: String
        public var reason: Reason
        /// Occurrences of the event kept before the cut.
        public var kept: Int
        let limits: Limits

        /// `cut after 5000 occurrences: more than 5000 occurrences in the window`.
        public var explanation: String {
            let why: String
            switch reason {
            case .occurrencesPerSeries: why = "more than \(limits.maxOccurrencesPerSeries) occurrences in the window"
            case .candidatesPerSeries: why = "its recurrence needs more than \(limits.maxCandidatesPerSeries) candidate times"
            case .occurrences: why = "the feed's \(limits.maxOccurrences) occurrences for the window are used up"
            case .candidates: why = "the feed's budget of \(limits.maxCandidates) candidate times is used up"
            case .time: why = "expanding the feed took longer than \(limits.maxDuration)"
            }
            return "cut after \(kept) occurrences: \(why)"
        }

        public var description: String {
            "event \(uid)" + (title.isEmpty ? "" : " (\(title))") + ": " + explanation
        }
    }

    /// What one call found.
    public struct Result: Sendable {
        public var occurrences: [Occurrence]
        /// The first `maxListedCuts` events cut, in the order it happened.
        public var cuts: [Cut]
        /// How many events were cut in all.
        public var cutCount: Int
    }

    /// At most this many cuts are named in a result (a hostile feed could cut thousands).
    public static let maxListedCuts = 50

    /// The occurrences overlapping [from, to), sorted by start (all-day ones at the start of
    /// their day in `venueTimeZone`), then uid, with the events cut by a budget. Floating
    /// events and all-day dates are read in `venueTimeZone`. `source` is copied into each
    /// occurrence.
    public static func expand(
        _ events: [ProgrammeEvent], from: Date, to: Date, venueTimeZone: IANATimeZone,
        source: String = "", limits: Limits = Limits()
    ) -> Result {
        let windowStart = from.wholeSecondsSince1970
        let windowEnd = to.wholeSecondsSince1970 + (to.timeIntervalSince1970.rounded(.down) == to.timeIntervalSince1970 ? 0 : 1)
        guard windowEnd > windowStart else { return Result(occurrences: [], cuts: [], cutCount: 0) }
        var expansion = Expansion(
            windowStart: windowStart, windowEnd: windowEnd, venueTimeZone: venueTimeZone,
            source: source, limits: limits)
        var masters = Set<String>()
        for event in events where event.recurrenceID == nil && !(event.recurrence?.isEmpty ?? true) {
            masters.insert(event.uid)
        }
        for event in events where event.recurrenceID != nil {
            expansion.noteOverride(event, hasMaster: masters.contains(event.uid))
        }
        // Single events and overrides first: one occurrence each.
        for event in events where event.recurrenceID != nil || (event.recurrence?.isEmpty ?? true) {
            if event.recurrenceRange == .thisAndFuture, event.recurrenceID != nil, masters.contains(event.uid) { continue }
            expansion.addSingle(event)
        }
        // Then the series, sparsest first: a feed's ordinary weekly series are expanded
        // before any rule that generates an instance a second.
        var series: [(density: Double, event: ProgrammeEvent, recurrence: Recurrence)] = []
        for event in events where event.recurrenceID == nil {
            if let recurrence = event.recurrence, !recurrence.isEmpty { series.append((density(of: recurrence), event, recurrence)) }
        }
        for entry in series.enumerated().sorted(by: { ($0.element.density, $0.offset) < ($1.element.density, $1.offset) }) {
            expansion.expandSeries(entry.element.event, entry.element.recurrence)
        }
        expansion.found.sort { a, b in
            if a.start != b.start { return a.start < b.start }
            if a.occurrence.uid != b.occurrence.uid { return a.occurrence.uid < b.occurrence.uid }
            if a.end != b.end { return a.end < b.end }
            return a.occurrence.title < b.occurrence.title
        }
        return Result(occurrences: expansion.found.map(\.occurrence), cuts: expansion.cuts, cutCount: expansion.cutCount)
    }

    /// A rough count of instances a day (the largest of its rules'): periods a day times
    /// the length of each BY list. Only orders the series; never a limit.
    static func density(of recurrence: Recurrence) -> Double {
        var densest = Double(recurrence.dates.count + recurrence.periods.count) / 3650
        for text in recurrence.rules {
            guard let rule = try? RecurrenceRule(parsing: text) else { continue }
            let perDay: Double
            switch rule.frequency {
            case .yearly: perDay = 1.0 / 365
            case .monthly: perDay = 1.0 / 30
            case .weekly: perDay = 1.0 / 7
            case .daily: perDay = 1
            case .hourly: perDay = 24
            case .minutely: perDay = 1440
            case .secondly: perDay = 86_400
            }
            let lists = [rule.bySecond.count, rule.byMinute.count, rule.byHour.count, rule.byDay.count, rule.byMonthDay.count, rule.byYearDay.count, rule.byWeekNo.count, rule.byMonth.count]
            let spread = lists.reduce(1.0) { $0 * Double(max($1, 1)) }
            densest = max(densest, perDay / Double(max(rule.interval, 1)) * spread)
        }
        return densest
    }

    /// `expand(...).occurrences`, for callers that do not report cuts.
    public static func occurrences(
        of events: [ProgrammeEvent], from: Date, to: Date, venueTimeZone: IANATimeZone,
        source: String = "", limits: Limits = Limits()
    ) -> [Occurrence] {
        expand(events, from: from, to: to, venueTimeZone: venueTimeZone, source: source, limits: limits).occurrences
    }
}

/// The state of one `expand` call.
private struct Expansion {
    struct Found {
        var start: Int
        var end: Int
        var occurrence: Occurrence
    }

    /// The instances a series' overrides replace, and its THISANDFUTURE overrides by
    /// RECURRENCE-ID (instants, or days for all-day series), sorted.
    struct OverrideKeys {
        var instants: Set<Int> = []
        var days: Set<Int> = []
        var futureByInstant: [(key: Int, event: ProgrammeEvent)] = []
        var futureByDay: [(key: Int, event: ProgrammeEvent)] = []
    }

    /// One instance of a series on its wall clock, with the end an RDATE period gives it.
    struct Instance {
        var local: LocalSeconds
        var periodEnd: Int?
    }

    let windowStart: Int, windowEnd: Int
    let venueTimeZone: IANATimeZone
    let venueClock: RecurrenceWallClock
    let source: String
    let limits: OccurrenceExpander.Limits
    var clocks: [String: RecurrenceWallClock] = [:]
    var overrides: [String: OverrideKeys] = [:]
    var found: [Found] = []
    var cuts: [OccurrenceExpander.Cut] = []
    var cutCount = 0
    /// The call's candidates and deadline; each series spends from its own share of it.
    var budget: CandidateBudget

    init(windowStart: Int, windowEnd: Int, venueTimeZone: IANATimeZone, source: String, limits: OccurrenceExpander.Limits) {
        self.windowStart = windowStart
        self.windowEnd = windowEnd
        self.venueTimeZone = venueTimeZone
        self.venueClock = RecurrenceWallClock(zone: venueTimeZone)
        self.source = source
        self.limits = limits
        budget = CandidateBudget(candidates: limits.maxCandidates, deadline: ContinuousClock.now.advanced(by: limits.maxDuration))
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
        let c = IANATimeZone(identifier: id).map(RecurrenceWallClock.init(zone:)) ?? venueClock
        clocks[id] = c
        return c
    }

    /// The instant `time` starts at; dates start at local midnight of `clock`.
    func instant(_ time: EventTime, _ clock: RecurrenceWallClock) -> Int {
        switch time {
        case .instant(let d): return d.wholeSecondsSince1970
        case .date(let c): return clock.instant(fromLocal: Self.local(day: c.dayNumber))
        }
    }

    /// Local midnight of a day number, kept within the range expansion works in.
    static func local(day: Int) -> LocalSeconds {
        min(max(day, ExpansionRange.firstDay - 1), ExpansionRange.lastDay + 1) * 86_400
    }

    func overlaps(start: Int, end: Int) -> Bool {
        start < windowEnd && (end > windowStart || (end == start && start >= windowStart))
    }

    mutating func cut(_ event: ProgrammeEvent, _ reason: OccurrenceExpander.Cut.Reason, kept: Int) {
        cutCount += 1
        guard cuts.count < OccurrenceExpander.maxListedCuts else { return }
        cuts.append(.init(uid: event.uid, title: event.title, reason: reason, kept: kept, limits: limits))
    }

    /// Why nothing more may be added now, or nil.
    func callExhausted() -> OccurrenceExpander.Cut.Reason? {
        if budget.timedOut { return .time }
        if found.count >= limits.maxOccurrences { return .occurrences }
        if budget.isExhausted { return .candidates }
        return nil
    }

    mutating func noteOverride(_ event: ProgrammeEvent, hasMaster: Bool) {
        guard let id = event.recurrenceID else { return }
        var keys = overrides[event.uid] ?? OverrideKeys()
        let future = event.recurrenceRange == .thisAndFuture && hasMaster
        switch id {
        case .instant(let d):
            let key = d.wholeSecondsSince1970
            if future { keys.futureByInstant.append((key, event)) } else { keys.instants.insert(key) }
        case .date(let c):
            if future { keys.futureByDay.append((c.dayNumber, event)) } else { keys.days.insert(c.dayNumber) }
        }
        overrides[event.uid] = keys
    }

    mutating func addSingle(_ event: ProgrammeEvent) {
        if let reason = callExhausted() { return cut(event, reason, kept: 0) }
        _ = budget.spend()
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
        guard ExpansionRange.contains(day: day), days >= 1, days <= ExpansionRange.lastDay - day + 1 else { return false }
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
        if let reason = callExhausted() { return cut(event, reason, kept: 0) }
        let allDay = event.isAllDay
        let clock = allDay ? venueClock : clock(for: event)
        let dtstart: LocalSeconds
        let duration: Int  // seconds for timed series, days for all-day ones
        if allDay, case .date(let first) = event.start {
            dtstart = Self.local(day: first.dayNumber)
            if case .date(let end) = event.end, end.dayNumber > first.dayNumber {
                duration = min(end.dayNumber - first.dayNumber, 366 * 10_000)
            } else {
                duration = 1
            }
        } else {
            let start = instant(event.start, clock)
            dtstart = clock.local(fromInstant: start)
            duration = min(max(0, instant(event.end, clock) - start), Int(1e12))
        }
        // Nominal durations (DURATION:P1D) are applied on the wall clock, instance by instance.
        let nominal = allDay ? nil : event.duration.map {
            NominalDuration(days: min(max($0.days, 0), 3_660_000), seconds: min(max($0.seconds, -Int(1e12)), Int(1e12)))
        }
        let span = allDay ? duration * 86_400 : (nominal.map { $0.days * 86_400 + $0.seconds } ?? duration)
        // The margin covers the hour a wall clock can jump at a DST change.
        let margin = 4 * 3600
        let windowLocalStart = clock.local(fromInstant: windowStart)
        let skipTo = windowLocalStart - max(span, 0) - margin
        let stopAfter = clock.local(fromInstant: windowEnd) + margin
        let startSecondOfDay = dtstart - floorDivide(dtstart, 86_400) * 86_400

        /// The end instant of an instance starting at `local` (its start instant `start`).
        func end(local: LocalSeconds, start: Int) -> Int {
            guard let nominal else { return start + duration }
            let (shifted, overflow) = nominal.days.multipliedReportingOverflow(by: 86_400)
            let wall = overflow ? local : local + shifted
            return max(start, clock.instant(fromLocal: wall) + nominal.seconds)
        }
        /// Whether an instance starting at `local` can still reach into the window.
        func reaches(local: LocalSeconds, periodEnd: Int?) -> Bool {
            guard local < windowLocalStart + margin else { return true }
            if allDay { return local + duration * 86_400 + margin > windowLocalStart }
            let start = clock.instant(fromLocal: local)
            let finish = periodEnd ?? end(local: local, start: start)
            return overlaps(start: start, end: finish)
        }

        // Instances on the wall clock: every rule (each includes DTSTART) and the RDATEs.
        let cap = limits.maxOccurrencesPerSeries
        let limitedByCall = budget.remaining < limits.maxCandidatesPerSeries
        var seriesBudget = CandidateBudget(
            candidates: min(limits.maxCandidatesPerSeries, budget.remaining), deadline: budget.deadline)
        var instances: [Instance] = []
        var cutReason: OccurrenceExpander.Cut.Reason?
        var anyRule = false
        for text in recurrence.rules where cutReason == nil {
            guard let rule = try? RecurrenceRule(parsing: text) else { continue }
            anyRule = true
            var untilLocal: LocalSeconds?
            switch rule.until {
            case .instant(let d)?: untilLocal = clock.local(fromInstant: d.wholeSecondsSince1970)
            case .date(let c)?: untilLocal = Self.local(day: c.dayNumber) + 86_399
            case .local(let c, let s)?: untilLocal = Self.local(day: c.dayNumber) + s
            case nil: untilLocal = nil
            }
            let ended = rule.expand(
                dtstart: dtstart, skipTo: skipTo, stopAfter: stopAfter, untilLocal: untilLocal, budget: &seriesBudget
            ) { local in
                guard local >= skipTo, reaches(local: local, periodEnd: nil) else { return true }
                instances.append(Instance(local: local))
                return instances.count <= cap
            }
            switch ended {
            case .complete: break
            case .stopped: cutReason = .occurrencesPerSeries
            case .outOfBudget:
                cutReason = seriesBudget.timedOut ? .time : (limitedByCall ? .candidates : .candidatesPerSeries)
            }
        }
        budget.charge(seriesBudget.spent, timedOut: seriesBudget.timedOut)
        if !anyRule, reaches(local: dtstart, periodEnd: nil) { instances.append(Instance(local: dtstart)) }
        for extra in recurrence.dates {
            let local: LocalSeconds
            switch extra {
            case .instant(let d):
                let l = clock.local(fromInstant: d.wholeSecondsSince1970)
                local = allDay ? floorDivide(l, 86_400) * 86_400 : l
            case .date(let c):
                local = Self.local(day: c.dayNumber) + (allDay ? 0 : startSecondOfDay)
            }
            if reaches(local: local, periodEnd: nil) { instances.append(Instance(local: local)) }
        }
        for period in recurrence.periods where !allDay {
            let start = instant(period.start, clock)
            let finish = max(start, instant(period.end, clock))
            let local = clock.local(fromInstant: start)
            if reaches(local: local, periodEnd: finish) { instances.append(Instance(local: local, periodEnd: finish)) }
        }
        instances.sort { $0.local < $1.local }

        var excludedInstants = Set<Int>(), excludedDays = Set<Int>()
        for ex in recurrence.exceptions {
            switch ex {
            case .instant(let d):
                let t = d.wholeSecondsSince1970
                excludedInstants.insert(t)
                if allDay { excludedDays.insert(floorDivide(clock.local(fromInstant: t), 86_400)) }
            case .date(let c): excludedDays.insert(c.dayNumber)
            }
        }
        var replaced = overrides[event.uid] ?? Expansion.OverrideKeys()
        if allDay {
            for i in replaced.instants { replaced.days.insert(floorDivide(clock.local(fromInstant: i), 86_400)) }
        }
        let future = replaced.futureByInstant.sorted { $0.key < $1.key }
        let futureDays = replaced.futureByDay.sorted { $0.key < $1.key }

        var previous: LocalSeconds?
        var added = 0
        for instance in instances where instance.local != previous {
            previous = instance.local
            if added >= cap { cutReason = cutReason ?? .occurrencesPerSeries; break }
            if found.count >= limits.maxOccurrences { cutReason = .occurrences; break }
            let local = instance.local
            let day = floorDivide(local, 86_400)
            if allDay {
                if excludedDays.contains(day) || replaced.days.contains(day) { continue }
                if let o = futureDays.last(where: { $0.key <= day }), case .date(let moved) = o.event.start {
                    var length = 1
                    if case .date(let e) = o.event.end, e.dayNumber > moved.dayNumber { length = e.dayNumber - moved.dayNumber }
                    if addAllDay(o.event, day: day + moved.dayNumber - o.key, days: length) { added += 1 }
                } else if addAllDay(event, day: day, days: duration) {
                    added += 1
                }
            } else {
                let start = clock.instant(fromLocal: local)
                if excludedInstants.contains(start) || excludedDays.contains(day) { continue }
                if replaced.instants.contains(start) || replaced.days.contains(day) { continue }
                if let o = future.last(where: { $0.key <= start }) {
                    let c = self.clock(for: o.event)
                    let movedStart = instant(o.event.start, c), movedEnd = max(movedStart, instant(o.event.end, c))
                    let shifted = start + (movedStart - o.key)
                    if addTimed(o.event, start: shifted, end: shifted + (movedEnd - movedStart)) { added += 1 }
                } else if addTimed(event, start: start, end: instance.periodEnd ?? end(local: local, start: start)) {
                    added += 1
                }
            }
        }
        if let cutReason { cut(event, cutReason, kept: added) }
    }
}
