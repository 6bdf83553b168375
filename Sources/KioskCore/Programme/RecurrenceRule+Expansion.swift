import Foundation

/// Local wall-clock seconds: `dayNumber * 86_400 + secondOfDay` on the series' own wall
/// clock (no zone, no DST). Expansion happens here; instants come later.
typealias LocalSeconds = Int

@inline(__always) func floorDivide(_ a: Int, _ b: Int) -> Int {
    let q = a / b
    return (a % b != 0 && (a < 0) != (b < 0)) ? q - 1 : q
}

@inline(__always) func ceilDivide(_ a: Int, _ b: Int) -> Int { -floorDivide(-a, b) }

extension RecurrenceRule {
    /// Calls `body` with each instance of the rule, in ascending order, in local wall-clock
    /// seconds; `body` returns false to stop.
    ///
    /// - `dtstart` is always the first instance (RFC 5545: DTSTART counts as the first
    ///   occurrence), even when it does not match the rule.
    /// - When the rule has no COUNT and `skipTo` is later than `dtstart`, whole periods
    ///   before `skipTo` are jumped over (the instances they hold are earlier than `skipTo`).
    ///   With COUNT the expansion must count from `dtstart`.
    /// - Stops after `stopAfter`, after UNTIL (`untilLocal`, already on the wall clock), after
    ///   COUNT instances, or after `maxIterations` periods (a hostile rule cannot stall us).
    /// - Invalid dates (30 February, the 5th Monday of a month that has four) are skipped.
    func expand(
        dtstart: LocalSeconds, skipTo: LocalSeconds?, stopAfter: LocalSeconds,
        untilLocal: LocalSeconds?, maxIterations: Int, body: (LocalSeconds) -> Bool
    ) {
        let plan = ExpansionPlan(rule: self, dtstart: dtstart)
        let limit = min(stopAfter, untilLocal ?? Int.max)
        var emitted = 0
        if let count, count == 0 { return }
        var period = 0
        if count == nil, let skipTo, skipTo > dtstart { period = plan.periodIndex(near: skipTo) }
        if period == 0 {
            guard dtstart <= limit else { return }
            guard body(dtstart) else { return }
            emitted = 1
            if let count, emitted >= count { return }
        }
        var candidates: [LocalSeconds] = []
        candidates.reserveCapacity(32)
        var iterations = 0
        while iterations < maxIterations {
            iterations += 1
            let periodStart = plan.periodStart(period)
            if periodStart > limit { return }
            candidates.removeAll(keepingCapacity: true)
            let next = plan.collect(period: period, into: &candidates)
            if !bySetPos.isEmpty { candidates = Self.select(positions: bySetPos, from: candidates) }
            for c in candidates where c > dtstart {
                if c > limit { return }
                guard body(c) else { return }
                emitted += 1
                if let count, emitted >= count { return }
            }
            period = max(period + 1, next)
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
        picked.sort()
        var unique: [LocalSeconds] = []
        for v in picked where unique.last != v { unique.append(v) }
        return unique
    }
}

/// The rule with DTSTART's defaults filled in, and the per-period arithmetic.
struct ExpansionPlan {
    let frequency: RecurrenceRule.Frequency
    let interval: Int
    let dtstart: LocalSeconds
    let startDay: Int
    let startDate: CivilDate
    let weekStart: Int
    /// First day of the week (WKST) that holds DTSTART; weekly periods count from it.
    let firstWeekStart: Int
    let step: Int  // seconds per period for sub-daily frequencies
    let filter: DayFilter
    let hours: [Int]?, minutes: [Int]?, seconds: [Int]?
    /// Sorted seconds of the day for daily and coarser frequencies.
    let timesOfDay: [Int]

