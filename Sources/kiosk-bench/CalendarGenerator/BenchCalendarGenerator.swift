import Foundation
import KioskCore

/// Writes a deterministic iCalendar file shaped like a busy venue's feed, for benchmarks.
///
/// Same `events` and `seed` give the same bytes on every machine (the only outside input is
/// the system's Europe/Paris offsets, used to write a few values in UTC). Shapes, per VEVENT
/// that is not an override:
/// - ~60% single events: TZID=Europe/Paris with DTEND or DURATION, all-day (`VALUE=DATE`,
///   1-3 days), or UTC (`Z`); a few cancelled or tentative.
/// - ~40% series: weekly BYDAY (some every other week, some all-day), monthly BYDAY with an
///   ordinal (`1SA`, `-1FR`), daily with COUNT, daily with UNTIL; open-ended, COUNT or UNTIL.
///   About a third get EXDATEs (some written in UTC), about a third get RECURRENCE-ID
///   overrides (moved or cancelled instances), biased towards `anchor`'s weeks so that the
///   benchmark window sees them. Overrides count towards `events`.
/// - DTSTARTs spread from two years before `anchor` to one year after; one VTIMEZONE for
///   Europe/Paris; long descriptions (folded), TEXT with commas, semicolons and newlines.
struct BenchCalendarGenerator {
    var events: Int
    var seed: UInt64
    /// The day the benchmark window starts (local, Europe/Paris).
    var anchor: CivilDate

    static let defaultSeed: UInt64 = 0x6B69_6F73_6B21  // "kiosk!"
    static let defaultAnchor = CivilDate(year: 2026, month: 11, day: 23)

    private static let paris = IANATimeZone(identifier: "Europe/Paris")!

    func generate() -> String {
        var rng = SplitMix64(seed: seed)
        var out = ICalendarTextWriter()
        out.line("BEGIN", "VCALENDAR")
        out.line("VERSION", "2.0")
        out.line("PRODID", "-//kiosk//kiosk-bench generate-calendar//FR")
        out.line("CALSCALE", "GREGORIAN")
        out.line("X-WR-CALNAME", "La Fabrique – programme (banc d'essai)")
        Self.writeParisTimeZone(&out)
        var written = 0
        var serial = 0
        while written < events {
            serial += 1
            let uid = "bench-" + ICalendarTextWriter.pad(serial, 5) + "@kiosk.example"
            if rng.chance(0.6) {
                writeSingle(uid: uid, &rng, &out)
                written += 1
            } else {
                written += writeSeries(uid: uid, budget: events - written, &rng, &out)
            }
        }
        out.line("END", "VCALENDAR")
        return out.text
    }

    // MARK: - Venue vocabulary

    private static let titles = [
        "Atelier céramique", "Jam session jazz", "Repair café", "Projection : « Les Glaneurs et la Glaneuse »",
        "Conférence, débat; apéro", "Yoga du matin", "Marché des créateurs", "Permanence numérique",
        "Club lecture", "Concert électro", "Atelier couture zéro déchet", "Soirée jeux de société",
        "Vernissage", "Résidence d'artistes — sortie de chantier", "Cours de français langue étrangère",
        "AG de l'association", "Bal folk", "Fresque du climat", "Scène ouverte", "Atelier vélo",
    ]
    private static let rooms = [
        "Grande halle", "Salle Simone-Veil", "Atelier bois", "Fablab", "Café associatif", "Jardin partagé",
        "Studio son", "Salle 2, 1er étage",
    ]
    private static let categories = ["Atelier", "Concert", "Cinéma", "Famille", "Numérique", "Exposition", "Débat"]
    private static let sentences = [
        "Entrée libre dans la limite des places disponibles, inscription conseillée sur le site du lieu.",
        "Ouvert à toutes et à tous; aucun niveau requis.",
        "Apportez vos outils, vos idées et votre bonne humeur !",
        "En partenariat avec la médiathèque du quartier et l'association des habitants.",
        "Accessible aux personnes à mobilité réduite (ascenseur côté cour).",
        "Tarif : prix libre, au chapeau.",
        "Goûter offert aux enfants à 16 h, buvette tenue par les bénévoles.",
    ]

    // MARK: - Single events

