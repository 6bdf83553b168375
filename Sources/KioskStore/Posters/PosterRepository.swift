import Foundation
import KioskCore

/// The posters staff scheduled. `posted` is stored in whole seconds.
public struct PosterRepository {
    public let database: Database

    public init(database: Database) {
        self.database = database
    }

    /// Adds a poster; fails with a `constraintPrimaryKey` ``DatabaseError`` when the id exists.
    public func create(_ poster: Poster, createdBy: String = "") throws {
        let weekdays = poster.weekdays.sorted().map(String.init).joined(separator: ",")
        try database.execute(
            """
            INSERT INTO posters (id, title, first_day, last_day, weekdays, opens, closes, picture, posted, created_by)
            VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
            """,
            [poster.id, poster.title, poster.from, poster.to, weekdays, poster.hours?.opens.minutes, poster.hours?.closes.minutes,
             poster.picture, poster.posted, createdBy])
    }

    @discardableResult
    public func delete(id: String) throws -> Bool {
        try database.execute("DELETE FROM posters WHERE id = ?", [id])
        return database.changes > 0
    }

    public func get(id: String) throws -> Poster? {
        try database.queryFirst("SELECT * FROM posters WHERE id = ?", [id]).map(Self.poster(from:))
    }

    /// Who created poster `id` (the token's name); nil when there is none.
    public func createdBy(id: String) throws -> String? {
        try database.scalar("SELECT created_by FROM posters WHERE id = ?", [id], as: String.self)
    }

    /// Every poster, by first day then id.
    public func all() throws -> [Poster] {
        try database.query("SELECT * FROM posters ORDER BY first_day, id").map(Self.poster(from:))
    }

    /// The posters in their period at `instant` (days, weekdays and hours on `timeZone`'s
    /// calendar and clock), by first day then id.
    public func showing(at instant: Date, timeZone: IANATimeZone) throws -> [Poster] {
        let today = CivilDate(instant, in: timeZone)
        return try database.query("SELECT * FROM posters WHERE first_day <= ? AND last_day >= ? ORDER BY first_day, id", [today, today])
            .map(Self.poster(from:)).filter { $0.isShowing(at: instant, timeZone: timeZone) }
    }

    /// The hashes of the pictures posters refer to (the rest of `PictureFileStore` may go).
    public func pictureHashes() throws -> Set<String> {
        Set(try database.query("SELECT DISTINCT picture FROM posters").map { row -> String in try row.get("picture") })
    }

    /// Deletes posters whose last day is before `day`; returns how many.
    @discardableResult
    public func purge(endedBefore day: CivilDate) throws -> Int {
        try database.execute("DELETE FROM posters WHERE last_day < ?", [day])
        return database.changes
    }

    private static func poster(from row: Row) throws -> Poster {
        let id: String = try row.get("id")
        let weekdayText: String = try row.get("weekdays")
        var weekdays = Set<Int>()
        for part in weekdayText.split(separator: ",") {
            guard let day = Int(part), (1...7).contains(day) else {
                throw RecordError(table: "posters", key: id, problem: "bad weekdays '\(weekdayText)'")
            }
            weekdays.insert(day)
        }
        let opens: Int? = try row.get("opens"), closes: Int? = try row.get("closes")
        var hours: Poster.Hours?
        if let opens, let closes {
            guard 0 <= opens, opens < closes, closes <= 24 * 60 else {
                throw RecordError(table: "posters", key: id, problem: "bad hours \(opens)-\(closes)")
            }
            hours = Poster.Hours(opens: TimeOfDay(hour: 0, minute: opens), closes: TimeOfDay(hour: 0, minute: closes))
        }
        return Poster(id: id, title: try row.get("title"), from: try row.get("first_day"), to: try row.get("last_day"),
                      weekdays: weekdays, hours: hours, picture: try row.get("picture"), posted: try row.get("posted"))
    }
}
