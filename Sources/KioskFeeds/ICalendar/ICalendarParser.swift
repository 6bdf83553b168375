import Foundation
import KioskCore

/// What an iCalendar file holds for the programme: its events (series, single events and
/// overrides of one instance), the calendar-level facts exporters add, and what was
/// skipped on the way.
public struct ICalendarDocument: Sendable {
    public var events: [ProgrammeEvent]
    /// `X-WR-CALNAME` (Google, Apple).
    public var name: String?
    /// `X-WR-TIMEZONE` as written (Google): the zone UTC-written series recur in.
    public var timeZone: String?
    /// Lines, properties and events skipped, each with its physical line.
    public var warnings: FeedWarnings
    /// VEVENTs in the file (revisions and overrides included).
    public var eventsRead: Int
    /// VEVENTs dropped as broken (no valid DTSTART, never closed, a bad RECURRENCE-ID).
    public var eventsDropped: Int
}

/// Reads iCalendar (RFC 5545) bytes into `ProgrammeEvent`s, salvaging what real exporters
/// get wrong as other readers do.
///
/// Tolerant of: folds by SPACE or TAB (undone on bytes, so a fold inside a UTF-8 character
/// is fine), bare LF, a BOM, blank lines; TZIDs that are IANA names, path-prefixed names,
/// Windows names or display names, or only defined by a VTIMEZONE block; `X-WR-TIMEZONE`.
///
/// Salvage, with a warning naming the physical line: a line that is not a content line
/// (no `:`, an unindented continuation), a malformed parameter, a property after
/// `END:VCALENDAR` or a bad value (DTEND, DURATION, RRULE, one RDATE or EXDATE value) is
/// skipped; a broken component (a VEVENT without a valid DTSTART, one never closed, one
/// closed by an unknown END such as `END:VTOOD`) is dropped; x- and unknown properties are
/// ignored without a word. Refused whole (`ICalendarError`) only when the bytes are not a
/// calendar, are truncated (no closing `END:VCALENDAR`), or when more than half of the
/// VEVENTs are broken.
///
/// Times: UTC (`Z`) and zoned values become instants; floating values are read in
/// `venueTimeZone`; `VALUE=DATE` values stay dates (DTEND exclusive, one day by default).
/// Series keep the zone they recur in (`timeZone`, or `timeZoneRules` for a VTIMEZONE
/// without IANA name); a UTC-written series recurs in `X-WR-TIMEZONE` when there is one.
/// Several revisions of one UID (and RECURRENCE-ID) give one event: the highest SEQUENCE,
/// then the latest DTSTAMP, then the last in the file (RFC 5545 section 3.8.7.4, RFC 5546
/// section 2.1.5).
public struct ICalendarParser: Sendable {
    public var venueTimeZone: IANATimeZone

    public init(venueTimeZone: IANATimeZone) {
        self.venueTimeZone = venueTimeZone
    }

    public func parse(_ data: Data) throws(ICalendarError) -> ICalendarDocument {
        try parse([UInt8](data))
    }

    /// The document with its warnings, or the reason the whole file is refused.
    public func parse(_ bytes: [UInt8]) throws(ICalendarError) -> ICalendarDocument {
        var reader = ICalendarReader(bytes)
        try reader.read()
        if reader.eventsDropped * 2 > reader.eventsRead, let first = reader.firstDrop {
            throw ICalendarError(
                line: first.line ?? 1,
                reason: "\(reader.eventsDropped) of \(reader.eventsRead) events are broken, the first: "
                    + (first.event.map { "event \($0): " } ?? "") + first.message)
        }
        var warnings = reader.warnings
        var resolver = ICalendarResolver(
            venueTimeZone: venueTimeZone, timeZones: reader.timeZones, calendarZone: reader.calendarTimeZone)
        let allDayMasters = Set(reader.events.filter { $0.recurrenceID == nil && $0.start?.value.secondOfDay == nil }.compactMap(\.uid))
        var resolved: [(event: ProgrammeEvent, raw: ICalendarRawEvent)] = []
        resolved.reserveCapacity(reader.events.count)
        for raw in reader.events {
            guard let event = resolver.event(raw, masterIsAllDay: raw.uid.map(allDayMasters.contains) ?? false, warnings: &warnings) else { continue }
            resolved.append((event, raw))
        }
        let events = Self.latestRevisions(resolved, warnings: &warnings)
        return ICalendarDocument(
            events: events, name: reader.calendarName, timeZone: reader.calendarTimeZone, warnings: warnings,
            eventsRead: reader.eventsRead, eventsDropped: reader.eventsDropped)
    }

    /// One event per (UID, RECURRENCE-ID): the highest SEQUENCE, then the latest DTSTAMP,
    /// then the last in the file; the others are named in a warning. File order is kept.
    static func latestRevisions(
        _ all: [(event: ProgrammeEvent, raw: ICalendarRawEvent)], warnings: inout FeedWarnings
    ) -> [ProgrammeEvent] {
        struct Key: Hashable { var uid: String; var recurrenceID: EventTime? }
        var best: [Key: Int] = [:]
        var duplicates: [Key: [Int]] = [:]
        for (index, entry) in all.enumerated() {
            let key = Key(uid: entry.event.uid, recurrenceID: entry.event.recurrenceID)
            guard let current = best[key] else {
                best[key] = index
                continue
            }
            duplicates[key, default: [current]].append(index)
            let a = all[current].raw, b = entry.raw
            if (b.sequence, b.stamp ?? .min) >= (a.sequence, a.stamp ?? .min) { best[key] = index }
        }
        for (key, indices) in duplicates.sorted(by: { $0.value[0] < $1.value[0] }) {
            let kept = all[best[key]!]
            let lines = indices.map { String(all[$0].raw.line) }.joined(separator: ", ")
            let same = indices.allSatisfy { all[$0].event == kept.event }
            let what = key.recurrenceID == nil ? "" : " (one instance)"
            warnings.add(
                line: kept.raw.line, event: key.uid,
                same ? "the same event\(what) appears \(indices.count) times (lines \(lines)); listed once"
                    : "\(indices.count) revisions\(what) (lines \(lines)); kept SEQUENCE \(kept.raw.sequence) of line \(kept.raw.line)")
        }
        let keep = Set(best.values)
        return all.indices.filter(keep.contains).map { all[$0].event }
    }
}
