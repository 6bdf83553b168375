import Foundation
import KioskCore

/// The "post a notice" form: the values as typed (so a rejected form comes back filled
/// in) and the errors found in them, field by field.
struct StaffNoticeForm: Sendable, Hashable {
    /// Form field names, shared by the markup and the parser.
    enum Field: String, Sendable, CaseIterable {
        case kind, title, body, author, terms, deadline
        case eventDate = "event_date"
        case expiresDays = "expires_days"
        case urgent
    }

    static let maximumTitle = 120
    static let maximumBody = 2000
    static let maximumAuthor = 80
    static let defaultExpiryDays = 14

    var values: [Field: String] = [:]
    var errors: [Field: String] = [:]

    /// An empty form with the defaults (information, 14 days).
    static var blank: StaffNoticeForm {
        StaffNoticeForm(values: [.kind: Notice.Kind.information.rawValue, .expiresDays: String(defaultExpiryDays)])
    }

    /// The values of a submitted form (trimmed of surrounding spaces).
    init(fields: HTTPFormFields) {
        for field in Field.allCases {
            if let value = fields[field.rawValue] {
                values[field] = value.trimmingCharacters(in: .whitespacesAndNewlines)
            }
        }
    }

    init(values: [Field: String] = [:], errors: [Field: String] = [:]) {
        self.values = values
        self.errors = errors
    }

    func value(_ field: Field) -> String { values[field] ?? "" }

    var isUrgent: Bool { !(values[.urgent] ?? "").isEmpty }

    /// The form filled with a stored notice (to edit it): days shown counted from today.
    init(_ notice: Notice, now: Date, timeZone: IANATimeZone) {
        let lastDay = CivilDate(notice.expires.addingTimeInterval(-1), in: timeZone)
        let days = max(1, lastDay.dayNumber - CivilDate(now, in: timeZone).dayNumber + 1)
        values = [
            .kind: notice.kind.rawValue, .title: notice.title, .body: notice.body, .author: notice.author,
            .terms: notice.terms?.rawValue ?? "", .deadline: notice.deadline?.description ?? "",
            .eventDate: notice.eventDate?.description ?? "", .expiresDays: String(min(365, days)),
        ]
        if notice.urgent { values[.urgent] = "1" }
    }

    /// Checks every field; returns the draft when all are valid, else fills `errors`.
    mutating func validate(now: Date, timeZone: IANATimeZone, strings: StaffPageStrings) -> NoticeDraft? {
        errors = [:]
        let today = CivilDate(now, in: timeZone)
        let kind = Notice.Kind(rawValue: value(.kind))
        if kind == nil { errors[.kind] = strings.unknownKind }
        let title = value(.title)
        if title.isEmpty {
            errors[.title] = strings.titleRequired
        } else if title.count > Self.maximumTitle {
            errors[.title] = strings.titleTooLong(Self.maximumTitle)
        }
        if value(.body).count > Self.maximumBody { errors[.body] = strings.textTooLong(Self.maximumBody) }
        if value(.author).count > Self.maximumAuthor { errors[.author] = strings.textTooLong(Self.maximumAuthor) }
        var terms: Notice.Terms?
        if !value(.terms).isEmpty {
            terms = Notice.Terms(rawValue: value(.terms))
            if terms == nil {
                errors[.terms] = strings.unknownTerms
            } else if let kind, kind != .offer, kind != .request {
                errors[.terms] = strings.termsOnlyForAds
            }
        }
        func date(_ field: Field) -> CivilDate? {
            guard !value(field).isEmpty else { return nil }
            guard let date = CivilDate(iso: value(field)), date.isValid else {
                errors[field] = strings.badDate
                return nil
            }
            return date
        }
        let deadline = date(.deadline)
        if kind == .call, deadline == nil, errors[.deadline] == nil { errors[.deadline] = strings.deadlineRequired }
        if let deadline, deadline < today { errors[.deadline] = strings.deadlinePast }
        let eventDate = date(.eventDate)
        if kind == .professionalEvent, eventDate == nil, errors[.eventDate] == nil {
            errors[.eventDate] = strings.eventDateRequired
        }
        let daysText = value(.expiresDays).isEmpty ? String(Self.defaultExpiryDays) : value(.expiresDays)
        let days = Int(daysText).flatMap { (1...365).contains($0) ? $0 : nil }
        if days == nil { errors[.expiresDays] = strings.badExpiry }
        guard errors.isEmpty, let kind, let days else { return nil }
        // Shown until the end of the last of `days` days, today being the first.
        let expires = today.adding(days: days).start(in: timeZone)
        do {
            return try NoticeDraft(
                kind: kind, title: title, body: value(.body), author: value(.author), terms: terms,
                deadline: deadline, eventDate: eventDate, expires: expires, urgent: isUrgent)
        } catch {
            // The desk's own checks (after cleaning control characters): said at the title.
            errors[.title] = error.reason
            return nil
        }
    }
}
