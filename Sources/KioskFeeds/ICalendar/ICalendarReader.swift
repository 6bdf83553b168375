import Foundation
import KioskCore

/// A date property as written, with its TZID and line.
struct ICalendarRawTime {
    var value: ICalendarDateTime
    var tzid: String?
    var line: Int
}

/// An RDATE period: its start and its end or length (RFC 5545 section 3.3.9).
struct ICalendarRawPeriod {
    enum End {
        case time(ICalendarRawTime)
        case duration(days: Int, seconds: Int)
    }
    var start: ICalendarRawTime
    var end: End
}

/// A VEVENT as read, before zones are applied.
struct ICalendarRawEvent {
    var line: Int
    var uid: String?
    var title = ""
    var summary = ""
    var room = ""
    var categories: [String] = []
    var url: String?
    /// `IMAGE;VALUE=URI` (RFC 7986), else the first `ATTACH;FMTTYPE=image/...` URI.
    var imageURL: String?
    var attachedImageURL: String?
    var status: EventStatus = .confirmed
    var start: ICalendarRawTime?
    var end: ICalendarRawTime?
    var duration: (days: Int, seconds: Int)?
    var rules: [String] = []
    var dates: [ICalendarRawTime] = []
    var periods: [ICalendarRawPeriod] = []
    var exceptions: [ICalendarRawTime] = []
    var recurrenceID: ICalendarRawTime?
    var thisAndFuture = false
    var sequence = 0
    /// DTSTAMP (else LAST-MODIFIED) as seconds of its wall clock, to order revisions.
    var stamp: Int?
    /// Why the event cannot be kept (a bad DTSTART or RECURRENCE-ID), and the line that says so.
    var broken: (line: Int, reason: String)?
    /// What was skipped in it, by line; named with its uid when it closes.
    var notes: [(line: Int, message: String)] = []
    var recurrenceValues = 0

    init(line: Int) { self.line = line }

    /// The uid, else where it starts.
    var name: String { uid ?? "VEVENT of line \(line)" }

    mutating func note(_ line: Int, _ message: String) {
        if notes.count < ICalendarReader.maxNotesPerEvent { notes.append((line, message)) }
    }
}

struct ICalendarRawTimeZone {
    var tzid: String = ""
    var location: String?
    var observances: [RecurrenceTimeZoneRules.Observance] = []
}

/// Pass 1: structure and properties (VTIMEZONEs may come after the events using them).
///
/// Keeps going past everything but a missing VCALENDAR and a truncated file; see
/// `ICalendarParser` for the salvage rules. Bounded whatever the input: at most
/// `maxDepth` nested components, `maxTimeZones` VTIMEZONEs, `maxRecurrenceValues` RDATE and
/// EXDATE values and `maxRules` RRULEs per event, and the first hundred warnings.
struct ICalendarReader {
    static let maxDepth = 32
    static let maxTimeZones = 100
    static let maxObservances = 200
    static let maxRules = 8
    static let maxRecurrenceValues = 10_000
    static let maxNotesPerEvent = 20

    let lines: ICalendarUnfolder
    var events: [ICalendarRawEvent] = []
    var timeZones: [String: ICalendarRawTimeZone] = [:]
    var calendarTimeZone: String?
    var calendarName: String?
    var warnings = FeedWarnings()
    /// VEVENTs met (direct children of a VCALENDAR) and dropped.
    var eventsRead = 0
    var eventsDropped = 0
    var firstDrop: FeedWarning?

    private var stack: [(name: String, line: Int)] = []
    private var ignoredDepth = 0
    private var calendarsClosed = 0
    private var event: ICalendarRawEvent?
    private var zone: ICalendarRawTimeZone?
    private var observance: RecurrenceTimeZoneRules.Observance?
    private var observanceValid = (start: false, from: false, to: false)

    init(_ bytes: [UInt8]) { lines = ICalendarUnfolder(bytes) }

