import Foundation
import Testing
import KioskTestSupport
@testable import KioskCore

/// The snapshot's shortcuts (occurrence instants worked out once, one pass for the days
/// ahead, `validUntil`) must not change what is shown: checked against a direct
/// computation written the plain way, on random programmes around midnight and both
/// daylight-saving Sundays in Paris.
@Suite struct LobbySnapshotValidityTests {
    let paris = IANATimeZone(identifier: "Europe/Paris")!

    /// A deterministic generator (SplitMix64), so a failure can be replayed.
    struct Random {
        var state: UInt64
        mutating func next() -> UInt64 {
            state &+= 0x9E37_79B9_7F4A_7C15
            var z = state
            z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
            z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
            return z ^ (z >> 31)
        }
        mutating func int(_ range: ClosedRange<Int>) -> Int { range.lowerBound + Int(next() % UInt64(range.count)) }
    }

    /// Occurrences around `day`: timed ones (some across midnight, some of zero length,
    /// some at odd seconds), all-day ones of one to three days, some cancelled.
    func programme(around day: CivilDate, seed: UInt64) -> [Occurrence] {
        var rng = Random(state: seed)
        var out: [Occurrence] = []
        let base = day.start(in: paris)
        for n in 0..<60 {
            let status: EventStatus = rng.int(0...9) == 0 ? .cancelled : .confirmed
            if rng.int(0...5) == 0 {
                let first = day.adding(days: rng.int(-2...8))
                out.append(Occurrence(uid: "d\(n)", title: "Expo \(n % 7)", status: status, start: .date(first), end: .date(first.adding(days: rng.int(1...3)))))
            } else {
                let start = base.addingTimeInterval(Double(rng.int(-2 * 86400...9 * 86400) / 60 * 60 + (rng.int(0...6) == 0 ? rng.int(1...59) : 0)))
                let length = Double([0, 1800, 3600, 5400, 7200, 4 * 3600, 26 * 3600][rng.int(0...6)])
                out.append(Occurrence(uid: "t\(n)", title: "Atelier \(n % 5)", room: "Salle \(n % 3)", status: status, start: .instant(start), end: .instant(start.addingTimeInterval(length))))
            }
        }
        return out
    }

    /// The event lists as `LobbySnapshot.make` computed them before the shortcuts: every
    /// instant asked of `Calendar`, every day filtered from the whole sorted list.
    func directEventLists(at instant: Date, _ occurrences: [Occurrence], config: KioskConfig) -> (now: [String], later: [String], days: [[String]]) {
        let zone = config.venue.timeZone
        let today = CivilDate(instant, in: zone)
        let sorted = occurrences.sorted { a, b in
            let sa = a.start.instant(in: zone), sb = b.start.instant(in: zone)
            if sa != sb { return sa < sb }
            if a.isAllDay != b.isAllDay { return a.isAllDay }
            return (a.title, a.uid) < (b.title, b.uid)
        }
        func overlaps(_ o: Occurrence, _ day: CivilDate) -> Bool {
            let dayStart = day.start(in: zone), dayEnd = day.adding(days: 1).start(in: zone)
            let s = o.start.instant(in: zone)
            var e = o.end.instant(in: zone)
            if e <= s { e = s.addingTimeInterval(1) }
            return s < dayEnd && e > dayStart
        }
        var now: [String] = [], later: [String] = [], days: [[String]] = []
        for o in sorted where overlaps(o, today) {
            let s = o.start.instant(in: zone), e = o.end.instant(in: zone)
            let running = !o.isAllDay && s <= instant && instant < e && o.status != .cancelled
            if o.isAllDay || running || (o.status == .cancelled && s <= instant && instant < e) {
                now.append(o.uid)
            } else if s > instant {
                later.append(o.uid)
            }
        }
        for offset in 1...max(1, config.screen.upcomingDays) {
            let day = today.adding(days: offset)
            let events = sorted.filter { o in
                overlaps(o, day) && (CivilDate(o.start.instant(in: zone), in: zone) == day || (o.isAllDay && o.start == .date(day)))
            }
            if !events.isEmpty { days.append(events.map(\.uid)) }
        }
        return (now, later, days)
    }

    func config() -> KioskConfig {
        var config = KioskConfig()
        config.venue.name = "Le Mixeur"
        return config
    }

    func inputs(_ occurrences: [Occurrence], notices: [Notice] = [], lastFetch: Date? = nil, allFailing: Bool = false) -> LobbySnapshot.Inputs {
        LobbySnapshot.Inputs(
            occurrences: occurrences, residents: [Resident(name: "Distorsion"), Resident(name: "Éclat")], notices: notices,
            freshness: ProgrammeFreshness(lastSuccess: lastFetch, allFailing: allFailing, hasPulledSources: lastFetch != nil),
            clockFloor: ISO8601.parse("2000-01-01T00:00:00Z")!, days: VenueDays(timeZone: paris))
    }

    /// Everything a visitor sees, as one comparable value.
    func shown(_ s: LobbySnapshot) -> [String] {
        [s.dateLine, s.clockLine, "\(s.clockTrusted)", "\(s.today)", "\(s.happeningNow)", "\(s.laterToday)", "\(s.upcoming)",
         "\(s.residents)", "\(s.notices)", s.freshness ?? "-", "\(s.isOffline)", "\(s.isOpen)"]
    }

