import Foundation
import Synchronization

/// A time zone of the IANA database (`Europe/Paris`), read from its TZif file under
/// `$TZDIR` or `/usr/share/zoneinfo`: the UTC offset at an instant, and the instant of a
/// local wall time.
///
/// Takes the place of Foundation's `TimeZone` and `Calendar` in the daemon, whose zone data
/// and calendar arithmetic come from ICU (a few megabytes of pages for a question the
/// zone file answers). The answers are those Foundation gives for the same data (checked
/// for every zone of the system's database by `IANATimeZoneTests`):
///
/// - a local time that does not exist (in a spring-forward gap) is read with the offset in
///   force before the gap, so 02:30 on the Paris spring-forward day is 03:30 CEST, as RFC
///   5545 section 3.3.5 asks ("shifted by the length of the gap");
/// - an ambiguous local time (in a fall-back overlap) is its first occurrence;
/// - a day starts at its first instant: 00:00, or the end of the gap when midnight is
///   skipped.
///
/// Values are small and immutable; zones are loaded once per name and kept (`named(_:)`).
/// Equal when their identifiers are.
public struct IANATimeZone: Sendable, Hashable, CustomStringConvertible {
    public let identifier: String
    let rules: TZifFile

    init(identifier: String, rules: TZifFile) {
        self.identifier = identifier
        self.rules = rules
    }

    /// UTC, without reading a file.
    public static let utc = IANATimeZone(identifier: "UTC", rules: TZifFile(fixedOffset: 0, abbreviation: "UTC"))

    /// The zone named `identifier`, or nil when it cannot be read (see `named(_:)` for why).
    public init?(identifier: String) {
        guard let zone = try? Self.named(identifier) else { return nil }
        self = zone
    }

    public var description: String { identifier }
    public static func == (a: IANATimeZone, b: IANATimeZone) -> Bool { a.identifier == b.identifier }
    public func hash(into hasher: inout Hasher) { hasher.combine(identifier) }

    // MARK: Instants and wall time

    /// Seconds east of UTC in force at `instant` (seconds since 1970).
    public func utcOffset(at instant: Int) -> Int { rules.utcOffset(at: instant) }

    /// Seconds east of UTC in force at `date` (whole seconds, rounded down).
    public func secondsFromGMT(for date: Date) -> Int { utcOffset(at: date.wholeSecondsSince1970) }

    /// Whether daylight-saving time is in force at `instant` (the file's isdst flag; by
    /// the footer's rule after its last transition).
    public func isDaylightSavingTime(at instant: Int) -> Bool {
        let times = rules.transitionTimes
        if let last = times.last, instant >= last, let footer = rules.footer {
            return footer.daylight != nil && footer.utcOffset(at: instant) != footer.standardOffset
        }
        if times.isEmpty { return rules.footer.map { $0.daylight != nil && $0.utcOffset(at: instant) != $0.standardOffset } ?? rules.types[0].isDaylight }
        let index = lowerBound(times, instant + 1) - 1
        return index < 0 ? rules.types[0].isDaylight : rules.types[rules.transitionTypes[index]].isDaylight
    }

    /// Local wall-clock seconds since 1970-01-01T00:00 (no zone) at `instant`.
    public func localSeconds(at instant: Int) -> Int { instant + utcOffset(at: instant) }

    /// The instant the wall clock shows `local` (local seconds since 1970): in a gap, read
    /// with the offset from before it; in an overlap, the first occurrence.
    public func instant(fromLocal local: Int) -> Int {
        switch resolve(local) {
        case .unique(let t), .ambiguous(let t): return t
        case .skipped(let readBefore, _): return readBefore
        }
    }

    /// The first instant of `day` on the wall clock (00:00 or, when midnight is skipped,
    /// the end of the gap), seconds since 1970.
    public func startOfDay(_ day: CivilDate) -> Int {
        switch resolve(day.dayNumber * 86_400) {
        case .unique(let t), .ambiguous(let t): return t
        case .skipped(_, let gapEnd): return gapEnd
        }
    }

    /// The date on the wall clock at `date`.
    public func civilDate(of date: Date) -> CivilDate {
        CivilDate(dayNumber: floorDivide(localSeconds(at: date.wholeSecondsSince1970), 86_400))
    }