    mutating func read() throws(ICalendarError) {
        guard lines.count > 0 else { throw ICalendarError(line: 1, reason: "empty file: expected BEGIN:VCALENDAR") }
        for index in 0..<lines.count {
            let line: ICalendarContentLine
            do { line = try lines.contentLine(index) } catch {
                if stack.isEmpty && calendarsClosed == 0 { throw ICalendarError(line: error.line, reason: "not a calendar: \(error.reason)") }
                if lines.isExtension(index) { continue }  // x- properties are never an error
                if stack.last?.name == "VEVENT", event != nil { event!.note(error.line, "\(error.reason); line skipped") } else { warnings.add(line: error.line, "\(error.reason); line skipped") }
                continue
            }
            switch line.name {
            case "BEGIN": try begin(line)
            case "END": end(line)
            default: try property(line)
            }
        }
        if let open = stack.last {
            throw ICalendarError(line: open.line, reason: "BEGIN:\(open.name) is never closed (truncated calendar?)")
        }
    }

    private mutating func begin(_ line: ICalendarContentLine) throws(ICalendarError) {
        let name = ICalendarValues.text(ICalendarValues.trimmed(line.value)).uppercased()
        if stack.isEmpty, name != "VCALENDAR" {
            if calendarsClosed == 0 { throw ICalendarError(line: line.line, reason: "expected BEGIN:VCALENDAR, found BEGIN:\(name)") }
            warnings.add(line: line.line, "BEGIN:\(name) after END:VCALENDAR; ignored up to its END")
        }
        if ignoredDepth > 0 || stack.count >= Self.maxDepth {
            if ignoredDepth == 0 { warnings.add(line: line.line, "components nested deeper than \(Self.maxDepth); BEGIN:\(name) ignored up to its END") }
            ignoredDepth += 1
            return
        }
        if name == "VEVENT", stack.last?.name == "VEVENT" {
            // An exporter forgot an END:VEVENT: the open one is broken.
            let open = stack.removeLast()
            abandon(open, because: "BEGIN:VEVENT of line \(line.line) starts before its END:VEVENT")
        }
        let parent = stack.last?.name
        stack.append((name, line.line))
        switch (parent, name) {
        case ("VCALENDAR", "VEVENT"):
            eventsRead += 1
            event = ICalendarRawEvent(line: line.line)
        case ("VCALENDAR", "VTIMEZONE"):
            zone = ICalendarRawTimeZone()
        case ("VTIMEZONE", "STANDARD"), ("VTIMEZONE", "DAYLIGHT"):
            observance = RecurrenceTimeZoneRules.Observance(
                isDaylight: name == "DAYLIGHT",
                start: .init(date: CivilDate(year: 1970, month: 1, day: 1), secondOfDay: 0), offsetFrom: 0, offsetTo: 0)
            observanceValid = (false, false, false)
        default: break
        }
    }

    private mutating func end(_ line: ICalendarContentLine) {
        let name = ICalendarValues.text(ICalendarValues.trimmed(line.value)).uppercased()
        if ignoredDepth > 0 {
            ignoredDepth -= 1
            return
        }
        guard let top = stack.last else {
            warnings.add(line: line.line, "END:\(name) without a BEGIN; ignored")
            return
        }
        if top.name == name {
            stack.removeLast()
            finish(name, line: line.line)
        } else if let k = stack.lastIndex(where: { $0.name == name }) {
            // What was opened above it was never closed.
            while stack.count > k + 1 {
                let open = stack.removeLast()
                abandon(open, because: "BEGIN:\(open.name) of line \(open.line) is never closed")
            }
            stack.removeLast()
            finish(name, line: line.line)
        } else if top.name == "VCALENDAR" {
            warnings.add(line: line.line, "END:\(name) closes nothing; ignored")
        } else {
            // END:VTOOD for BEGIN:VTODO: the component is broken.
            stack.removeLast()
            abandon(top, because: "END:\(name) of line \(line.line) does not close BEGIN:\(top.name)")
        }
    }

