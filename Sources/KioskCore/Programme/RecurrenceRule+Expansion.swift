import Foundation

extension RecurrenceRule {
    /// Calls `body` with each instance of the rule, in ascending order, in local wall-clock
    /// seconds; `body` returns false to stop.
    ///
    /// - `dtstart` is always the first instance (RFC 5545: DTSTART counts as the first
    ///   occurrence), even when it does not match the rule.
    /// - When the rule has no COUNT and `skipTo` is later than `dtstart`, whole periods
    ///   before `skipTo` are jumped over, and so are the days and times of the first period
    ///   before it. With COUNT the expansion must count from `dtstart`.
    /// - Stops after `stopAfter`, after UNTIL (`untilLocal`, already on the wall clock), after
    ///   COUNT instances, after the year 9999, or when `budget` runs out. The budget is spent
    ///   while candidates are generated (one unit per period, per day looked at and per
    ///   candidate time), so no rule can stall the caller whatever its numbers.
    /// - Invalid dates (30 February, the 5th Monday of a month that has four) are skipped.
    ///
    /// Memory: candidates are generated one at a time; only BYSETPOS keeps the matching days
    /// of one period (at most 366) and its picks (at most the BYSETPOS values).
    func expand(
        dtstart: LocalSeconds, skipTo: LocalSeconds?, stopAfter: LocalSeconds,
        untilLocal: LocalSeconds?, budget: inout CandidateBudget, body: (LocalSeconds) -> Bool
    ) -> RuleExpansionEnd {
        let limit = min(stopAfter, untilLocal ?? .max)
        if let count, count <= 0 { return .complete }
        guard ExpansionRange.firstLocal...ExpansionRange.lastLocal ~= dtstart else {
            // Outside years 1-9999 there is nothing to generate; DTSTART still counts.
            if dtstart <= limit { _ = body(dtstart) }
            return .complete
        }
        let plan = ExpansionPlan(rule: self, dtstart: dtstart)
        var emitted = 0
        var period = 0
        if count == nil, let skipTo, skipTo > dtstart { period = plan.periodIndex(near: skipTo) }
        if period == 0 {
            guard dtstart <= limit else { return .complete }
            guard body(dtstart) else { return .stopped }
            emitted = 1
            if let count, emitted >= count { return .complete }
        }
        let skipBefore = count == nil ? (skipTo ?? .min) : .min
        var end: RuleExpansionEnd?
        while true {
            guard budget.spend() else { return .outOfBudget }
            guard let first = plan.periodStart(period), first <= limit else { return .complete }
            let step = plan.forEachCandidate(period: period, from: skipBefore, budget: &budget) { candidate in
                if candidate <= dtstart { return true }
                if candidate > limit { end = .complete; return false }
                guard body(candidate) else { end = .stopped; return false }
                emitted += 1
                if let count, emitted >= count { end = .complete; return false }
                return true
            }
            switch step {
            case .next(let p): period = p
            case .visitorStopped: return end ?? .stopped
            case .outOfBudget: return .outOfBudget
            case .noMorePeriods: return .complete
            }
        }
    }

    /// BYSETPOS: keep the n-th (1-based, negative from the end) of the sorted period set.
    static func select(positions: [Int], from set: [LocalSeconds]) -> [LocalSeconds] {
        guard !set.isEmpty else { return set }
        var picked: [LocalSeconds] = []
        for p in positions {
            let i = p > 0 ? p - 1 : set.count + p
            if i >= 0, i < set.count { picked.append(set[i]) }
        }
        return sortedUnique(picked)
    }
}

@inline(__always) func sortedUnique(_ values: [Int]) -> [Int] {
    var sorted = values
    sorted.sort()
    var unique: [Int] = []
    unique.reserveCapacity(sorted.count)
    for v in sorted where unique.last != v { unique.append(v) }
    return unique
}

/// The rule with DTSTART's defaults filled in and its values checked, and the per-period
/// arithmetic. Every period index is turned into a day or a local second with checked
/// arithmetic bounded to years 1-9999 (`ExpansionRange`): an INTERVAL of 2*10^14 gives no
/// second period instead of an overflow.
struct ExpansionPlan {
    /// What `forEachCandidate` did with a period.
    enum Step {
        /// The next period worth looking at.
        case next(Int)
        case visitorStopped
        case outOfBudget
        /// Past the year 9999 (or the arithmetic would overflow): no more periods.
        case noMorePeriods
    }