    private func writeSingle(uid: String, _ rng: inout SplitMix64, _ out: inout ICalendarTextWriter) {
        let day = anchor.adding(days: rng.int(-730...365))
        out.line("BEGIN", "VEVENT")
        out.line("UID", uid)
        out.line("DTSTAMP", "20261101T090000Z")
        let shape = rng.unit()
        if shape < 0.70 {
            let minute = startMinute(&rng)
            out.line("DTSTART;TZID=Europe/Paris", ICalendarTextWriter.dateTime(day, minuteOfDay: minute))
            let length = rng.pick([60, 90, 120, 180])
            if rng.chance(0.2) {
                out.line("DURATION", length % 60 == 0 ? "PT\(length / 60)H" : "PT\(length / 60)H\(length % 60)M")
            } else {
                let end = minute + length
                out.line("DTEND;TZID=Europe/Paris", ICalendarTextWriter.dateTime(day.adding(days: end / 1440), minuteOfDay: end % 1440))
            }
        } else if shape < 0.85 {
            out.line("DTSTART;VALUE=DATE", ICalendarTextWriter.date(day))
            out.line("DTEND;VALUE=DATE", ICalendarTextWriter.date(day.adding(days: rng.int(1...3))))
        } else {
            let start = Self.utcSeconds(day, minuteOfDay: startMinute(&rng))
            out.line("DTSTART", ICalendarTextWriter.utc(start))
            out.line("DTEND", ICalendarTextWriter.utc(start + rng.pick([60, 120, 150]) * 60))
        }
        writeDescriptive(&rng, &out)
        let status = rng.unit()
        if status < 0.05 { out.line("STATUS", "CANCELLED") } else if status < 0.10 { out.line("STATUS", "TENTATIVE") } else { out.line("STATUS", "CONFIRMED") }
        out.line("END", "VEVENT")
    }

    private func writeDescriptive(_ rng: inout SplitMix64, _ out: inout ICalendarTextWriter) {
        let title = rng.pick(Self.titles)
        out.line("SUMMARY", ICalendarTextWriter.escaped(title))
        var description = ""
        for index in 0..<rng.int(1...4) {
            if index > 0 { description += rng.chance(0.3) ? "\n" : " " }
            description += rng.pick(Self.sentences)
        }
        out.line("DESCRIPTION", ICalendarTextWriter.escaped(description))
        out.line("LOCATION", ICalendarTextWriter.escaped(rng.pick(Self.rooms)))
        let first = rng.pick(Self.categories)
        let second = rng.pick(Self.categories)
        out.line("CATEGORIES", first == second ? first : first + "," + second)
        if rng.chance(0.5) { out.line("URL", "https://lafabrique.example/agenda/\(rng.int(1000...99999))") }
    }

    private func startMinute(_ rng: inout SplitMix64) -> Int {
        rng.pick([9, 10, 14, 17, 18, 19, 20]) * 60 + rng.pick([0, 0, 30])
    }

    // MARK: - Series

    private enum SeriesShape {
        case weekly(days: [Int], interval: Int, allDay: Bool)
        case monthly(ordinal: Int, weekday: Int)
        case daily
    }

