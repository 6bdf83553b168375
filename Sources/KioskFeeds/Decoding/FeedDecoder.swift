import Foundation
import KioskCore

extension FeedFormat {
    /// Tells the formats apart by content, not by file name: `BEGIN:VCALENDAR` first (after
    /// a BOM and blank space) is iCalendar; a JSON object whose events carry `timings`,
    /// `firstTiming` or `lastTiming`, or with OpenAgenda's `total`/`after` paging keys, is
    /// OpenAgenda; other JSON is the native programme format. nil for anything else.
    public static func detect(_ bytes: [UInt8]) -> FeedFormat? {
        var i = 0
        if bytes.count >= 3, bytes[0] == 0xEF, bytes[1] == 0xBB, bytes[2] == 0xBF { i = 3 }
        while i < bytes.count, [0x20, 0x09, 0x0D, 0x0A].contains(bytes[i]) { i += 1 }
        guard i < bytes.count else { return nil }
        if bytes[i] == UInt8(ascii: "{") || bytes[i] == UInt8(ascii: "[") {
            guard let root = try? JSONSerialization.jsonObject(with: Data(bytes[i...])) else { return .json }
            if let object = root as? [String: Any] {
                if object["after"] != nil || object["total"] != nil { return .openagenda }
                if let events = object["events"] as? [Any],
                   events.contains(where: { ($0 as? [String: Any]).map { $0["timings"] != nil || $0["firstTiming"] != nil || $0["lastTiming"] != nil } ?? false }) {
                    return .openagenda
                }
            }
            return .json
        }
        let prefix = Array("BEGIN:VCALENDAR".utf8)
        guard bytes.count - i >= prefix.count else { return nil }
        for (k, p) in prefix.enumerated() {
            let b = bytes[i + k]
            guard b == p || (b >= 0x61 && b <= 0x7A && b - 0x20 == p) else { return nil }
        }
        return .ics
    }

    /// How messages name the format: `iCalendar`, `OpenAgenda`, `programme JSON`.
    public var displayName: String {
        switch self {
        case .ics: "iCalendar"
        case .openagenda: "OpenAgenda"
        case .json: "programme JSON"
        }
    }
}

/// What a feed's bytes held: its events, and what was skipped on the way.
public struct FeedDecoding: Sendable {
    public var format: FeedFormat
    public var events: [ProgrammeEvent]
    /// The first warnings (`FeedWarnings.defaultLimit`), in the order found.
    public var warnings: [FeedWarning]
    /// Every warning, listed or not.
    public var warningCount: Int
    /// Events in the feed as written (VEVENTs, listing entries), dropped ones included.
    public var eventsRead: Int
    /// Events dropped as broken.
    public var eventsDropped: Int
}

/// The one entry from a feed's bytes to programme events, for every format: what the feed
/// puller, the staff push, `kioskctl occurrences` and the fuzz targets call.
///
/// A pure function of its inputs (no file, network or store), so that it can run in a
/// short-lived helper process. Policy, the same for every format: what is malformed is
/// skipped with a warning naming its line (iCalendar) or its index and uid (JSON); the
/// feed is refused whole (`FeedRefusal`) only when it is not a feed of the format, is
/// truncated (no `END:VCALENDAR`, a cut JSON document), or when more than half of its
/// events are broken. Then the caller keeps its last good copy.
///
/// With `Options.probeWindow`, the events are expanded once over that window with the
/// expansion budgets, so that an event they would cut is named in a warning now (the
/// daemon passes the lobby's window), not only in the journal later.
public enum FeedDecoder {
    public struct Options: Sendable {
        public var venueTimeZone: IANATimeZone
        /// The language asked of multilingual feeds (OpenAgenda): `fr`, `en`.
        public var language: String
        public var probeWindow: DateInterval?
        public var limits: OccurrenceExpander.Limits

        public init(
            venueTimeZone: IANATimeZone, language: String = "fr", probeWindow: DateInterval? = nil,
            limits: OccurrenceExpander.Limits = .init()
        ) {
            self.venueTimeZone = venueTimeZone
            self.language = language
            self.probeWindow = probeWindow
            self.limits = limits
        }
    }

