import Foundation
import KioskCore
import KioskFeeds

/// Decodes a feed body of a configured format into programme events, or throws an error
/// saying where the feed is wrong. Nothing is partially accepted.
public enum ProgrammeDecoder {
    public static func decode(_ data: Data, format: FeedFormat, venueTimeZone: TimeZone, language: Language) throws -> [ProgrammeEvent] {
        switch format {
        case .ics:
            let document = try ICalendarParser(venueTimeZone: venueTimeZone).parse(data)
            return document.events
        case .openagenda:
            return try OpenAgendaParser(language: language.rawValue, venueTimeZone: venueTimeZone).parse(data).events
        case .json:
            return try ProgrammeJSONParser(venueTimeZone: venueTimeZone).parse(data)
        }
    }
}
