import Foundation
import KioskCore

/// One row of `daily_counts`: people counted on a venue day, for a role, in the building
/// (`eventUID` empty) or for one event.
public struct DailyCount: Sendable, Hashable {
    public var day: CivilDate
    public var role: Person.Role
    /// Empty: the building as a whole.
    public var eventUID: String
    public var eventTitle: String
    public var count: Int

    public init(day: CivilDate, role: Person.Role, eventUID: String, eventTitle: String, count: Int) {
        self.day = day
        self.role = role
        self.eventUID = eventUID
        self.eventTitle = eventTitle
        self.count = count
    }
}

extension CheckInLedger {
    /// The anonymous counts from `first` through `last` (both included), by day, role and
    /// event, sorted by day, then building rows before event rows, then role and event:
    /// what the funders' charts are drawn from. Rows with no one are left out.
    public func dailyCounts(from first: CivilDate, through last: CivilDate) throws -> [DailyCount] {
        try database.query(
            """
            SELECT day, role, event_uid, event_title, count FROM daily_counts
            WHERE day BETWEEN ? AND ? AND count > 0 ORDER BY day, event_uid <> '', role, event_uid
            """, [first, last]
        ).map { row in
            let roleText: String = try row.get("role")
            guard let role = Person.Role(rawValue: roleText) else {
                throw RecordError(table: "daily_counts", key: roleText, problem: "unknown role '\(roleText)'")
            }
            return DailyCount(
                day: try row.get("day"), role: role, eventUID: try row.get("event_uid"), eventTitle: try row.get("event_title"),
                count: try row.get("count"))
        }
    }
}
