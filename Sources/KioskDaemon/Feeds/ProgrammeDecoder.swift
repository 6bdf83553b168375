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
            throw FeedFetchError(kind: .http, message: "OpenAgenda decoding not wired yet")
        case .json:
            throw FeedFetchError(kind: .http, message: "native JSON decoding not wired yet")
        }
    }
}
