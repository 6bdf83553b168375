import Foundation

extension OpeningHours {
    /// The first instant after `instant` at which the building closes, for the
    /// closing-time check-out; nil when it never closes in the next 8 days (open
    /// around the clock).
    ///
    /// A range ending at 24:00 followed by one opening at 00:00 the next day is one
    /// continuous opening, not a closing. Wall-clock times are read in `timeZone` (the
    /// venue's); a closing time that does not exist on a daylight-saving night moves to
    /// the first instant after the gap.
    public func closing(after instant: Date, timeZone: IANATimeZone) -> Date? {
        let today = CivilDate(instant, in: timeZone)
        for offset in -1...8 {
            let day = today.adding(days: offset)
            for range in ranges(on: day) {
                if range.closes.minutes == 24 * 60,
                    ranges(on: day.adding(days: 1)).first?.opens.minutes == 0
                {
                    continue
                }
                let closing = Self.instant(of: range.closes, on: day, timeZone: timeZone)
                if closing > instant { return closing }
            }
        }
        return nil
    }

    private static func instant(of time: TimeOfDay, on day: CivilDate, timeZone: IANATimeZone) -> Date {
        if time.minutes == 24 * 60 { return day.adding(days: 1).start(in: timeZone) }
        return timeZone.instant(of: day, secondOfDay: time.minutes * 60)
    }
}