    /// Decodes `bytes` as `format` (nil: told apart by content).
    public static func decode(_ bytes: [UInt8], format: FeedFormat?, options: Options) throws(FeedRefusal) -> FeedDecoding {
        guard let format = format ?? FeedFormat.detect(bytes) else {
            let empty = bytes.allSatisfy { [0x20, 0x09, 0x0D, 0x0A].contains($0) }
            throw FeedRefusal(format: nil, reason: empty ? "the file is empty"
                : "unrecognised programme file: expected iCalendar (BEGIN:VCALENDAR), an OpenAgenda API response, or programme JSON")
        }
        var warnings = FeedWarnings()
        var events: [ProgrammeEvent]
        let read: Int, dropped: Int
        switch format {
        case .ics:
            let document: ICalendarDocument
            do { document = try ICalendarParser(venueTimeZone: options.venueTimeZone).parse(bytes) } catch {
                throw FeedRefusal(format: format.displayName, line: error.line, reason: error.reason)
            }
            events = document.events
            warnings = document.warnings
            (read, dropped) = (document.eventsRead, document.eventsDropped)
        case .openagenda:
            let page: OpenAgendaPage
            do { page = try OpenAgendaParser(language: options.language, venueTimeZone: options.venueTimeZone).parse(bytes) } catch {
                throw FeedRefusal(format: format.displayName, reason: error.detail)
            }
            events = page.events
            warnings = page.warnings
            warnings.addEventLines(ofJSON: bytes, count: page.eventsRead)
            (read, dropped) = (page.eventsRead, page.eventsDropped)
        case .json:
            let document: ProgrammeJSONDocument
            do { document = try ProgrammeJSONParser(venueTimeZone: options.venueTimeZone).read(bytes) } catch {
                throw FeedRefusal(format: format.displayName, reason: error.detail)
            }
            events = document.events
            warnings = document.warnings
            warnings.addEventLines(ofJSON: bytes, count: document.eventsRead)
            (read, dropped) = (document.eventsRead, document.eventsDropped)
        }
        if dropped * 2 > read, format != .ics {
            // The first broken event's line (a JSON event's, `addEventLines`) is the refusal's.
            let firstWarning = warnings.list.first
            let first = firstWarning.map { ", the first: " + ($0.event.map { "event \($0): " } ?? "") + $0.message } ?? ""
            throw FeedRefusal(format: format.displayName, line: firstWarning?.line, reason: "\(dropped) of \(read) events are broken\(first)")
        }
        events = uniqueByIdentity(events, warnings: &warnings)
        if let window = options.probeWindow {
            let result = OccurrenceExpander.expand(
                events, from: window.start, to: window.end, venueTimeZone: options.venueTimeZone, limits: options.limits)
            for cut in result.cuts { warnings.add(event: cut.uid, (cut.title.isEmpty ? "" : "\(cut.title): ") + cut.explanation) }
            if result.cutCount > result.cuts.count {
                warnings.add("\(result.cutCount - result.cuts.count) more events cut by the expansion budgets")
            }
        }
        return FeedDecoding(
            format: format, events: events, warnings: warnings.list, warningCount: warnings.total,
            eventsRead: read, eventsDropped: dropped)
    }

    /// One event per (uid, RECURRENCE-ID), the last one written (the store's identity);
    /// the parsers already keep the latest revision, this is the net under them.
    static func uniqueByIdentity(_ events: [ProgrammeEvent], warnings: inout FeedWarnings) -> [ProgrammeEvent] {
        struct Key: Hashable { var uid: String; var recurrenceID: EventTime? }
        var last: [Key: Int] = [:]
        for (i, event) in events.enumerated() { last[Key(uid: event.uid, recurrenceID: event.recurrenceID)] = i }
        guard last.count < events.count else { return events }
        var out: [ProgrammeEvent] = []
        out.reserveCapacity(last.count)
        var named = Set<String>()
        for (i, event) in events.enumerated() {
            if last[Key(uid: event.uid, recurrenceID: event.recurrenceID)] == i {
                out.append(event)
            } else if named.insert(event.uid).inserted {
                warnings.add(event: event.uid, "appears more than once for the same start; the last one is kept")
            }
        }
        return out
    }
}
