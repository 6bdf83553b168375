import Foundation
import KioskCore

/// What an iCalendar file holds for the programme: its events (series, single events and
/// overrides of one instance), and the calendar-level facts exporters add.
public struct ICalendarDocument: Sendable {
    public var events: [ProgrammeEvent]
    /// `X-WR-CALNAME` (Google, Apple).
    public var name: String?
    /// `X-WR-TIMEZONE` as written (Google): the zone UTC-written series recur in.
    public var timeZone: String?
    /// Events that were skipped (no DTSTART), each with its line; the rest still counts.
    public var warnings: [ICalendarError]
}

/// Reads iCalendar (RFC 5545) bytes into `ProgrammeEvent`s.
///
/// Tolerant of what real exporters write: folds by SPACE or TAB (undone on bytes, so a
/// fold inside a UTF-8 character is fine), bare LF, a BOM, blank lines; TZIDs that are
/// IANA names, path-prefixed names, Windows names, or only defined by a VTIMEZONE block;
/// `X-WR-TIMEZONE`. Strict about structure: a truncated file (a BEGIN without its END) or a
/// malformed date, duration or RRULE is an `ICalendarError` naming the physical line.
///
/// Times: UTC (`Z`) and zoned values become instants; floating values are read in
/// `venueTimeZone`; `VALUE=DATE` values stay dates (DTEND exclusive, one day by default).
/// Series keep the zone they recur in (`timeZone`, or `timeZoneRules` for a VTIMEZONE
/// without IANA name); a UTC-written series recurs in `X-WR-TIMEZONE` when there is one.
public struct ICalendarParser: Sendable {
    public var venueTimeZone: TimeZone

    public init(venueTimeZone: TimeZone) {
        self.venueTimeZone = venueTimeZone
    }

    public func parse(_ data: Data) throws(ICalendarError) -> ICalendarDocument {
        try parse([UInt8](data))
    }

    /// The document, or the first error in line order (feeds: any error keeps the last good
    /// programme, so one error is enough to say why).
    public func parse(_ bytes: [UInt8]) throws(ICalendarError) -> ICalendarDocument {
        let validation = validate(bytes)
        if let first = validation.errors.first { throw first }
        return validation.document!
    }

    /// Every error of the file instead of the first only, for a person fixing it (the
    /// staff push report). A structural error (no VCALENDAR, an unbalanced BEGIN/END, a
    /// line that is not a content line) stops the reading and is the only error; errors in
    /// the values of an event (a bad date, duration or RRULE) are collected and the
    /// reading goes on, so one upload lists them all. `document` holds the events that
    /// read cleanly; it is nil after a structural error.
    public func validate(_ bytes: [UInt8]) -> ICalendarValidation {
        var reader = ICalendarReader(bytes)
        do { try reader.read() } catch { return ICalendarValidation(document: nil, errors: [error]) }
        var errors = reader.eventErrors
        var resolver = ICalendarResolver(
            venueTimeZone: venueTimeZone, timeZones: reader.timeZones, calendarZone: reader.calendarTimeZone)
        var events: [ProgrammeEvent] = []
        events.reserveCapacity(reader.events.count)
        var warnings: [ICalendarError] = []
        for raw in reader.events where !reader.invalidEventLines.contains(raw.line) {
            do {
                if let event = try resolver.event(raw) {
                    events.append(event)
                } else {
                    warnings.append(ICalendarError(line: raw.line, reason: "VEVENT has no DTSTART; skipped"))
                }
            } catch {
                errors.append(error)
            }
        }
        errors.sort { $0.line < $1.line }
        let document = ICalendarDocument(events: events, name: reader.calendarName, timeZone: reader.calendarTimeZone, warnings: warnings)
        return ICalendarValidation(document: document, errors: errors)
    }
}

/// What `ICalendarParser.validate` found: the events that read cleanly and every error,
/// sorted by line.
public struct ICalendarValidation: Sendable {
    public var document: ICalendarDocument?
    public var errors: [ICalendarError]
}