    let frequency: RecurrenceRule.Frequency
    let interval: Int
    let dtstart: LocalSeconds
    let startDay: Int
    let startDate: CivilDate
    /// First day of the week (WKST) that holds DTSTART; weekly periods count from it.
    let firstWeekStart: Int
    /// Days per weekly period (7 * INTERVAL), nil when that overflows.
    let weekLength: Int?
    /// Seconds per period for sub-daily frequencies; nil for the others, and when it overflows.
    let step: Int?
    let filter: DayFilter
    /// Months a yearly period visits, sorted.
    let months: [Int]
    /// Sub-daily frequencies: nil means "the period's own" hour, minute or second.
    let hours: [Int]?, minutes: [Int]?, seconds: [Int]?
    /// Daily and coarser: the times of day are every hour x minute x second of these
    /// sorted lists (lexicographic order is time order), never built as one list.
    let dayHours: [Int], dayMinutes: [Int], daySeconds: [Int]
    let setPositions: [Int]

    init(rule: RecurrenceRule, dtstart: LocalSeconds) {
        frequency = rule.frequency
        interval = max(1, rule.interval)
        self.dtstart = dtstart
        startDay = floorDivide(dtstart, 86_400)
        startDate = CivilDate(dayNumber: startDay)
        let weekStart = (1...7).contains(rule.weekStart) ? rule.weekStart : 1
        let startSecond = dtstart - startDay * 86_400
        firstWeekStart = startDay - (startDate.isoWeekday - weekStart + 7) % 7
        let (week, weekOverflow) = interval.multipliedReportingOverflow(by: 7)
        weekLength = weekOverflow ? nil : week
        let unit: Int
        switch rule.frequency {
        case .hourly: unit = 3600
        case .minutely: unit = 60
        default: unit = 1
        }
        let (seconds, stepOverflow) = interval.multipliedReportingOverflow(by: unit)
        step = rule.frequency > .hourly || stepOverflow ? nil : seconds

        // Values out of their RFC 5545 ranges are dropped (the parser refuses them; a rule
        // built in code may hold anything).
        var byMonth = Self.valid(rule.byMonth, 1...12)
        var byMonthDay = Self.valid(rule.byMonthDay, 1...31, signed: true)
        let byYearDay = Self.valid(rule.byYearDay, 1...366, signed: true)
        let byWeekNo = Self.valid(rule.byWeekNo, 1...53, signed: true)
        var byDay = rule.byDay.filter { entry in
            (1...7).contains(entry.weekday) && (entry.ordinal.map { $0 != 0 && $0 >= -53 && $0 <= 53 } ?? true)
        }
        if rule.byWeekNo.isEmpty, rule.byYearDay.isEmpty, rule.byMonthDay.isEmpty, rule.byDay.isEmpty {
            switch rule.frequency {
            case .yearly:
                if byMonth.isEmpty { byMonth = [startDate.month] }
                byMonthDay = [startDate.day]
            case .monthly: byMonthDay = [startDate.day]
            case .weekly: byDay = [RecurrenceRule.WeekdayNumber(weekday: startDate.isoWeekday)]
            default: break
            }
        }
        let ordinalScope: DayFilter.OrdinalScope
        switch rule.frequency {
        case .monthly: ordinalScope = .month
        case .yearly: ordinalScope = byMonth.isEmpty ? .year : .month
        default: ordinalScope = .none
        }
        filter = DayFilter(
            byMonth: byMonth, byMonthDay: byMonthDay, byYearDay: byYearDay,
            byWeekNo: byWeekNo, byDay: byDay, weekStart: weekStart, ordinalScope: ordinalScope)
        months = filter.monthList ?? Array(1...12)
        let h = startSecond / 3600, m = startSecond / 60 % 60, s = startSecond % 60
        let byHour = sortedUnique(Self.valid(rule.byHour, 0...23))
        let byMinute = sortedUnique(Self.valid(rule.byMinute, 0...59))
        // A leap second 60 is not a time we can show.
        let bySecond = sortedUnique(Self.valid(rule.bySecond, 0...60).filter { $0 < 60 })
        hours = rule.byHour.isEmpty ? (rule.frequency > .hourly ? [h] : nil) : byHour
        minutes = rule.byMinute.isEmpty ? (rule.frequency > .minutely ? [m] : nil) : byMinute
        self.seconds = rule.bySecond.isEmpty ? (rule.frequency > .secondly ? [s] : nil) : bySecond
        dayHours = hours ?? [h]
        dayMinutes = minutes ?? [m]
        daySeconds = self.seconds ?? [s]
        setPositions = sortedUnique(Self.valid(rule.bySetPos, 1...366, signed: true))
    }