    /// Writes one series and its overrides; returns the VEVENTs written (at most `budget`).
    private func writeSeries(uid: String, budget: Int, _ rng: inout SplitMix64, _ out: inout ICalendarTextWriter) -> Int {
        var day = anchor.adding(days: rng.int(-730...365))
        let minute = startMinute(&rng)
        let length = rng.pick([60, 90, 120, 180])
        let kind = rng.unit()
        var shape: SeriesShape
        var count: Int?
        var untilDay: CivilDate?
        if kind < 0.45 {
            var days = [day.isoWeekday]
            if rng.chance(0.3) {
                let other = (day.isoWeekday + rng.int(1...5) - 1) % 7 + 1
                days.append(other)
            }
            shape = .weekly(days: days.sorted(), interval: rng.chance(0.15) ? 2 : 1, allDay: rng.chance(0.1))
            let end = rng.unit()
            if end < 0.35 { untilDay = day.adding(days: 7 * rng.int(8...80)) } else if end < 0.60 { count = rng.int(6...40) }
        } else if kind < 0.70 {
            let ordinal = rng.pick([1, 2, 3, 4, -1])
            let weekday = rng.int(1...7)
            day = Self.nthWeekday(ordinal, weekday, year: day.year, month: day.month)
            shape = .monthly(ordinal: ordinal, weekday: weekday)
            let end = rng.unit()
            if end < 0.30 { untilDay = day.adding(days: 30 * rng.int(6...24)) } else if end < 0.60 { count = rng.int(6...24) }
        } else if kind < 0.90 {
            shape = .daily
            count = rng.int(3...21)
        } else {
            shape = .daily
            untilDay = day.adding(days: rng.int(5...60))
        }
        let allDay: Bool
        if case .weekly(_, _, let a) = shape { allDay = a } else { allDay = false }

        // The instances, up to a few weeks past the window, to aim EXDATEs and overrides at.
        let instances = Self.instanceDays(shape, first: day, count: count, until: untilDay, through: anchor.adding(days: 60))
        let near = instances.filter { $0 >= anchor.adding(days: -14) && $0 < anchor.adding(days: 42) }
        var targets: [CivilDate] = []
        func aim(_ n: Int) -> [CivilDate] {
            var chosen: [CivilDate] = []
            for _ in 0..<n {
                let pool = !near.isEmpty && rng.chance(0.7) ? near : instances
                guard pool.count > 1 else { break }
                let candidate = pool[rng.int(1...(pool.count - 1))]  // never DTSTART itself
                if !targets.contains(candidate) && !chosen.contains(candidate) { chosen.append(candidate) }
            }
            targets += chosen
            return chosen
        }
        let exdates = rng.chance(0.35) ? aim(rng.int(1...3)) : []
        let overrides = budget > 1 && rng.chance(0.30) ? Array(aim(rng.int(1...2)).prefix(budget - 1)) : []

        out.line("BEGIN", "VEVENT")
        out.line("UID", uid)
        out.line("DTSTAMP", "20261101T090000Z")
        if allDay {
            out.line("DTSTART;VALUE=DATE", ICalendarTextWriter.date(day))
            out.line("DTEND;VALUE=DATE", ICalendarTextWriter.date(day.adding(days: 1)))
        } else {
            out.line("DTSTART;TZID=Europe/Paris", ICalendarTextWriter.dateTime(day, minuteOfDay: minute))
            let end = minute + length
            out.line("DTEND;TZID=Europe/Paris", ICalendarTextWriter.dateTime(day.adding(days: end / 1440), minuteOfDay: end % 1440))
        }
        out.line("RRULE", Self.rule(shape, count: count, until: untilDay, allDay: allDay))
        for exdate in exdates {
            if allDay {
                out.line("EXDATE;VALUE=DATE", ICalendarTextWriter.date(exdate))
            } else if rng.chance(0.2) {
                out.line("EXDATE", ICalendarTextWriter.utc(Self.utcSeconds(exdate, minuteOfDay: minute)))
            } else {
                out.line("EXDATE;TZID=Europe/Paris", ICalendarTextWriter.dateTime(exdate, minuteOfDay: minute))
            }
        }
        writeDescriptive(&rng, &out)
        out.line("STATUS", "CONFIRMED")
        out.line("END", "VEVENT")

        for target in overrides {
            out.line("BEGIN", "VEVENT")
            out.line("UID", uid)
            out.line("DTSTAMP", "20261101T090000Z")
            let recurrenceID = allDay
                ? ("RECURRENCE-ID;VALUE=DATE", ICalendarTextWriter.date(target))
                : ("RECURRENCE-ID;TZID=Europe/Paris", ICalendarTextWriter.dateTime(target, minuteOfDay: minute))
            out.line(recurrenceID.0, recurrenceID.1)
            let cancelled = rng.chance(0.4)
            var movedDay = target, movedMinute = minute
            if !cancelled {
                if rng.chance(0.5) { movedDay = target.adding(days: rng.pick([-2, -1, 1, 2, 7])) } else { movedMinute = min(minute + 60 * rng.int(1...2), 21 * 60) }
            }
            if allDay {
                out.line("DTSTART;VALUE=DATE", ICalendarTextWriter.date(movedDay))
                out.line("DTEND;VALUE=DATE", ICalendarTextWriter.date(movedDay.adding(days: 1)))
            } else {
                out.line("DTSTART;TZID=Europe/Paris", ICalendarTextWriter.dateTime(movedDay, minuteOfDay: movedMinute))
                let end = movedMinute + length
                out.line("DTEND;TZID=Europe/Paris", ICalendarTextWriter.dateTime(movedDay.adding(days: end / 1440), minuteOfDay: end % 1440))
            }
            writeDescriptive(&rng, &out)
            out.line("STATUS", cancelled ? "CANCELLED" : "CONFIRMED")
            out.line("END", "VEVENT")
        }
        return 1 + overrides.count
    }

