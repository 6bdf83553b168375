import Foundation
import KioskCore
import KioskStore

/// What a programme push found and did: the answer to `PUT /api/v1/programme/{name}`
/// (`200` applied or checked, `422` refused), and what the staff page reports.
public struct ProgrammePushReport: APIBody, Hashable {
    /// One problem, at a line of the file when the format has lines (iCalendar), in the
    /// event it belongs to when known.
    public struct Issue: Codable, Sendable, Hashable {
        public var line: Int?
        /// The title (else the UID) of the event the problem is in.
        public var event: String?
        /// In English, as the parser says it (the staff page words it in French).
        public var message: String

        public init(line: Int? = nil, event: String? = nil, message: String) {
            self.line = line
            self.event = event
            self.message = message
        }

        public init(from decoder: any Decoder) throws {
            try StrictKeys.check(decoder, known: CodingKeys.allCases.map(\.stringValue))
            let c = try decoder.container(keyedBy: CodingKeys.self)
            line = try c.decodeIfPresent(Int.self, forKey: .line)
            event = try c.decodeIfPresent(String.self, forKey: .event)
            message = try c.decode(String.self, forKey: .message)
        }

        public func encode(to encoder: any Encoder) throws {
            var c = encoder.container(keyedBy: CodingKeys.self)
            try c.encode(line, forKey: .line)
            try c.encode(event, forKey: .event)
            try c.encode(message, forKey: .message)
        }

        enum CodingKeys: String, CodingKey, CaseIterable { case line, event, message }
    }

    /// `push:NAME`.
    public var source: String
    /// `ics`, `openagenda` or `json`; nil when the body is in no known format.
    public var format: String?
    /// True when the events replaced the source's (false for a dry run or when refused).
    public var applied: Bool
    /// Events kept (what the source holds once applied).
    public var eventsRead: Int
    /// Events of the file dropped as broken (each named in a warning).
    public var eventsDropped: Int
    /// Why the file was refused whole (not a programme, truncated, more than half broken).
    public var errors: [Issue]
    /// What was skipped: dropped events, ignored properties.
    public var warnings: [Issue]

    public init(
        source: String, format: String?, applied: Bool, eventsRead: Int, errors: [Issue] = [], warnings: [Issue] = [],
        eventsDropped: Int = 0
    ) {
        self.source = source
        self.format = format
        self.applied = applied
        self.eventsRead = eventsRead
        self.eventsDropped = eventsDropped
        self.errors = errors
        self.warnings = warnings
    }

    public init(from decoder: any Decoder) throws {
        try StrictKeys.check(decoder, known: CodingKeys.allCases.map(\.stringValue))
        let c = try decoder.container(keyedBy: CodingKeys.self)
        source = try c.decode(String.self, forKey: .source)
        format = try c.decodeIfPresent(String.self, forKey: .format)
        applied = try c.decode(Bool.self, forKey: .applied)
        eventsRead = try c.decode(Int.self, forKey: .eventsRead)
        eventsDropped = try c.decode(Int.self, forKey: .eventsDropped)
        errors = try c.decode([Issue].self, forKey: .errors)
        warnings = try c.decode([Issue].self, forKey: .warnings)
    }

    public func encode(to encoder: any Encoder) throws {
        var c = encoder.container(keyedBy: CodingKeys.self)
        try c.encode(source, forKey: .source)
        try c.encode(format, forKey: .format)
        try c.encode(applied, forKey: .applied)
        try c.encode(eventsRead, forKey: .eventsRead)
        try c.encode(eventsDropped, forKey: .eventsDropped)
        try c.encode(errors, forKey: .errors)
        try c.encode(warnings, forKey: .warnings)
    }

    enum CodingKeys: String, CodingKey, CaseIterable { case source, format, applied, eventsRead, eventsDropped, errors, warnings }
}

/// One programme source (a pulled feed or a push) and its state: `GET /api/v1/programme`.
public struct ProgrammeSource: Codable, Sendable, Hashable {
    /// The feed's configuration name, or `push:NAME`.
    public var id: String
    /// `ics`, `openagenda`, `json` or `push`.
    public var kind: String
    public var events: Int
    public var lastSuccess: Date?
    public var lastAttempt: Date?
    public var lastError: String?
    /// For a push: the token name that pushed it last (from the audit log); nil for feeds.
    public var pushedBy: String?
    /// Events in the source as last read, dropped ones included.
    public var eventsRead: Int
    /// What the last successful read skipped: all counted, the first few listed.
    public var warningCount: Int
    public var warnings: [Warning]

