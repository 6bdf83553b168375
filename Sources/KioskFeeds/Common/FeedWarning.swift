import Foundation

/// Something a feed got wrong that was skipped rather than refused: a malformed line,
/// property, parameter or value, a dropped event, an event cut by the expansion budgets.
/// What staff read in the push report and `kioskctl sources`.
public struct FeedWarning: Sendable, Hashable, CustomStringConvertible {
    /// The physical line of the file (iCalendar; 1-based, before unfolding), when known.
    public var line: Int?
    /// The event: its uid, else `#index` in a JSON list or `VEVENT of line N`.
    public var event: String?
    public var message: String

    public init(line: Int? = nil, event: String? = nil, message: String) {
        self.line = line
        self.event = event
        self.message = message
    }

    /// The index in its list of the JSON event `event` names: the JSON readers name an
    /// event `#index` or `#index uid`; nil for another name (a uid).
    public static func jsonIndex(of event: String) -> Int? {
        guard event.first == "#" else { return nil }
        return Int(event.dropFirst().prefix { $0 != " " })
    }

    /// `line 12: event a@b: DTEND '2026' is not a DATE or DATE-TIME; ignored`.
    public var description: String {
        (line.map { "line \($0): " } ?? "") + (event.map { "event \($0): " } ?? "") + message
    }
}

/// The warnings of one read: the first `limit` kept in order, the rest only counted, so
/// that a file of a million bad lines cannot swell the daemon.
public struct FeedWarnings: Sendable {
    public static let defaultLimit = 100

    public private(set) var list: [FeedWarning] = []
    /// Every warning, listed or not.
    public private(set) var total = 0
    public let limit: Int

    public init(limit: Int = FeedWarnings.defaultLimit) { self.limit = limit }

    public mutating func add(_ warning: FeedWarning) {
        total += 1
        if list.count < limit { list.append(warning) }
    }

    public mutating func add(line: Int? = nil, event: String? = nil, _ message: String) {
        add(FeedWarning(line: line, event: event, message: message))
    }

    /// Gives the warnings about a JSON document's events (named `#index` by the JSON
    /// readers) the line each event starts on (`JSONElementLines`), when the lines match
    /// the `count` events read and are not all on one line (an API answer: "line 1" for
    /// each would say nothing).
    public mutating func addEventLines(ofJSON bytes: [UInt8], count: Int) {
        guard list.contains(where: { $0.line == nil && $0.event.flatMap(FeedWarning.jsonIndex) != nil }) else { return }
        let lines = JSONElementLines.ofEvents(bytes)
        guard lines.count == count, !(count > 1 && lines.first == lines.last) else { return }
        for i in list.indices where list[i].line == nil {
            guard let index = list[i].event.flatMap(FeedWarning.jsonIndex), lines.indices.contains(index) else { continue }
            list[i].line = lines[index]
        }
    }

    public mutating func add(contentsOf other: FeedWarnings) {
        for w in other.list { add(w) }
        total += other.total - other.list.count
    }
}

/// Why a feed was refused whole (its last good copy stays): it is not a feed at all, it is
/// truncated, or more than half of its events are broken.
public struct FeedRefusal: Error, Sendable, Hashable, CustomStringConvertible {
    /// `iCalendar`, `OpenAgenda`, `programme JSON`; nil when no format was recognised.
    public var format: String?
    public var line: Int?
    public var reason: String

    public init(format: String?, line: Int? = nil, reason: String) {
        self.format = format
        self.line = line
        self.reason = reason
    }

    /// `iCalendar line 1: expected BEGIN:VCALENDAR, found <html>`.
    public var description: String {
        switch (format, line) {
        case let (format?, line?): return "\(format) line \(line): \(reason)"
        case let (format?, nil): return "\(format): \(reason)"
        case let (nil, line?): return "line \(line): \(reason)"
        case (nil, nil): return reason
        }
    }
}
