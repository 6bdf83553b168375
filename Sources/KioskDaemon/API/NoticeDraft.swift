import Foundation
import KioskCore

/// A notice as staff write it, before it gets an id and a posting time: validated, text
/// cleaned of control characters and terminal escape sequences.
public struct NoticeDraft: Sendable, Hashable {
    public static let maxTitleLength = 120
    public static let maxBodyLength = 4000
    public static let maxAuthorLength = 120
    /// How long a notice stays without an explicit `expires`.
    public static let defaultLifetime: TimeInterval = 14 * 86_400

    public var kind: Notice.Kind
    public var title: String
    public var body: String
    public var author: String
    public var terms: Notice.Terms?
    public var deadline: CivilDate?
    public var eventDate: CivilDate?
    /// Nil: `defaultLifetime` after posting.
    public var expires: Date?
    public var urgent: Bool

    /// Checks and cleans the fields; throws 422 saying which field is wrong.
    public init(
        kind: Notice.Kind, title: String, body: String = "", author: String = "", terms: Notice.Terms? = nil,
        deadline: CivilDate? = nil, eventDate: CivilDate? = nil, expires: Date? = nil, urgent: Bool = false
    ) throws(HTTPError) {
        func invalid(_ message: String) -> HTTPError { HTTPError(.unprocessableContent, message) }
        self.kind = kind
        self.title = TerminalText.sanitized(title).trimmingCharacters(in: .whitespaces)
        self.body = Self.cleanParagraphs(body)
        self.author = TerminalText.sanitized(author).trimmingCharacters(in: .whitespaces)
        self.terms = terms
        self.deadline = deadline
        self.eventDate = eventDate
        self.expires = expires
        self.urgent = urgent
        guard !self.title.isEmpty else { throw invalid("title: a notice needs a title") }
        guard self.title.count <= Self.maxTitleLength else { throw invalid("title: at most \(Self.maxTitleLength) characters (\(self.title.count) sent)") }
        guard self.body.count <= Self.maxBodyLength else { throw invalid("body: at most \(Self.maxBodyLength) characters (\(self.body.count) sent)") }
        guard self.author.count <= Self.maxAuthorLength else { throw invalid("author: at most \(Self.maxAuthorLength) characters") }
        if terms != nil && kind != .offer && kind != .request { throw invalid("terms: only offers and requests have terms") }
        if kind == .call && deadline == nil { throw invalid("deadline: a call for projects needs a deadline (YYYY-MM-DD)") }
        if kind == .professionalEvent && eventDate == nil { throw invalid("eventDate: a professional event needs its date (YYYY-MM-DD)") }
    }

    /// Each line sanitised on its own (line breaks kept, at most one blank line in a row).
    static func cleanParagraphs(_ text: String) -> String {
        let lines = text.replacingOccurrences(of: "\r\n", with: "\n").split(separator: "\n", omittingEmptySubsequences: false)
            .map { TerminalText.sanitized(String($0)).trimmingCharacters(in: .whitespaces) }
        var out: [String] = []
        for line in lines where !(line.isEmpty && (out.last?.isEmpty ?? true)) { out.append(line) }
        while out.last?.isEmpty == true { out.removeLast() }
        return out.joined(separator: "\n")
    }

    /// Reads the notice request of docs/api.md (`NoticeRequest`). Dates are `YYYY-MM-DD`;
    /// `expires` is an RFC 3339 instant or a day (the end of that day in `timeZone`).
    /// Throws 422 saying which field is wrong.
    public static func parse(_ request: NoticeRequest, timeZone: IANATimeZone) throws(HTTPError) -> NoticeDraft {
        func invalid(_ message: String) -> HTTPError { HTTPError(.unprocessableContent, message) }
        func day(_ key: String, _ value: String?) throws(HTTPError) -> CivilDate? {
            guard let text = value?.trimmingCharacters(in: .whitespaces), !text.isEmpty else { return nil }
            guard let date = CivilDate(iso: text), date.isValid else { throw invalid("\(key): '\(text.prefix(40))' is not a date YYYY-MM-DD") }
            return date
        }
        let kindText = request.kind ?? "information"
        guard let kind = Notice.Kind(rawValue: kindText) else {
            throw invalid("kind: '\(kindText.prefix(40))' is not one of \(Notice.Kind.allCases.map(\.rawValue).joined(separator: ", "))")
        }
        var terms: Notice.Terms?
        if let t = request.terms, !t.isEmpty {
            guard let value = Notice.Terms(rawValue: t) else { throw invalid("terms: '\(t.prefix(40))' is not one of gift, sale, rental, loan") }
            terms = value
        }
        var expires: Date?
        if let text = request.expires?.trimmingCharacters(in: .whitespaces), !text.isEmpty {
            if let date = CivilDate(iso: text), date.isValid {
                expires = date.adding(days: 1).start(in: timeZone)
            } else if let instant = ISO8601.parse(text) {
                expires = instant
            } else {
                throw invalid("expires: '\(text.prefix(40))' is not an RFC 3339 instant or a date YYYY-MM-DD")
            }
        }
        guard let title = request.title else { throw invalid("title: a notice needs a title") }
        return try NoticeDraft(
            kind: kind, title: title, body: request.body ?? "", author: request.author ?? "", terms: terms,
            deadline: try day("deadline", request.deadline), eventDate: try day("eventDate", request.eventDate), expires: expires,
            urgent: request.urgent ?? false)
    }

    /// The notice this draft becomes, posted at `posted`; 422 when it would expire first.
    func notice(id: String, posted: Date) throws(HTTPError) -> Notice {
        let expires = self.expires ?? posted.addingTimeInterval(Self.defaultLifetime)
        guard expires > posted else {
            throw HTTPError(.unprocessableContent, "expires: \(ISO8601.format(expires)) is not after the posting time \(ISO8601.format(posted))")
        }
        return Notice(
            id: id, kind: kind, title: title, body: body, author: author, terms: terms, deadline: deadline,
            eventDate: eventDate, posted: posted, expires: expires, urgent: urgent)
    }
}
