import Foundation

/// Whether an event (or one occurrence of it) takes place.
///
/// iCalendar knows only the first three; the others are OpenAgenda's statuses 2 to 5
/// (rescheduled, moved online, postponed, full), which the screen shows as they are.
public enum EventStatus: String, Sendable, Hashable, Codable, CaseIterable {
    case confirmed, tentative, cancelled, postponed, full, rescheduled
    case movedOnline = "moved-online"
}

/// When an event starts or ends: an instant, or a whole day for all-day events.
public enum EventTime: Sendable, Hashable, Codable {
    /// A point in time (UTC inside; shown in the venue's zone).
    case instant(Date)
    /// A calendar day (all-day events; the end of an all-day event is exclusive).
    case date(CivilDate)

    public var isDate: Bool { if case .date = self { return true } else { return false } }

    /// The instant this time starts at, all-day dates read in `timeZone`.
    public func instant(in timeZone: IANATimeZone) -> Date {
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

    /// Extra occurrences with their own end (RDATE;VALUE=PERIOD, RFC 5545 section 3.8.5.2).
    public var periods: [RecurrencePeriod]

    public init(rules: [String] = [], dates: [EventTime] = [], exceptions: [EventTime] = [], periods: [RecurrencePeriod] = []) {
        self.rules = rules
        self.dates = dates
        self.exceptions = exceptions
        self.periods = periods
    }

    public var isEmpty: Bool { rules.isEmpty && dates.isEmpty && periods.isEmpty }

    private enum CodingKeys: String, CodingKey { case rules, dates, exceptions, periods }

    // Payloads stored before `periods` existed have no such key; it is written only when
    // there are periods, so other payloads keep their shape.
    public init(from decoder: any Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        rules = try c.decode([String].self, forKey: .rules)
        dates = try c.decode([EventTime].self, forKey: .dates)
        exceptions = try c.decode([EventTime].self, forKey: .exceptions)
        periods = try c.decodeIfPresent([RecurrencePeriod].self, forKey: .periods) ?? []
    }

    public func encode(to encoder: any Encoder) throws {
        var c = encoder.container(keyedBy: CodingKeys.self)
        try c.encode(rules, forKey: .rules)
        try c.encode(dates, forKey: .dates)
        try c.encode(exceptions, forKey: .exceptions)
        if !periods.isEmpty { try c.encode(periods, forKey: .periods) }
    }
}

/// One RDATE period: an extra occurrence from `start` to `end` (instants: an exact length).
public struct RecurrencePeriod: Sendable, Hashable, Codable {
    public var start: EventTime
    public var end: EventTime

    public init(start: EventTime, end: EventTime) {
        self.start = start
        self.end = end
    }
}

/// A DURATION as written (RFC 5545 section 3.3.6): `days` are nominal (the same wall-clock
/// time so many days later, 23 or 25 hours across a daylight-saving change; weeks are 7
/// days), `seconds` are exact.
public struct NominalDuration: Sendable, Hashable, Codable {
    public var days: Int
    public var seconds: Int

    public init(days: Int, seconds: Int) {
        self.days = days
        self.seconds = seconds
    }
}

/// The RANGE of an override's RECURRENCE-ID (RFC 5545 section 3.2.13).
public enum RecurrenceRange: String, Sendable, Hashable, Codable {
    /// The override applies to its instance and every later one: their start moves by the
    /// override's shift (DTSTART - RECURRENCE-ID), their length and text become its own.
    case thisAndFuture
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
    /// The event's picture, an absolute http(s) URL (OpenAgenda `image`, iCalendar
    /// `IMAGE;VALUE=URI` or `ATTACH;FMTTYPE=image/...`); never fetched by the parsers.
    public var imageURL: String?
    /// Set when the source gave a DURATION rather than an end: each occurrence of a series
    /// then ends that nominal duration after its own start (`end` is the first one's).
    public var duration: NominalDuration?
    /// On an override: whether it also replaces the later instances (`RANGE=THISANDFUTURE`).
    public var recurrenceRange: RecurrenceRange?
    /// True when the source stated no end and `end` is the parser's default (the start
    /// itself, an hour, or the one day of an all-day event): what open-data exports must
    /// not publish as if it were known. Nil (older stored events) reads as false.
    public var endIsDefault: Bool?

    public init(
        uid: String, recurrenceID: EventTime? = nil, title: String, summary: String = "",
        room: String = "", categories: [String] = [], audience: String = "",
        status: EventStatus = .confirmed, start: EventTime, end: EventTime,
        timeZone: String? = nil, recurrence: Recurrence? = nil, url: String? = nil,
        accessibility: [String] = [], timeZoneRules: RecurrenceTimeZoneRules? = nil,
        imageURL: String? = nil, duration: NominalDuration? = nil, recurrenceRange: RecurrenceRange? = nil,
        endIsDefault: Bool? = nil
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
        self.imageURL = imageURL
        self.duration = duration
        self.recurrenceRange = recurrenceRange
        self.endIsDefault = endIsDefault
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
