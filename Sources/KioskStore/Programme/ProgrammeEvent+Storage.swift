import Foundation
import KioskCore

/// How a `ProgrammeEvent` is written into the `events` table.
///
/// The payload is the event's own `Codable` JSON, keys sorted, dates as Unix seconds
/// (`secondsSince1970`), so `json_extract(payload, '$.title')` works in the sqlite3 shell.
/// Changing the `Codable` shape of `ProgrammeEvent` in a way old payloads cannot decode
/// needs a migration that rewrites them (or `decodeIfPresent` defaults).
struct EventPayloadCoder {
    private let encoder: JSONEncoder
    private let decoder: JSONDecoder

    init() {
        encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        encoder.dateEncodingStrategy = .secondsSince1970
        decoder = JSONDecoder()
        decoder.dateDecodingStrategy = .secondsSince1970
    }

    func encode(_ event: ProgrammeEvent) throws -> String {
        String(decoding: try encoder.encode(event), as: UTF8.self)
    }

    func decode(_ payload: String) throws -> ProgrammeEvent {
        try decoder.decode(ProgrammeEvent.self, from: Data(payload.utf8))
    }
}

extension EventTime {
    /// Stable text for the `recurrence_id` column: `YYYY-MM-DD` for a date,
    /// `YYYY-MM-DDTHH:MM:SSZ` (UTC, whole seconds) for an instant.
    var storageKey: String {
        switch self {
        case .date(let day):
            return day.description
        case .instant(let instant):
            let seconds = Int(instant.timeIntervalSince1970.rounded(.down))
            let days = seconds >= 0 ? seconds / 86_400 : (seconds - 86_399) / 86_400
            let rest = seconds - days * 86_400
            let h = String(rest / 3600).leftPadded(2), m = String(rest / 60 % 60).leftPadded(2), s = String(rest % 60).leftPadded(2)
            return "\(CivilDate(dayNumber: days))T\(h):\(m):\(s)Z"
        }
    }
}

extension String {
    fileprivate func leftPadded(_ width: Int) -> String {
        count >= width ? self : String(repeating: "0", count: width - count) + self
    }
}