    static let days = [
        CivilDate(year: 2026, month: 3, day: 29), CivilDate(year: 2026, month: 10, day: 25), CivilDate(year: 2026, month: 11, day: 24),
    ]

    /// This test and the next are seconds of work: they walk on a thread of their own
    /// (`offThePool`), so that other tests' handlers and timers have the cooperative pool.
    @Test(arguments: days)
    func eventListsAgreeWithTheDirectComputation(day: CivilDate) async throws {
        await offThePool {
            let config = config()
            for seed in UInt64(1)...2 {
                let occurrences = programme(around: day, seed: seed &* 7919 &+ UInt64(day.dayNumber))
                let base = day.start(in: paris)
                // Every 97 minutes across the day before, the day and the day after.
                for step in stride(from: -86400.0, to: 2 * 86400, by: 97 * 60 + 11) {
                    let instant = base.addingTimeInterval(step)
                    let s = LobbySnapshot.make(at: instant, inputs: inputs(occurrences), config: config)
                    let direct = directEventLists(at: instant, occurrences, config: config)
                    #expect(s.happeningNow.map(\.uid) == direct.now, "now at \(instant), seed \(seed)")
                    #expect(s.laterToday.map(\.uid) == direct.later, "later at \(instant), seed \(seed)")
                    #expect(s.upcoming.map { $0.events.map(\.uid) } == direct.days, "upcoming at \(instant), seed \(seed)")
                }
            }
        }
    }

    @Test(arguments: days)
    func aSnapshotStandsUntilItsValidUntil(day: CivilDate) async throws {
        try await offThePool {
            let config = config()
            let base = day.start(in: paris)
            let notices = [
                Notice(id: "n1", kind: .information, title: "Atelier annulé", posted: base.addingTimeInterval(9 * 3600 + 17), expires: base.addingTimeInterval(20 * 3600 + 30)),
                Notice(id: "n2", kind: .call, title: "Appel à projets", deadline: day.adding(days: 1), posted: base.addingTimeInterval(-86400), expires: base.addingTimeInterval(3 * 86400)),
            ]
            // A fetch the evening before (every feed failing since: offline from 01:31), and
            // one at 06:29 the same day (the clock is not believed before 06:24).
            let fetches: [(last: Date, failing: Bool)] = [(base.addingTimeInterval(-2 * 3600 - 29 * 60), true), (base.addingTimeInterval(6 * 3600 + 29 * 60), false)]
            for seed in UInt64(1)...1 {
                // Random ones, and some that start and end at odd seconds inside the walk.
                let odd = [(1 * 3600 + 10 * 60 + 7, 2 * 3600 + 20 * 60 + 41), (9 * 3600 + 5 * 60 + 30, 9 * 3600 + 7 * 60 + 3), (20 * 3600 + 25 * 60 + 2, 20 * 3600 + 31 * 60 + 9)]
                let occurrences = programme(around: day, seed: seed &* 104_729 &+ UInt64(day.dayNumber)) + odd.enumerated().map { n, span in
                    Occurrence(uid: "odd\(n)", title: "Répétition", status: n == 1 ? .cancelled : .confirmed,
                               start: .instant(base.addingTimeInterval(Double(span.0))), end: .instant(base.addingTimeInterval(Double(span.1))))
                }
                for (lastFetch, failing) in fetches {
                    let i = inputs(occurrences, notices: notices, lastFetch: lastFetch, allFailing: failing)
                    var changes = 0
                    // Midnight, the night's change of time and going offline; the clock becoming
                    // believable; the notice going up; the notice coming down.
                    let windows: [(from: Double, to: Double)] = [(-3600, 14400), (22800, 23400), (32400, 33000), (73440, 74160)]
                    for (from, to) in windows {
                        var instant = base.addingTimeInterval(from)
                        while instant < base.addingTimeInterval(to) {
                            let s = LobbySnapshot.make(at: instant, inputs: i, config: config)
                            let nextMinute = Date(timeIntervalSince1970: (instant.timeIntervalSince1970 / 60).rounded(.down) * 60 + 60)
                            try #require(s.validUntil > instant && s.validUntil <= nextMinute, "validUntil \(s.validUntil) at \(instant)")
                            // Just before validUntil: what is shown is the same.
                            let later = max(instant, s.validUntil.addingTimeInterval(-0.001))
                            #expect(shown(LobbySnapshot.make(at: later, inputs: i, config: config)) == shown(s), "at \(later), made at \(instant) (valid until \(s.validUntil))")
                            if shown(LobbySnapshot.make(at: s.validUntil, inputs: i, config: config)) != shown(s) { changes += 1 }
                            // Walk by validUntil most of the time, and sometimes from an odd instant.
                            instant = changes % 5 == 0 ? s.validUntil.addingTimeInterval(13.25) : s.validUntil
                        }
                    }
                    #expect(changes > 30, "the walk met the changes it was built to meet")
                }
            }
        }
    }
}