    init(rule: RecurrenceRule, dtstart: LocalSeconds) {
        frequency = rule.frequency
        interval = rule.interval
        self.dtstart = dtstart
        startDay = floorDivide(dtstart, 86_400)
        startDate = CivilDate(dayNumber: startDay)
        weekStart = rule.weekStart
        let startSecond = dtstart - startDay * 86_400
        firstWeekStart = startDay - (startDate.isoWeekday - rule.weekStart + 7) % 7
        switch rule.frequency {
        case .hourly: step = 3600 * rule.interval
        case .minutely: step = 60 * rule.interval
        case .secondly: step = rule.interval
        default: step = 86_400
        }
        var byMonth = rule.byMonth, byMonthDay = rule.byMonthDay, byDay = rule.byDay
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
            byMonth: byMonth, byMonthDay: byMonthDay, byYearDay: rule.byYearDay,
            byWeekNo: rule.byWeekNo, byDay: byDay, weekStart: rule.weekStart, ordinalScope: ordinalScope)
        let h = startSecond / 3600, m = startSecond / 60 % 60, s = startSecond % 60
        let hourList = rule.byHour.isEmpty ? (rule.frequency > .hourly ? [h] : nil) : rule.byHour
        let minuteList = rule.byMinute.isEmpty ? (rule.frequency > .minutely ? [m] : nil) : rule.byMinute
        let secondList = rule.bySecond.isEmpty ? (rule.frequency > .secondly ? [s] : nil) : rule.bySecond
        hours = hourList
        minutes = minuteList
        seconds = secondList.map { $0.filter { $0 < 60 } }  // a leap second 60 is not a time we can show
        if rule.frequency >= .daily {
            var times: [Int] = []
            for hh in hourList ?? [h] {
                for mm in minuteList ?? [m] {
                    for ss in seconds ?? [s] { times.append(hh * 3600 + mm * 60 + ss) }
                }
            }
            times.sort()
            var unique: [Int] = []
            for t in times where unique.last != t { unique.append(t) }
            timesOfDay = unique
        } else {
            timesOfDay = []
        }
    }

    private var startMonthIndex: Int { startDate.year * 12 + startDate.month - 1 }

    /// A period index whose period starts at or before `local` (never negative).
    func periodIndex(near local: LocalSeconds) -> Int {
        let day = floorDivide(local, 86_400)
        let n: Int
        switch frequency {
        case .yearly: n = floorDivide(CivilDate(dayNumber: day).year - startDate.year, interval)
        case .monthly:
            let d = CivilDate(dayNumber: day)
            n = floorDivide(d.year * 12 + d.month - 1 - startMonthIndex, interval)
        case .weekly: n = floorDivide(day - firstWeekStart, 7 * interval)
        case .daily: n = floorDivide(day - startDay, interval)
        default: n = floorDivide(local - dtstart, step) - 1
        }
        return max(0, n)
    }

    /// The earliest local time period `p` can hold.
    func periodStart(_ p: Int) -> LocalSeconds {
        switch frequency {
        case .yearly: return CivilDate(year: startDate.year + p * interval, month: 1, day: 1).dayNumber * 86_400
        case .monthly:
            let index = startMonthIndex + p * interval
            return CivilDate(year: floorDivide(index, 12), month: index - floorDivide(index, 12) * 12 + 1, day: 1).dayNumber * 86_400
        case .weekly: return (firstWeekStart + p * 7 * interval) * 86_400
        case .daily: return (startDay + p * interval) * 86_400
        case .hourly: return floorDivide(dtstart + p * step, 3600) * 3600
        case .minutely: return floorDivide(dtstart + p * step, 60) * 60
        case .secondly: return dtstart + p * step
        }
    }

