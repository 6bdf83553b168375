import Foundation
import Testing
@testable import KioskCore

/// `VenueDays` must give the same answers as asking `Calendar` directly, on ordinary days,
/// on daylight-saving days, and in zones whose midnight is skipped or repeated.
@Suite struct VenueDaysTests {
    func at(_ iso: String) -> Date { ISO8601.parse(iso)! }

    /// Compares every answer with the direct computation at `step` seconds from `from` to
    /// `to`, plus one second either side of every day start met on the way.
    func expectAgreement(zone name: String, from: String, to: String, step: TimeInterval, sourceLocation: SourceLocation = #_sourceLocation) {
        let zone = IANATimeZone(identifier: name)!
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = TimeZone(identifier: zone.identifier)!
        let days = VenueDays(timeZone: zone)
        var instants: [Date] = []
        var t = at(from)
        let end = at(to)
        while t < end {
            instants.append(t)
            t = t.addingTimeInterval(step)
        }
        var date = CivilDate(at(from), in: zone)
        while date.start(in: zone) < end {
            let start = date.start(in: zone)
            #expect(days.start(of: date) == start, "start of \(date) in \(name)", sourceLocation: sourceLocation)
            instants += [start.addingTimeInterval(-1), start, start.addingTimeInterval(0.5), start.addingTimeInterval(1)]
            date = date.adding(days: 1)
        }
        var mismatches: [String] = []
        for instant in instants {
            let direct = CivilDate(instant, in: zone)
            let c = calendar.dateComponents([.hour, .minute], from: instant)
            let cached = days.civilDate(of: instant)
            let hm = days.hourAndMinute(of: instant)
            if cached != direct || hm.hour != c.hour! || hm.minute != c.minute! {
                mismatches.append("\(instant): \(cached) \(hm.hour):\(hm.minute), Calendar says \(direct) \(c.hour!):\(c.minute!)")
            }
        }
        #expect(mismatches.isEmpty, "\(name): \(mismatches.prefix(5))", sourceLocation: sourceLocation)
    }

    @Test func parisOverAWholeYear() {
        // 2026: spring forward 29 March, fall back 25 October. 17 minutes does not divide
        // an hour, so the samples walk across every minute of the hour over the year.
        expectAgreement(zone: "Europe/Paris", from: "2025-12-31T00:00:00Z", to: "2027-01-02T00:00:00Z", step: 17 * 60 + 13)
    }

    @Test func parisMinuteByMinuteOnBothDaylightSavingSundays() {
        expectAgreement(zone: "Europe/Paris", from: "2026-03-28T20:00:00Z", to: "2026-03-30T04:00:00Z", step: 60)
        expectAgreement(zone: "Europe/Paris", from: "2026-10-24T20:00:00Z", to: "2026-10-26T04:00:00Z", step: 60)
    }

    @Test func zoneWhoseMidnightIsSkipped() {
        // São Paulo, 4 November 2018: 00:00 became 01:00 (the day starts at 01:00).
        expectAgreement(zone: "America/Sao_Paulo", from: "2018-11-02T00:00:00Z", to: "2018-11-06T00:00:00Z", step: 7 * 60)
    }

    @Test func zoneWhoseMidnightIsRepeated() {
        // Beirut, 29 October 2023: 00:00 went back to 23:00 the day before.
        expectAgreement(zone: "Asia/Beirut", from: "2023-10-27T00:00:00Z", to: "2023-10-31T00:00:00Z", step: 7 * 60)
    }

    @Test func zonesFarFromUTC() {
        expectAgreement(zone: "Pacific/Kiritimati", from: "2026-06-01T00:00:00Z", to: "2026-06-05T00:00:00Z", step: 11 * 60)
        expectAgreement(zone: "Pacific/Pago_Pago", from: "2026-06-01T00:00:00Z", to: "2026-06-05T00:00:00Z", step: 11 * 60)
        expectAgreement(zone: "Asia/Kathmandu", from: "2026-06-01T00:00:00Z", to: "2026-06-05T00:00:00Z", step: 11 * 60)
    }

