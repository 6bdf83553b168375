import Foundation

/// What a programme push found and did: the body of `PUT /api/v1/programme/{name}`.
public struct ProgrammePushReport: Sendable, Hashable {
    /// One problem, at a line of the file when the format has lines (iCalendar).
    public struct Issue: Sendable, Hashable {
        public var line: Int?
        public var message: String

        public init(line: Int? = nil, message: String) {
            self.line = line
            self.message = message
        }
    }

    /// `push:NAME`.
    public var source: String
    /// `ics`, `openagenda` or `json`; nil when the body is in no known format.
    public var format: String?
    /// True when the events replaced the source's (false for a dry run or with errors).
    public var applied: Bool
    /// Events kept (what the source holds once applied).
    public var eventsRead: Int
    public var errors: [Issue]
    public var warnings: [Issue]
    /// Events of the file dropped as broken (each named in a warning).
    public var eventsDropped: Int

    public init(source: String, format: String?, applied: Bool, eventsRead: Int, errors: [Issue], warnings: [Issue], eventsDropped: Int = 0) {
        self.source = source
        self.format = format
        self.applied = applied
        self.eventsRead = eventsRead
        self.errors = errors
        self.warnings = warnings
        self.eventsDropped = eventsDropped
    }

    /// The JSON object of docs/api.md.
    public var json: [String: Any] {
        func issues(_ list: [Issue]) -> [[String: Any]] {
            list.map { issue in
                var d: [String: Any] = ["message": issue.message]
                d["line"] = issue.line ?? NSNull()
                return d
            }
        }
        return [
            "source": source, "format": APIJSON.orNull(format), "applied": applied, "eventsRead": eventsRead,
            "eventsDropped": eventsDropped, "errors": issues(errors), "warnings": issues(warnings),
        ]
    }
}