    /// Appends the sorted candidates of period `p`; returns the next period worth looking at
    /// (sub-daily frequencies jump over days, hours and minutes the filters exclude).
    func collect(period p: Int, into out: inout [LocalSeconds]) -> Int {
        switch frequency {
        case .yearly:
            let year = startDate.year + p * interval
            let months = filter.monthList ?? Array(1...12)
            for month in months {
                let first = CivilDate(year: year, month: month, day: 1).dayNumber
                let length = CivilDate.daysIn(month: month, year: year)
                appendDays(from: first, count: length, into: &out)
            }
            return p + 1
        case .monthly:
            let index = startMonthIndex + p * interval
            let year = floorDivide(index, 12), month = index - year * 12 + 1
            if let months = filter.monthList, !months.contains(month) { return p + 1 }
            let first = CivilDate(year: year, month: month, day: 1).dayNumber
            appendDays(from: first, count: CivilDate.daysIn(month: month, year: year), into: &out)
            return p + 1
        case .weekly:
            appendDays(from: firstWeekStart + p * 7 * interval, count: 7, into: &out)
            return p + 1
        case .daily:
            appendDays(from: startDay + p * interval, count: 1, into: &out)
            return p + 1
        case .hourly, .minutely, .secondly:
            return collectSubDaily(period: p, into: &out)
        }
    }

    private func appendDays(from firstDay: Int, count: Int, into out: inout [LocalSeconds]) {
        for day in firstDay..<(firstDay + count) where filter.matches(dayNumber: day) {
            for t in timesOfDay { out.append(day * 86_400 + t) }
        }
    }

    private func collectSubDaily(period p: Int, into out: inout [LocalSeconds]) -> Int {
        let t = dtstart + p * step
        let day = floorDivide(t, 86_400)
        // The first period at or after `boundary`, to jump over what the filters exclude.
        func firstPeriod(atOrAfter boundary: LocalSeconds) -> Int { max(p + 1, ceilDivide(boundary - dtstart, step)) }
        guard filter.matches(dayNumber: day) else { return firstPeriod(atOrAfter: (day + 1) * 86_400) }
        let secondOfDay = t - day * 86_400
        let hour = secondOfDay / 3600, minute = secondOfDay / 60 % 60, second = secondOfDay % 60
        if let hours, !hours.contains(hour) {
            return firstPeriod(atOrAfter: day * 86_400 + (hour + 1) * 3600)
        }
        switch frequency {
        case .hourly:
            let base = day * 86_400 + hour * 3600
            var local: [LocalSeconds] = []
            for mm in minutes ?? [minute] {
                for ss in seconds ?? [second] { local.append(base + mm * 60 + ss) }
            }
            local.sort()
            for v in local where out.last != v { out.append(v) }
        case .minutely:
            if let minutes, !minutes.contains(minute) {
                return firstPeriod(atOrAfter: day * 86_400 + hour * 3600 + (minute + 1) * 60)
            }
            let base = day * 86_400 + hour * 3600 + minute * 60
            for ss in (seconds ?? [second]).sorted() where out.last != base + ss { out.append(base + ss) }
        default:
            if let minutes, !minutes.contains(minute) {
                return firstPeriod(atOrAfter: day * 86_400 + hour * 3600 + (minute + 1) * 60)
            }
            if let seconds, !seconds.contains(second) { return p + 1 }
            out.append(t)
        }
        return p + 1
    }
}

/// The day-level BY parts (BYMONTH, BYWEEKNO, BYYEARDAY, BYMONTHDAY, BYDAY) as one test.
struct DayFilter {
    enum OrdinalScope { case none, month, year }

    let monthMask: UInt16
    /// Months to visit in a yearly period, sorted; nil for all twelve.
    let monthList: [Int]?
    let positiveMonthDays: UInt32, negativeMonthDays: UInt32
    let yearDays: [Int]
    let weekNumbers: [Int]
    let plainWeekdays: UInt8
    let ordinalWeekdays: [RecurrenceRule.WeekdayNumber]
    let weekStart: Int
    let ordinalScope: OrdinalScope
    let isEmpty: Bool

