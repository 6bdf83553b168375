import Foundation
import KioskCore

/// `kioskctl occurrences FILE [--from] [--to] [--tz] --format json` as a pure function.
///
/// Output: a JSON array, one object per line, each with (in this order) `uid`, `title`,
/// `start`, `end`, `allDay`, `status`, `room`, `categories`; sorted by start then uid.
/// Timed `start`/`end` are UTC `YYYY-MM-DDTHH:MM:SSZ`; all-day ones are `YYYY-MM-DD` with an
/// exclusive end. `status` is `confirmed`, `tentative` or `cancelled` (OpenAgenda's
/// postponed is listed as cancelled, since it will not take place then; full as confirmed).
///
/// Default window (documented choice): when both bounds are missing, the whole file: from
/// one day before its earliest start to one day after its latest end, or, when a series has
/// neither COUNT nor UNTIL, to 366 days after the later of now and its latest start. With
/// only `from`, `to` is `from` + 366 days; with only `to`, `from` is the earliest start - 1 day.
public enum OccurrenceListing {
    /// The listing of a file: the JSON text, and the warnings of the read and of the
    /// expansion (events cut by its budgets), for standard error.
    public struct Listing: Sendable {
        public var json: String
        public var warnings: [FeedWarning]
        public var warningCount: Int
    }

    public static func listing(
        fileBytes: [UInt8], from: Date?, to: Date?, timeZone: IANATimeZone, now: Date = Date(), language: String = "fr"
    ) throws(FeedRefusal) -> Listing {
        let decoded = try FeedDecoder.decode(fileBytes, format: nil, options: .init(venueTimeZone: timeZone, language: language))
        let window = self.window(events: decoded.events, from: from, to: to, timeZone: timeZone, now: now)
        let result = OccurrenceExpander.expand(
            decoded.events, from: window.from, to: window.to, venueTimeZone: timeZone, source: decoded.format.rawValue)
        var warnings = decoded.warnings, count = decoded.warningCount
        for cut in result.cuts { warnings.append(FeedWarning(event: cut.uid, message: (cut.title.isEmpty ? "" : "\(cut.title): ") + cut.explanation)) }
        count += result.cutCount
        return Listing(json: render(result.occurrences), warnings: warnings, warningCount: count)
    }

    /// The JSON text only.
    public static func json(
        fileBytes: [UInt8], from: Date?, to: Date?, timeZone: IANATimeZone, now: Date = Date(), language: String = "fr"
    ) throws(FeedRefusal) -> String {
        try listing(fileBytes: fileBytes, from: from, to: to, timeZone: timeZone, now: now, language: language).json
    }

    /// The window used when `from` or `to` is nil (see the type's documentation).
    public static func window(events: [ProgrammeEvent], from: Date?, to: Date?, timeZone: IANATimeZone, now: Date) -> (from: Date, to: Date) {
        let year: TimeInterval = 366 * 86_400, day: TimeInterval = 86_400
        if let from, let to { return (from, to) }
        if let from { return (from, from + year) }
        var earliest: Date?, latestStart: Date?, latestEnd: Date?
        var unbounded = false
        for event in events {
            let start = event.start.instant(in: timeZone), end = event.end.instant(in: timeZone)
            let length = end.timeIntervalSince(start)
            earliest = min(earliest ?? start, start)
            latestStart = max(latestStart ?? start, start)
            latestEnd = max(latestEnd ?? end, end)
            if let recurrence = event.recurrence {
                for rule in recurrence.rules {
                    guard let parsed = try? RecurrenceRule(parsing: rule) else { continue }
                    switch parsed.until {
                    case .instant(let d)?: latestEnd = max(latestEnd ?? d, d + length)
                    case .date(let c)?, .local(let c, _)?: latestEnd = max(latestEnd ?? end, c.adding(days: 1).start(in: timeZone) + length)
                    case nil: if parsed.count == nil { unbounded = true }
                    }
                    if parsed.count != nil { unbounded = true }  // COUNT: the end is not known up front
                }
                for extra in recurrence.dates { latestEnd = max(latestEnd ?? end, extra.instant(in: timeZone) + length) }
            }
        }
        let start = from ?? (earliest ?? now) - day
        if let to { return (start, to) }
        let end = unbounded ? max(now, latestStart ?? now) + year : (latestEnd ?? now) + day
        return (start, max(end, start + day))
    }

    static func status(_ s: EventStatus) -> String {
        switch s {
        case .confirmed, .full, .rescheduled, .movedOnline: "confirmed"
        case .tentative: "tentative"
        case .cancelled, .postponed: "cancelled"
        }
    }

    static func timestamp(_ time: EventTime) -> String {
        switch time {
        case .date(let c): return c.description
        case .instant(let d):
            let seconds = d.wholeSecondsSince1970
            let dayNumber = seconds >= 0 ? seconds / 86_400 : -((-seconds + 86_399) / 86_400)
            let s = seconds - dayNumber * 86_400
            let two = { (n: Int) in n < 10 ? "0\(n)" : "\(n)" }
            return "\(CivilDate(dayNumber: dayNumber))T\(two(s / 3600)):\(two(s / 60 % 60)):\(two(s % 60))Z"
        }
    }

    /// The JSON array text for `occurrences`, in the order given.
    public static func render(_ occurrences: [Occurrence]) -> String {
        guard !occurrences.isEmpty else { return "[]\n" }
        var out = "[\n"
        for (i, o) in occurrences.enumerated() {
            out += "  {\"uid\":" + quoted(o.uid)
            out += ",\"title\":" + quoted(o.title)
            out += ",\"start\":" + quoted(timestamp(o.start))
            out += ",\"end\":" + quoted(timestamp(o.end))
            out += ",\"allDay\":" + (o.isAllDay ? "true" : "false")
            out += ",\"status\":" + quoted(status(o.status))
            out += ",\"room\":" + quoted(o.room)
            out += ",\"categories\":[" + o.categories.map(quoted).joined(separator: ",") + "]}"
            out += i + 1 < occurrences.count ? ",\n" : "\n"
        }
        return out + "]\n"
    }

    /// A JSON string literal (RFC 8259): quotes, backslashes and control characters escaped.
    static func quoted(_ s: String) -> String { JSONText.quoted(s) }
}
