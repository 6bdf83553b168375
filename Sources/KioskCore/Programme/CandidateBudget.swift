import Foundation

/// Local wall-clock seconds: `dayNumber * 86_400 + secondOfDay` on the series' own wall
/// clock (no zone, no DST). Expansion happens here; instants come later.
typealias LocalSeconds = Int

@inline(__always) func ceilDivide(_ a: Int, _ b: Int) -> Int { -floorDivide(-a, b) }

/// The calendar range expansion works in: years 1 to 9999, as RFC 5545 writes them (four
/// digits). Every day number and local second derived from a feed's numbers is checked
/// against it before use, so that no arithmetic on them can overflow.
enum ExpansionRange {
    static let firstDay = CivilDate(year: 1, month: 1, day: 1).dayNumber
    static let lastDay = CivilDate(year: 9999, month: 12, day: 31).dayNumber
    static let firstLocal: LocalSeconds = firstDay * 86_400
    static let lastLocal: LocalSeconds = lastDay * 86_400 + 86_399

    @inline(__always) static func contains(day: Int) -> Bool { day >= firstDay && day <= lastDay }

    /// `base + n * multiplier`, or nil when it overflows or leaves [first, last].
    @inline(__always) static func offset(_ base: Int, _ n: Int, times multiplier: Int, within range: ClosedRange<Int>) -> Int? {
        let (product, o1) = n.multipliedReportingOverflow(by: multiplier)
        guard !o1 else { return nil }
        let (sum, o2) = base.addingReportingOverflow(product)
        guard !o2, range.contains(sum) else { return nil }
        return sum
    }
}

/// The work an expansion may still do, spent while candidates are generated: one unit per
/// candidate instant, per day looked at, and per period visited. A deadline on the
/// monotonic clock is checked every 4,096 units, so a budget also bounds time on a slow
/// board.
///
/// Not `Sendable` state: one expansion owns it.
struct CandidateBudget {
    private(set) var remaining: Int
    private(set) var spent = 0
    let deadline: ContinuousClock.Instant?
    private var untilClockCheck = CandidateBudget.clockCheckInterval
    /// True once the deadline passed (the budget is then empty).
    private(set) var timedOut = false

    static let clockCheckInterval = 4_096

    init(candidates: Int, deadline: ContinuousClock.Instant? = nil) {
        remaining = max(0, candidates)
        self.deadline = deadline
    }

    var isExhausted: Bool { remaining <= 0 }

    /// Takes `units` spent elsewhere (a series' own budget) off this one.
    mutating func charge(_ units: Int, timedOut: Bool) {
        remaining = max(0, remaining - units)
        spent += units
        if timedOut {
            self.timedOut = true
            remaining = 0
        }
    }

    /// Spends one unit; false when none is left (or the deadline passed).
    @inline(__always) mutating func spend() -> Bool {
        guard remaining > 0 else { return false }
        remaining -= 1
        spent += 1
        untilClockCheck -= 1
        if untilClockCheck <= 0 {
            untilClockCheck = Self.clockCheckInterval
            if let deadline, ContinuousClock.now >= deadline {
                timedOut = true
                remaining = 0
                return false
            }
        }
        return true
    }
}

/// How a rule's expansion ended.
enum RuleExpansionEnd: Equatable {
    /// The rule has no more instances before the limit (or its COUNT was reached).
    case complete
    /// The caller's body asked to stop.
    case stopped
    /// The budget ran out (or its deadline passed) first: the instances seen are a prefix.
    case outOfBudget
}