    init(byMonth: [Int], byMonthDay: [Int], byYearDay: [Int], byWeekNo: [Int],
         byDay: [RecurrenceRule.WeekdayNumber], weekStart: Int, ordinalScope: OrdinalScope) {
        var mask: UInt16 = 0
        for m in byMonth { mask |= 1 << UInt16(m) }
        monthMask = mask
        monthList = byMonth.isEmpty ? nil : Array(Set(byMonth)).sorted()
        var pos: UInt32 = 0, neg: UInt32 = 0
        for d in byMonthDay { if d > 0 { pos |= 1 << UInt32(d) } else { neg |= 1 << UInt32(-d) } }
        positiveMonthDays = pos
        negativeMonthDays = neg
        yearDays = byYearDay
        weekNumbers = byWeekNo
        var plain: UInt8 = 0
        var ordinals: [RecurrenceRule.WeekdayNumber] = []
        for entry in byDay {
            if entry.ordinal == nil || ordinalScope == .none { plain |= 1 << UInt8(entry.weekday) } else { ordinals.append(entry) }
        }
        plainWeekdays = plain
        ordinalWeekdays = ordinals
        self.weekStart = weekStart
        self.ordinalScope = ordinalScope
        isEmpty = byMonth.isEmpty && byMonthDay.isEmpty && byYearDay.isEmpty && byWeekNo.isEmpty && byDay.isEmpty
    }

    func matches(dayNumber: Int) -> Bool {
        if isEmpty { return true }
        let date = CivilDate(dayNumber: dayNumber)
        if monthMask != 0, monthMask & (1 << UInt16(date.month)) == 0 { return false }
        let monthLength = CivilDate.daysIn(month: date.month, year: date.year)
        if positiveMonthDays | negativeMonthDays != 0 {
            let fromEnd = monthLength - date.day + 1
            if positiveMonthDays & (1 << UInt32(date.day)) == 0, negativeMonthDays & (1 << UInt32(fromEnd)) == 0 { return false }
        }
        if !yearDays.isEmpty {
            let jan1 = CivilDate(year: date.year, month: 1, day: 1).dayNumber
            let yearLength = CivilDate(year: date.year + 1, month: 1, day: 1).dayNumber - jan1
            let yday = dayNumber - jan1 + 1
            if !yearDays.contains(where: { $0 == yday || $0 == yday - yearLength - 1 }) { return false }
        }
        if !weekNumbers.isEmpty {
            let (week, weeksInYear) = weekNumber(dayNumber: dayNumber, year: date.year)
            if !weekNumbers.contains(where: { $0 == week || $0 == week - weeksInYear - 1 }) { return false }
        }
        if plainWeekdays != 0 || !ordinalWeekdays.isEmpty {
            let weekday = date.isoWeekday
            if plainWeekdays & (1 << UInt8(weekday)) != 0 { return true }
            for entry in ordinalWeekdays where entry.weekday == weekday {
                let ordinal = entry.ordinal ?? 0
                switch ordinalScope {
                case .month:
                    if ordinal > 0 ? (date.day - 1) / 7 + 1 == ordinal : -((monthLength - date.day) / 7 + 1) == ordinal { return true }
                case .year, .none:
                    let jan1 = CivilDate(year: date.year, month: 1, day: 1).dayNumber
                    let yearLength = CivilDate(year: date.year + 1, month: 1, day: 1).dayNumber - jan1
                    let yday = dayNumber - jan1 + 1
                    if ordinal > 0 ? (yday - 1) / 7 + 1 == ordinal : -((yearLength - yday) / 7 + 1) == ordinal { return true }
                }
            }
            return false
        }
        return true
    }

    /// The week (WKST-based, week 1 holds at least four days of its year) and how many weeks
    /// that week's year has.
    private func weekNumber(dayNumber: Int, year: Int) -> (Int, Int) {
        func firstWeekStart(_ y: Int) -> Int {
            let jan1 = CivilDate(year: y, month: 1, day: 1)
            let offset = (jan1.isoWeekday - weekStart + 7) % 7
            return jan1.dayNumber - offset + (offset <= 3 ? 0 : 7)
        }
        var weekYear = year
        var start = firstWeekStart(year)
        if dayNumber < start {
            weekYear -= 1
            start = firstWeekStart(weekYear)
        } else {
            let next = firstWeekStart(year + 1)
            if dayNumber >= next { weekYear += 1; start = next }
        }
        let weeks = (firstWeekStart(weekYear + 1) - start) / 7
        return ((dayNumber - start) / 7 + 1, weeks)
    }
}
