import Foundation
import Testing
@testable import KioskCore

/// Total expansion: whatever numbers a feed holds, the expander neither traps nor runs
/// without bound. Budgets are spent while candidates are generated, the event that
/// exceeds one is cut and named, and the other events of the feed are kept.
@Suite("Expansion budgets and hostile rules")
struct RecurrenceBudgetTests {
    let utc = WallClock("UTC")
    let paris = WallClock("Europe/Paris")
    /// The default budgets without the deadline, so that a slow (debug, loaded) test run
    /// cuts at the same place; the deadline has its own test.
    let steady = OccurrenceExpander.Limits(maxDuration: .seconds(3600))

    /// One rule expanded directly, with its end.
    func expand(
        _ rule: RecurrenceRule, dtstart: String, skipTo: String? = nil, stopAfter: String = "99991231T235959",
        budget candidates: Int = 1_000_000, keep: Int = 100
    ) -> (locals: [Int], end: RuleExpansionEnd, spent: Int) {
        func local(_ s: String) -> Int { utc.instant(s).wholeSecondsSince1970 }
        var budget = CandidateBudget(candidates: candidates)
        var locals: [Int] = []
        let end = rule.expand(
            dtstart: local(dtstart), skipTo: skipTo.map(local), stopAfter: local(stopAfter), untilLocal: nil, budget: &budget
        ) { l in
            locals.append(l)
            return locals.count < keep
        }
        return (locals, end, budget.spent)
    }

    @Test(arguments: RecurrenceRule.Frequency.allCases)
    func anIntervalOf2e14GivesDtstartAndNoTrap(frequency: RecurrenceRule.Frequency) {
        var rule = RecurrenceRule(frequency: frequency)
        rule.interval = 200_000_000_000_000
        let plain = expand(rule, dtstart: "20260105T100000")
        #expect(plain.locals == [utc.instant("20260105T100000").wholeSecondsSince1970])
        #expect(plain.end == .complete)
        // Also when the window is far from DTSTART (the period index is then computed).
        let skipped = expand(rule, dtstart: "20260105T100000", skipTo: "20261120T000000")
        #expect(skipped.locals == plain.locals)
        #expect(skipped.end == .complete)
        // And the largest interval a rule may carry, with every other number at its edge.
        rule.interval = .max
        rule.count = .max
        rule.byMonthDay = [Int.min, -31, 31, .max]
        rule.bySetPos = [Int.min, .max, -366]
        rule.byHour = [-1, 99]
        #expect(expand(rule, dtstart: "99991231T235959").locals.count == 1)
        #expect(expand(rule, dtstart: "00010101T000000").end == .complete)
    }

    @Test func theParserRefusesAnIntervalOverAMillion() {
        #expect(throws: RecurrenceRuleError.self) { _ = try RecurrenceRule(parsing: "FREQ=DAILY;INTERVAL=200000000000000") }
        #expect(throws: RecurrenceRuleError.self) { _ = try RecurrenceRule(parsing: "FREQ=DAILY;INTERVAL=99999999999999999999999") }
        #expect((try? RecurrenceRule(parsing: "FREQ=SECONDLY;INTERVAL=1000000"))?.interval == 1_000_000)
    }

    @Test func rulesStopAtTheYear9999() throws {
        let rule = try RecurrenceRule(parsing: "FREQ=YEARLY;INTERVAL=1000")
        let found = expand(rule, dtstart: "20260101T000000")
        #expect(found.locals.count == 8)  // 2026, 3026, ... 9026
        #expect(found.end == .complete)
        let minutely = try RecurrenceRule(parsing: "FREQ=MINUTELY;INTERVAL=1000")
        let late = expand(minutely, dtstart: "99991201T000000")
        #expect(late.end == .complete)
        #expect(late.locals.count == 45)  // 31 days of December 9999 hold 44.64 million minutes
    }