    /// A component closed properly.
    private mutating func finish(_ name: String, line: Int) {
        switch name {
        case "VEVENT" where stack.last?.name == "VCALENDAR":
            guard var e = event else { return }
            event = nil
            if e.start == nil, e.broken == nil { e.broken = (e.line, "no DTSTART") }
            // A dropped event is named once, by why it was dropped.
            if let broken = e.broken {
                drop(e, because: broken.reason, line: broken.line)
            } else {
                flushNotes(of: e)
                events.append(e)
            }
        case "VCALENDAR" where stack.isEmpty:
            calendarsClosed += 1
        case "VTIMEZONE":
            if let z = zone, !z.tzid.isEmpty {
                if timeZones.count < Self.maxTimeZones || timeZones[z.tzid] != nil {
                    timeZones[z.tzid] = z
                } else {
                    warnings.add(line: line, "more than \(Self.maxTimeZones) VTIMEZONEs; \(z.tzid) ignored")
                }
            }
            zone = nil
        case "STANDARD", "DAYLIGHT":
            if let o = observance, observanceValid.start, observanceValid.to {
                var o = o
                if !observanceValid.from { o.offsetFrom = o.offsetTo }
                if (zone?.observances.count ?? 0) < Self.maxObservances { zone?.observances.append(o) }
            } else if observance != nil {
                warnings.add(line: line, "\(name) without DTSTART or TZOFFSETTO; ignored")
            }
            observance = nil
        default: break
        }
    }

    /// A component that cannot be kept: a VEVENT is dropped with a warning.
    private mutating func abandon(_ open: (name: String, line: Int), because reason: String) {
        switch open.name {
        case "VEVENT" where stack.last?.name == "VCALENDAR":
            if let e = event { drop(e, because: reason) }
            event = nil
        case "VTIMEZONE":
            zone = nil
            warnings.add(line: open.line, "\(reason); VTIMEZONE ignored")
        case "STANDARD", "DAYLIGHT":
            observance = nil
            warnings.add(line: open.line, "\(reason); \(open.name) ignored")
        default:
            warnings.add(line: open.line, "\(reason); ignored")
        }
    }

    private mutating func drop(_ e: ICalendarRawEvent, because reason: String, line: Int? = nil) {
        eventsDropped += 1
        let warning = FeedWarning(line: line ?? e.line, event: e.name, message: "dropped: \(reason)")
        if firstDrop == nil { firstDrop = warning }
        warnings.add(warning)
    }

    private mutating func flushNotes(of e: ICalendarRawEvent) {
        for note in e.notes { warnings.add(line: note.line, event: e.name, note.message) }
    }

    private mutating func property(_ line: ICalendarContentLine) throws(ICalendarError) {
        guard let top = stack.last else {
            if calendarsClosed == 0 { throw ICalendarError(line: line.line, reason: "expected BEGIN:VCALENDAR, found \(line.name)") }
            warnings.add(line: line.line, "\(line.name) after END:VCALENDAR; ignored")
            return
        }
        if ignoredDepth > 0 { return }
        switch top.name {
        case "VEVENT" where stack.count >= 2 && stack[stack.count - 2].name == "VCALENDAR":
            if event != nil { Self.read(line, into: &event!) }
        case "VCALENDAR":
            switch line.name {
            case "X-WR-TIMEZONE": calendarTimeZone = ICalendarValues.text(ICalendarValues.trimmed(line.value))
            case "X-WR-CALNAME": calendarName = ICalendarValues.text(line.value)
            default: break
            }
        case "VTIMEZONE":
            if line.name == "TZID" { zone?.tzid = ICalendarValues.text(ICalendarValues.trimmed(line.value)) }
            if line.name == "X-LIC-LOCATION" { zone?.location = ICalendarValues.text(ICalendarValues.trimmed(line.value)) }
        case "STANDARD", "DAYLIGHT":
            if let problem = Self.read(line, into: &observance, valid: &observanceValid) {
                warnings.add(line: line.line, "\(top.name) of the VTIMEZONE: \(problem); ignored")
            }
        default: break  // VALARM, VTODO, ...: not ours
        }
    }
}

// MARK: Properties

extension ICalendarReader {
    /// A DATE or DATE-TIME value, or why not.
    static func time(_ line: ICalendarContentLine) -> Result<ICalendarRawTime, ICalendarError> {
        time(line, line.value)
    }