    /// One warning of the last read: its line when the format has lines.
    public struct Warning: Codable, Sendable, Hashable {
        public var line: Int?
        public var message: String

        public init(line: Int?, message: String) {
            self.line = line
            self.message = message
        }

        public init(from decoder: any Decoder) throws {
            try StrictKeys.check(decoder, known: ["line", "message"])
            let c = try decoder.container(keyedBy: CodingKeys.self)
            line = try c.decodeIfPresent(Int.self, forKey: .line)
            message = try c.decode(String.self, forKey: .message)
        }

        public func encode(to encoder: any Encoder) throws {
            var c = encoder.container(keyedBy: CodingKeys.self)
            try c.encode(line, forKey: .line)
            try c.encode(message, forKey: .message)
        }

        enum CodingKeys: String, CodingKey { case line, message }
    }

    public init(
        id: String, kind: String, events: Int, lastSuccess: Date?, lastAttempt: Date?, lastError: String?, pushedBy: String?,
        eventsRead: Int = 0, warningCount: Int = 0, warnings: [Warning] = []
    ) {
        self.id = id
        self.kind = kind
        self.events = events
        self.lastSuccess = lastSuccess
        self.lastAttempt = lastAttempt
        self.lastError = lastError
        self.pushedBy = pushedBy
        self.eventsRead = eventsRead
        self.warningCount = warningCount
        self.warnings = warnings
    }

    init(_ s: SourceStatus, pushedBy: String?) {
        self.init(
            id: s.id, kind: s.kind.rawValue, events: s.eventCount, lastSuccess: s.lastSuccess, lastAttempt: s.lastAttempt,
            lastError: s.lastError, pushedBy: pushedBy, eventsRead: s.eventsRead, warningCount: s.warningCount,
            warnings: s.warnings.map { Warning(line: $0.line, message: $0.message) })
    }

    /// `NAME` of `push:NAME`; nil for a pulled feed.
    public var pushName: String? { kind == "push" && id.hasPrefix("push:") ? String(id.dropFirst(5)) : nil }

    public init(from decoder: any Decoder) throws {
        try StrictKeys.check(decoder, known: CodingKeys.allCases.map(\.stringValue))
        let c = try decoder.container(keyedBy: CodingKeys.self)
        id = try c.decode(String.self, forKey: .id)
        kind = try c.decode(String.self, forKey: .kind)
        events = try c.decode(Int.self, forKey: .events)
        lastSuccess = try c.decodeIfPresent(Date.self, forKey: .lastSuccess)
        lastAttempt = try c.decodeIfPresent(Date.self, forKey: .lastAttempt)
        lastError = try c.decodeIfPresent(String.self, forKey: .lastError)
        pushedBy = try c.decodeIfPresent(String.self, forKey: .pushedBy)
        eventsRead = try c.decode(Int.self, forKey: .eventsRead)
        warningCount = try c.decode(Int.self, forKey: .warningCount)
        warnings = try c.decode([Warning].self, forKey: .warnings)
    }

    public func encode(to encoder: any Encoder) throws {
        var c = encoder.container(keyedBy: CodingKeys.self)
        try c.encode(id, forKey: .id)
        try c.encode(kind, forKey: .kind)
        try c.encode(events, forKey: .events)
        try c.encode(lastSuccess, forKey: .lastSuccess)
        try c.encode(lastAttempt, forKey: .lastAttempt)
        try c.encode(lastError, forKey: .lastError)
        try c.encode(pushedBy, forKey: .pushedBy)
        try c.encode(eventsRead, forKey: .eventsRead)
        try c.encode(warningCount, forKey: .warningCount)
        try c.encode(warnings, forKey: .warnings)
    }

    enum CodingKeys: String, CodingKey, CaseIterable {
        case id, kind, events, lastSuccess, lastAttempt, lastError, pushedBy, eventsRead, warningCount, warnings
    }
}

/// `GET /api/v1/programme`.
public struct ProgrammeSourceList: APIBody, Hashable {
    public var sources: [ProgrammeSource]
    public init(sources: [ProgrammeSource]) { self.sources = sources }

    public init(from decoder: any Decoder) throws {
        try StrictKeys.check(decoder, known: ["sources"])
        sources = try decoder.container(keyedBy: CodingKeys.self).decode([ProgrammeSource].self, forKey: .sources)
    }
}
