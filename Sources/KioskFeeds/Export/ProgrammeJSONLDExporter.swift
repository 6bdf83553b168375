import Foundation
import KioskCore

/// Writes the programme as schema.org `Event`s in JSON-LD (`/feeds/programme.json`), for
/// partners and search engines: one `Event` per occurrence in a window, optionally one per
/// series carrying an `eventSchedule`.
///
/// - Timed dates are ISO 8601 with the venue's offset (`2026-03-31T10:00:00+02:00`); all-day
///   ones are dates, and `endDate` is the **last day** (inclusive, as schema.org consumers
///   read it), not our exclusive end.
/// - `eventStatus`: cancelled -> `EventCancelled`, postponed -> `EventPostponed`, anything
///   else -> `EventScheduled`.
/// - `location` is the room as a `Place` inside the venue's `Place` (or the venue alone).
/// - `eventSchedule` (a `Schedule`) is only written for rules it can say exactly: DAILY,
///   WEEKLY, MONTHLY or YEARLY with INTERVAL, COUNT, UNTIL, plain BYDAY, BYMONTHDAY, BYMONTH;
///   other rules still have their occurrences listed.
/// - Keys are sorted, so the same programme always gives the same bytes (stable ETag).
public struct ProgrammeJSONLDExporter: Sendable {
    /// The venue as a schema.org `Place`.
    public struct Venue: Sendable, Hashable {
        public var name: String
        /// Postal address as one line ("12 rue des Ateliers, 69000 Lyon").
        public var address: String?
        public init(name: String, address: String? = nil) {
            self.name = name
            self.address = address
        }
    }

    public var venue: Venue
    public var venueTimeZone: TimeZone
    /// Adds one `Event` per series with an `eventSchedule`.
    public var includeSchedules: Bool

    public init(venue: Venue, venueTimeZone: TimeZone, includeSchedules: Bool = false) {
        self.venue = venue
        self.venueTimeZone = venueTimeZone
        self.includeSchedules = includeSchedules
    }

    /// The JSON-LD document (`@context` + `@graph`) for the occurrences in [from, to).
    public func export(_ events: [ProgrammeEvent], from: Date, to: Date) -> [UInt8] {
        var graph: [Any] = []
        for occurrence in OccurrenceExpander.occurrences(of: events, from: from, to: to, venueTimeZone: venueTimeZone) {
            var node = common(
                uid: occurrence.uid, title: occurrence.title, summary: occurrence.summary, room: occurrence.room,
                categories: occurrence.categories, audience: occurrence.audience, status: occurrence.status)
            node["startDate"] = dateText(occurrence.start, isEnd: false)
            node["endDate"] = dateText(occurrence.end, isEnd: true)
            if let url = events.first(where: { $0.uid == occurrence.uid })?.url { node["url"] = url }
            graph.append(node)
        }
        if includeSchedules {
            for event in events where event.recurrenceID == nil {
                guard let schedule = schedule(of: event) else { continue }
                var node = common(
                    uid: event.uid, title: event.title, summary: event.summary, room: event.room,
                    categories: event.categories, audience: event.audience, status: event.status)
                node["eventSchedule"] = schedule
                if let url = event.url { node["url"] = url }
                graph.append(node)
            }
        }
        let document: [String: Any] = ["@context": "https://schema.org", "@graph": graph]
        let data = (try? JSONSerialization.data(withJSONObject: document, options: [.sortedKeys, .withoutEscapingSlashes])) ?? Data()
        return [UInt8](data)
    }

    private func common(
        uid: String, title: String, summary: String, room: String, categories: [String], audience: String,
        status: EventStatus
    ) -> [String: Any] {
        var node: [String: Any] = [
            "@type": "Event", "identifier": uid, "name": title,
            "eventStatus": "https://schema.org/" + Self.statusName(status),
            "eventAttendanceMode": "https://schema.org/OfflineEventAttendanceMode",
            "location": location(room: room),
        ]
        if !summary.isEmpty { node["description"] = summary }
        if !categories.isEmpty { node["keywords"] = categories }
        if !audience.isEmpty { node["audience"] = ["@type": "Audience", "audienceType": audience] }
        return node
    }

    private func location(room: String) -> [String: Any] {
        var place: [String: Any] = ["@type": "Place", "name": venue.name]
        if let address = venue.address { place["address"] = address }
        guard !room.isEmpty else { return place }
        return ["@type": "Place", "name": room, "containedInPlace": place]
    }

