import Foundation
import KioskCore

/// The programme file formats the kiosk reads, told apart by content (not by file name).
public enum ProgrammeFeedFormat: String, Sendable, CaseIterable {
    case iCalendar = "ical"
    case openAgenda = "openagenda"
    case programmeJSON = "json"

    /// `BEGIN:VCALENDAR` first (after a BOM and blank space) is iCalendar; a JSON object
    /// whose events carry `timings`, or with OpenAgenda's `total`/`after` paging keys, is
    /// OpenAgenda; other JSON is the native programme format. nil for anything else.
    public static func detect(_ bytes: [UInt8]) -> ProgrammeFeedFormat? {
        var i = 0
        if bytes.count >= 3, bytes[0] == 0xEF, bytes[1] == 0xBB, bytes[2] == 0xBF { i = 3 }
        while i < bytes.count, [0x20, 0x09, 0x0D, 0x0A].contains(bytes[i]) { i += 1 }
        guard i < bytes.count else { return nil }
        if bytes[i] == UInt8(ascii: "{") || bytes[i] == UInt8(ascii: "[") {
            guard let root = try? JSONSerialization.jsonObject(with: Data(bytes[i...])) else { return .programmeJSON }
            if let object = root as? [String: Any] {
                if object["after"] != nil || object["total"] != nil { return .openAgenda }
                if let events = object["events"] as? [[String: Any]], events.contains(where: { $0["timings"] != nil }) { return .openAgenda }
            }
            return .programmeJSON
        }
        let prefix = Array("BEGIN:VCALENDAR".utf8)
        guard bytes.count - i >= prefix.count else { return nil }
        for (k, p) in prefix.enumerated() {
            let b = bytes[i + k]
            guard b == p || (b >= 0x61 && b <= 0x7A && b - 0x20 == p) else { return nil }
        }
        return .iCalendar
    }

    /// Reads `bytes` in this format. Errors are `ICalendarError` or `FeedJSONError`.
    public func events(_ bytes: [UInt8], venueTimeZone: TimeZone, language: String = "fr") throws -> [ProgrammeEvent] {
        switch self {
        case .iCalendar: return try ICalendarParser(venueTimeZone: venueTimeZone).parse(bytes).events
        case .openAgenda: return try OpenAgendaParser(language: language, venueTimeZone: venueTimeZone).parse(bytes).events
        case .programmeJSON: return try ProgrammeJSONParser(venueTimeZone: venueTimeZone).parse(bytes)
        }
    }
}

/// The file is in none of the formats `ProgrammeFeedFormat` knows.
public struct UnknownProgrammeFormatError: Error, Sendable, CustomStringConvertible {
    public init() {}
    public var description: String {
        "unrecognised programme file: expected iCalendar (BEGIN:VCALENDAR), an OpenAgenda API response, or programme JSON"
    }
}
