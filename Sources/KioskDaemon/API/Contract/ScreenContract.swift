import Foundation
import KioskCore

/// The screen model as `GET /api/v1/screen?format=json` gives it: size, fills and text
/// runs, in cells.
public struct ScreenBody: APIBody, Hashable {
    public struct FillBody: Codable, Sendable, Hashable {
        public var column: Int
        public var row: Int
        public var width: Int
        public var height: Int
        public var role: String
    }
    public struct RunBody: Codable, Sendable, Hashable {
        public var column: Int
        public var row: Int
        public var width: Int
        public var text: String
        public var role: String
        public var scale: Int
        /// `leading`, `center` or `trailing`.
        public var alignment: String
        public var bold: Bool
    }
    public var columns: Int
    public var rows: Int
    public var fills: [FillBody]
    public var runs: [RunBody]

    public init(_ model: ScreenModel) {
        columns = model.columns
        rows = model.rows
        fills = model.fills.map {
            FillBody(column: $0.rect.column, row: $0.rect.row, width: $0.rect.width, height: $0.rect.height, role: $0.role.rawValue)
        }
        runs = model.runs.map { r in
            let alignment: String
            switch r.alignment {
            case .leading: alignment = "leading"
            case .center: alignment = "center"
            case .trailing: alignment = "trailing"
            }
            return RunBody(
                column: r.column, row: r.row, width: r.width, text: r.text, role: r.role.rawValue, scale: r.scale,
                alignment: alignment, bold: r.bold)
        }
    }

    public init(from decoder: any Decoder) throws {
        try StrictKeys.check(decoder, known: CodingKeys.allCases.map(\.stringValue))
        let c = try decoder.container(keyedBy: CodingKeys.self)
        columns = try c.decode(Int.self, forKey: .columns)
        rows = try c.decode(Int.self, forKey: .rows)
        fills = try c.decode([FillBody].self, forKey: .fills)
        runs = try c.decode([RunBody].self, forKey: .runs)
    }

    enum CodingKeys: String, CodingKey, CaseIterable { case columns, rows, fills, runs }
}

/// One write recorded in the audit log (`GET /api/v1/audit`).
public struct AuditEntryBody: Codable, Sendable, Hashable {
    public var at: Date
    /// The token name (or `kioskctl:USER`, `kioskd`).
    public var actor: String
    /// `programme.push`, `notice.create`, `alert.raise`...
    public var action: String
    public var detail: String

    public init(at: Date, actor: String, action: String, detail: String) {
        self.at = at
        self.actor = actor
        self.action = action
        self.detail = detail
    }

    public init(from decoder: any Decoder) throws {
        try StrictKeys.check(decoder, known: CodingKeys.allCases.map(\.stringValue))
        let c = try decoder.container(keyedBy: CodingKeys.self)
        at = try c.decode(Date.self, forKey: .at)
        actor = try c.decode(String.self, forKey: .actor)
        action = try c.decode(String.self, forKey: .action)
        detail = try c.decode(String.self, forKey: .detail)
    }

    enum CodingKeys: String, CodingKey, CaseIterable { case at, actor, action, detail }
}

/// `GET /api/v1/audit`, newest first.
public struct AuditList: APIBody, Hashable {
    public var entries: [AuditEntryBody]
    public init(entries: [AuditEntryBody]) { self.entries = entries }

    public init(from decoder: any Decoder) throws {
        try StrictKeys.check(decoder, known: ["entries"])
        entries = try decoder.container(keyedBy: CodingKeys.self).decode([AuditEntryBody].self, forKey: .entries)
    }
}

/// `GET /healthz`: whether the kiosk works, how fresh the programme is, the badge reader,
/// and the alert on screen.
public struct HealthBody: APIBody, Hashable {
    public struct Programme: Codable, Sendable, Hashable {
        /// The last success of a configured pulled feed (pushes do not count).
        public var lastSuccess: Date?
        /// Feeds are configured and none succeeded within `[feeds] offline-after`.
        public var stale: Bool

        public init(lastSuccess: Date?, stale: Bool) {
            self.lastSuccess = lastSuccess
            self.stale = stale
        }

        public init(from decoder: any Decoder) throws {
            try StrictKeys.check(decoder, known: ["lastSuccess", "stale"])
            let c = try decoder.container(keyedBy: CodingKeys.self)
            lastSuccess = try c.decodeIfPresent(Date.self, forKey: .lastSuccess)
            stale = try c.decode(Bool.self, forKey: .stale)
        }

        public func encode(to encoder: any Encoder) throws {
            var c = encoder.container(keyedBy: CodingKeys.self)
            try c.encode(lastSuccess, forKey: .lastSuccess)
            try c.encode(stale, forKey: .stale)
        }

        enum CodingKeys: String, CodingKey { case lastSuccess, stale }
    }

    /// `ok`, or `unavailable` (answered 503) when the store cannot be read.
    public var status: String
    public var programme: Programme
    /// `none`, `connecting`, `connected` or `disconnected`.
    public var reader: String
    /// The alert on screen; null when there is none.
    public var alert: AlertBody?

    public init(status: String, programme: Programme, reader: String, alert: AlertBody?) {
        self.status = status
        self.programme = programme
        self.reader = reader
        self.alert = alert
    }

    public init(from decoder: any Decoder) throws {
        try StrictKeys.check(decoder, known: CodingKeys.allCases.map(\.stringValue))
        let c = try decoder.container(keyedBy: CodingKeys.self)
        status = try c.decode(String.self, forKey: .status)
        programme = try c.decode(Programme.self, forKey: .programme)
        reader = try c.decode(String.self, forKey: .reader)
        alert = try c.decodeIfPresent(AlertBody.self, forKey: .alert)
    }

    public func encode(to encoder: any Encoder) throws {
        var c = encoder.container(keyedBy: CodingKeys.self)
        try c.encode(status, forKey: .status)
        try c.encode(programme, forKey: .programme)
        try c.encode(reader, forKey: .reader)
        try c.encode(alert, forKey: .alert)
    }

    enum CodingKeys: String, CodingKey, CaseIterable { case status, programme, reader, alert }
}
