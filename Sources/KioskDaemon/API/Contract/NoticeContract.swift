import Foundation
import KioskCore

/// A notice as the API shows it (`GET`, and the answer to `POST`/`PUT`).
public struct NoticeBody: APIBody, Hashable {
    public var id: String
    /// `information`, `offer`, `request`, `call`, `professional-event`.
    public var kind: String
    public var title: String
    public var body: String
    public var author: String
    /// `gift`, `sale`, `rental`, `loan` (offers and requests).
    public var terms: String?
    /// `YYYY-MM-DD` (calls for projects).
    public var deadline: String?
    /// `YYYY-MM-DD` (professional events).
    public var eventDate: String?
    public var posted: Date
    public var expires: Date
    public var urgent: Bool

    public init(_ n: Notice) {
        id = n.id
        kind = n.kind.rawValue
        title = n.title
        body = n.body
        author = n.author
        terms = n.terms?.rawValue
        deadline = n.deadline?.description
        eventDate = n.eventDate?.description
        posted = n.posted
        expires = n.expires
        urgent = n.urgent
    }

    public init(from decoder: any Decoder) throws {
        try StrictKeys.check(decoder, known: CodingKeys.allCases.map(\.stringValue))
        let c = try decoder.container(keyedBy: CodingKeys.self)
        id = try c.decode(String.self, forKey: .id)
        kind = try c.decode(String.self, forKey: .kind)
        title = try c.decode(String.self, forKey: .title)
        body = try c.decode(String.self, forKey: .body)
        author = try c.decode(String.self, forKey: .author)
        terms = try c.decodeIfPresent(String.self, forKey: .terms)
        deadline = try c.decodeIfPresent(String.self, forKey: .deadline)
        eventDate = try c.decodeIfPresent(String.self, forKey: .eventDate)
        posted = try c.decode(Date.self, forKey: .posted)
        expires = try c.decode(Date.self, forKey: .expires)
        urgent = try c.decode(Bool.self, forKey: .urgent)
    }

    public func encode(to encoder: any Encoder) throws {
        var c = encoder.container(keyedBy: CodingKeys.self)
        try c.encode(id, forKey: .id)
        try c.encode(kind, forKey: .kind)
        try c.encode(title, forKey: .title)
        try c.encode(body, forKey: .body)
        try c.encode(author, forKey: .author)
        try c.encode(terms, forKey: .terms)
        try c.encode(deadline, forKey: .deadline)
        try c.encode(eventDate, forKey: .eventDate)
        try c.encode(posted, forKey: .posted)
        try c.encode(expires, forKey: .expires)
        try c.encode(urgent, forKey: .urgent)
    }

    enum CodingKeys: String, CodingKey, CaseIterable {
        case id, kind, title, body, author, terms, deadline, eventDate, posted, expires, urgent
    }

    /// The same notice as a request body (to send it back changed: `kioskctl notices update`).
    public var request: NoticeRequest {
        NoticeRequest(
            kind: kind, title: title, body: body, author: author, terms: terms, deadline: deadline, eventDate: eventDate,
            expires: ISO8601.format(expires), urgent: urgent)
    }
}

/// `GET /api/v1/notices`.
public struct NoticeList: APIBody, Hashable {
    public var notices: [NoticeBody]
    public init(notices: [NoticeBody]) { self.notices = notices }

    public init(from decoder: any Decoder) throws {
        try StrictKeys.check(decoder, known: ["notices"])
        notices = try decoder.container(keyedBy: CodingKeys.self).decode([NoticeBody].self, forKey: .notices)
    }
}

/// A notice as `POST /api/v1/notices` and `PUT /api/v1/notices/{id}` take it. Only `title`
/// is required; `id` and `posted` may be sent back as read and are ignored; `event_date`
/// is the import file's spelling of `eventDate`. Unknown keys are refused.
public struct NoticeRequest: APIBody, Hashable {
    public var kind: String?
    public var title: String?
    public var body: String?
    public var author: String?
    public var terms: String?
    public var deadline: String?
    public var eventDate: String?
    /// An RFC 3339 instant, or a day `YYYY-MM-DD` (the end of that day in the venue's zone).
    public var expires: String?
    public var urgent: Bool?

    public init(
        kind: String? = nil, title: String? = nil, body: String? = nil, author: String? = nil, terms: String? = nil,
        deadline: String? = nil, eventDate: String? = nil, expires: String? = nil, urgent: Bool? = nil
    ) {
        self.kind = kind
        self.title = title
        self.body = body
        self.author = author
        self.terms = terms
        self.deadline = deadline
        self.eventDate = eventDate
        self.expires = expires
        self.urgent = urgent
    }

    enum CodingKeys: String, CodingKey, CaseIterable {
        case kind, title, body, author, terms, deadline, eventDate, expires, urgent
        case eventDateAlias = "event_date"
        case id, posted
    }

    public init(from decoder: any Decoder) throws {
        try StrictKeys.check(decoder, known: CodingKeys.allCases.map(\.stringValue), always: true)
        let c = try decoder.container(keyedBy: CodingKeys.self)
        kind = try c.decodeIfPresent(String.self, forKey: .kind)
        title = try c.decodeIfPresent(String.self, forKey: .title)
        body = try c.decodeIfPresent(String.self, forKey: .body)
        author = try c.decodeIfPresent(String.self, forKey: .author)
        terms = try c.decodeIfPresent(String.self, forKey: .terms)
        deadline = try c.decodeIfPresent(String.self, forKey: .deadline)
        if c.contains(.eventDate) && c.contains(.eventDateAlias) {
            throw HTTPError(.unprocessableContent, "eventDate: given twice (eventDate and event_date)")
        }
        eventDate = try c.decodeIfPresent(String.self, forKey: c.contains(.eventDateAlias) ? .eventDateAlias : .eventDate)
        expires = try c.decodeIfPresent(String.self, forKey: .expires)
        urgent = try c.decodeIfPresent(Bool.self, forKey: .urgent)
    }

    public func encode(to encoder: any Encoder) throws {
        var c = encoder.container(keyedBy: CodingKeys.self)
        try c.encodeIfPresent(kind, forKey: .kind)
        try c.encodeIfPresent(title, forKey: .title)
        try c.encodeIfPresent(body, forKey: .body)
        try c.encodeIfPresent(author, forKey: .author)
        try c.encodeIfPresent(terms, forKey: .terms)
        try c.encodeIfPresent(deadline, forKey: .deadline)
        try c.encodeIfPresent(eventDate, forKey: .eventDate)
        try c.encodeIfPresent(expires, forKey: .expires)
        try c.encodeIfPresent(urgent, forKey: .urgent)
    }
}