    static func time(_ line: ICalendarContentLine, _ bytes: ArraySlice<UInt8>) -> Result<ICalendarRawTime, ICalendarError> {
        guard var value = ICalendarValues.dateTime(bytes) else {
            return .failure(ICalendarError(line: line.line, reason: "\(line.name) value '\(ICalendarValues.excerpt(bytes))' is not a DATE or DATE-TIME"))
        }
        if line.parameter("VALUE")?.uppercased() == "DATE", value.secondOfDay != nil {
            value.secondOfDay = nil  // the exporter said a date: keep the date
            value.isUTC = false
        }
        return .success(ICalendarRawTime(value: value, tzid: line.parameter("TZID"), line: line.line))
    }

    /// A comma-separated list of times (RDATE, EXDATE), or periods with VALUE=PERIOD; bad
    /// values are noted and skipped.
    static func times(_ line: ICalendarContentLine, into event: inout ICalendarRawEvent, exceptions: Bool) {
        let isPeriod = line.parameter("VALUE")?.uppercased() == "PERIOD"
        for part in ICalendarValues.list(line.value) where !ICalendarValues.trimmed(part).isEmpty {
            guard event.recurrenceValues < maxRecurrenceValues else {
                event.note(line.line, "more than \(maxRecurrenceValues) RDATE and EXDATE values; the rest ignored")
                return
            }
            event.recurrenceValues += 1
            let slash = part.firstIndex(of: UInt8(ascii: "/"))
            let startBytes = slash.map { part[part.startIndex..<$0] } ?? part
            switch time(line, startBytes) {
            case .failure(let why):
                event.note(line.line, "\(why.reason); value skipped")
            case .success(let start):
                if exceptions {
                    event.exceptions.append(start)
                } else if let slash, isPeriod || start.value.secondOfDay != nil {
                    let endBytes = part[part.index(after: slash)...]
                    if let d = ICalendarValues.duration(endBytes) {
                        event.periods.append(ICalendarRawPeriod(start: start, end: .duration(days: d.days, seconds: d.seconds)))
                    } else if case .success(let end) = time(line, endBytes) {
                        event.periods.append(ICalendarRawPeriod(start: start, end: .time(end)))
                    } else {
                        event.note(line.line, "RDATE period end '\(ICalendarValues.excerpt(endBytes))' is neither a DATE-TIME nor a duration; the start alone is kept")
                        event.dates.append(start)
                    }
                } else {
                    event.dates.append(start)
                }
            }
        }
    }