    /// The values of `list` in `range` (or, when `signed`, in ±range without 0).
    static func valid(_ list: [Int], _ range: ClosedRange<Int>, signed: Bool = false) -> [Int] {
        list.filter { v in
            guard signed else { return range.contains(v) }
            return v != 0 && v >= -range.upperBound && range.contains(v < 0 ? -v : v)
        }
    }

    private var startMonthIndex: Int { startDate.year * 12 + startDate.month - 1 }

    /// A period index whose period starts at or before `local` (never negative).
    func periodIndex(near local: LocalSeconds) -> Int {
        let clamped = min(max(local, ExpansionRange.firstLocal), ExpansionRange.lastLocal)
        let day = floorDivide(clamped, 86_400)
        let n: Int
        switch frequency {
        case .yearly: n = floorDivide(CivilDate(dayNumber: day).year - startDate.year, interval)
        case .monthly:
            let d = CivilDate(dayNumber: day)
            n = floorDivide(d.year * 12 + d.month - 1 - startMonthIndex, interval)
        case .weekly: n = weekLength.map { floorDivide(day - firstWeekStart, $0) } ?? 0
        case .daily: n = floorDivide(day - startDay, interval)
        default: n = step.map { floorDivide(clamped - dtstart, $0) - 1 } ?? 0
        }
        return max(0, n)
    }

    private static let localRange = ExpansionRange.firstLocal...ExpansionRange.lastLocal
    private static let dayRange = ExpansionRange.firstDay...ExpansionRange.lastDay

    /// The year of yearly period `p`, nil past 9999.
    private func year(ofPeriod p: Int) -> Int? {
        ExpansionRange.offset(startDate.year, p, times: interval, within: 1...9999)
    }

    /// The month index (year * 12 + month - 1) of monthly period `p`, nil past 9999.
    private func monthIndex(ofPeriod p: Int) -> Int? {
        ExpansionRange.offset(startMonthIndex, p, times: interval, within: 12...(9999 * 12 + 11))
    }

    /// The first day of a daily or weekly period, nil past 9999.
    private func firstDay(ofPeriod p: Int) -> Int? {
        switch frequency {
        case .weekly: return weekLength.flatMap { ExpansionRange.offset(firstWeekStart, p, times: $0, within: Self.dayRange) }
        default: return ExpansionRange.offset(startDay, p, times: interval, within: Self.dayRange)
        }
    }

    /// The earliest local time period `p` can hold; nil when it lies past the year 9999.
    func periodStart(_ p: Int) -> LocalSeconds? {
        switch frequency {
        case .yearly:
            return year(ofPeriod: p).map { CivilDate(year: $0, month: 1, day: 1).dayNumber * 86_400 }
        case .monthly:
            return monthIndex(ofPeriod: p).map { index in
                CivilDate(year: index / 12, month: index % 12 + 1, day: 1).dayNumber * 86_400
            }
        case .weekly, .daily:
            return firstDay(ofPeriod: p).map { $0 * 86_400 }
        case .hourly, .minutely, .secondly:
            guard let step, let t = ExpansionRange.offset(dtstart, p, times: step, within: Self.localRange) else { return nil }
            switch frequency {
            case .hourly: return floorDivide(t, 3600) * 3600
            case .minutely: return floorDivide(t, 60) * 60
            default: return t
            }
        }
    }

    /// Visits the candidates of period `p` at or after `from`, in ascending order, spending
    /// `budget` as it goes; says where to go next. Sub-daily frequencies jump over the
    /// days, hours and minutes the filters exclude.
    func forEachCandidate(
        period p: Int, from: LocalSeconds, budget: inout CandidateBudget, _ visit: (LocalSeconds) -> Bool
    ) -> Step {
        switch frequency {
        case .yearly, .monthly, .weekly, .daily:
            return forEachDayCandidate(period: p, from: from, budget: &budget, visit)
        case .hourly, .minutely, .secondly:
            return forEachSubDailyCandidate(period: p, from: from, budget: &budget, visit)
        }
    }

