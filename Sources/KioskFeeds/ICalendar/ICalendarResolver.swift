import Foundation
import KioskCore

/// Pass 2: zones applied, raw events turned into `ProgrammeEvent`s.
struct ICalendarResolver {
    enum Zone {
        case iana(String, RecurrenceWallClock)
        case rules(RecurrenceTimeZoneRules, RecurrenceWallClock)

        var clock: RecurrenceWallClock {
            switch self {
            case .iana(_, let c), .rules(_, let c): return c
            }
        }
    }

    let venueClock: RecurrenceWallClock
    let venueTimeZone: IANATimeZone
    let timeZones: [String: ICalendarRawTimeZone]
    /// `X-WR-TIMEZONE` when it names a zone we know.
    var calendarZone: (name: String, clock: RecurrenceWallClock)?
    var cache: [String: Zone?] = [:]
    var utcClock = RecurrenceWallClock(zone: .utc)
    private var unknownZonesWarned = Set<String>()

    init(venueTimeZone: IANATimeZone, timeZones: [String: ICalendarRawTimeZone], calendarZone: String?) {
        venueClock = RecurrenceWallClock(zone: venueTimeZone)
        self.venueTimeZone = venueTimeZone
        self.timeZones = timeZones
        if let name = calendarZone.flatMap(ICalendarTimeZoneNames.ianaName(for:)), let tz = IANATimeZone(identifier: name) {
            self.calendarZone = (name, RecurrenceWallClock(zone: tz))
        }
    }

    mutating func zone(_ tzid: String) -> Zone? {
        if let cached = cache[tzid] { return cached }
        var found: Zone?
        if let name = ICalendarTimeZoneNames.ianaName(for: tzid), let tz = IANATimeZone(identifier: name) {
            found = .iana(name, RecurrenceWallClock(zone: tz))
        } else if let raw = timeZones[tzid] {
            if let location = raw.location, let name = ICalendarTimeZoneNames.ianaName(for: location), let tz = IANATimeZone(identifier: name) {
                found = .iana(name, RecurrenceWallClock(zone: tz))
            } else if !raw.observances.isEmpty {
                let rules = RecurrenceTimeZoneRules(identifier: tzid, observances: raw.observances)
                found = .rules(rules, RecurrenceWallClock(rules: rules))
            }
        }
        cache[tzid] = found
        return found
    }

    /// The instant or date `raw` stands for, and the zone it was read in. An unknown TZID
    /// is read in the calendar's zone, else the venue's, with a warning (once per TZID).
    mutating func resolve(_ raw: ICalendarRawTime, warnings: inout FeedWarnings) -> (time: EventTime, zone: Zone?, isUTC: Bool) {
        guard let second = raw.value.secondOfDay else { return (.date(raw.value.date), nil, false) }
        if raw.value.isUTC {
            return (.instant(Date(timeIntervalSince1970: TimeInterval(raw.value.date.dayNumber * 86_400 + second))), nil, true)
        }
        var clock = venueClock
        var zone: Zone?
        if let tzid = raw.tzid {
            zone = self.zone(tzid)
            if let zone {
                clock = zone.clock
            } else {
                if let calendarZone { clock = calendarZone.clock }
                if unknownZonesWarned.count < 20, unknownZonesWarned.insert(tzid).inserted {
                    warnings.add(line: raw.line, "TZID '\(tzid)' is neither a known zone nor defined by a VTIMEZONE; read in \(calendarZone?.name ?? venueTimeZone.identifier)")
                }
            }
        }
        return (.instant(clock.instant(of: raw.value.date, secondOfDay: second)), zone, false)
    }

    /// The day a date-time names for an all-day series (an EXDATE or RECURRENCE-ID written
    /// with a time): its own wall-clock date when it has a TZID or none, the calendar's
    /// (else the venue's) date for UTC. Never the venue's day of an instant east of it.
    func day(of raw: ICalendarRawTime) -> CivilDate {
        guard raw.value.isUTC, let second = raw.value.secondOfDay else { return raw.value.date }
        let instant = raw.value.date.dayNumber * 86_400 + second
        return (calendarZone?.clock ?? venueClock).localTime(of: Date(timeIntervalSince1970: TimeInterval(instant))).date
    }

