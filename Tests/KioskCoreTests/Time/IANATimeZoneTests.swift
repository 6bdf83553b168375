import Foundation
import Testing
import KioskTestSupport
@testable import KioskCore

/// Our TZif reader against Foundation's `TimeZone` and `Calendar` (ICU), for every zone of
/// the system's database: offsets at each transition and one second either side from 1970
/// to 2100 (ours and Foundation's transitions both), and local wall times around each
/// transition, in its gap or overlap, read back as instants and as starts of days.
///
/// Before 1970 the two databases differ by design: Debian builds tzdata with `backzone`
/// (Africa/Accra keeps its own 1920s-1940s history), ICU without it (Accra is Abidjan).
@Suite struct IANATimeZoneTests {
    static let root = "/usr/share/zoneinfo"
    static let from = 0  // 1970-01-01T00:00:00Z
    static let to = 4_102_444_800  // 2100-01-01T00:00:00Z

    /// Zones whose data differ: since tzdata 2024b, EET and WET are links to Europe/Athens
    /// and Europe/Lisbon, which ICU follows; Debian's tzdata still builds them from their
    /// old EU rules (DST from 1977 only). Our reader reads what the file says.
    static let differentData: Set<String> = ["EET", "WET"]

    /// Every TZif file under the database, by name, without the `posix/` and `right/` copies.
    static func zoneNames() -> [String] {
        guard let walker = FileManager.default.enumerator(atPath: root) else { return [] }
        var names: [String] = []
        while let path = walker.nextObject() as? String {
            if path.hasPrefix("posix") || path.hasPrefix("right") { walker.skipDescendants(); continue }
            let full = root + "/" + path
            guard let handle = FileHandle(forReadingAtPath: full), let magic = try? handle.read(upToCount: 4) else { continue }
            try? handle.close()
            if magic == Data("TZif".utf8) { names.append(path) }
        }
        return names.sorted()
    }

    /// Seconds of work: on a thread of its own (`offThePool`), so that other tests' handlers
    /// and timers have the cooperative pool.
    @Test func everyZoneAgreesWithFoundationAtEveryTransition() async throws {
        try await offThePool {
            let names = Self.zoneNames()
            #expect(names.count > 300, "zones found under \(Self.root): \(names.count)")
            var unknownToFoundation: [String] = []
            var mismatches: [String] = []
            var mismatchedZones: Set<String> = []
            var checkedInstants = 0, checkedWallTimes = 0
            for name in names {
                let ours = try IANATimeZone.named(name)
                guard !Self.differentData.contains(name) else { continue }
                guard let theirs = TimeZone(identifier: name) else { unknownToFoundation.append(name); continue }
                var calendar = Calendar(identifier: .gregorian)
                calendar.timeZone = theirs
                func foundationOffset(_ t: Int) -> Int { theirs.secondsFromGMT(for: Date(timeIntervalSince1970: TimeInterval(t))) }
                func compareOffset(_ t: Int) {
                    checkedInstants += 1
                    let a = ours.utcOffset(at: t), b = foundationOffset(t)
                    if a != b { mismatchedZones.insert(name) }; if a != b, mismatches.count < 40 { mismatches.append("\(name) offset at \(t): ours \(a), Foundation \(b)") }
                }
                let transitions = ours.transitions(from: Self.from, to: Self.to)
                for change in transitions { for t in [change.at - 1, change.at, change.at + 1] { compareOffset(t) } }
                // Foundation's own transitions, so that one we miss is found too.
                var cursor = Date(timeIntervalSince1970: TimeInterval(Self.from))
                var steps = 0
                while let next = theirs.nextDaylightSavingTimeTransition(after: cursor), next.timeIntervalSince1970 < TimeInterval(Self.to), steps < 2000 {
                    let t = Int(next.timeIntervalSince1970)
                    for u in [t - 1, t, t + 1] { compareOffset(u) }
                    cursor = next
                    steps += 1
                }
                // Wall times around each transition: before, in the gap or overlap, after.
                for change in transitions {
                    let lower = change.at + min(change.before, change.after), upper = change.at + max(change.before, change.after)
                    for local in [lower - 1, lower, (lower + upper) / 2, upper - 1, upper] {
                        checkedWallTimes += 1
                        let day = CivilDate(dayNumber: floorDivide(local, 86_400))
                        let second = local - day.dayNumber * 86_400
                        let components = DateComponents(year: day.year, month: day.month, day: day.day,
                                                        hour: second / 3600, minute: second / 60 % 60, second: second % 60)
                        guard let expected = calendar.date(from: components) else { continue }
                        let a = ours.instant(fromLocal: local), b = Int(expected.timeIntervalSince1970)
                        if a != b, mismatches.count < 40 { mismatches.append("\(name) local \(day) +\(second)s: ours \(a), Foundation \(b)") }
                    }
                    for day in [CivilDate(dayNumber: floorDivide(change.at + change.before, 86_400)),
                                CivilDate(dayNumber: floorDivide(change.at + change.after, 86_400))] {
                        let expected = Int(calendar.startOfDay(for: Date(timeIntervalSince1970: TimeInterval(day.dayNumber * 86_400 - ours.utcOffset(at: day.dayNumber * 86_400) + 43_200))).timeIntervalSince1970)
                        let a = ours.startOfDay(day)
                        if a != expected, mismatches.count < 40 { mismatches.append("\(name) start of \(day): ours \(a), Foundation \(expected)") }
                    }
                }
            }
            #expect(mismatchedZones.isEmpty, "\(mismatchedZones.sorted())")
            #expect(mismatches.isEmpty, "\(mismatches.joined(separator: "\n"))")
            // Names Foundation does not know: the database's own helpers, nothing else.
            #expect(Set(unknownToFoundation).isSubset(of: ["Factory", "localtime", "posixrules"]), "\(unknownToFoundation)")
            #expect(checkedInstants > 100_000 && checkedWallTimes > 100_000, "\(checkedInstants) instants, \(checkedWallTimes) wall times")
        }
    }

