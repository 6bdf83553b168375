import Foundation

/// A poster staff put on the lobby screen: a picture (PNG or JPEG, stored by content hash)
/// with a title, shown full panel in the rotation from its first to its last day,
/// optionally on some days of the week only and between two times of the day.
///
/// Days are the venue's calendar days (`from` and `to` both included); times are its wall
/// clock. The terminal backend shows no pictures, only the title.
public struct Poster: Sendable, Hashable {
    /// A part of the day on the venue's wall clock, `opens` included, `closes` excluded.
    public struct Hours: Sendable, Hashable {
        public var opens: TimeOfDay
        public var closes: TimeOfDay

        public init(opens: TimeOfDay, closes: TimeOfDay) {
            self.opens = opens
            self.closes = closes
        }
    }

    public var id: String
    public var title: String
    public var from: CivilDate
    public var to: CivilDate
    /// ISO weekdays (1 = Monday ... 7 = Sunday) it shows on; empty: every day.
    public var weekdays: Set<Int>
    /// The part of each day it shows; nil: the whole day.
    public var hours: Hours?
    /// SHA-256 of the picture file, 64 lowercase hex digits (`PictureFileStore`).
    public var picture: String
    public var posted: Date

    public init(id: String, title: String, from: CivilDate, to: CivilDate, weekdays: Set<Int> = [], hours: Hours? = nil,
                picture: String, posted: Date) {
        self.id = id
        self.title = title
        self.from = from
        self.to = to
        self.weekdays = weekdays
        self.hours = hours
        self.picture = picture
        self.posted = posted
    }

    /// Whether the poster is in its period at `instant` on the venue's clock.
    public func isShowing(at instant: Date, timeZone: IANATimeZone) -> Bool {
        let day = CivilDate(instant, in: timeZone)
        guard from <= day, day <= to else { return false }
        if !weekdays.isEmpty, !weekdays.contains(day.isoWeekday) { return false }
        guard let hours else { return true }
        let c = timeZone.hourAndMinute(of: instant)
        let wall = c.hour * 60 + c.minute
        return hours.opens.minutes <= wall && wall < hours.closes.minutes
    }

    /// Whether the poster's last day is over at `instant` (it will not show again).
    public func hasEnded(at instant: Date, timeZone: IANATimeZone) -> Bool {
        CivilDate(instant, in: timeZone) > to
    }
}
