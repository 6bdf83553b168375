import Foundation
import KioskCore
import KioskStore

/// What `GET /api/v1/attendance` and the staff page's charts ask: a period of venue days
/// (both included) and how to group it.
public struct AttendanceQuery: Sendable, Hashable {
    public enum Grouping: String, Sendable, Hashable, CaseIterable {
        /// People who came in, per day.
        case day
        /// The days' counts added per ISO week (Monday to Sunday): person-days.
        case week
        /// Entries per hour (personal rows: only within the retention period).
        case hour
        /// People counted per event and day.
        case event
        /// Person-days per role over the period.
        case role
        /// People per day and role (what the charts by role are drawn from).
        case dayRole = "day-role"
    }
    public var from: CivilDate
    public var to: CivilDate
    public var grouping: Grouping

    public init(from: CivilDate, to: CivilDate, grouping: Grouping) {
        self.from = from
        self.to = to
        self.grouping = grouping
    }
}

extension CivilDate {
    /// The Monday of this date's ISO 8601 week.
    public var isoWeekMonday: CivilDate {
        // Day 0 (1970-01-01) was a Thursday: Monday-based weekday 3.
        let weekday = ((dayNumber + 3) % 7 + 7) % 7
        return CivilDate(dayNumber: dayNumber - weekday)
    }

    /// `2026-W48`: the ISO 8601 week (the week's Thursday gives its year).
    public var isoWeek: String {
        let thursday = CivilDate(dayNumber: isoWeekMonday.dayNumber + 3)
        let january1 = CivilDate(year: thursday.year, month: 1, day: 1)
        let week = (thursday.dayNumber - january1.dayNumber) / 7 + 1
        return "\(thursday.year)-W" + (week < 10 ? "0\(week)" : "\(week)")
    }
}

extension AttendanceQuery {
    /// The rows of this query from `store` (whatever its owner: the desk's queue,
    /// kioskctl on the board).
    public func rows(in store: StateStore) throws -> [AttendanceBody.Row] {
        switch grouping {
        case .week:
            let days = try store.checkIns.attendance(from: from, through: to, by: .day)
            var weeks: [CivilDate: Int] = [:]
            for row in days {
                guard let day = row.day else { continue }
                weeks[day.isoWeekMonday, default: 0] += row.count
            }
            return weeks.keys.sorted().map { AttendanceBody.Row(week: $0.isoWeek, weekStart: $0.description, count: weeks[$0]!) }
        case .dayRole:
            return try store.checkIns.dailyCounts(from: from, through: to).filter { $0.eventUID.isEmpty }
                .map { AttendanceBody.Row(day: $0.day.description, role: $0.role.rawValue, count: $0.count) }
        case .day, .hour, .event, .role:
            let grouping = AttendanceGrouping(rawValue: grouping.rawValue)!
            return try store.checkIns.attendance(from: from, through: to, by: grouping).map(AttendanceBody.Row.init)
        }
    }
}

extension StaffDesk {
    /// Anonymous attendance counts over a period (maintainer).
    public func attendance(_ query: AttendanceQuery, as principal: Principal) async throws -> AttendanceBody {
        try require(.maintainer, principal)
        let rows = try await onQueue { store in try query.rows(in: store) }
        return AttendanceBody(from: query.from.description, to: query.to.description, by: query.grouping.rawValue, rows: rows)
    }
}
