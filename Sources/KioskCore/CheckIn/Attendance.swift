import Foundation

/// How attendance figures are grouped for a report.
public enum AttendanceGrouping: String, Sendable, Hashable, Codable, CaseIterable {
    /// People who came in, per venue day (each person once a day).
    case day
    /// Entries per hour of the venue's wall clock, per day: only within the retention
    /// period (computed from personal rows; a purged day has no hour rows).
    case hour
    /// People counted for each public event, per day.
    case event
    /// Person-days per role over the whole window.
    case role
}

/// One line of an attendance report. Which fields are set depends on the grouping:
/// `day` for day/hour/event, `hour` for hour, `eventUID`/`eventTitle` for event, `role`
/// for role.
///
/// `count` is a number of people, never of scans: someone who goes out and back in is
/// counted once for the day and once per event; in an hour bucket once per hour in
/// which they entered (so hour rows can add up to more than the day's count).
public struct AttendanceRow: Sendable, Hashable, Codable {
    public var day: CivilDate?
    /// 0...23, venue wall clock.
    public var hour: Int?
    public var eventUID: String?
    /// The event's title when it was counted (kept with the counts, as feeds forget
    /// past events).
    public var eventTitle: String?
    public var role: Person.Role?
    public var count: Int

    public init(day: CivilDate? = nil, hour: Int? = nil, eventUID: String? = nil, eventTitle: String? = nil, role: Person.Role? = nil, count: Int) {
        self.day = day
        self.hour = hour
        self.eventUID = eventUID
        self.eventTitle = eventTitle
        self.role = role
        self.count = count
    }
}

/// Renderings of attendance rows for `kioskctl attendance --format csv|json`. Pure.
public enum AttendanceReport {
    /// RFC 4180 CSV with a header line; columns by grouping:
    /// day: `day,count`; hour: `day,hour,count` (hour as `09:00`);
    /// event: `day,event_uid,event_title,count`; role: `role,count`.
    public static func csv(_ rows: [AttendanceRow], groupedBy grouping: AttendanceGrouping) -> String {
        let header = columns(grouping)
        let records = rows.map { row in header.map { field($0, of: row) } }
        return CSV.format([header] + records)
    }

    /// A JSON array of objects with the same keys as the CSV columns (`count` a number,
    /// `hour` a number 0...23 here); keys sorted, so the output is stable.
    public static func json(_ rows: [AttendanceRow], groupedBy grouping: AttendanceGrouping) throws -> Data {
        let header = columns(grouping)
        let objects: [[String: JSONValue]] = rows.map { row in
            Dictionary(uniqueKeysWithValues: header.map { column in
                switch column {
                case "count": (column, .number(row.count))
                case "hour": (column, .number(row.hour ?? 0))
                default: (column, .string(field(column, of: row)))
                }
            })
        }
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes]
        return try encoder.encode(objects)
    }

    private static func columns(_ grouping: AttendanceGrouping) -> [String] {
        switch grouping {
        case .day: ["day", "count"]
        case .hour: ["day", "hour", "count"]
        case .event: ["day", "event_uid", "event_title", "count"]
        case .role: ["role", "count"]
        }
    }

    private static func field(_ column: String, of row: AttendanceRow) -> String {
        switch column {
        case "day": row.day?.description ?? ""
        case "hour": row.hour.map { String($0).leftPadded(to: 2) + ":00" } ?? ""
        case "event_uid": row.eventUID ?? ""
        case "event_title": row.eventTitle ?? ""
        case "role": row.role?.rawValue ?? ""
        default: String(row.count)
        }
    }

    private enum JSONValue: Encodable {
        case string(String), number(Int)
        func encode(to encoder: any Encoder) throws {
            var container = encoder.singleValueContainer()
            switch self {
            case .string(let s): try container.encode(s)
            case .number(let n): try container.encode(n)
            }
        }
    }
}
