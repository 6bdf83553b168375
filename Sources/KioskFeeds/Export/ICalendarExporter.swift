import Foundation
import KioskCore

/// Writes programme events as an iCalendar file (RFC 5545) that other calendars and our own
/// `ICalendarParser` read back to the same occurrences.
///
/// Choices:
/// - Single timed events are written in UTC (`...Z`); all-day events as `VALUE=DATE`
///   (DTEND exclusive).
/// - Timed **series** are written with `TZID=` the IANA name of the zone they recur in
///   (`event.timeZone`, else `venueTimeZone`) so the wall clock stays put across DST
///   changes; their RDATE, EXDATE and the RECURRENCE-ID of their overrides use the same
///   TZID. A VTIMEZONE is generated for each such zone from Foundation's transitions: one
///   STANDARD/DAYLIGHT block per offset change between `timeZoneYears` (explicit onsets,
///   no RRULE to get wrong). A series whose zone is only known by its rules
///   (`timeZoneRules`) gets those observances written back as its VTIMEZONE.
/// - Overrides are written as their own VEVENT with the series' UID and RECURRENCE-ID.
/// - RRULE text is written as stored (it was validated when read).
/// - STATUS: `postponed` becomes TENTATIVE and `full` CONFIRMED (iCalendar has neither);
///   `audience`, `accessibility` and the original status are kept as `X-KIOSK-AUDIENCE`,
///   `X-KIOSK-ACCESSIBILITY` and `X-KIOSK-STATUS` for readers that care.
public struct ICalendarExporter: Sendable {
    /// Written as PRODID (section 3.7.3).
    public var productID: String
    /// Written as X-WR-CALNAME when set.
    public var calendarName: String?
    /// The zone series without their own zone recur in, also written as X-WR-TIMEZONE.
    public var venueTimeZone: IANATimeZone
    /// Years the generated VTIMEZONEs cover. Nil: from the earliest event start's year to
    /// two years after the latest start or `now`.
    public var timeZoneYears: ClosedRange<Int>?

    public init(
        productID: String = "-//tiers-lieu//kiosk//FR", calendarName: String? = nil,
        venueTimeZone: IANATimeZone, timeZoneYears: ClosedRange<Int>? = nil
    ) {
        self.productID = productID
        self.calendarName = calendarName
        self.venueTimeZone = venueTimeZone
        self.timeZoneYears = timeZoneYears
    }

    /// The calendar's bytes (UTF-8, CRLF). `now` is written as every DTSTAMP.
    public func export(_ events: [ProgrammeEvent], now: Date) -> [UInt8] {
        var writer = ICalendarWriter()
        writer.line("BEGIN", "VCALENDAR")
        writer.line("VERSION", "2.0")
        writer.line("PRODID", ICalendarWriter.text(productID))
        writer.line("CALSCALE", "GREGORIAN")
        writer.line("METHOD", "PUBLISH")
        if let calendarName { writer.line("X-WR-CALNAME", ICalendarWriter.text(calendarName)) }
        writer.line("X-WR-TIMEZONE", venueTimeZone.identifier)

        // The zone each series recurs in, by uid, so overrides write RECURRENCE-ID alike.
        var seriesZones: [String: SeriesZone] = [:]
        for event in events where event.recurrenceID == nil && !event.isAllDay && event.recurrence.map({ !$0.isEmpty || !$0.exceptions.isEmpty }) == true {
            seriesZones[event.uid] = zone(of: event)
        }
        writeTimeZones(Array(seriesZones.values), events: events, now: now, into: &writer)

        let stamp = Self.utc(now)
        for event in events {
            writer.line("BEGIN", "VEVENT")
            writer.line("UID", ICalendarWriter.text(event.uid))
            writer.line("DTSTAMP", stamp)
            let seriesZone = seriesZones[event.uid]
            let ownZone = event.recurrenceID == nil ? seriesZone : nil
            writeTime("DTSTART", event.start, zone: ownZone, into: &writer)
            writeTime("DTEND", event.end, zone: ownZone, into: &writer)
            if let id = event.recurrenceID {
                writeTime("RECURRENCE-ID", id, zone: event.isAllDay ? nil : seriesZone, into: &writer)
            }
            if event.recurrenceID == nil, let recurrence = event.recurrence {
                for rule in recurrence.rules { writer.line("RRULE", rule) }
                writeTimeList("RDATE", recurrence.dates, allDay: event.isAllDay, zone: ownZone, into: &writer)
                writeTimeList("EXDATE", recurrence.exceptions, allDay: event.isAllDay, zone: ownZone, into: &writer)
            }
            writer.line("SUMMARY", ICalendarWriter.text(event.title))
            if !event.summary.isEmpty { writer.line("DESCRIPTION", ICalendarWriter.text(event.summary)) }
            if !event.room.isEmpty { writer.line("LOCATION", ICalendarWriter.text(event.room)) }
            if !event.categories.isEmpty {
                writer.line("CATEGORIES", event.categories.map(ICalendarWriter.text).joined(separator: ","))
            }
            if let url = event.url, !url.isEmpty { writer.line("URL", url.filter { !$0.isWhitespace }, parameters: [("VALUE", "URI")]) }
            writer.line("STATUS", Self.status(event.status))
            if [.postponed, .full, .rescheduled, .movedOnline].contains(event.status) {
                writer.line("X-KIOSK-STATUS", event.status.rawValue.uppercased())
            }
            if !event.audience.isEmpty { writer.line("X-KIOSK-AUDIENCE", ICalendarWriter.text(event.audience)) }
            if !event.accessibility.isEmpty {
                writer.line("X-KIOSK-ACCESSIBILITY", event.accessibility.map(ICalendarWriter.text).joined(separator: ","))
            }
            writer.line("END", "VEVENT")
        }
        writer.line("END", "VCALENDAR")
        return writer.bytes
    }

