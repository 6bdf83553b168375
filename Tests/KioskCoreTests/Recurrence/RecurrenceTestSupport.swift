import Foundation
import KioskCore

/// Builds instants and reads them back on a zone's wall clock, through Foundation's
/// Calendar (independent of the expander's own offset arithmetic).
struct WallClock {
    let zone: IANATimeZone
    let calendar: Calendar

    init(_ identifier: String) {
        zone = IANATimeZone(identifier: identifier)!
        var c = Calendar(identifier: .gregorian)
        c.timeZone = TimeZone(identifier: zone.identifier)!
        calendar = c
    }

    /// `19970902T090000` read on this wall clock.
    func instant(_ compact: String) -> Date {
        let d = Array(compact.utf8).map { Int($0) - 48 }
        func n(_ i: Int, _ len: Int) -> Int { (i..<(i + len)).reduce(0) { $0 * 10 + d[$1] } }
        let comps = DateComponents(year: n(0, 4), month: n(4, 2), day: n(6, 2), hour: n(9, 2), minute: n(11, 2), second: n(13, 2))
        return calendar.date(from: comps)!
    }

    /// `1997-09-02 09:00` on this wall clock.
    func label(_ date: Date) -> String {
        let c = calendar.dateComponents([.year, .month, .day, .hour, .minute], from: date)
        return String(format: "%04d-%02d-%02d %02d:%02d", c.year!, c.month!, c.day!, c.hour!, c.minute!)
    }
}

/// Expands a one-hour series through the public API and labels the starts on `zone`.
func expandedStarts(
    dtstart: String, rule: String, zone: String = "America/New_York", exdates: [String] = [],
    from: String = "19900101T000000", to: String = "20100101T000000", limit: Int? = nil
) -> [String] {
    let clock = WallClock(zone)
    let start = clock.instant(dtstart)
    let event = ProgrammeEvent(
        uid: "rfc", title: "RFC example", start: .instant(start), end: .instant(start + 3600),
        timeZone: zone,
        recurrence: Recurrence(rules: [rule], exceptions: exdates.map { .instant(clock.instant($0)) }))
    let found = OccurrenceExpander.occurrences(
        of: [event], from: clock.instant(from), to: clock.instant(to), venueTimeZone: IANATimeZone(identifier: "UTC")!)
    let labels = found.map { occurrence -> String in
        guard case .instant(let d) = occurrence.start else { return "all-day?" }
        return clock.label(d)
    }
    return limit.map { Array(labels.prefix($0)) } ?? labels
}

/// `days(1997, 9, [2, 4], "09:00")` -> ["1997-09-02 09:00", "1997-09-04 09:00"].
func days(_ year: Int, _ month: Int, _ list: [Int], _ time: String = "09:00") -> [String] {
    list.map { String(format: "%04d-%02d-%02d ", year, month, $0) + time }
}

func days(_ year: Int, _ month: Int, _ range: ClosedRange<Int>, _ time: String = "09:00") -> [String] {
    days(year, month, Array(range), time)
}
