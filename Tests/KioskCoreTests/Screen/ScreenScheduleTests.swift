import Foundation
import Testing
@testable import KioskCore

/// When the framebuffer screen sleeps, and how far burn-in protection shifts it.
@Suite struct ScreenScheduleTests {
    static let paris = IANATimeZone(identifier: "Europe/Paris")!
    static func at(_ iso: String) -> Date { ISO8601.parse(iso)! }

    /// Tuesday 2026-11-24 open 09:00-19:00 (Paris), every other day closed.
    static var schedule: ScreenSchedule {
        var days = Array(repeating: [OpeningHours.Range](), count: 7)
        days[1] = [OpeningHours.Range(opens: TimeOfDay(hour: 9, minute: 0), closes: TimeOfDay(hour: 19, minute: 0))]
        return ScreenSchedule(hours: OpeningHours(days: days), timeZone: paris, wakeBefore: 30 * 60)
    }

    static func event(_ uid: String, _ start: String, _ end: String, status: EventStatus = .confirmed) -> Occurrence {
        Occurrence(uid: uid, title: uid, status: status, start: .instant(at(start)), end: .instant(at(end)))
    }

    @Test func onDuringOpeningHoursOffOutside() {
        let s = Self.schedule
        #expect(s.state(at: Self.at("2026-11-24T09:00:00+01:00"), occurrences: []) == .on)
        #expect(s.state(at: Self.at("2026-11-24T18:59:00+01:00"), occurrences: []) == .on)
        #expect(s.state(at: Self.at("2026-11-24T08:59:00+01:00"), occurrences: []) == .off(.closed))
        #expect(s.state(at: Self.at("2026-11-24T19:00:00+01:00"), occurrences: []) == .off(.closed))
        // Wednesday is closed all day.
        #expect(s.state(at: Self.at("2026-11-25T12:00:00+01:00"), occurrences: []) == .off(.closed))
    }

    @Test func anEveningEventKeepsTheScreenLitUntilItEnds() {
        let s = Self.schedule
        let concert = [Self.event("concert", "2026-11-25T20:00:00+01:00", "2026-11-25T22:00:00+01:00")]
        #expect(s.state(at: Self.at("2026-11-25T19:29:00+01:00"), occurrences: concert) == .off(.closed))
        #expect(s.state(at: Self.at("2026-11-25T19:30:00+01:00"), occurrences: concert) == .on)
        #expect(s.state(at: Self.at("2026-11-25T21:59:59+01:00"), occurrences: concert) == .on)
        #expect(s.state(at: Self.at("2026-11-25T22:00:00+01:00"), occurrences: concert) == .off(.afterLastEvent))
        // The next day's occurrences do not count today.
        #expect(s.state(at: Self.at("2026-11-24T23:00:00+01:00"), occurrences: [Self.event("x", "2026-11-25T07:00:00+01:00", "2026-11-25T08:00:00+01:00")]) == .off(.closed))
    }

    @Test func aMorningEventWakesTheScreenBeforeOpening() {
        var s = Self.schedule
        s.wakeBefore = 45 * 60
        let workshop = [Self.event("atelier", "2026-11-24T08:00:00+01:00", "2026-11-24T10:00:00+01:00")]
        #expect(s.state(at: Self.at("2026-11-24T07:14:00+01:00"), occurrences: workshop) == .off(.closed))
        #expect(s.state(at: Self.at("2026-11-24T07:15:00+01:00"), occurrences: workshop) == .on)
    }

    @Test func cancelledAndAllDayEventsDoNotWakeTheScreen() {
        let s = Self.schedule
        let cancelled = [Self.event("annulé", "2026-11-25T20:00:00+01:00", "2026-11-25T22:00:00+01:00", status: .cancelled)]
        #expect(s.state(at: Self.at("2026-11-25T21:00:00+01:00"), occurrences: cancelled) == .off(.closed))
        let expo = [Occurrence(uid: "expo", title: "Expo", start: .date(CivilDate(year: 2026, month: 11, day: 25)), end: .date(CivilDate(year: 2026, month: 11, day: 26)))]
        #expect(s.state(at: Self.at("2026-11-25T21:00:00+01:00"), occurrences: expo) == .off(.closed))
    }

    @Test func withoutOpeningHoursTheScreenNeverSleeps() {
        let s = ScreenSchedule(hours: .always, timeZone: Self.paris)
        for hour in stride(from: 0, to: 24, by: 3) {
            let instant = Self.at("2026-11-25T00:00:00+01:00").addingTimeInterval(Double(hour) * 3600)
            #expect(s.state(at: instant, occurrences: []) == .on)
        }
    }

    @Test func burnInShiftCyclesThroughThreeColumnsEveryFiveMinutes() {
        let base = Date(timeIntervalSince1970: 1_800_000_000 - 1_800_000_000.truncatingRemainder(dividingBy: 900))
        #expect(ScreenSchedule.burnInShift(at: base) == 0)
        #expect(ScreenSchedule.burnInShift(at: base + 299) == 0)
        #expect(ScreenSchedule.burnInShift(at: base + 300) == 1)
        #expect(ScreenSchedule.burnInShift(at: base + 600) == 2)
        #expect(ScreenSchedule.burnInShift(at: base + 899) == 2)
        #expect(ScreenSchedule.burnInShift(at: base + 900) == 0)
        // Before the epoch still gives 0...2.
        #expect((0...2).contains(ScreenSchedule.burnInShift(at: Date(timeIntervalSince1970: -301))))
    }

    @Test func screenKeysOfTheConfiguration() throws {
        let c = try KioskConfig.parse("[screen]\nbackend = framebuffer\nconsole = none\nwake-before = 45min\n", path: "k.conf")
        #expect(c.screen.console == nil)
        #expect(c.screen.wakeBefore == 45 * 60)
        #expect(ScreenSchedule(config: c).wakeBefore == 45 * 60)
        let d = try KioskConfig.parse("[screen]\nconsole = /dev/tty2\n", path: "k.conf")
        #expect(d.screen.console == "/dev/tty2")
        #expect(KioskConfig().screen.console == "/dev/tty1")
        #expect(throws: ConfigError.self) { try KioskConfig.parse("[screen]\nwake-before = soon\n", path: "k.conf") }
    }
}
