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
        /// The venue's days, kept between frames (nil: a fresh table for this snapshot).
        /// Must be for the venue's zone; another zone's table is ignored.
        public var days: VenueDays?
        /// `residents` already sorted and worded by ``LobbySnapshot/residentLines(_:strings:)``
        /// in the venue's language, so a frame does not sort and fold the directory again
        /// (nil: worked out from `residents` here).
        public var residentLines: [ResidentLine]?
        /// Pictures the screen can show (checked to decode), by event uid.
        public var eventPictures: [String: PictureRef] = [:]
        /// Every poster the store holds (those in their period are shown) with its picture
        /// (a poster whose picture does not decode is absent).
        public var posters: [(poster: Poster, picture: PictureRef)] = []
        /// The venue's logo.
        public var logo: PictureRef?
        /// Residents' logos (checked to decode), by resident id.
        public var residentLogos: [String: PictureRef] = [:]
        /// The staff alert raised last and not withdrawn (shown while in force).
        public var alert: ScreenAlert?

        public init(
            occurrences: [Occurrence], residents: [Resident], notices: [Notice], freshness: ProgrammeFreshness,
            clockFloor: Date = ClockSanity.earliestPlausible, days: VenueDays? = nil, residentLines: [ResidentLine]? = nil,
            alert: ScreenAlert? = nil
        ) {
            self.occurrences = occurrences
            self.residents = residents
            self.notices = notices
            self.freshness = freshness
            self.clockFloor = clockFloor
            self.days = days
            self.residentLines = residentLines
            self.alert = alert
        }
    }

    /// The resident directory as the screen lists it: in French reading order
    /// (``Resident/sortKey``, then name), each with its activity, place and initial.
    /// Depends only on the residents and the language: the lobby works it out when the
    /// residents are loaded, not on every frame.
    public static func residentLines(_ residents: [Resident], strings: LobbyStrings) -> [ResidentLine] {
        let keyed = residents.map { (key: $0.sortKey, resident: $0) }
        return keyed.sorted { ($0.key, $0.resident.name) < ($1.key, $1.resident.name) }.map { entry in
            let r = entry.resident
            let what = [strings.kind(r.kind), r.sector].filter { !$0.isEmpty }.joined(separator: " · ")
            let location = r.membership == .associated ? strings.associatedMember : r.location
            let first = entry.key.first.map { $0.isLetter ? String($0).uppercased() : "#" } ?? "#"
            return ResidentLine(name: r.name, what: what, location: location, initial: first, id: r.id)
        }
    }

    /// The window of occurrences a snapshot at `instant` needs.
    public static func window(at instant: Date, config: KioskConfig) -> (from: Date, to: Date) {
        window(at: instant, config: config, days: VenueDays(timeZone: config.venue.timeZone))
    }

    /// The window of occurrences a snapshot at `instant` needs, with the venue's days
    /// taken from `days` (which must be for the venue's zone).
    public static func window(at instant: Date, config: KioskConfig, days: VenueDays) -> (from: Date, to: Date) {
        let today = days.civilDate(of: instant)
        return (days.start(of: today), days.start(of: today.adding(days: config.screen.upcomingDays + 1)))
    }

    /// Builds the snapshot at `instant`.
    public static func make(at instant: Date, inputs: Inputs, config: KioskConfig) -> LobbySnapshot {
        let zone = config.venue.timeZone
        let strings = LobbyStrings(config.venue.language)
        let trusted = ClockSanity.isTrustworthy(instant, lastSuccessfulFetch: inputs.freshness.lastSuccess, floor: inputs.clockFloor)
        let venueDays = inputs.days.flatMap { $0.timeZone == zone ? $0 : nil } ?? VenueDays(timeZone: zone)
        let today = venueDays.civilDate(of: instant)

        func hm(_ date: Date) -> String {
            let c = venueDays.hourAndMinute(of: date)
            return strings.time(hour: c.hour, minute: c.minute)
        }

        func line(_ o: Occurrence, on day: CivilDate) -> LobbySnapshot.EventLine {
            let when: String
            var running = false
            switch (o.start, o.end) {
            case (.instant(let s), .instant(let e)):
                running = s <= instant && instant < e
                let startsToday = venueDays.civilDate(of: s) == day
                let endsToday = venueDays.civilDate(of: e.addingTimeInterval(-1)) == day
                if startsToday && endsToday {
                    when = s == e ? hm(s) : "\(hm(s)) – \(hm(e))"
                } else if startsToday {
                    when = "\(hm(s)) →"
                } else if endsToday {
                    when = strings.until(hm(e))
                } else {
                    when = strings.allDay
                }
            default:
                when = strings.allDay
            }
            return EventLine(
                uid: o.uid, when: when, title: o.title, room: o.room,
                category: o.categories.first ?? "", statusLabel: strings.status(o.status),
                status: o.status, isRunning: running && o.status != .cancelled, picture: inputs.eventPictures[o.uid])
        }

        // Each occurrence's start and end instants, worked out once per snapshot; the
        // occurrences themselves are not copied: the order is a list of indices.
        let occurrences = inputs.occurrences
        func venueInstant(_ time: EventTime) -> Date {
            switch time {
            case .instant(let d): return d
            case .date(let c): return venueDays.start(of: c)
            }
        }
        let starts = occurrences.map { venueInstant($0.start) }
        let ends = occurrences.map { venueInstant($0.end) }

        // Order: start instant, all-day first within a day, then title.
        let sorted = occurrences.indices.sorted { i, j in
            if starts[i] != starts[j] { return starts[i] < starts[j] }
            let aAllDay = occurrences[i].isAllDay, bAllDay = occurrences[j].isAllDay
            if aAllDay != bAllDay { return aAllDay }
            return (occurrences[i].title, occurrences[i].uid) < (occurrences[j].title, occurrences[j].uid)
        }

        let todayStart = venueDays.start(of: today), todayEnd = venueDays.start(of: today.adding(days: 1))
        func overlapsToday(_ i: Int) -> Bool {
            let s = starts[i]
            var e = ends[i]
            if e <= s { e = s.addingTimeInterval(1) }
            return s < todayEnd && e > todayStart
        }

        var now: [EventLine] = [], later: [EventLine] = []
        var days: [Day] = []
        if trusted {
            let upcomingDays = max(1, config.screen.upcomingDays)
            // A multi-day event is listed on the day it starts (or today's view), not every
            // day: one pass puts each occurrence under the day of its start instant (an
            // all-day occurrence's start instant is the start of its first day).
            var byOffset = [[Int]](repeating: [], count: upcomingDays + 1)
            for i in sorted {
                if overlapsToday(i) {
                    let o = occurrences[i]
                    let l = line(o, on: today)
                    if o.isAllDay || l.isRunning || (o.status == .cancelled && starts[i] <= instant && instant < ends[i]) {
                        now.append(l)
                    } else if starts[i] > instant {
                        later.append(l)
                    }
                }
                let offset = venueDays.civilDate(of: starts[i]).dayNumber - today.dayNumber
                if offset >= 1 && offset <= upcomingDays { byOffset[offset].append(i) }
            }
            for offset in 1...upcomingDays where !byOffset[offset].isEmpty {
                let day = today.adding(days: offset)
                days.append(Day(date: day, heading: strings.dayHeading(day, today: today), events: byOffset[offset].map { line(occurrences[$0], on: day) }))
            }
        } else {
            // Clock not trustworthy: list what comes after the last good fetch, with full
            // dates and no "today".
            let floor = inputs.freshness.lastSuccess ?? .distantPast
            var byDay: [CivilDate: [EventLine]] = [:]
            for i in sorted where ends[i] > floor {
                let o = occurrences[i]
                let day = o.isAllDay ? { if case .date(let d) = o.start { return d }; return today }() : venueDays.civilDate(of: starts[i])
                byDay[day, default: []].append(line(o, on: day))
            }
            days = byDay.keys.sorted().prefix(config.screen.upcomingDays).map {
                Day(date: $0, heading: strings.dayHeading($0, today: nil), events: byDay[$0]!)
            }
        }

        var residents = inputs.residentLines ?? residentLines(inputs.residents, strings: strings)
        if !inputs.residentLogos.isEmpty {
            for i in residents.indices { residents[i].logo = inputs.residentLogos[residents[i].id] }
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
                var deadlineIsNear = false
                if let deadline = n.deadline, trusted {
                    let left = deadline.dayNumber - today.dayNumber
                    deadlineIsNear = left == 0 || left == 1
                    detail = strings.deadline(daysLeft: left, date: deadline) + (n.author.isEmpty ? "" : " — \(n.author)")
                } else if let date = n.eventDate {
                    detail = strings.longDate(date) + (n.author.isEmpty ? "" : " — \(n.author)")
                }
                return NoticeLine(id: n.id, tag: tag, title: n.title, body: n.body, detail: detail, urgent: n.urgent, deadlineIsNear: deadlineIsNear)
            }

        var freshness: String?
        var offline = false
        let f = inputs.freshness
        // "Updated at" names the last change, a push as much as a fetch.
        let changed = [f.lastSuccess, f.lastChange].compactMap { $0 }.max()
        if f.hasPulledSources {
            if let last = f.lastSuccess {
                if f.allFailing && instant.timeIntervalSince(last) > config.feedSettings.offlineAfter && trusted {
                    freshness = strings.offline(since: instant.timeIntervalSince(last))
                    offline = true
                } else {
                    freshness = strings.updated(at: hm(changed ?? last))
                }
            } else if let changed {
                freshness = strings.updated(at: hm(changed))
                offline = f.allFailing
            } else {
                freshness = strings.noProgrammeYet
                offline = f.allFailing
            }
        } else if let changed {
            freshness = strings.updated(at: hm(changed))
        }

        // When any of the above would read differently: what depends on `instant`
        // compares it with these instants (the clock line, the opening hours and the
        // offline minutes change on minute boundaries; zones are offset by whole minutes).
        let t = instant.timeIntervalSince1970
        var validUntil = Date(timeIntervalSince1970: (t / 60).rounded(.down) * 60 + 60)
        func until(_ boundary: Date) {
            if boundary > instant && boundary < validUntil { validUntil = boundary }
        }
        until(todayEnd)
        for d in starts { until(d) }
        for d in ends { until(d) }
        for n in inputs.notices {
            until(n.posted)
            until(n.expires)
        }
        until(inputs.clockFloor)
        if let last = f.lastSuccess {
            until(last.addingTimeInterval(-300))
            // "Offline" is strictly after the allowance: it changes just after the instant.
            let allowance = last.addingTimeInterval(config.feedSettings.offlineAfter)
            until(Date(timeIntervalSinceReferenceDate: allowance.timeIntervalSinceReferenceDate.nextUp))
            if offline { until(last.addingTimeInterval(((instant.timeIntervalSince(last) / 60).rounded(.down) + 1) * 60)) }
        }

        // The alert in force, and when it starts or stops being.
        var alertLine: Alert?
        if let alert = inputs.alert {
            until(alert.raised)
            if let expires = alert.expires { until(expires) }
            if alert.isInForce(at: instant) {
                let english = strings.language == .en && alert.titleEnglish != nil
                let hasBoth = alert.titleEnglish != nil
                alertLine = Alert(
                    level: alert.level, heading: strings.alertHeading(alert.level),
                    title: english ? alert.titleEnglish! : alert.title, text: english ? (alert.textEnglish ?? "") : alert.text,
                    assemblyPoint: alert.level == .evacuation && !config.venue.assemblyPoint.isEmpty
                        ? strings.assemblyPoint(config.venue.assemblyPoint) : nil,
                    otherTitle: hasBoth ? (english ? alert.title : alert.titleEnglish) : nil,
                    otherText: hasBoth ? (english ? alert.text : alert.textEnglish) : nil,
                    footer: config.venue.name + (trusted ? " · " + hm(instant) : ""))
            }
        }

        var snapshot = LobbySnapshot(
            instant: instant, venueName: config.venue.name, tagline: config.venue.tagline,
            clockTrusted: trusted, today: today,
            dateLine: trusted ? strings.longDate(today) : "",
            clockLine: trusted ? hm(instant) : "",
            happeningNow: now, laterToday: later, upcoming: days, residents: residents,
            notices: notices, freshness: freshness, isOffline: offline,
            isOpen: config.venue.hours.isOpen(at: instant, timeZone: zone), strings: strings)
        snapshot.alert = alertLine
        snapshot.validUntil = validUntil
        snapshot.logo = inputs.logo
        if trusted {
            // The next events with a picture, not cancelled, one per event: today's first.
            var seen = Set<String>()
            let candidates = (now + later).map { (strings.today, $0) }
                + days.flatMap { day in day.events.map { (day.heading, $0) } }
            for (day, event) in candidates where snapshot.featured.count < LobbySnapshot.maximumFeatured {
                guard let picture = event.picture, event.status != .cancelled, seen.insert(event.uid).inserted else { continue }
                snapshot.featured.append(FeaturedEvent(event: event, day: day, picture: picture))
            }
        }
        snapshot.posters = inputs.posters
            .filter { $0.poster.isShowing(at: instant, timeZone: zone) }
            .sorted { ($0.poster.posted, $0.poster.id) < ($1.poster.posted, $1.poster.id) }
            .map { PosterLine(id: $0.poster.id, title: $0.poster.title, picture: $0.picture) }
        return snapshot
    }
}