/// A date property as written, with its TZID and line.
struct ICalendarRawTime {
    var value: ICalendarDateTime
    var tzid: String?
    var line: Int
}

struct ICalendarRawEvent {
    var line: Int
    var uid: String?
    var title = ""
    var summary = ""
    var room = ""
    var categories: [String] = []
    var url: String?
    var status: EventStatus = .confirmed
    var start: ICalendarRawTime?
    var end: ICalendarRawTime?
    var duration: (days: Int, seconds: Int)?
    var rules: [String] = []
    var dates: [ICalendarRawTime] = []
    var exceptions: [ICalendarRawTime] = []
    var recurrenceID: ICalendarRawTime?
}

struct ICalendarRawTimeZone {
    var tzid: String = ""
    var location: String?
    var observances: [RecurrenceTimeZoneRules.Observance] = []
}

/// Pass 1: structure and properties (VTIMEZONEs may come after the events using them).
struct ICalendarReader {
    let lines: ICalendarUnfolder
    var events: [ICalendarRawEvent] = []
    var timeZones: [String: ICalendarRawTimeZone] = [:]
    var calendarTimeZone: String?
    var calendarName: String?
    /// Errors in the properties of events; reading goes on past them.
    var eventErrors: [ICalendarError] = []
    /// `BEGIN:VEVENT` lines of the events those errors belong to (left out of the result).
    var invalidEventLines: Set<Int> = []

    init(_ bytes: [UInt8]) { lines = ICalendarUnfolder(bytes) }

    mutating func read() throws(ICalendarError) {
        guard lines.count > 0 else { throw ICalendarError(line: 1, reason: "empty file: expected BEGIN:VCALENDAR") }
        var stack: [(name: String, line: Int)] = []
        var sawCalendar = false
        var event: ICalendarRawEvent?
        var zone: ICalendarRawTimeZone?
        var observance: RecurrenceTimeZoneRules.Observance?
        var observanceValid = (start: false, from: false, to: false)
        for index in 0..<lines.count {
            let line = try lines.contentLine(index)
            switch line.name {
            case "BEGIN":
                let name = ICalendarValues.text(ICalendarValues.trimmed(line.value)).uppercased()
                if stack.isEmpty, name != "VCALENDAR" {
                    throw ICalendarError(line: line.line, reason: "expected BEGIN:VCALENDAR, found BEGIN:\(name)")
                }
                let parent = stack.last?.name
                stack.append((name, line.line))
                switch (parent, name) {
                case (nil, "VCALENDAR"): sawCalendar = true
                case ("VCALENDAR", "VEVENT"): event = ICalendarRawEvent(line: line.line)
                case ("VCALENDAR", "VTIMEZONE"): zone = ICalendarRawTimeZone()
                case ("VTIMEZONE", "STANDARD"), ("VTIMEZONE", "DAYLIGHT"):
                    observance = RecurrenceTimeZoneRules.Observance(
                        isDaylight: name == "DAYLIGHT",
                        start: .init(date: CivilDate(year: 1970, month: 1, day: 1), secondOfDay: 0), offsetFrom: 0, offsetTo: 0)
                    observanceValid = (false, false, false)
                default: break
                }
            case "END":
                let name = ICalendarValues.text(ICalendarValues.trimmed(line.value)).uppercased()
                guard let top = stack.last else {
                    throw ICalendarError(line: line.line, reason: "END:\(name) without a BEGIN")
                }
                guard top.name == name else {
                    throw ICalendarError(line: line.line, reason: "END:\(name) does not close BEGIN:\(top.name) of line \(top.line)")
                }
                stack.removeLast()
                switch name {
                case "VEVENT" where stack.last?.name == "VCALENDAR":
                    if let e = event { events.append(e) }
                    event = nil
                case "VTIMEZONE":
                    if let z = zone, !z.tzid.isEmpty { timeZones[z.tzid] = z }
                    zone = nil
                case "STANDARD", "DAYLIGHT":
                    if let o = observance, observanceValid.start, observanceValid.to {
                        var o = o
                        if !observanceValid.from { o.offsetFrom = o.offsetTo }
                        zone?.observances.append(o)
                    }
                    observance = nil
                default: break
                }
            default:
                guard let top = stack.last else {
                    throw ICalendarError(line: line.line, reason: sawCalendar
                        ? "\(line.name) after END:VCALENDAR" : "expected BEGIN:VCALENDAR, found \(line.name)")
                }
                switch top.name {
                case "VEVENT":
                    do { try Self.read(line, into: &event) } catch {
                        eventErrors.append(error)
                        if let start = event?.line { invalidEventLines.insert(start) }
                    }
                case "VCALENDAR":
                    if line.name == "X-WR-TIMEZONE" { calendarTimeZone = ICalendarValues.text(ICalendarValues.trimmed(line.value)) }
                    if line.name == "X-WR-CALNAME" { calendarName = ICalendarValues.text(line.value) }
                case "VTIMEZONE":
                    if line.name == "TZID" { zone?.tzid = ICalendarValues.text(ICalendarValues.trimmed(line.value)) }
                    if line.name == "X-LIC-LOCATION" { zone?.location = ICalendarValues.text(ICalendarValues.trimmed(line.value)) }
                case "STANDARD", "DAYLIGHT":
                    try Self.read(line, into: &observance, valid: &observanceValid)
                default: break  // VALARM, VTODO, ...: not ours
                }
            }
        }
        if let open = stack.last {
            throw ICalendarError(line: open.line, reason: "BEGIN:\(open.name) is never closed (truncated calendar?)")
        }
    }