    private func forEachDayCandidate(
        period p: Int, from: LocalSeconds, budget: inout CandidateBudget, _ visit: (LocalSeconds) -> Bool
    ) -> Step {
        let fromDay = floorDivide(from, 86_400)
        var matching: [Int] = []  // BYSETPOS only
        // Visits the days of `range`; returns a step to return at once, or nil to go on.
        func visitDays(_ range: Range<Int>) -> Step? {
            let first = setPositions.isEmpty ? max(range.lowerBound, fromDay) : range.lowerBound
            guard first < range.upperBound else { return nil }
            for day in first..<range.upperBound {
                guard budget.spend() else { return .outOfBudget }
                guard filter.matches(dayNumber: day) else { continue }
                if !setPositions.isEmpty {
                    matching.append(day)
                    continue
                }
                let base = day * 86_400
                for h in dayHours {
                    let hourBase = base + h * 3600
                    if hourBase + 3599 < from { continue }
                    for m in dayMinutes {
                        let minuteBase = hourBase + m * 60
                        if minuteBase + 59 < from { continue }
                        for s in daySeconds {
                            let candidate = minuteBase + s
                            if candidate < from { continue }
                            guard budget.spend() else { return .outOfBudget }
                            guard visit(candidate) else { return .visitorStopped }
                        }
                    }
                }
            }
            return nil
        }
        switch frequency {
        case .yearly:
            guard let year = year(ofPeriod: p) else { return .noMorePeriods }
            for month in months {
                let first = CivilDate(year: year, month: month, day: 1).dayNumber
                if let step = visitDays(first..<(first + CivilDate.daysIn(month: month, year: year))) { return step }
            }
        case .monthly:
            guard let index = monthIndex(ofPeriod: p) else { return .noMorePeriods }
            let year = index / 12, month = index % 12 + 1
            if let listed = filter.monthList, !listed.contains(month) { return .next(p + 1) }
            let first = CivilDate(year: year, month: month, day: 1).dayNumber
            if let step = visitDays(first..<(first + CivilDate.daysIn(month: month, year: year))) { return step }
        default:
            guard let first = firstDay(ofPeriod: p) else { return .noMorePeriods }
            let length = frequency == .weekly ? 7 : 1
            if let step = visitDays(first..<min(first + length, ExpansionRange.lastDay + 1)) { return step }
        }
        if !setPositions.isEmpty {
            // The n-th time of the period is day n / T, time n % T (T times a day).
            let perDay = dayHours.count * dayMinutes.count * daySeconds.count
            let total = matching.count * perDay
            var picks: [LocalSeconds] = []
            for position in setPositions {
                let i = position > 0 ? position - 1 : total + position
                guard i >= 0, i < total else { continue }
                let day = matching[i / perDay], k = i % perDay
                let perHour = dayMinutes.count * daySeconds.count
                let h = dayHours[k / perHour], m = dayMinutes[k / daySeconds.count % dayMinutes.count], s = daySeconds[k % daySeconds.count]
                picks.append(day * 86_400 + h * 3600 + m * 60 + s)
            }
            for candidate in sortedUnique(picks) where candidate >= from {
                guard budget.spend() else { return .outOfBudget }
                guard visit(candidate) else { return .visitorStopped }
            }
        }
        return .next(p + 1)
    }

    private func forEachSubDailyCandidate(
        period p: Int, from: LocalSeconds, budget: inout CandidateBudget, _ visit: (LocalSeconds) -> Bool
    ) -> Step {
        guard let step, let t = ExpansionRange.offset(dtstart, p, times: step, within: Self.localRange) else { return .noMorePeriods }
        let day = floorDivide(t, 86_400)
        // The first period at or after `boundary`, to jump over what the filters exclude.
        func firstPeriod(atOrAfter boundary: LocalSeconds) -> Step { .next(max(p + 1, ceilDivide(boundary - dtstart, step))) }
        guard filter.matches(dayNumber: day) else { return firstPeriod(atOrAfter: (day + 1) * 86_400) }
        let secondOfDay = t - day * 86_400
        let hour = secondOfDay / 3600, minute = secondOfDay / 60 % 60, second = secondOfDay % 60
        if let hours, !hours.contains(hour) {
            return firstPeriod(atOrAfter: day * 86_400 + (hour + 1) * 3600)
        }
        if frequency != .hourly, let minutes, !minutes.contains(minute) {
            return firstPeriod(atOrAfter: day * 86_400 + hour * 3600 + (minute + 1) * 60)
        }
        if frequency == .secondly, let seconds, !seconds.contains(second) { return .next(p + 1) }
        let base = day * 86_400 + hour * 3600
        // At most 3,600 candidates (an hour's minutes x seconds), in ascending order.
        var candidates: [LocalSeconds] = []
        switch frequency {
        case .hourly:
            for mm in minutes ?? [minute] {
                for ss in seconds ?? [second] { candidates.append(base + mm * 60 + ss) }
            }
        case .minutely:
            for ss in seconds ?? [second] { candidates.append(base + minute * 60 + ss) }
        default:
            candidates.append(t)
        }
        if !setPositions.isEmpty { candidates = RecurrenceRule.select(positions: setPositions, from: candidates) }
        for candidate in candidates where candidate >= from {
            guard budget.spend() else { return .outOfBudget }
            guard visit(candidate) else { return .visitorStopped }
        }
        return .next(p + 1)
    }
}