    @Test func snapshotWithASharedTableIsTheSnapshotWithout() {
        let paris = IANATimeZone(identifier: "Europe/Paris")!
        var config = KioskConfig()
        config.venue.name = "Le Mixeur"
        let occurrences = [
            Occurrence(uid: "a", title: "Atelier", start: .instant(at("2026-10-25T09:00:00Z")), end: .instant(at("2026-10-25T11:00:00Z"))),
            Occurrence(uid: "b", title: "Expo", start: .date(CivilDate(year: 2026, month: 10, day: 24)), end: .date(CivilDate(year: 2026, month: 10, day: 27))),
            Occurrence(uid: "c", title: "Nuit", start: .instant(at("2026-10-25T21:30:00Z")), end: .instant(at("2026-10-26T01:00:00Z"))),
            Occurrence(uid: "d", title: "Bal", start: .instant(at("2026-10-27T18:00:00Z")), end: .instant(at("2026-10-27T22:00:00Z"))),
        ]
        let residents = [Resident(name: "Éclat"), Resident(name: "atelier Diptyc"), Resident(name: "360 secondes"), Resident(name: "Zèbre")]
        let shared = VenueDays(timeZone: paris)
        let lines = LobbySnapshot.residentLines(residents, strings: LobbyStrings(config.venue.language))
        for iso in ["2026-10-24T21:59:59Z", "2026-10-25T00:30:00Z", "2026-10-25T01:30:00Z", "2026-10-25T10:00:00Z", "2026-10-25T23:00:00Z"] {
            let plain = LobbySnapshot.Inputs(occurrences: occurrences, residents: residents, notices: [], freshness: ProgrammeFreshness(), clockFloor: at("2000-01-01T00:00:00Z"))
            var cached = plain
            cached.days = shared
            cached.residentLines = lines
            let a = LobbySnapshot.make(at: at(iso), inputs: plain, config: config)
            let b = LobbySnapshot.make(at: at(iso), inputs: cached, config: config)
            #expect(a.dateLine == b.dateLine && a.clockLine == b.clockLine, "\(iso)")
            #expect(a.happeningNow == b.happeningNow && a.laterToday == b.laterToday && a.upcoming == b.upcoming, "\(iso)")
            #expect(a.residents == b.residents)
        }
        #expect(lines.map(\.name) == ["360 secondes", "atelier Diptyc", "Éclat", "Zèbre"])
        #expect(lines.map(\.initial) == ["#", "A", "E", "Z"])
    }
    @Test func screenScheduleWithASharedTableIsTheScheduleWithout() {
        let paris = IANATimeZone(identifier: "Europe/Paris")!
        // Open 09:00-19:00 on Sundays only (index 6: ISO weekday 7), so the night of the
        // change of time is closed and only events keep the screen lit.
        var hours = Array(repeating: [OpeningHours.Range](), count: 7)
        hours[6] = [OpeningHours.Range(opens: TimeOfDay(hour: 9, minute: 0), closes: TimeOfDay(hour: 19, minute: 0))]
        let schedule = ScreenSchedule(hours: OpeningHours(days: hours), timeZone: paris, wakeBefore: 30 * 60)
        let shared = VenueDays(timeZone: paris)
        for sunday in [CivilDate(year: 2026, month: 3, day: 29), CivilDate(year: 2026, month: 10, day: 25)] {
            let base = sunday.start(in: paris)
            let occurrences = [(-1800.0, 1800.0), (3600, 7200), (5400, 9000), (72000, 80000), (84000, 90000)].map { span in
                Occurrence(uid: "o\(span.0)", title: "Soirée", start: .instant(base.addingTimeInterval(span.0)), end: .instant(base.addingTimeInterval(span.1)))
            }
            var states: Set<String> = []
            for step in stride(from: -7200.0, to: 30 * 3600, by: 600) {
                let now = base.addingTimeInterval(step)
                let direct = schedule.state(at: now, occurrences: occurrences)
                #expect(schedule.state(at: now, occurrences: occurrences, days: shared) == direct, "\(now)")
                states.insert("\(direct)")
            }
            #expect(states.count == 3, "on, off after the last event and off closed all met: \(states)")
        }
    }
}
