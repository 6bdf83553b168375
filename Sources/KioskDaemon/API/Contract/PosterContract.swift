import Foundation
import KioskCore

/// A poster (`GET /api/v1/posters`, the answer to `POST`): its period, and the picture by
/// content hash. `days` are ISO weekdays (1 = Monday), empty for every day; `hours` is
/// left out when the poster shows all day.
public struct PosterBody: APIBody, Hashable {
    public var id: String
    public var title: String
    /// `YYYY-MM-DD`, both included.
    public var from: String
    public var to: String
    public var days: [Int]
    /// `09:00-18:00`; absent: all day.
    public var hours: String?
    /// SHA-256 of the picture file, 64 hex digits.
    public var picture: String
    public var posted: Date

    public init(_ p: Poster) {
        id = p.id
        title = p.title
        from = p.from.description
        to = p.to.description
        days = p.weekdays.sorted()
        hours = p.hours.map { "\($0.opens)-\($0.closes)" }
        picture = p.picture
        posted = p.posted
    }

    public init(from decoder: any Decoder) throws {
        try StrictKeys.check(decoder, known: CodingKeys.allCases.map(\.stringValue))
        let c = try decoder.container(keyedBy: CodingKeys.self)
        id = try c.decode(String.self, forKey: .id)
        title = try c.decode(String.self, forKey: .title)
        from = try c.decode(String.self, forKey: .from)
        to = try c.decode(String.self, forKey: .to)
        days = try c.decode([Int].self, forKey: .days)
        hours = try c.decodeIfPresent(String.self, forKey: .hours)
        picture = try c.decode(String.self, forKey: .picture)
        posted = try c.decode(Date.self, forKey: .posted)
    }

    enum CodingKeys: String, CodingKey, CaseIterable { case id, title, from, to, days, hours, picture, posted }
    // Encoding leaves `hours` out when the poster shows all day.
}

/// `GET /api/v1/posters`.
public struct PosterList: APIBody, Hashable {
    public var posters: [PosterBody]
    public init(posters: [PosterBody]) { self.posters = posters }

    public init(from decoder: any Decoder) throws {
        try StrictKeys.check(decoder, known: ["posters"])
        posters = try decoder.container(keyedBy: CodingKeys.self).decode([PosterBody].self, forKey: .posters)
    }
}