    /// The 657-byte YEARLY: 7 BYDAY x 24 BYHOUR x 60 BYMINUTE x 60 BYSECOND, 31
    /// million candidates a year. Candidates are generated one at a time and the budget is
    /// spent on them, so the work is bounded and nothing is built per period.
    @Test func everySecondOfEveryDayIsBoundedByTheBudget() throws {
        let hours = (0..<24).map(String.init).joined(separator: ","), sixty = (0..<60).map(String.init).joined(separator: ",")
        let text = "FREQ=YEARLY;BYDAY=MO,TU,WE,TH,FR,SA,SU;BYHOUR=\(hours);BYMINUTE=\(sixty);BYSECOND=\(sixty)"
        let rule = try RecurrenceRule(parsing: text)
        // With COUNT: no skipping, the budget ends it.
        var counted = rule
        counted.count = 100_000_000
        let cut = expand(counted, dtstart: "20260101T000000", budget: 50_000, keep: .max)
        #expect(cut.end == .outOfBudget)
        #expect(cut.spent == 50_000)
        #expect(cut.locals.count > 40_000)
        // Near a window in November: the days before it are jumped over, not generated.
        let near = expand(rule, dtstart: "20260101T000000", skipTo: "20261124T120000")
        #expect(Array(near.locals.prefix(2)) == [utc.instant("20260101T000000"), utc.instant("20261124T120000")].map(\.wholeSecondsSince1970))
        #expect(near.locals.count == 100)
        #expect(near.spent < 1_000)

        let start = utc.instant("20260101T000000")
        let event = ProgrammeEvent(
            uid: "yearly@hostile", title: "Yearly bomb", start: .instant(start), end: .instant(start + 1),
            timeZone: "UTC", recurrence: Recurrence(rules: [text]))
        let result = OccurrenceExpander.expand(
            [event], from: paris.instant("20261124T000000"), to: paris.instant("20261203T000000"), venueTimeZone: paris.zone, limits: steady)
        #expect(result.occurrences.count == 5_000)
        #expect(result.cuts.map(\.uid) == ["yearly@hostile"])
        #expect(result.cuts.first?.reason == .occurrencesPerSeries)
        #expect(result.cuts.first?.description.contains("Yearly bomb") == true)
    }

    /// 200 FREQ=SECONDLY events: a million occurrences in a week without budgets. With them
    /// the feed keeps at most `maxOccurrences`, names the cut series, and its single events
    /// and ordinary series are all still there (series are expanded sparsest first).
    @Test func twoHundredSecondlySeriesAreCutAndTheRestOfTheFeedStays() {
        var events: [ProgrammeEvent] = (0..<200).map { i in
            let start = utc.instant("20260101T000000") + TimeInterval(i * 60)
            return ProgrammeEvent(
                uid: "secondly-\(i)", title: "Every second \(i)", start: .instant(start), end: .instant(start + 1),
                timeZone: "UTC", recurrence: Recurrence(rules: ["FREQ=SECONDLY"]))
        }
        let weekly = paris.instant("20260105T180000")
        events.append(ProgrammeEvent(
            uid: "atelier", title: "Atelier", start: .instant(weekly), end: .instant(weekly + 7200), timeZone: "Europe/Paris",
            recurrence: Recurrence(rules: ["FREQ=WEEKLY"])))
        let concert = paris.instant("20261126T200000")
        events.append(ProgrammeEvent(uid: "concert", title: "Concert", start: .instant(concert), end: .instant(concert + 7200)))
        let limits = steady
        let result = OccurrenceExpander.expand(
            events, from: paris.instant("20261124T000000"), to: paris.instant("20261203T000000"), venueTimeZone: paris.zone, limits: limits)
        #expect(result.occurrences.count <= limits.maxOccurrences)
        #expect(result.occurrences.contains { $0.uid == "concert" })
        // The weekly series comes after the 200 in the file, and is expanded before them.
        #expect(result.occurrences.filter { $0.uid == "atelier" }.count == 1)  // Monday 30 November
        #expect(result.cutCount == 200)
        #expect(result.cuts.count == OccurrenceExpander.maxListedCuts)
        #expect(result.cuts.allSatisfy { $0.uid.hasPrefix("secondly-") })
        // Three series keep their 5,000; the fourth fills the feed's 20,000 (with the
        // concert and the atelier); the others keep nothing.
        #expect(result.occurrences.count == limits.maxOccurrences)
        #expect(result.cuts.prefix(3).allSatisfy { $0.reason == .occurrencesPerSeries && $0.kept == limits.maxOccurrencesPerSeries })
        #expect(result.cuts[3].reason == .occurrences && result.cuts[3].kept == 4_998)
        #expect(result.cuts.dropFirst(4).allSatisfy { $0.reason == .occurrences && $0.kept == 0 })
    }

