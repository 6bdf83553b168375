import Foundation
import Testing
import KioskCore

@Suite("Poster periods")
struct PosterTests {
    static let paris = IANATimeZone(identifier: "Europe/Paris")!

    static func at(_ text: String) -> Date {
        let f = ISO8601DateFormatter()
        return f.date(from: text)!
    }

    static func poster(days: Set<Int> = [], hours: Poster.Hours? = nil) -> Poster {
        Poster(id: "p-1", title: "Festival", from: CivilDate(year: 2026, month: 3, day: 27), to: CivilDate(year: 2026, month: 3, day: 30),
               weekdays: days, hours: hours, picture: String(repeating: "a", count: 64), posted: at("2026-03-01T00:00:00Z"))
    }

    @Test func firstAndLastDaysAreIncludedOnTheVenueCalendar() {
        let p = Self.poster()
        #expect(!p.isShowing(at: Self.at("2026-03-26T22:59:59Z"), timeZone: Self.paris))  // 23:59:59 on the 26th in Paris
        #expect(p.isShowing(at: Self.at("2026-03-26T23:00:00Z"), timeZone: Self.paris))   // midnight on the 27th
        #expect(p.isShowing(at: Self.at("2026-03-30T21:59:59Z"), timeZone: Self.paris))   // 23:59:59 on the 30th (summer time)
        #expect(!p.isShowing(at: Self.at("2026-03-30T22:00:00Z"), timeZone: Self.paris))
        #expect(p.hasEnded(at: Self.at("2026-03-30T22:00:00Z"), timeZone: Self.paris))
    }

    @Test func weekdaysAndHoursOnTheWallClockAcrossTheSpringChange() {
        // 2026-03-29 is the Sunday clocks go forward in Paris; 28 is a Saturday.
        let weekend = Self.poster(days: [6, 7])
        #expect(!weekend.isShowing(at: Self.at("2026-03-27T12:00:00Z"), timeZone: Self.paris))
        #expect(weekend.isShowing(at: Self.at("2026-03-28T12:00:00Z"), timeZone: Self.paris))
        let mornings = Self.poster(hours: Poster.Hours(opens: TimeOfDay(hour: 9, minute: 0), closes: TimeOfDay(hour: 12, minute: 0)))
        #expect(mornings.isShowing(at: Self.at("2026-03-28T08:00:00Z"), timeZone: Self.paris))   // 09:00 in winter time
        #expect(!mornings.isShowing(at: Self.at("2026-03-29T06:59:00Z"), timeZone: Self.paris))  // 08:59 summer time
        #expect(mornings.isShowing(at: Self.at("2026-03-29T07:00:00Z"), timeZone: Self.paris))   // 09:00 summer time
        #expect(!mornings.isShowing(at: Self.at("2026-03-29T10:00:00Z"), timeZone: Self.paris))  // 12:00 summer time
        #expect(!mornings.isShowing(at: Self.at("2026-03-28T07:59:00Z"), timeZone: Self.paris))  // 08:59 winter time
    }
}