    // MARK: - Zones

    /// How a series' times are written: the TZID and the wall clock that turns instants into it.
    struct SeriesZone {
        var tzid: String
        var clock: RecurrenceWallClock
        var zone: IANATimeZone?
        var rules: RecurrenceTimeZoneRules?
    }

    private func zone(of event: ProgrammeEvent) -> SeriesZone {
        if let rules = event.timeZoneRules {
            return SeriesZone(tzid: rules.identifier, clock: RecurrenceWallClock(rules: rules), zone: nil, rules: rules)
        }
        let zone = event.timeZone.flatMap(IANATimeZone.init(identifier:)) ?? venueTimeZone
        return SeriesZone(tzid: zone.identifier, clock: RecurrenceWallClock(zone: zone), zone: zone, rules: nil)
    }

    private func writeTimeZones(_ zones: [SeriesZone], events: [ProgrammeEvent], now: Date, into writer: inout ICalendarWriter) {
        var written: Set<String> = []
        let years = timeZoneYears ?? defaultYears(events, now: now)
        for zone in zones.sorted(by: { $0.tzid < $1.tzid }) where written.insert(zone.tzid).inserted {
            writer.line("BEGIN", "VTIMEZONE")
            writer.line("TZID", zone.tzid)
            if let rules = zone.rules {
                for observance in rules.observances { Self.write(observance, into: &writer) }
            } else if let tz = zone.zone {
                writer.line("X-LIC-LOCATION", tz.identifier)
                for observance in Self.observances(of: tz, years: years) { Self.write(observance, into: &writer) }
            }
            writer.line("END", "VTIMEZONE")
        }
    }

    private func defaultYears(_ events: [ProgrammeEvent], now: Date) -> ClosedRange<Int> {
        let nowYear = CivilDate(now, in: venueTimeZone).year
        var low = nowYear, high = nowYear
        for event in events {
            let y = CivilDate(event.start.instant(in: venueTimeZone), in: venueTimeZone).year
            low = min(low, y)
            high = max(high, y)
        }
        // Bounded so one odd date cannot make the file huge.
        return max(low, high - 50)...(high + 2)
    }

    /// One observance per offset change of `zone` in `years`, plus the offset in force at the
    /// start of the range (also the only one for zones without changes).
    static func observances(of zone: IANATimeZone, years: ClosedRange<Int>) -> [RecurrenceTimeZoneRules.Observance] {
        let rangeStart = CivilDate(year: years.lowerBound, month: 1, day: 1).dayNumber * 86_400
        let rangeEnd = CivilDate(year: years.upperBound + 1, month: 1, day: 1).dayNumber * 86_400
        let offset = zone.utcOffset(at: rangeStart)
        func local(_ seconds: Int) -> RecurrenceTimeZoneRules.LocalTime {
            let day = seconds >= 0 ? seconds / 86_400 : (seconds - 86_399) / 86_400
            return .init(date: CivilDate(dayNumber: day), secondOfDay: seconds - day * 86_400)
        }
        var out = [RecurrenceTimeZoneRules.Observance(
            isDaylight: zone.isDaylightSavingTime(at: rangeStart), start: local(rangeStart + offset),
            offsetFrom: offset, offsetTo: offset)]
        for change in zone.transitions(from: rangeStart + 1, to: rangeEnd).prefix(500) {
            out.append(.init(
                isDaylight: zone.isDaylightSavingTime(at: change.at), start: local(change.at + change.before),
                offsetFrom: change.before, offsetTo: change.after))
        }
        return out
    }

