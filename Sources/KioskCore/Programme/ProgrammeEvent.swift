import Foundation

/// Whether an event (or one occurrence of it) takes place.
///
/// `postponed` and `full` come from OpenAgenda; iCalendar knows only the first three.
public enum EventStatus: String, Sendable, Hashable, Codable, CaseIterable {
    case confirmed, tentative, cancelled, postponed, full
}

/// When an event starts or ends: an instant, or a whole day for all-day events.
public enum EventTime: Sendable, Hashable, Codable {
    /// A point in time (UTC inside; shown in the venue's zone).
    case instant(Date)
    /// A calendar day (all-day events; the end of an all-day event is exclusive).
    case date(CivilDate)

    public var isDate: Bool { if case .date = self { return true } else { return false } }

    /// The instant this time starts at, all-day dates read in `timeZone`.
    public func instant(in timeZone: TimeZone) -> Date {
        switch self {
        case .instant(let d): return d
        case .date(let c): return c.start(in: timeZone)
        }
    }
}

/// The recurrence set of a series: RRULEs + RDATEs - EXDATEs (RFC 5545 section 3.8.5).
public struct Recurrence: Sendable, Hashable, Codable {
    /// RRULE values as RFC 5545 text, e.g. `FREQ=WEEKLY;BYDAY=TU`.
    public var rules: [String]
    /// Extra occurrence starts (RDATE).
    public var dates: [EventTime]
    /// Excluded occurrence starts (EXDATE), compared as instants (dates for all-day).
    public var exceptions: [EventTime]

    public init(rules: [String] = [], dates: [EventTime] = [], exceptions: [EventTime] = []) {
        self.rules = rules
        self.dates = dates
        self.exceptions = exceptions
    }

    public var isEmpty: Bool { rules.isEmpty && dates.isEmpty }
}

/// One event of the public programme as a source describes it: a single occurrence or a
/// recurring series, or an override of one instance of a series (`recurrenceID` set).
public struct ProgrammeEvent: Sendable, Hashable, Codable {
    public var uid: String
    /// Set on an override: the original start of the instance it replaces.
    public var recurrenceID: EventTime?
    public var title: String
    public var summary: String
    /// Room or place in the building ("Salle Lumière", "Fablab").
    public var room: String
    public var categories: [String]
    /// Who it is for ("Tout public", "Professionnels", "Jeune public").
    public var audience: String
    public var status: EventStatus
    public var start: EventTime
    public var end: EventTime
    /// IANA zone whose wall clock the series recurs in; nil means the venue's zone.
    public var timeZone: String?
    public var recurrence: Recurrence?
    public var url: String?
    /// Short accessibility labels (e.g. "hearing", "wheelchair"); free text from feeds.
    public var accessibility: [String]
    /// The zone's own rules when the feed's zone has no IANA name (an iCalendar VTIMEZONE
    /// we could not map); when set it wins over `timeZone`.
    public var timeZoneRules: RecurrenceTimeZoneRules?

    public init(
        uid: String, recurrenceID: EventTime? = nil, title: String, summary: String = "",
        room: String = "", categories: [String] = [], audience: String = "",
        status: EventStatus = .confirmed, start: EventTime, end: EventTime,
        timeZone: String? = nil, recurrence: Recurrence? = nil, url: String? = nil,
        accessibility: [String] = [], timeZoneRules: RecurrenceTimeZoneRules? = nil
    ) {
        self.uid = uid
        self.recurrenceID = recurrenceID
        self.title = title
        self.summary = summary
        self.room = room
        self.categories = categories
        self.audience = audience
        self.status = status
        self.start = start
        self.end = end
        self.timeZone = timeZone
        self.recurrence = recurrence
        self.url = url
        self.accessibility = accessibility
        self.timeZoneRules = timeZoneRules
    }

    public var isAllDay: Bool { start.isDate }
}

/// One concrete occurrence of an event, what the screen lists.
public struct Occurrence: Sendable, Hashable, Codable {
    public var uid: String
    public var title: String
    public var summary: String
    public var room: String
    public var categories: [String]
    public var audience: String
    public var status: EventStatus
    /// `.instant` for timed occurrences, `.date` for all-day ones (end exclusive).
    public var start: EventTime
    public var end: EventTime
    /// Source the event came from (config name of the feed, or "push:NAME").
    public var source: String

    public init(
        uid: String, title: String, summary: String = "", room: String = "",
        categories: [String] = [], audience: String = "", status: EventStatus = .confirmed,
        start: EventTime, end: EventTime, source: String = ""
    ) {
        self.uid = uid
        self.title = title
        self.summary = summary
        self.room = room
        self.categories = categories
        self.audience = audience
        self.status = status
        self.start = start
        self.end = end
        self.source = source
    }

    public var isAllDay: Bool { start.isDate }
}