    @Test func parisGapAndOverlapFollowRFC5545() throws {
        let paris = try IANATimeZone.named("Europe/Paris")
        let spring = CivilDate(year: 2026, month: 3, day: 29).dayNumber * 86_400
        // 02:30 does not exist: shifted by the gap, 03:30 CEST = 01:30Z.
        #expect(paris.instant(fromLocal: spring + 2 * 3600 + 1800) == spring + 3600 + 1800)
        let autumn = CivilDate(year: 2026, month: 10, day: 25).dayNumber * 86_400
        // 02:30 happens twice: the first, CEST = 00:30Z.
        #expect(paris.instant(fromLocal: autumn + 2 * 3600 + 1800) == autumn + 1800)
        #expect(paris.resolve(autumn + 2 * 3600 + 1800) == .ambiguous(autumn + 1800))
        #expect(paris.startOfDay(CivilDate(year: 2026, month: 3, day: 29)) == spring - 3600)
    }

    @Test func footerRuleCarriesOnAfterTheLastTransition() throws {
        let paris = try IANATimeZone.named("Europe/Paris")
        // 2090: last Sunday of March is 26 March, of October 29 October; changes at 01:00Z.
        let march = CivilDate(year: 2090, month: 3, day: 26).dayNumber * 86_400 + 3600
        let october = CivilDate(year: 2090, month: 10, day: 29).dayNumber * 86_400 + 3600
        #expect(paris.utcOffset(at: march - 1) == 3600 && paris.utcOffset(at: march) == 7200)
        #expect(paris.utcOffset(at: october - 1) == 7200 && paris.utcOffset(at: october) == 3600)
    }

    @Test func namesAreValidatedAndMissingZonesSaySo() {
        for bad in ["../etc/passwd", "/etc/passwd", "Europe/../../etc/passwd", "Europe//Paris", "", "Europe/Paris\n", "./UTC"] {
            #expect(throws: TimeZoneLookupError.self, "\(bad)") { try IANATimeZone.named(bad) }
        }
        do {
            _ = try IANATimeZone.named("Europe/Atlantis")
            Issue.record("a missing zone was read")
        } catch {
            #expect(error.description.contains("Europe/Atlantis") && error.description.contains("no such zone"), "\(error)")
        }
        #expect(throws: TimeZoneLookupError.self) { try IANATimeZone.named("Europe") }
        #expect(IANATimeZone(identifier: "Europe/Paris") == IANATimeZone(identifier: "Europe/Paris"))
    }

    @Test func zonesAreReadFromTheGivenDirectory() throws {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("tzdir-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: dir.appendingPathComponent("Test"), withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: dir) }
        // A copy of Tokyo under a name the system does not have.
        try Data(contentsOf: URL(fileURLWithPath: "/usr/share/zoneinfo/Asia/Tokyo")).write(to: dir.appendingPathComponent("Test/Zone"))
        let zone = try IANATimeZone.named("Test/Zone", in: dir.path)
        #expect(zone.utcOffset(at: 1_780_000_000) == 9 * 3600)
        #expect(throws: TimeZoneLookupError.self) { try IANATimeZone.named("Test/Zone") }
    }
}
