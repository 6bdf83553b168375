import Foundation
import KioskCore

/// Joins lines with CRLF (or `eol`) into iCalendar bytes.
func icsBytes(_ lines: [String], eol: String = "\r\n") -> [UInt8] {
    Array((lines.joined(separator: eol) + eol).utf8)
}

/// Reads and labels instants on a zone's wall clock through Foundation's Calendar.
struct ZoneLabels {
    let calendar: Calendar

    init(_ identifier: String) {
        var c = Calendar(identifier: .gregorian)
        c.timeZone = TimeZone(identifier: identifier)!
        calendar = c
    }

    func label(_ time: EventTime) -> String {
        switch time {
        case .date(let d): return d.description
        case .instant(let date):
            let c = calendar.dateComponents([.year, .month, .day, .hour, .minute], from: date)
            return String(format: "%04d-%02d-%02d %02d:%02d", c.year!, c.month!, c.day!, c.hour!, c.minute!)
        }
    }

    func instant(_ y: Int, _ m: Int, _ d: Int, _ h: Int = 0, _ mi: Int = 0) -> Date {
        calendar.date(from: DateComponents(year: y, month: m, day: d, hour: h, minute: mi))!
    }
}

let parisZone = IANATimeZone(identifier: "Europe/Paris")!
