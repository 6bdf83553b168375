import Foundation
import KioskCore

/// Someone in the building now (`GET /api/v1/presence`, the evacuation list).
public struct PresenceBody: Codable, Sendable, Hashable {
    public var personID: Int64
    /// First and last name.
    public var name: String
    /// `resident`, `member`, `staff`, `volunteer`, `visitor`.
    public var role: String
    /// Their last entry.
    public var since: Date

    public init(personID: Int64, name: String, role: String, since: Date) {
        self.personID = personID
        self.name = name
        self.role = role
        self.since = since
    }

    public init(_ p: PresenceEntry) {
        self.init(
            personID: p.person.id, name: [p.person.firstName, p.person.lastName].filter { !$0.isEmpty }.joined(separator: " "),
            role: p.person.role.rawValue, since: p.since)
    }

    public init(from decoder: any Decoder) throws {
        try StrictKeys.check(decoder, known: CodingKeys.allCases.map(\.stringValue))
        let c = try decoder.container(keyedBy: CodingKeys.self)
        personID = try c.decode(Int64.self, forKey: .personID)
        name = try c.decode(String.self, forKey: .name)
        role = try c.decode(String.self, forKey: .role)
        since = try c.decode(Date.self, forKey: .since)
    }

    enum CodingKeys: String, CodingKey, CaseIterable { case personID, name, role, since }
}

/// `GET /api/v1/presence`.
public struct PresenceList: APIBody, Hashable {
    public var present: [PresenceBody]
    public init(present: [PresenceBody]) { self.present = present }

    public init(from decoder: any Decoder) throws {
        try StrictKeys.check(decoder, known: ["present"])
        present = try decoder.container(keyedBy: CodingKeys.self).decode([PresenceBody].self, forKey: .present)
    }
}

/// `GET /api/v1/attendance`: anonymous counts of people between two days (both included).
/// Each row has the keys of its grouping (the CSV's columns) and `count`:
/// `day` (`day`); `week` (`week` as `2026-W48`, `weekStart` its Monday); `hour` (`day`,
/// `hour` 0-23); `event` (`day`, `event_uid`, `event_title`); `role` (`role`).
public struct AttendanceBody: APIBody, Hashable {
    public struct Row: Codable, Sendable, Hashable {
        public var day: String?
        public var week: String?
        public var weekStart: String?
        public var hour: Int?
        public var eventUID: String?
        public var eventTitle: String?
        public var role: String?
        public var count: Int

        public init(
            day: String? = nil, week: String? = nil, weekStart: String? = nil, hour: Int? = nil, eventUID: String? = nil,
            eventTitle: String? = nil, role: String? = nil, count: Int
        ) {
            self.day = day
            self.week = week
            self.weekStart = weekStart
            self.hour = hour
            self.eventUID = eventUID
            self.eventTitle = eventTitle
            self.role = role
            self.count = count
        }

        public init(_ row: AttendanceRow) {
            self.init(
                day: row.day?.description, hour: row.hour, eventUID: row.eventUID, eventTitle: row.eventTitle,
                role: row.role?.rawValue, count: row.count)
        }

        enum CodingKeys: String, CodingKey, CaseIterable {
            case day, week, weekStart, hour, role, count
            case eventUID = "event_uid", eventTitle = "event_title"
        }

        public init(from decoder: any Decoder) throws {
            try StrictKeys.check(decoder, known: CodingKeys.allCases.map(\.stringValue))
            let c = try decoder.container(keyedBy: CodingKeys.self)
            day = try c.decodeIfPresent(String.self, forKey: .day)
            week = try c.decodeIfPresent(String.self, forKey: .week)
            weekStart = try c.decodeIfPresent(String.self, forKey: .weekStart)
            hour = try c.decodeIfPresent(Int.self, forKey: .hour)
            eventUID = try c.decodeIfPresent(String.self, forKey: .eventUID)
            eventTitle = try c.decodeIfPresent(String.self, forKey: .eventTitle)
            role = try c.decodeIfPresent(String.self, forKey: .role)
            count = try c.decode(Int.self, forKey: .count)
        }
        // Encoding leaves absent keys out: a row has only its grouping's columns.
    }

    public var from: String
    public var to: String
    /// `day`, `week`, `hour`, `event` or `role`.
    public var by: String
    public var rows: [Row]

    public init(from: String, to: String, by: String, rows: [Row]) {
        self.from = from
        self.to = to
        self.by = by
        self.rows = rows
    }

    public init(from decoder: any Decoder) throws {
        try StrictKeys.check(decoder, known: CodingKeys.allCases.map(\.stringValue))
        let c = try decoder.container(keyedBy: CodingKeys.self)
        from = try c.decode(String.self, forKey: .from)
        to = try c.decode(String.self, forKey: .to)
        by = try c.decode(String.self, forKey: .by)
        rows = try c.decode([Row].self, forKey: .rows)
    }

    enum CodingKeys: String, CodingKey, CaseIterable { case from, to, by, rows }
}
