import Foundation
import KioskCore

extension CheckInLedger {
    /// Attendance from `first` through `last` (venue days, both included), grouped.
    ///
    /// - `.day`, `.event`, `.role` read the anonymous `daily_counts` only: the figures
    ///   are the same before and after a purge or an erase, and no scan is counted twice
    ///   (see the type's documentation). `.role` adds up days: person-days per role.
    /// - `.hour` reads personal `checkins` rows (entries by a scan, not the automatic
    ///   check-outs): days already purged have no hour rows.
    ///
    /// Rows are sorted by day (then hour, or event uid); role rows in the order of
    /// ``KioskCore/Person/Role``. Groups with no one are left out.
    public func attendance(from first: CivilDate, through last: CivilDate, by grouping: AttendanceGrouping) throws -> [AttendanceRow] {
        switch grouping {
        case .day:
            return try database.query(
                """
                SELECT day, sum(count) AS total FROM daily_counts
                WHERE event_uid = '' AND day BETWEEN ? AND ? GROUP BY day HAVING total > 0 ORDER BY day
                """, [first, last]
            ).map { AttendanceRow(day: try $0.get("day"), count: try $0.get("total")) }
        case .event:
            return try database.query(
                """
                SELECT day, event_uid, max(event_title) AS title, sum(count) AS total FROM daily_counts
                WHERE event_uid <> '' AND day BETWEEN ? AND ? GROUP BY day, event_uid HAVING total > 0
                ORDER BY day, event_uid
                """, [first, last]
            ).map { row in
                AttendanceRow(day: try row.get("day"), eventUID: try row.get("event_uid"), eventTitle: try row.get("title"), count: try row.get("total"))
            }
        case .role:
            let rows = try database.query(
                """
                SELECT role, sum(count) AS total FROM daily_counts
                WHERE event_uid = '' AND day BETWEEN ? AND ? GROUP BY role HAVING total > 0
                """, [first, last])
            return try rows.map { row in
                let text: String = try row.get("role")
                guard let role = Person.Role(rawValue: text) else {
                    throw RecordError(table: "daily_counts", key: text, problem: "unknown role '\(text)'")
                }
                return AttendanceRow(role: role, count: try row.get("total"))
            }.sorted { Person.Role.allCases.firstIndex(of: $0.role!)! < Person.Role.allCases.firstIndex(of: $1.role!)! }
        case .hour:
            return try hourly(from: first, through: last)
        }
    }

    /// People entering per hour of the venue's wall clock, from personal rows.
    private func hourly(from first: CivilDate, through last: CivilDate) throws -> [AttendanceRow] {
        struct Bucket: Hashable { var day: CivilDate; var hour: Int }
        var people: [Bucket: Set<String>] = [:]
        let rows = try database.query(
            """
            SELECT person_id, tag, at FROM checkins
            WHERE direction = 'in' AND auto = 0 AND at >= ? AND at < ?
            """, [first.start(in: timeZone), last.adding(days: 1).start(in: timeZone)])
        for row in rows {
            let at: Date = try row.get("at")
            let personID: Int64? = try row.get("person_id")
            // A row whose person is gone is still one person: its badge stands in.
            let tag: String = try row.get("tag")
            let who = personID.map { "p\($0)" } ?? "t" + tag
            let bucket = Bucket(day: CivilDate(at, in: timeZone), hour: timeZone.hourAndMinute(of: at).hour)
            people[bucket, default: []].insert(who)
        }
        return people.map { AttendanceRow(day: $0.key.day, hour: $0.key.hour, count: $0.value.count) }
            .sorted { ($0.day!, $0.hour!) < ($1.day!, $1.hour!) }
    }
}