    static func statusName(_ status: EventStatus) -> String {
        switch status {
        case .cancelled: return "EventCancelled"
        case .postponed: return "EventPostponed"
        case .rescheduled: return "EventRescheduled"
        case .movedOnline: return "EventMovedOnline"
        case .confirmed, .tentative, .full: return "EventScheduled"
        }
    }

    private func dateText(_ time: EventTime, isEnd: Bool) -> String {
        switch time {
        case .date(let day): return (isEnd ? day.adding(days: -1) : day).description
        case .instant(let instant): return Self.iso8601(instant, in: venueTimeZone)
        }
    }

    /// `YYYY-MM-DDTHH:MM:SS+HH:MM` on the wall clock of `zone`.
    static func iso8601(_ instant: Date, in zone: TimeZone) -> String {
        let offset = zone.secondsFromGMT(for: instant)
        let local = Int(instant.timeIntervalSince1970.rounded(.down)) + offset
        let day = local >= 0 ? local / 86_400 : (local - 86_399) / 86_400
        let second = local - day * 86_400
        let sign = offset < 0 ? "-" : "+"
        return CivilDate(dayNumber: day).description + "T" + two(second / 3600) + ":" + two(second / 60 % 60) + ":"
            + two(second % 60) + sign + two(abs(offset) / 3600) + ":" + two(abs(offset) / 60 % 60)
    }

    private static func two(_ n: Int) -> String { n < 10 ? "0\(n)" : "\(n)" }

    /// A schema.org `Schedule` for a series with exactly one simple rule, else nil.
    private func schedule(of event: ProgrammeEvent) -> [String: Any]? {
        guard let recurrence = event.recurrence, recurrence.rules.count == 1, recurrence.dates.isEmpty,
            let rule = try? RecurrenceRule(parsing: recurrence.rules[0])
        else { return nil }
        guard rule.bySecond.isEmpty, rule.byMinute.isEmpty, rule.byHour.isEmpty, rule.byYearDay.isEmpty,
            rule.byWeekNo.isEmpty, rule.bySetPos.isEmpty, rule.byDay.allSatisfy({ $0.ordinal == nil })
        else { return nil }
        let unit: String
        switch rule.frequency {
        case .daily: unit = "D"
        case .weekly: unit = "W"
        case .monthly: unit = "M"
        case .yearly: unit = "Y"
        default: return nil
        }
        let zone = event.timeZone.flatMap(TimeZone.init(identifier:)) ?? venueTimeZone
        guard event.timeZoneRules == nil else { return nil }
        let dayNames = ["Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday"]
        var schedule: [String: Any] = ["@type": "Schedule", "repeatFrequency": "P\(rule.interval)\(unit)", "scheduleTimezone": zone.identifier]
        if !rule.byDay.isEmpty {
            schedule["byDay"] = rule.byDay.map { "https://schema.org/" + dayNames[($0.weekday - 1) % 7] }
        }
        if !rule.byMonthDay.isEmpty { schedule["byMonthDay"] = rule.byMonthDay }
        if !rule.byMonth.isEmpty { schedule["byMonth"] = rule.byMonth }
        if let count = rule.count { schedule["repeatCount"] = count }
        switch event.start {
        case .date(let day):
            schedule["startDate"] = day.description
        case .instant(let start):
            let clock = RecurrenceWallClock(zone: zone)
            let local = clock.localTime(of: start)
            schedule["startDate"] = local.date.description
            schedule["startTime"] = Self.time(local.secondOfDay)
            if case .instant(let end) = event.end {
                schedule["endTime"] = Self.time(clock.localTime(of: end).secondOfDay)
                let minutes = Int(end.timeIntervalSince(start)) / 60
                schedule["duration"] = "PT\(minutes / 60)H\(minutes % 60)M"
            }
        }
        switch rule.until {
        case .instant(let d)?: schedule["endDate"] = CivilDate(d, in: zone).description
        case .date(let c)?, .local(let c, _)?: schedule["endDate"] = c.description
        case nil: break
        }
        let excepted = recurrence.exceptions.map { time -> String in
            switch time {
            case .date(let c): return c.description
            case .instant(let d): return Self.iso8601(d, in: zone)
            }
        }
        if !excepted.isEmpty { schedule["exceptDate"] = excepted }
        return schedule
    }

    private static func time(_ secondOfDay: Int) -> String {
        two(secondOfDay / 3600) + ":" + two(secondOfDay / 60 % 60) + ":" + two(secondOfDay % 60)
    }
}