    static func read(_ line: ICalendarContentLine, into event: inout ICalendarRawEvent) {
        switch line.name {
        case "UID":
            let uid = ICalendarValues.text(ICalendarValues.trimmed(line.value))
            if FeedText.hasControlCharacters(uid) {
                event.uid = FeedText.shown(uid)
                event.broken = (line.line, "UID contains control characters")
            } else {
                event.uid = uid
            }
        case "SUMMARY": event.title = ICalendarValues.text(line.value)
        case "DESCRIPTION": event.summary = ICalendarValues.text(line.value)
        case "LOCATION": event.room = ICalendarValues.text(line.value)
        case "URL": event.url = ICalendarValues.text(ICalendarValues.trimmed(line.value))
        case "CATEGORIES":
            for item in ICalendarValues.list(line.value) {
                let text = ICalendarValues.text(ICalendarValues.trimmed(item))
                if !text.isEmpty { event.categories.append(text) }
            }
        case "STATUS":
            switch ICalendarValues.text(ICalendarValues.trimmed(line.value)).uppercased() {
            case "TENTATIVE": event.status = .tentative
            case "CANCELLED", "CANCELED": event.status = .cancelled
            default: event.status = .confirmed
            }
        case "DTSTART":
            switch time(line) {
            case .success(let t): event.start = t
            case .failure(let why): event.broken = (line.line, why.reason)
            }
        case "DTEND":
            switch time(line) {
            case .success(let t): event.end = t
            case .failure(let why): event.note(line.line, "\(why.reason); ignored")
            }
        case "DURATION":
            if let d = ICalendarValues.duration(line.value) {
                event.duration = d
            } else {
                event.note(line.line, "DURATION '\(ICalendarValues.excerpt(line.value))' is not an RFC 5545 duration (PT1H30M, P1D, P2W); ignored")
            }
        case "RRULE":
            let text = ICalendarUnfolder.text(line.value)
            if ICalendarValues.trimmed(line.value).isEmpty {
                event.note(line.line, "empty RRULE; ignored")
            } else if event.rules.count >= maxRules {
                event.note(line.line, "more than \(maxRules) RRULEs; ignored")
            } else {
                do {
                    _ = try RecurrenceRule(parsing: text)
                    event.rules.append(text)
                } catch {
                    event.note(line.line, "\(error); ignored")
                }
            }
        case "RDATE": times(line, into: &event, exceptions: false)
        case "EXDATE": times(line, into: &event, exceptions: true)
        case "RECURRENCE-ID":
            switch time(line) {
            case .success(let t):
                event.recurrenceID = t
                event.thisAndFuture = line.parameter("RANGE")?.uppercased() == "THISANDFUTURE"
            case .failure(let why): event.broken = (line.line, why.reason)
            }
        case "SEQUENCE":
            let text = ICalendarValues.text(ICalendarValues.trimmed(line.value))
            if let n = Int(text), n >= 0 { event.sequence = n } else { event.note(line.line, "SEQUENCE '\(text)' is not a number; 0 assumed") }
        case "DTSTAMP", "LAST-MODIFIED":
            if let t = ICalendarValues.dateTime(line.value), let s = t.secondOfDay, line.name == "DTSTAMP" || event.stamp == nil {
                event.stamp = t.date.dayNumber * 86_400 + s
            }
        case "IMAGE":
            guard (line.parameter("VALUE")?.uppercased() ?? "URI") == "URI" else { return }  // inline BINARY: never kept
            let text = ICalendarValues.text(ICalendarValues.trimmed(line.value))
            if let url = FeedImageURL.validated(text) {
                if event.imageURL == nil { event.imageURL = url }
            } else {
                event.note(line.line, "IMAGE '\(ICalendarValues.excerpt(line.value))' is not an http(s) URL; ignored")
            }
        case "ATTACH":
            guard line.parameter("FMTTYPE")?.lowercased().hasPrefix("image/") == true,
                  line.parameter("VALUE")?.uppercased() != "BINARY", line.parameter("ENCODING") == nil,
                  event.attachedImageURL == nil else { return }
            event.attachedImageURL = FeedImageURL.validated(ICalendarValues.text(ICalendarValues.trimmed(line.value)))
        default: break
        }
    }

    /// Reads an observance property; returns what was wrong, if anything.
    static func read(
        _ line: ICalendarContentLine, into observance: inout RecurrenceTimeZoneRules.Observance?,
        valid: inout (start: Bool, from: Bool, to: Bool)
    ) -> String? {
        guard observance != nil else { return nil }
        switch line.name {
        case "DTSTART":
            switch time(line) {
            case .success(let t):
                observance!.start = .init(date: t.value.date, secondOfDay: t.value.secondOfDay ?? 0)
                valid.start = true
            case .failure(let why): return why.reason
            }
        case "TZOFFSETFROM", "TZOFFSETTO":
            guard let offset = ICalendarValues.utcOffset(line.value) else {
                return "\(line.name) '\(ICalendarValues.excerpt(line.value))' is not a UTC offset like +0100"
            }
            if line.name == "TZOFFSETFROM" { observance!.offsetFrom = offset; valid.from = true } else { observance!.offsetTo = offset; valid.to = true }
        case "RRULE":
            let text = ICalendarUnfolder.text(line.value)
            do {
                let rule = try RecurrenceRule(parsing: text)
                // Onsets recur yearly; anything finer would only cost time.
                guard rule.frequency == .yearly else { return "an onset RRULE must be FREQ=YEARLY, not \(rule.frequency.name)" }
                observance!.rule = text
            } catch {
                return "\(error)"
            }
        case "RDATE":
            var scratch = ICalendarRawEvent(line: line.line)
            times(line, into: &scratch, exceptions: true)
            for t in scratch.exceptions.prefix(maxObservances) {
                observance!.additionalStarts.append(.init(date: t.value.date, secondOfDay: t.value.secondOfDay ?? 0))
            }
            return scratch.notes.first?.message
        default: break
        }
        return nil
    }
}