    @Test func aRuleThatNeverMatchesRunsOutOfCandidatesAndIsNamed() {
        let start = utc.instant("19000101T100000")
        let never = ProgrammeEvent(
            uid: "never", title: "Never", start: .instant(start), end: .instant(start + 3600), timeZone: "UTC",
            recurrence: Recurrence(rules: ["FREQ=DAILY;BYMONTH=2;BYMONTHDAY=30;COUNT=1000000000"]))
        let fine = ProgrammeEvent(uid: "fine", title: "Fine", start: .instant(utc.instant("20261125T100000")), end: .instant(utc.instant("20261125T110000")))
        let limits = OccurrenceExpander.Limits(maxCandidatesPerSeries: 10_000, maxDuration: .seconds(3600))
        let result = OccurrenceExpander.expand(
            [never, fine], from: utc.instant("20261124T000000"), to: utc.instant("20261201T000000"), venueTimeZone: utc.zone, limits: limits)
        #expect(result.occurrences.map(\.uid) == ["fine"])
        #expect(result.cuts.map(\.reason) == [.candidatesPerSeries])
        #expect(result.cuts.first?.uid == "never")
    }

    @Test func theFeedBudgetIsSharedAndTheDeadlineCuts() {
        let start = utc.instant("19000101T100000")
        let series = (0..<5).map { i in
            ProgrammeEvent(
                uid: "never-\(i)", title: "Never", start: .instant(start), end: .instant(start + 3600), timeZone: "UTC",
                recurrence: Recurrence(rules: ["FREQ=DAILY;BYMONTH=2;BYMONTHDAY=30;COUNT=5"]))
        }
        let shared = OccurrenceExpander.expand(
            series, from: utc.instant("20261124T000000"), to: utc.instant("20261201T000000"), venueTimeZone: utc.zone,
            limits: .init(maxCandidatesPerSeries: 10_000, maxCandidates: 25_000, maxDuration: .seconds(3600)))
        #expect(shared.cuts.map(\.reason) == [.candidatesPerSeries, .candidatesPerSeries, .candidates, .candidates, .candidates])
        let late = OccurrenceExpander.expand(
            series, from: utc.instant("20261124T000000"), to: utc.instant("20261201T000000"), venueTimeZone: utc.zone,
            limits: .init(maxDuration: .zero))
        #expect(late.cuts.first?.reason == .time)
        #expect(late.cutCount == 5)
    }

    @Test func durationsAndDatesAtTheEdgesDoNotTrap() {
        let far = Date(timeIntervalSince1970: 1e300)
        let events = [
            ProgrammeEvent(uid: "a", title: "A", start: .instant(utc.instant("20261125T100000")), end: .instant(far)),
            ProgrammeEvent(uid: "b", title: "B", start: .instant(Date(timeIntervalSince1970: -1e300)), end: .instant(far),
                           recurrence: Recurrence(rules: ["FREQ=DAILY"])),
            ProgrammeEvent(uid: "c", title: "C", start: .date(CivilDate(year: 9999, month: 12, day: 31)), end: .date(CivilDate(year: 99999, month: 1, day: 1)),
                           recurrence: Recurrence(rules: ["FREQ=DAILY"])),
            ProgrammeEvent(uid: "d", title: "D", start: .instant(utc.instant("20261125T100000")), end: .instant(utc.instant("20261125T110000")),
                           recurrence: Recurrence(rules: ["FREQ=DAILY"]), duration: NominalDuration(days: .max, seconds: .min)),
        ]
        let result = OccurrenceExpander.expand(
            events, from: utc.instant("20261124T000000"), to: utc.instant("20261201T000000"), venueTimeZone: utc.zone)
        #expect(result.occurrences.contains { $0.uid == "a" })
    }
}