    static func time(_ line: ICalendarContentLine) throws(ICalendarError) -> ICalendarRawTime {
        guard let value = ICalendarValues.dateTime(line.value) else {
            throw ICalendarError(line: line.line, reason: "\(line.name) value '\(ICalendarUnfolder.text(line.value))' is not a DATE or DATE-TIME")
        }
        if line.parameter("VALUE")?.uppercased() == "DATE", value.secondOfDay != nil {
            throw ICalendarError(line: line.line, reason: "\(line.name) says VALUE=DATE but has a time")
        }
        return ICalendarRawTime(value: value, tzid: line.parameter("TZID"), line: line.line)
    }

    static func times(_ line: ICalendarContentLine) throws(ICalendarError) -> [ICalendarRawTime] {
        var out: [ICalendarRawTime] = []
        for part in ICalendarValues.list(line.value) {
            // RDATE;VALUE=PERIOD: keep the start of the period.
            let item = part.firstIndex(of: UInt8(ascii: "/")).map { part[part.startIndex..<$0] } ?? part
            if ICalendarValues.trimmed(item).isEmpty { continue }
            var single = line
            single.value = item
            out.append(try time(single))
        }
        return out
    }

    static func read(_ line: ICalendarContentLine, into event: inout ICalendarRawEvent?) throws(ICalendarError) {
        guard event != nil else { return }
        switch line.name {
        case "UID": event!.uid = ICalendarValues.text(ICalendarValues.trimmed(line.value))
        case "SUMMARY": event!.title = ICalendarValues.text(line.value)
        case "DESCRIPTION": event!.summary = ICalendarValues.text(line.value)
        case "LOCATION": event!.room = ICalendarValues.text(line.value)
        case "URL": event!.url = ICalendarValues.text(ICalendarValues.trimmed(line.value))
        case "CATEGORIES":
            for item in ICalendarValues.list(line.value) {
                let text = ICalendarValues.text(ICalendarValues.trimmed(item))
                if !text.isEmpty { event!.categories.append(text) }
            }
        case "STATUS":
            switch ICalendarValues.text(ICalendarValues.trimmed(line.value)).uppercased() {
            case "TENTATIVE": event!.status = .tentative
            case "CANCELLED", "CANCELED": event!.status = .cancelled
            default: event!.status = .confirmed
            }
        case "DTSTART": event!.start = try time(line)
        case "DTEND": event!.end = try time(line)
        case "DURATION":
            guard let d = ICalendarValues.duration(line.value) else {
                throw ICalendarError(line: line.line, reason: "DURATION '\(ICalendarUnfolder.text(line.value))' is not an RFC 5545 duration (e.g. PT1H30M, P1D)")
            }
            event!.duration = d
        case "RRULE":
            let text = ICalendarUnfolder.text(line.value)
            do { _ = try RecurrenceRule(parsing: text) } catch {
                throw ICalendarError(line: line.line, reason: "\(error)")
            }
            event!.rules.append(text)
        case "RDATE": event!.dates += try times(line)
        case "EXDATE": event!.exceptions += try times(line)
        case "RECURRENCE-ID": event!.recurrenceID = try time(line)
        default: break
        }
    }

