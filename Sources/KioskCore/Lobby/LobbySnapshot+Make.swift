import Foundation

extension LobbySnapshot {
    /// Inputs of a snapshot: what the store holds and the configuration.
    public struct Inputs: Sendable {
        /// Occurrences expanded over at least [start of today, today + upcomingDays + 1).
        public var occurrences: [Occurrence]
        public var residents: [Resident]
        public var notices: [Notice]
        public var freshness: ProgrammeFreshness
        /// Instants before this are not believed (see `ClockSanity`); tests of past dates lower it.
        public var clockFloor: Date

        public init(occurrences: [Occurrence], residents: [Resident], notices: [Notice], freshness: ProgrammeFreshness, clockFloor: Date = ClockSanity.earliestPlausible) {
            self.occurrences = occurrences
            self.residents = residents
            self.notices = notices
            self.freshness = freshness
            self.clockFloor = clockFloor
        }
    }

    /// The window of occurrences a snapshot at `instant` needs.
    public static func window(at instant: Date, config: KioskConfig) -> (from: Date, to: Date) {
        let zone = config.venue.timeZone
        let today = CivilDate(instant, in: zone)
        return (today.start(in: zone), today.adding(days: config.screen.upcomingDays + 1).start(in: zone))
    }

    /// Builds the snapshot at `instant`.
    public static func make(at instant: Date, inputs: Inputs, config: KioskConfig) -> LobbySnapshot {
        let zone = config.venue.timeZone
        let strings = LobbyStrings(config.venue.language)
        let trusted = ClockSanity.isTrustworthy(instant, lastSuccessfulFetch: inputs.freshness.lastSuccess, floor: inputs.clockFloor)
        let today = CivilDate(instant, in: zone)
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = zone

        func hm(_ date: Date) -> String {
            let c = calendar.dateComponents([.hour, .minute], from: date)
            return strings.time(hour: c.hour!, minute: c.minute!)
        }

        func line(_ o: Occurrence, on day: CivilDate) -> LobbySnapshot.EventLine {
            let when: String
            var running = false
            switch (o.start, o.end) {
            case (.instant(let s), .instant(let e)):
                running = s <= instant && instant < e
                let startsToday = CivilDate(s, in: zone) == day
                let endsToday = CivilDate(e.addingTimeInterval(-1), in: zone) == day
                if startsToday && endsToday {
                    when = s == e ? hm(s) : "\(hm(s)) – \(hm(e))"
                } else if startsToday {
                    when = "\(hm(s)) →"
                } else if endsToday {
                    when = (strings.language == .fr ? "jusqu'à " : "until ") + hm(e)
                } else {
                    when = strings.allDay
                }
            default:
                when = strings.allDay
            }
            return EventLine(
                uid: o.uid, when: when, title: o.title, room: o.room,
                category: o.categories.first ?? "", statusLabel: strings.status(o.status),
                status: o.status, isRunning: running && o.status != .cancelled)
        }

        // Order: start instant, all-day first within a day, then title.
        let sorted = inputs.occurrences.sorted { a, b in
            let sa = a.start.instant(in: zone), sb = b.start.instant(in: zone)
            if sa != sb { return sa < sb }
            if a.isAllDay != b.isAllDay { return a.isAllDay }
            return (a.title, a.uid) < (b.title, b.uid)
        }

        func overlaps(_ o: Occurrence, _ day: CivilDate) -> Bool {
            let dayStart = day.start(in: zone), dayEnd = day.adding(days: 1).start(in: zone)
            let s = o.start.instant(in: zone)
            var e = o.end.instant(in: zone)
            if e <= s { e = s.addingTimeInterval(1) }
            return s < dayEnd && e > dayStart
        }

        var now: [EventLine] = [], later: [EventLine] = []
        var days: [Day] = []
        if trusted {
            for o in sorted where overlaps(o, today) {
                let l = line(o, on: today)
                let end = o.end.instant(in: zone)
                if o.isAllDay || l.isRunning || (o.status == .cancelled && o.start.instant(in: zone) <= instant && instant < end) {
                    now.append(l)
                } else if o.start.instant(in: zone) > instant {
                    later.append(l)
                }
            }
            for offset in 1...max(1, config.screen.upcomingDays) {
                let day = today.adding(days: offset)
                // A multi-day event is listed on the day it starts (or today's view), not every day.
                let events = sorted.filter { o in
                    overlaps(o, day) && (CivilDate(o.start.instant(in: zone), in: zone) == day || (o.isAllDay && o.start == .date(day)))
                }
                if !events.isEmpty {
                    days.append(Day(date: day, heading: strings.dayHeading(day, today: today), events: events.map { line($0, on: day) }))
                }
            }
        } else {
            // Clock not trustworthy: list what comes after the last good fetch, with full
            // dates and no "today".
            let floor = inputs.freshness.lastSuccess ?? .distantPast
            var byDay: [CivilDate: [EventLine]] = [:]
            for o in sorted where o.end.instant(in: zone) > floor {
                let day = o.isAllDay ? { if case .date(let d) = o.start { return d }; return today }() : CivilDate(o.start.instant(in: zone), in: zone)
                byDay[day, default: []].append(line(o, on: day))
            }
            days = byDay.keys.sorted().prefix(config.screen.upcomingDays).map {
                Day(date: $0, heading: strings.dayHeading($0, today: nil), events: byDay[$0]!)
            }
        }

        let residents = inputs.residents.sorted { ($0.sortKey, $0.name) < ($1.sortKey, $1.name) }.map { r in
            let what = [strings.kind(r.kind), r.sector].filter { !$0.isEmpty }.joined(separator: " · ")
            let location = r.membership == .associated ? strings.associatedMember : r.location
            let first = r.sortKey.first.map { $0.isLetter ? String($0).uppercased() : "#" } ?? "#"
            return ResidentLine(name: r.name, what: what, location: location, initial: first)
        }

        let notices = inputs.notices
            .filter { $0.isLive(at: instant, timeZone: zone) }
            .sorted { a, b in
                if a.urgent != b.urgent { return a.urgent }
                return a.posted > b.posted
            }
            .map { n -> NoticeLine in
                var tag = strings.noticeKind(n.kind)
                if let terms = n.terms { tag += " · " + strings.terms(terms) }
                var detail = n.author
                if let deadline = n.deadline, trusted {
                    let left = deadline.dayNumber - today.dayNumber
                    detail = strings.deadline(daysLeft: left, date: deadline) + (n.author.isEmpty ? "" : " — \(n.author)")
                } else if let date = n.eventDate {
                    detail = strings.longDate(date) + (n.author.isEmpty ? "" : " — \(n.author)")
                }
                return NoticeLine(id: n.id, tag: tag, title: n.title, body: n.body, detail: detail, urgent: n.urgent)
            }

        var freshness: String?
        var offline = false
        let f = inputs.freshness
        if f.hasPulledSources {
            if let last = f.lastSuccess {
                if f.allFailing && instant.timeIntervalSince(last) > config.feedSettings.offlineAfter && trusted {
                    freshness = strings.offline(since: instant.timeIntervalSince(last))
                    offline = true
                } else {
                    freshness = strings.updated(at: hm(last))
                }
            } else {
                freshness = strings.noProgrammeYet
                offline = f.allFailing
            }
        }

        return LobbySnapshot(
            instant: instant, venueName: config.venue.name, tagline: config.venue.tagline,
            clockTrusted: trusted, today: today,
            dateLine: trusted ? strings.longDate(today) : "",
            clockLine: trusted ? hm(instant) : "",
            happeningNow: now, laterToday: later, upcoming: days, residents: residents,
            notices: notices, freshness: freshness, isOffline: offline,
            isOpen: config.venue.hours.isOpen(at: instant, timeZone: zone), strings: strings)
    }
}
