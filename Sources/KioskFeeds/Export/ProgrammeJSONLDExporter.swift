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
/// - `location` is the room as a `Place` inside the venue's `Place` (or the venue alone),
///   the venue with its `PostalAddress` when one is configured; `organizer` is the venue
///   as an `Organization`.
/// - `endDate` is left out when the source stated no end (schema.org does not require
///   one; publishing the parser's default would invent it).
/// - Text is stripped of control characters (line breaks kept in `description`).
/// - `eventSchedule` (a `Schedule`) is only written for rules it can say exactly: DAILY,
///   WEEKLY, MONTHLY or YEARLY with INTERVAL, COUNT, UNTIL, plain BYDAY, BYMONTHDAY, BYMONTH;
///   other rules still have their occurrences listed.
/// - Keys are sorted, so the same programme always gives the same bytes (stable ETag).
public struct ProgrammeJSONLDExporter: Sendable {
    /// The venue: the `Place` of every event and its `organizer`.
    public struct Venue: Sendable, Hashable {
        public var name: String
        /// Written as a schema.org `PostalAddress` unless empty.
        public var address: KioskConfig.PostalAddress
        public init(name: String, address: KioskConfig.PostalAddress = .init()) {
            self.name = name
            self.address = address
        }
    }

    /// A notice of the venue published with the programme (a closure, an evacuation), as a
    /// schema.org `SpecialAnnouncement` node of the graph.
    public struct Announcement: Sendable, Hashable {
        public var name: String
        public var text: String
        /// `information`, `closure`, `evacuation`: the announcement's `category`.
        public var category: String
        public var posted: Date
        public var expires: Date?
        public init(name: String, text: String, category: String, posted: Date, expires: Date?) {
            self.name = name
            self.text = text
            self.category = category
            self.posted = posted
            self.expires = expires
        }
    }

    public var venue: Venue
    public var venueTimeZone: IANATimeZone
    /// Adds one `Event` per series with an `eventSchedule`.
    public var includeSchedules: Bool

    public init(venue: Venue, venueTimeZone: IANATimeZone, includeSchedules: Bool = false) {
        self.venue = venue
        self.venueTimeZone = venueTimeZone
        self.includeSchedules = includeSchedules
    }

    /// The JSON-LD document (`@context` + `@graph`) for the occurrences in [from, to), and
    /// the venue's `announcement` first when there is one.
    public func export(_ events: [ProgrammeEvent], from: Date, to: Date, announcement: Announcement? = nil) -> [UInt8] {
        var graph: [Any] = []
        if let announcement { graph.append(node(announcement)) }
        var byUID: [String: ProgrammeEvent] = [:]
        for event in events where event.recurrenceID == nil || byUID[event.uid] == nil { byUID[event.uid] = event }
        for occurrence in OccurrenceExpander.occurrences(of: events, from: from, to: to, venueTimeZone: venueTimeZone) {
            var node = common(
                uid: occurrence.uid, title: occurrence.title, summary: occurrence.summary, room: occurrence.room,
                categories: occurrence.categories, audience: occurrence.audience, status: occurrence.status)
            node["startDate"] = dateText(occurrence.start, isEnd: false)
            let source = byUID[occurrence.uid]
            let endStated = source?.endIsDefault != true && occurrence.end != occurrence.start
            if endStated { node["endDate"] = dateText(occurrence.end, isEnd: true) }
            if let url = source?.url { node["url"] = Self.clean(url) }
            graph.append(node)
        }
        if includeSchedules {
            for event in events where event.recurrenceID == nil {
                guard let schedule = schedule(of: event) else { continue }
                var node = common(
                    uid: event.uid, title: event.title, summary: event.summary, room: event.room,
                    categories: event.categories, audience: event.audience, status: event.status)
                node["eventSchedule"] = schedule
                if let url = event.url { node["url"] = Self.clean(url) }
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
            "@type": "Event", "identifier": Self.clean(uid), "name": Self.clean(title),
            "eventStatus": "https://schema.org/" + Self.statusName(status),
            "eventAttendanceMode": "https://schema.org/OfflineEventAttendanceMode",
            "location": location(room: Self.clean(room)),
            "organizer": organizer,
        ]
        let description = Self.clean(summary, keepingLineBreaks: true)
        if !description.isEmpty { node["description"] = description }
        let keywords = categories.map { Self.clean($0) }.filter { !$0.isEmpty }
        if !keywords.isEmpty { node["keywords"] = keywords }
        let audienceType = Self.clean(audience)
        if !audienceType.isEmpty { node["audience"] = ["@type": "Audience", "audienceType": audienceType] }
        return node
    }

    /// The venue as a `Place`, with its address when configured.
    private var venuePlace: [String: Any] {
        var place: [String: Any] = ["@type": "Place", "name": Self.clean(venue.name)]
        if let address = postalAddress { place["address"] = address }
        return place
    }

    /// The venue as the `Organization` that organises its programme.
    private var organizer: [String: Any] {
        var organization: [String: Any] = ["@type": "Organization", "name": Self.clean(venue.name)]
        if let address = postalAddress { organization["address"] = address }
        return organization
    }

    private var postalAddress: [String: Any]? {
        let a = venue.address
        guard !a.isEmpty else { return nil }
        var address: [String: Any] = ["@type": "PostalAddress"]
        for (key, value) in [("streetAddress", a.street), ("postalCode", a.postalCode), ("addressLocality", a.city), ("addressCountry", a.country)] {
            let text = Self.clean(value)
            if !text.isEmpty { address[key] = text }
        }
        return address
    }

    private func location(room: String) -> [String: Any] {
        guard !room.isEmpty else { return venuePlace }
        return ["@type": "Place", "name": room, "containedInPlace": venuePlace]
    }

    private func node(_ a: Announcement) -> [String: Any] {
        var node: [String: Any] = [
            "@type": "SpecialAnnouncement", "name": Self.clean(a.name), "text": Self.clean(a.text, keepingLineBreaks: true),
            "category": a.category, "datePosted": Self.iso8601(a.posted, in: venueTimeZone),
            "announcementLocation": venuePlace,
        ]
        if let expires = a.expires { node["expires"] = Self.iso8601(expires, in: venueTimeZone) }
        return node
    }

    /// `text` without control characters (C0, DEL, C1), tabs as spaces; line feeds kept
    /// when asked (CR LF and CR become LF).
    static func clean(_ text: String, keepingLineBreaks: Bool = false) -> String {
        var out = String.UnicodeScalarView()
        var previousCR = false
        for scalar in text.unicodeScalars {
            let v = scalar.value
            defer { previousCR = v == 0x0D }
            switch v {
            case 0x0A where keepingLineBreaks:
                if !previousCR { out.append(scalar) }
            case 0x0D where keepingLineBreaks:
                out.append("\n")
            case 0x09:
                out.append(" ")
            case 0x00...0x1F, 0x7F...0x9F:
                continue
            default:
                out.append(scalar)
            }
        }
        return String(out)
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
    static func iso8601(_ instant: Date, in zone: IANATimeZone) -> String {
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
        let zone = event.timeZone.flatMap(IANATimeZone.init(identifier:)) ?? venueTimeZone
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