    static func read(
        _ line: ICalendarContentLine, into observance: inout RecurrenceTimeZoneRules.Observance?,
        valid: inout (start: Bool, from: Bool, to: Bool)
    ) throws(ICalendarError) {
        guard observance != nil else { return }
        switch line.name {
        case "DTSTART":
            let t = try time(line)
            observance!.start = .init(date: t.value.date, secondOfDay: t.value.secondOfDay ?? 0)
            valid.start = true
        case "TZOFFSETFROM", "TZOFFSETTO":
            guard let offset = ICalendarValues.utcOffset(line.value) else {
                throw ICalendarError(line: line.line, reason: "\(line.name) '\(ICalendarUnfolder.text(line.value))' is not a UTC offset like +0100")
            }
            if line.name == "TZOFFSETFROM" { observance!.offsetFrom = offset; valid.from = true } else { observance!.offsetTo = offset; valid.to = true }
        case "RRULE":
            let text = ICalendarUnfolder.text(line.value)
            do { _ = try RecurrenceRule(parsing: text) } catch {
                throw ICalendarError(line: line.line, reason: "\(error)")
            }
            observance!.rule = text
        case "RDATE":
            for t in try times(line) {
                observance!.additionalStarts.append(.init(date: t.value.date, secondOfDay: t.value.secondOfDay ?? 0))
            }
        default: break
        }
    }
}

/// Pass 2: zones applied, raw events turned into `ProgrammeEvent`s.
struct ICalendarResolver {
    enum Zone {
        case iana(String, RecurrenceWallClock)
        case rules(RecurrenceTimeZoneRules, RecurrenceWallClock)
    }

    let venueClock: RecurrenceWallClock
    let timeZones: [String: ICalendarRawTimeZone]
    /// `X-WR-TIMEZONE` when it names a zone we know.
    var calendarZone: (name: String, clock: RecurrenceWallClock)?
    var cache: [String: Zone?] = [:]
    var clocks: [String: RecurrenceWallClock] = [:]

    init(venueTimeZone: TimeZone, timeZones: [String: ICalendarRawTimeZone], calendarZone: String?) {
        venueClock = RecurrenceWallClock(zone: venueTimeZone)
        self.timeZones = timeZones
        if let name = calendarZone.flatMap(ICalendarTimeZoneNames.ianaName(for:)), let tz = TimeZone(identifier: name) {
            self.calendarZone = (name, RecurrenceWallClock(zone: tz))
        }
    }

    mutating func zone(_ tzid: String) -> Zone? {
        if let cached = cache[tzid] { return cached }
        var found: Zone?
        if let name = ICalendarTimeZoneNames.ianaName(for: tzid), let tz = TimeZone(identifier: name) {
            found = .iana(name, clocks[name] ?? RecurrenceWallClock(zone: tz))
        } else if let raw = timeZones[tzid] {
            if let location = raw.location, let name = ICalendarTimeZoneNames.ianaName(for: location), let tz = TimeZone(identifier: name) {
                found = .iana(name, RecurrenceWallClock(zone: tz))
            } else if !raw.observances.isEmpty {
                let rules = RecurrenceTimeZoneRules(identifier: tzid, observances: raw.observances)
                found = .rules(rules, RecurrenceWallClock(rules: rules))
            }
        }
        cache[tzid] = found
        return found
    }

