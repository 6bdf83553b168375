import Foundation
import KioskCore

/// The alert on screen (`GET /api/v1/alert`, `/healthz`, the answer to `POST`).
public struct AlertBody: APIBody, Hashable {
    public var id: String
    /// `information`, `closure` or `evacuation`.
    public var level: String
    public var title: String
    public var text: String
    public var titleEnglish: String?
    public var textEnglish: String?
    public var raised: Date
    public var raisedBy: String
    /// Null: until withdrawn.
    public var expires: Date?

    public init(_ a: ScreenAlert) {
        id = a.id
        level = a.level.rawValue
        title = a.title
        text = a.text
        titleEnglish = a.titleEnglish
        textEnglish = a.textEnglish
        raised = a.raised
        raisedBy = a.raisedBy
        expires = a.expires
    }

    public init(from decoder: any Decoder) throws {
        try StrictKeys.check(decoder, known: CodingKeys.allCases.map(\.stringValue))
        let c = try decoder.container(keyedBy: CodingKeys.self)
        id = try c.decode(String.self, forKey: .id)
        level = try c.decode(String.self, forKey: .level)
        title = try c.decode(String.self, forKey: .title)
        text = try c.decode(String.self, forKey: .text)
        titleEnglish = try c.decodeIfPresent(String.self, forKey: .titleEnglish)
        textEnglish = try c.decodeIfPresent(String.self, forKey: .textEnglish)
        raised = try c.decode(Date.self, forKey: .raised)
        raisedBy = try c.decode(String.self, forKey: .raisedBy)
        expires = try c.decodeIfPresent(Date.self, forKey: .expires)
    }

    public func encode(to encoder: any Encoder) throws {
        var c = encoder.container(keyedBy: CodingKeys.self)
        try c.encode(id, forKey: .id)
        try c.encode(level, forKey: .level)
        try c.encode(title, forKey: .title)
        try c.encode(text, forKey: .text)
        try c.encode(titleEnglish, forKey: .titleEnglish)
        try c.encode(textEnglish, forKey: .textEnglish)
        try c.encode(raised, forKey: .raised)
        try c.encode(raisedBy, forKey: .raisedBy)
        try c.encode(expires, forKey: .expires)
    }

    enum CodingKeys: String, CodingKey, CaseIterable { case id, level, title, text, titleEnglish, textEnglish, raised, raisedBy, expires }
}

/// `POST /api/v1/alert`: raise an alert (replacing the one in force). `level` and `title`
/// are required; `text` at most 280 characters, `title` 80; how long: `minutes` (counted on
/// the kiosk's clock, which a client's may not agree with) or `expires` (an RFC 3339
/// instant), neither: until withdrawn. Unknown keys are refused.
public struct AlertRequest: APIBody, Hashable {
    public var level: String
    public var title: String
    public var text: String?
    public var titleEnglish: String?
    public var textEnglish: String?
    public var expires: Date?
    /// Minutes from the moment the kiosk receives it (1 to 10080).
    public var minutes: Int?

    public init(
        level: String, title: String, text: String? = nil, titleEnglish: String? = nil, textEnglish: String? = nil, expires: Date? = nil,
        minutes: Int? = nil
    ) {
        self.level = level
        self.title = title
        self.text = text
        self.titleEnglish = titleEnglish
        self.textEnglish = textEnglish
        self.expires = expires
        self.minutes = minutes
    }

    public init(from decoder: any Decoder) throws {
        try StrictKeys.check(decoder, known: CodingKeys.allCases.map(\.stringValue), always: true)
        let c = try decoder.container(keyedBy: CodingKeys.self)
        level = try c.decode(String.self, forKey: .level)
        title = try c.decode(String.self, forKey: .title)
        text = try c.decodeIfPresent(String.self, forKey: .text)
        titleEnglish = try c.decodeIfPresent(String.self, forKey: .titleEnglish)
        textEnglish = try c.decodeIfPresent(String.self, forKey: .textEnglish)
        expires = try c.decodeIfPresent(Date.self, forKey: .expires)
        minutes = try c.decodeIfPresent(Int.self, forKey: .minutes)
    }

    public func encode(to encoder: any Encoder) throws {
        var c = encoder.container(keyedBy: CodingKeys.self)
        try c.encodeIfPresent(minutes, forKey: .minutes)
        try c.encode(level, forKey: .level)
        try c.encode(title, forKey: .title)
        try c.encodeIfPresent(text, forKey: .text)
        try c.encodeIfPresent(titleEnglish, forKey: .titleEnglish)
        try c.encodeIfPresent(textEnglish, forKey: .textEnglish)
        try c.encodeIfPresent(expires, forKey: .expires)
    }

    enum CodingKeys: String, CodingKey, CaseIterable { case level, title, text, titleEnglish, textEnglish, expires, minutes }
}