    private static func write(_ observance: RecurrenceTimeZoneRules.Observance, into writer: inout ICalendarWriter) {
        let kind = observance.isDaylight ? "DAYLIGHT" : "STANDARD"
        writer.line("BEGIN", kind)
        writer.line("DTSTART", localText(observance.start.date, observance.start.secondOfDay))
        writer.line("TZOFFSETFROM", offsetText(observance.offsetFrom))
        writer.line("TZOFFSETTO", offsetText(observance.offsetTo))
        if let rule = observance.rule { writer.line("RRULE", rule) }
        if !observance.additionalStarts.isEmpty {
            writer.line("RDATE", observance.additionalStarts.map { localText($0.date, $0.secondOfDay) }.joined(separator: ","))
        }
        writer.line("END", kind)
    }

    // MARK: - Values

    private func writeTime(_ name: String, _ time: EventTime, zone: SeriesZone?, into writer: inout ICalendarWriter) {
        switch time {
        case .date(let day):
            writer.line(name, Self.dateText(day), parameters: [("VALUE", "DATE")])
        case .instant(let instant):
            if let zone {
                let local = zone.clock.localTime(of: instant)
                writer.line(name, Self.localText(local.date, local.secondOfDay), parameters: [("TZID", zone.tzid)])
            } else {
                writer.line(name, Self.utc(instant))
            }
        }
    }

    /// RDATE/EXDATE: dates as `VALUE=DATE`, instants in the series' zone (all-day series
    /// turn instants into the venue day they fall on).
    private func writeTimeList(_ name: String, _ times: [EventTime], allDay: Bool, zone: SeriesZone?, into writer: inout ICalendarWriter) {
        var dates: [String] = [], instants: [String] = []
        for time in times {
            switch time {
            case .date(let day): dates.append(Self.dateText(day))
            case .instant(let instant):
                if allDay {
                    dates.append(Self.dateText(CivilDate(instant, in: venueTimeZone)))
                } else if let zone {
                    let local = zone.clock.localTime(of: instant)
                    instants.append(Self.localText(local.date, local.secondOfDay))
                } else {
                    instants.append(Self.utc(instant))
                }
            }
        }
        if !dates.isEmpty { writer.line(name, dates.joined(separator: ","), parameters: [("VALUE", "DATE")]) }
        if !instants.isEmpty {
            writer.line(name, instants.joined(separator: ","), parameters: zone.map { [("TZID", $0.tzid)] } ?? [])
        }
    }

    static func status(_ status: EventStatus) -> String {
        switch status {
        case .confirmed, .full, .rescheduled, .movedOnline: return "CONFIRMED"
        case .tentative, .postponed: return "TENTATIVE"
        case .cancelled: return "CANCELLED"
        }
    }

    static func dateText(_ day: CivilDate) -> String {
        pad(day.year, 4) + pad(day.month, 2) + pad(day.day, 2)
    }

    static func localText(_ day: CivilDate, _ secondOfDay: Int) -> String {
        dateText(day) + "T" + pad(secondOfDay / 3600, 2) + pad(secondOfDay / 60 % 60, 2) + pad(secondOfDay % 60, 2)
    }

    static func utc(_ instant: Date) -> String {
        let seconds = Int(instant.timeIntervalSince1970.rounded(.down))
        let day = seconds >= 0 ? seconds / 86_400 : (seconds - 86_399) / 86_400
        return localText(CivilDate(dayNumber: day), seconds - day * 86_400) + "Z"
    }

    static func offsetText(_ seconds: Int) -> String {
        let sign = seconds < 0 ? "-" : "+"
        let a = abs(seconds)
        let s = a % 60
        return sign + pad(a / 3600, 2) + pad(a / 60 % 60, 2) + (s == 0 ? "" : pad(s, 2))
    }

    private static func pad(_ n: Int, _ width: Int) -> String {
        let text = String(n)
        return text.count >= width ? text : String(repeating: "0", count: width - text.count) + text
    }
}
