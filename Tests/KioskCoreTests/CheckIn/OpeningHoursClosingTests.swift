import Foundation
import Testing

@testable import KioskCore

@Suite struct OpeningHoursClosingTests {
    /// Monday to Friday 09:00-19:00, Saturday 10:00-12:30 and 14:00-18:00, closed Sunday.
    static let hours: OpeningHours = {
        let weekday = try! OpeningHours.parseDay("09:00-19:00")
        return OpeningHours(days: Array(repeating: weekday, count: 5) + [try! OpeningHours.parseDay("10:00-12:30, 14:00-18:00"), []])
    }()

    func closing(after time: String, _ hours: OpeningHours = hours) -> Date? {
        hours.closing(after: CheckInVenue.time(time), timeZone: CheckInVenue.zone)
    }

    @Test func theNextClosingTime() {
        // 4 March 2025 is a Tuesday.
        #expect(closing(after: "2025-03-04 12:00") == CheckInVenue.time("2025-03-04 19:00"))
        #expect(closing(after: "2025-03-04 07:00") == CheckInVenue.time("2025-03-04 19:00"))
        #expect(closing(after: "2025-03-04 19:00") == CheckInVenue.time("2025-03-05 19:00"), "strictly after")
        #expect(closing(after: "2025-03-07 20:00") == CheckInVenue.time("2025-03-08 12:30"), "Friday night: Saturday's lunch break")
        #expect(closing(after: "2025-03-08 13:00") == CheckInVenue.time("2025-03-08 18:00"))
        #expect(closing(after: "2025-03-08 18:30") == CheckInVenue.time("2025-03-10 19:00"), "closed on Sunday")
        #expect(closing(after: "2025-03-04 12:00", .always) == nil, "open around the clock")
    }

    @Test func aRangeRunningPastMidnightClosesTheNextMorning() throws {
        var late = Array(repeating: try OpeningHours.parseDay("18:00-24:00"), count: 7)
        late[1] = try OpeningHours.parseDay("00:00-02:00, 18:00-24:00")  // Tuesday
        late[2] = try OpeningHours.parseDay("00:00-02:00")  // Wednesday
        let hours = OpeningHours(days: late)
        // Monday 20:00 -> Tuesday 02:00 (Monday's 24:00 continues into Tuesday).
        #expect(closing(after: "2025-03-03 20:00", hours) == CheckInVenue.time("2025-03-04 02:00"))
        #expect(closing(after: "2025-03-04 20:00", hours) == CheckInVenue.time("2025-03-05 02:00"))
        // Closed on Wednesday evening; Thursday's 18:00-24:00 is followed by a Friday that
        // does not open at 00:00, so the building closes at midnight.
        #expect(closing(after: "2025-03-05 20:00", hours) == CheckInVenue.time("2025-03-07 00:00"))
    }
}
