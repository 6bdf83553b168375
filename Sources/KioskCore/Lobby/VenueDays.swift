import Foundation
import Synchronization

/// The venue's days, worked out once per day and then answered by arithmetic: when a day
/// starts, which day an instant falls on, and the wall-clock hour and minute of an instant.
///
/// Building the screen model asks these questions for every occurrence on every frame;
/// `Calendar` answered each in microseconds, which made day boundaries the biggest cost of
/// a frame. Here each day is asked of the zone once (its start, the next day's start,
/// and whether its wall clock is regular) and kept, keyed by its day number.
///
/// A day is *regular* when it starts at 00:00 local, lasts exactly 86,400 s and the zone's
/// offset does not change inside it. On a regular day (and when the next day is regular
/// too, so that no backward jump at the next midnight can put instants of the next day
/// back on this one) the answers come from the cached start: `start + seconds`. On any
/// other day (the two daylight-saving Sundays in Europe/Paris, a zone whose midnight is
/// skipped) every answer is asked of the zone itself, so the cache never disagrees with
/// the direct computation.
///
/// Shared between frames by the lobby; safe to use from any thread (a `Mutex` guards the
/// table). The table is emptied when it grows past a few years of days.
public final class VenueDays: Sendable {
    /// What is kept of one day.
    struct Day: Sendable {
        var start: Date
        var nextStart: Date
        var isRegular: Bool
    }

    public let timeZone: IANATimeZone
    private let table = Mutex<[Int: Day]>([:])
    private static let maximumDays = 4096

    public init(timeZone: IANATimeZone) {
        self.timeZone = timeZone
    }

    /// The instant `date` starts in the venue's zone; equal to `date.start(in: timeZone)`.
    public func start(of date: CivilDate) -> Date {
        day(date.dayNumber).start
    }

    /// The venue's date at `instant`; equal to `CivilDate(instant, in: timeZone)`.
    public func civilDate(of instant: Date) -> CivilDate {
        if let (number, _) = regularDay(containing: instant) { return CivilDate(dayNumber: number) }
        return CivilDate(instant, in: timeZone)
    }

    /// The wall-clock hour and minute of `instant` in the venue's zone.
    public func hourAndMinute(of instant: Date) -> (hour: Int, minute: Int) {
        if let (_, day) = regularDay(containing: instant) {
            let minutes = Int((instant.timeIntervalSince(day.start) / 60).rounded(.down))
            return (minutes / 60, minutes % 60)
        }
        return timeZone.hourAndMinute(of: instant)
    }

    /// The day that holds `instant` when the fast answers apply to it (see the type's
    /// comment), else nil.
    private func regularDay(containing instant: Date) -> (Int, Day)? {
        let t = instant.timeIntervalSince1970
        guard t.isFinite, abs(t) < 1e11 else { return nil }
        // Zones are within a day of UTC: the local date is the UTC date or one beside it.
        let utcDay = Int((t / 86400).rounded(.down))
        for number in (utcDay - 1)...(utcDay + 1) {
            let d = day(number)
            guard d.start <= instant, instant < d.nextStart else { continue }
            guard d.isRegular, day(number + 1).isRegular else { return nil }
            return (number, d)
        }
        return nil
    }

    private func day(_ number: Int) -> Day {
        if let known = table.withLock({ $0[number] }) { return known }
        let computed = compute(number)
        table.withLock { days in
            if days.count >= Self.maximumDays { days.removeAll(keepingCapacity: true) }
            days[number] = computed
        }
        return computed
    }

    private func compute(_ number: Int) -> Day {
        let start = CivilDate(dayNumber: number).start(in: timeZone)
        let nextStart = CivilDate(dayNumber: number + 1).start(in: timeZone)
        var regular = nextStart.timeIntervalSince(start) == 86400
            && timeZone.secondsFromGMT(for: start) == timeZone.secondsFromGMT(for: nextStart.addingTimeInterval(-1))
        let from = start.wholeSecondsSince1970, to = nextStart.wholeSecondsSince1970
        if regular, !timeZone.transitions(from: from, to: to).isEmpty { regular = false }
        if regular { regular = timeZone.localSeconds(at: from) == number * 86_400 }
        return Day(start: start, nextStart: nextStart, isRegular: regular)
    }
}
