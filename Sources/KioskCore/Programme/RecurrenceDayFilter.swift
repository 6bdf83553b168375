import Foundation

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