    private static func rule(_ shape: SeriesShape, count: Int?, until: CivilDate?, allDay: Bool) -> String {
        let names = ["MO", "TU", "WE", "TH", "FR", "SA", "SU"]
        var text: String
        switch shape {
        case .weekly(let days, let interval, _):
            text = "FREQ=WEEKLY" + (interval > 1 ? ";INTERVAL=\(interval)" : "") + ";BYDAY=" + days.map { names[$0 - 1] }.joined(separator: ",")
        case .monthly(let ordinal, let weekday):
            text = "FREQ=MONTHLY;BYDAY=\(ordinal)" + names[weekday - 1]
        case .daily:
            text = "FREQ=DAILY"
        }
        if let count { text += ";COUNT=\(count)" }
        if let until {
            // RFC 5545: UNTIL is a date for all-day series, UTC for zoned ones (23:59:59 in
            // winter Paris, so the whole last day is included).
            text += ";UNTIL=" + (allDay ? ICalendarTextWriter.date(until) : ICalendarTextWriter.date(until) + "T225959Z")
        }
        return text
    }

    /// The days a series falls on, in order, from `first` through `through`.
    private static func instanceDays(_ shape: SeriesShape, first: CivilDate, count: Int?, until: CivilDate?, through: CivilDate) -> [CivilDate] {
        var days: [CivilDate] = []
        let last = min(until ?? through, through)
        func keep(_ day: CivilDate) -> Bool {
            if day < first { return true }
            if day > last || (count.map { days.count >= $0 } ?? false) { return false }
            days.append(day)
            return true
        }
        switch shape {
        case .weekly(let weekdays, let interval, _):
            var weekStart = first.adding(days: 1 - first.isoWeekday)
            outer: while true {
                for weekday in weekdays where !keep(weekStart.adding(days: weekday - 1)) { break outer }
                weekStart = weekStart.adding(days: 7 * interval)
            }
        case .monthly(let ordinal, let weekday):
            var year = first.year, month = first.month
            while keep(nthWeekday(ordinal, weekday, year: year, month: month)) {
                month += 1
                if month > 12 { month = 1; year += 1 }
            }
        case .daily:
            var day = first
            while keep(day) { day = day.adding(days: 1) }
        }
        return days
    }

    /// The `ordinal`-th (`-1`: last) ISO `weekday` of a month.
    private static func nthWeekday(_ ordinal: Int, _ weekday: Int, year: Int, month: Int) -> CivilDate {
        if ordinal > 0 {
            let first = CivilDate(year: year, month: month, day: 1)
            return first.adding(days: (weekday - first.isoWeekday + 7) % 7 + 7 * (ordinal - 1))
        }
        let last = CivilDate(year: year, month: month, day: CivilDate.daysIn(month: month, year: year))
        return last.adding(days: -((last.isoWeekday - weekday + 7) % 7))
    }

    /// Seconds since 1970 of a Paris wall-clock time (never in a DST gap: venues open after 9:00).
    private static func utcSeconds(_ day: CivilDate, minuteOfDay: Int) -> Int {
        let local = day.dayNumber * 86_400 + minuteOfDay * 60
        let offset = paris.secondsFromGMT(for: Date(timeIntervalSince1970: TimeInterval(local - 7_200)))
        return local - offset
    }

    private static func writeParisTimeZone(_ out: inout ICalendarTextWriter) {
        out.line("BEGIN", "VTIMEZONE")
        out.line("TZID", "Europe/Paris")
        out.line("X-LIC-LOCATION", "Europe/Paris")
        out.line("BEGIN", "DAYLIGHT")
        out.line("TZOFFSETFROM", "+0100")
        out.line("TZOFFSETTO", "+0200")
        out.line("TZNAME", "CEST")
        out.line("DTSTART", "19700329T020000")
        out.line("RRULE", "FREQ=YEARLY;BYMONTH=3;BYDAY=-1SU")
        out.line("END", "DAYLIGHT")
        out.line("BEGIN", "STANDARD")
        out.line("TZOFFSETFROM", "+0200")
        out.line("TZOFFSETTO", "+0100")
        out.line("TZNAME", "CET")
        out.line("DTSTART", "19701025T030000")
        out.line("RRULE", "FREQ=YEARLY;BYMONTH=10;BYDAY=-1SU")
        out.line("END", "STANDARD")
        out.line("END", "VTIMEZONE")
    }
}
