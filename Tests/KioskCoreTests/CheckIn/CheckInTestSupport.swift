import Foundation
import KioskCore

/// Wall-clock instants of the venue for check-in tests.
enum CheckInVenue {
    static let zone = IANATimeZone(identifier: "Europe/Paris")!

    /// `yyyy-MM-dd HH:mm` (or with `:ss`) read in Europe/Paris.
    static func time(_ text: String) -> Date {
        let formatter = DateFormatter()
        formatter.locale = Locale(identifier: "en_US_POSIX")
        formatter.timeZone = TimeZone(identifier: zone.identifier)!
        formatter.dateFormat = text.count > 16 ? "yyyy-MM-dd HH:mm:ss" : "yyyy-MM-dd HH:mm"
        guard let date = formatter.date(from: text) else { fatalError("bad fixture instant \(text)") }
        return date
    }

    static func occurrence(_ uid: String, _ title: String, _ start: String, _ end: String, room: String = "", status: EventStatus = .confirmed) -> Occurrence {
        Occurrence(uid: uid, title: title, room: room, status: status, start: .instant(time(start)), end: .instant(time(end)))
    }
}