    /// The instant or date `raw` stands for, and the zone it was read in.
    mutating func resolve(_ raw: ICalendarRawTime) -> (time: EventTime, zone: Zone?, isUTC: Bool) {
        guard let second = raw.value.secondOfDay else { return (.date(raw.value.date), nil, false) }
        if raw.value.isUTC {
            return (.instant(Date(timeIntervalSince1970: TimeInterval(raw.value.date.dayNumber * 86_400 + second))), nil, true)
        }
        var clock = venueClock
        var zone: Zone?
        if let tzid = raw.tzid {
            zone = self.zone(tzid)
            switch zone {
            case .iana(_, let c)?, .rules(_, let c)?: clock = c
            case nil: if let calendarZone { clock = calendarZone.clock }  // unknown TZID: the calendar's zone
            }
        }
        return (.instant(clock.instant(of: raw.value.date, secondOfDay: second)), zone, false)
    }

    mutating func event(_ raw: ICalendarRawEvent) throws(ICalendarError) -> ProgrammeEvent? {
        guard let rawStart = raw.start else { return nil }
        let (start, zone, isUTC) = resolve(rawStart)
        var timeZone: String?
        var rules: RecurrenceTimeZoneRules?
        switch zone {
        case .iana(let name, _)?: timeZone = name
        case .rules(let r, _)?: rules = r
        case nil:
            if isUTC { timeZone = calendarZone?.name ?? "UTC" } else if rawStart.tzid != nil { timeZone = calendarZone?.name }
        }
        let end: EventTime
        switch start {
        case .date(let day):
            if let rawEnd = raw.end {
                let e = resolve(rawEnd).time
                let last: CivilDate
                switch e {
                case .date(let d): last = d
                case .instant(let t): last = CivilDate(t, in: TimeZone(identifier: timeZone ?? "UTC") ?? .gmt)
                }
                end = .date(last > day ? last : day.adding(days: 1))
            } else if let d = raw.duration {
                end = .date(day.adding(days: max(1, d.days + (d.seconds > 0 ? 1 : 0))))
            } else {
                end = .date(day.adding(days: 1))
            }
        case .instant(let t):
            if let rawEnd = raw.end {
                switch resolve(rawEnd).time {
                case .instant(let e): end = .instant(max(t, e))
                case .date(let d):
                    let clock: RecurrenceWallClock
                    switch zone {
                    case .iana(_, let c)?, .rules(_, let c)?: clock = c
                    case nil: clock = venueClock
                    }
                    end = .instant(max(t, clock.instant(of: d, secondOfDay: 0)))
                }
            } else if let d = raw.duration {
                end = .instant(t + TimeInterval(max(0, d.days * 86_400 + d.seconds)))
            } else {
                end = .instant(t)
            }
        }
        var recurrence: Recurrence?
        if !raw.rules.isEmpty || !raw.dates.isEmpty || !raw.exceptions.isEmpty {
            recurrence = Recurrence(
                rules: raw.rules, dates: raw.dates.map { resolve($0).time },
                exceptions: raw.exceptions.map { resolve($0).time })
        }
        var event = ProgrammeEvent(
            uid: raw.uid ?? "line-\(raw.line)", recurrenceID: raw.recurrenceID.map { resolve($0).time },
            title: raw.title, summary: raw.summary, room: raw.room, categories: raw.categories,
            status: raw.status, start: start, end: end, timeZone: timeZone, recurrence: recurrence,
            url: raw.url, timeZoneRules: rules)
        if raw.end == nil && raw.duration == nil { event.endIsDefault = true }
        return event
    }
}