    /// The hour (0-23) and minute on the wall clock at `date`.
    public func hourAndMinute(of date: Date) -> (hour: Int, minute: Int) {
        let local = localSeconds(at: date.wholeSecondsSince1970)
        let minutes = (local - floorDivide(local, 86_400) * 86_400) / 60
        return (minutes / 60, minutes % 60)
    }

    /// The instant the wall clock shows `secondOfDay` on `day` (gap: shifted by its
    /// length; overlap: the first).
    public func instant(of day: CivilDate, secondOfDay: Int) -> Date {
        Date(timeIntervalSince1970: TimeInterval(instant(fromLocal: day.dayNumber * 86_400 + secondOfDay)))
    }

    /// How a local time maps to instants.
    enum Resolution: Equatable {
        /// Exactly one instant shows it.
        case unique(Int)
        /// Several do (an overlap); the first.
        case ambiguous(Int)
        /// None does (a gap): the instant read with the offset from before the gap, and
        /// the transition that opens it (the first instant after the gap).
        case skipped(readBefore: Int, gapEnd: Int)
    }

    func resolve(_ local: Int) -> Resolution {
        // Offsets are within ±26 h, so every instant showing `local` lies in this window.
        let window = 27 * 3600
        let first = utcOffset(at: local - window)
        let changes = transitions(from: local - window, to: local + window + 1)
        var valid: [Int] = []
        for offset in [first] + changes.map(\.after) {
            let t = local - offset
            if utcOffset(at: t) == offset, !valid.contains(t) { valid.append(t) }
        }
        if let earliest = valid.min() { return valid.count == 1 ? .unique(earliest) : .ambiguous(earliest) }
        for change in changes where change.at + change.before <= local && local < change.at + change.after {
            return .skipped(readBefore: local - change.before, gapEnd: change.at)
        }
        // Not reached for consistent data; read it with the offset of a day before.
        return .skipped(readBefore: local - first, gapEnd: local - first)
    }

    /// Offset changes at instants in `from..<to` (seconds since 1970), in order, with the
    /// offsets before and after; changes of the abbreviation or DST flag alone are left out.
    /// The footer's rule is followed for at most 1,000 years past the last transition.
    public func transitions(from: Int, to: Int) -> [(at: Int, before: Int, after: Int)] {
        guard from < to else { return [] }
        var result: [(at: Int, before: Int, after: Int)] = []
        var previous = utcOffset(at: from - 1)
        func add(_ at: Int, _ offset: Int) {
            guard at >= from, at < to, offset != previous else { return }
            result.append((at, previous, offset))
            previous = offset
        }
        let times = rules.transitionTimes
        var index = lowerBound(times, from)
        while index < times.count, times[index] < to {
            add(times[index], rules.types[rules.transitionTypes[index]].utcOffset)
            index += 1
        }
        if let footer = rules.footer, footer.daylight != nil {
            let afterTable = max(from, (times.last ?? Int.min) + 1)
            guard afterTable < to else { return result }
            let firstYear = CivilDate(dayNumber: floorDivide(min(max(afterTable, -1 << 40), 1 << 40), 86_400)).year - 1
            let lastYear = min(CivilDate(dayNumber: floorDivide(min(to, 1 << 40), 86_400)).year + 1, firstYear + 1000)
            guard firstYear <= lastYear else { return result }
            for change in footer.changes(years: firstYear...lastYear) where change.at >= afterTable {
                add(change.at, change.offset)
            }
        }
        return result
    }

    private func lowerBound(_ times: [Int], _ value: Int) -> Int {
        var low = 0, high = times.count
        while low < high {
            let mid = (low + high) / 2
            if times[mid] < value { low = mid + 1 } else { high = mid }
        }
        return low
    }
}

extension TZifFile {
    /// A zone with one offset and no transitions.
    init(fixedOffset: Int, abbreviation: String) {
        version = 2
        transitionTimes = []
        transitionTypes = []
        types = [LocalTimeType(utcOffset: fixedOffset, isDaylight: false, abbreviation: abbreviation)]
        footer = nil
    }

    /// A zone given by a TZ string alone (no transitions).
    init(footer: POSIXTimeZoneRule) {
        self.init(fixedOffset: footer.standardOffset, abbreviation: footer.standardName)
        self.footer = footer
    }
}
