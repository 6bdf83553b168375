import Foundation
import KioskCore
import KioskDisplay

/// The "put a poster on screen" form: the values as typed (so a refused form comes back
/// with the title and period kept; a browser never refills a file input) and the errors
/// found in them, field by field, in the page's language.
///
/// It checks what the page can say best itself (a file chosen, PNG or JPEG by its first
/// bytes, the title, the period, the hours) and then builds the API's `PosterDraft`, so
/// the page and `/api/v1/posters` accept exactly the same posters; whether the picture
/// decodes within the screen's limits is the desk's check, at upload.
struct StaffPosterForm: Sendable, Hashable {
    /// Form field names, shared by the markup and the parser.
    enum Field: String, Sendable, CaseIterable {
        case picture, title, from, to, days, opens, closes
    }

    var title = ""
    var from = ""
    var to = ""
    /// ISO weekdays ticked (1 = Monday).
    var days: Set<Int> = []
    var opens = ""
    var closes = ""
    var errors: [Field: String] = [:]

    /// An empty form for a week from today.
    static func blank(today: CivilDate) -> StaffPosterForm {
        StaffPosterForm(from: today.description, to: today.adding(days: 6).description)
    }

    init(title: String = "", from: String = "", to: String = "") {
        self.title = title
        self.from = from
        self.to = to
    }

    /// The text fields of a submitted multipart form (trimmed); `days` may come several times.
    init(multipart: MultipartFormData) {
        func text(_ field: Field) -> String { (multipart.text(field.rawValue) ?? "").trimmingCharacters(in: .whitespacesAndNewlines) }
        title = text(.title)
        from = text(.from)
        to = text(.to)
        opens = text(.opens)
        closes = text(.closes)
        for part in multipart.parts where part.name == Field.days.rawValue {
            let value = String(decoding: part.content.prefix(8), as: UTF8.self).trimmingCharacters(in: .whitespaces)
            guard let day = Int(value), (1...7).contains(day) else {
                errors[.days] = ""
                continue
            }
            days.insert(day)
        }
    }

    /// Checks every field and the file; returns the draft when all are right, else fills
    /// `errors` (the picture's decoding is left to the desk).
    mutating func validate(picture: MultipartPart?, today: CivilDate, strings: StaffPageStrings) -> PosterDraft? {
        let badDays = errors[.days] != nil
        errors = [:]
        if badDays { errors[.days] = strings.badWeekday }
        let bytes = picture?.content ?? []
        if bytes.isEmpty {
            errors[.picture] = strings.choosePicture
        } else if PictureFormat(sniffing: bytes) == .unknown {
            let name = TerminalText.sanitized(picture?.filename ?? "").prefix(80)
            errors[.picture] = strings.notAPicture(name.isEmpty ? strings.pictureLabel : String(name))
        }
        if title.isEmpty {
            errors[.title] = strings.titleRequired
        } else if title.count > PosterDraft.maxTitleLength {
            errors[.title] = strings.titleTooLong(PosterDraft.maxTitleLength)
        }
        func date(_ field: Field, _ text: String) -> CivilDate? {
            guard let date = CivilDate(iso: text), date.isValid else {
                errors[field] = strings.badDate
                return nil
            }
            return date
        }
        let first = date(.from, from), last = date(.to, to)
        if let first, let last {
            if last < first {
                errors[.to] = strings.periodEndsBeforeStart(strings.lobby.shortDate(last), strings.lobby.shortDate(first))
            } else if last.dayNumber - first.dayNumber >= PosterDraft.maxPeriodDays {
                errors[.to] = strings.periodTooLong(PosterDraft.maxPeriodDays)
            } else if last < today {
                errors[.to] = strings.periodOver
            }
        }
        var hours = ""
        if !opens.isEmpty || !closes.isEmpty {
            let start = try? TimeOfDay(parsing: opens), end = try? TimeOfDay(parsing: closes)
            if opens.isEmpty || closes.isEmpty {
                errors[opens.isEmpty ? .opens : .closes] = strings.hoursIncomplete
            } else if start == nil || end == nil {
                errors[start == nil ? .opens : .closes] = strings.badTime
            } else if let start, let end, !(start < end) {
                errors[.closes] = strings.hoursOrder
            } else {
                hours = opens + "-" + closes
            }
        }
        guard errors.isEmpty else { return nil }
        let fields = HTTPFormFields(fields: [
            HTTPField(name: "title", value: title), HTTPField(name: "from", value: from), HTTPField(name: "to", value: to),
            HTTPField(name: "days", value: days.sorted().map(String.init).joined(separator: ",")), HTTPField(name: "hours", value: hours),
        ])
        do {
            return try PosterDraft(fields: fields, picture: bytes)
        } catch {
            // The API's own checks (after cleaning control characters): said at their field.
            mark(error)
            return nil
        }
    }

    /// Puts a desk's refusal ("field: reason") at its field, the picture's by default.
    mutating func mark(_ error: HTTPError) {
        let reason = error.reason
        for field in Field.allCases where reason.hasPrefix(field.rawValue + ": ") {
            errors[field] = String(reason.dropFirst(field.rawValue.count + 2))
            return
        }
        if reason.hasPrefix("hours: ") {
            errors[.opens] = String(reason.dropFirst(7))
            return
        }
        errors[.picture] = reason.hasPrefix(PosterDraft.pictureField) ? String(reason.dropFirst(PosterDraft.pictureField.count)) : reason
    }
}