    mutating func event(_ raw: ICalendarRawEvent, masterIsAllDay: Bool, warnings: inout FeedWarnings) -> ProgrammeEvent? {
        guard let rawStart = raw.start else { return nil }
        let (start, zone, isUTC) = resolve(rawStart, warnings: &warnings)
        var timeZone: String?
        var rules: RecurrenceTimeZoneRules?
        switch zone {
        case .iana(let name, _)?: timeZone = name
        case .rules(let r, _)?: rules = r
        case nil:
            if isUTC { timeZone = calendarZone?.name ?? "UTC" } else if rawStart.tzid != nil { timeZone = calendarZone?.name }
        }
        // The wall clock this event's nominal durations run on.
        let clock = zone?.clock ?? (isUTC ? (calendarZone?.clock ?? utcClock) : (rawStart.tzid != nil ? (calendarZone?.clock ?? venueClock) : venueClock))
        var nominal: NominalDuration?
        let end: EventTime
        switch start {
        case .date(let day):
            if let rawEnd = raw.end {
                let last: CivilDate
                switch resolve(rawEnd, warnings: &warnings).time {
                case .date(let d): last = d
                case .instant(let t): last = clock.localTime(of: t).date
                }
                end = .date(last > day ? last : day.adding(days: 1))
            } else if let d = raw.duration {
                end = .date(day.adding(days: max(1, d.days + (d.seconds > 0 ? 1 : 0))))
            } else {
                end = .date(day.adding(days: 1))
            }
        case .instant(let t):
            if let rawEnd = raw.end {
                switch resolve(rawEnd, warnings: &warnings).time {
                case .instant(let e): end = .instant(max(t, e))
                case .date(let d): end = .instant(max(t, clock.instant(of: d, secondOfDay: 0)))
                }
            } else if let d = raw.duration {
                end = .instant(Self.end(of: t, days: d.days, seconds: d.seconds, on: clock))
                if d.days != 0 { nominal = NominalDuration(days: d.days, seconds: d.seconds) }
            } else {
                end = .instant(t)
            }
        }
        let allDaySeries = start.isDate
        var recurrence: Recurrence?
        if !raw.rules.isEmpty || !raw.dates.isEmpty || !raw.exceptions.isEmpty || !raw.periods.isEmpty {
            var periods: [RecurrencePeriod] = []
            for period in raw.periods {
                let (first, periodZone, _) = resolve(period.start, warnings: &warnings)
                guard case .instant(let from) = first else { continue }
                switch period.end {
                case .time(let rawEnd):
                    periods.append(RecurrencePeriod(start: first, end: resolve(rawEnd, warnings: &warnings).time))
                case .duration(let days, let seconds):
                    let until = Self.end(of: from, days: days, seconds: seconds, on: periodZone?.clock ?? clock)
                    periods.append(RecurrencePeriod(start: first, end: .instant(until)))
                }
            }
            var exceptions: [EventTime] = []
            for ex in raw.exceptions {
                exceptions.append(allDaySeries && ex.value.secondOfDay != nil ? .date(day(of: ex)) : resolve(ex, warnings: &warnings).time)
            }
            recurrence = Recurrence(
                rules: raw.rules, dates: raw.dates.map { resolve($0, warnings: &warnings).time }, exceptions: exceptions, periods: periods)
        }
        var recurrenceID: EventTime?
        if let rid = raw.recurrenceID {
            // An override of an all-day series names a day, even when written with a time in
            // a zone east of the venue (its own date, not the venue's day of that instant).
            recurrenceID = masterIsAllDay && rid.value.secondOfDay != nil ? .date(day(of: rid)) : resolve(rid, warnings: &warnings).time
        }
        return ProgrammeEvent(
            uid: raw.uid ?? "line-\(raw.line)", recurrenceID: recurrenceID,
            title: raw.title, summary: raw.summary, room: raw.room, categories: raw.categories,
            status: raw.status, start: start, end: end, timeZone: timeZone, recurrence: recurrence,
            url: raw.url, timeZoneRules: rules, imageURL: raw.imageURL ?? raw.attachedImageURL, duration: nominal,
            recurrenceRange: recurrenceID != nil && raw.thisAndFuture ? .thisAndFuture : nil,
            endIsDefault: raw.end == nil && raw.duration == nil ? true : nil)
    }

    /// `t` plus a DURATION: the days on `clock`'s wall clock (a day across a DST change is
    /// 23 or 25 hours, RFC 5545 section 3.3.6), then the seconds exactly; never before `t`.
    static func end(of t: Date, days: Int, seconds: Int, on clock: RecurrenceWallClock) -> Date {
        let local = clock.localTime(of: t)
        let moved = days == 0 ? t : clock.instant(of: local.date.adding(days: days), secondOfDay: local.secondOfDay)
        return max(t, moved + TimeInterval(seconds))
    }
}
