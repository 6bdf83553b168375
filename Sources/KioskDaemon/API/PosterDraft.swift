import Foundation
import KioskCore
import KioskDisplay

/// A poster as staff send it, before it gets an id: title, first and last day, optional
/// weekdays and hours, and the picture's bytes, checked. The picture is decoded once here
/// (off the cooperative pool by the caller), so that a file the screen could not show is
/// refused at upload with the reason in French, never discovered on the screen later.
public struct PosterDraft: Sendable {
    public static let maxTitleLength = 120
    /// The longest period a poster may run, in days (a season).
    public static let maxPeriodDays = 366
    /// What an uploaded picture may be: the screen's limits.
    public static let pictureLimits = PictureLimits.standard

    public var title: String
    public var from: CivilDate
    public var to: CivilDate
    public var weekdays: Set<Int>
    public var hours: Poster.Hours?
    public var picture: [UInt8]
    /// The decoded picture's size (after its EXIF orientation).
    public var pictureWidth = 0, pictureHeight = 0

    /// Reads `title`, `from`, `to` (`YYYY-MM-DD`), `days` (ISO weekdays `1,3,5` or names
    /// `lun,mer` / `mon,wed`) and `hours` (`09:00-18:00`) from `fields`; throws 422 saying
    /// which field is wrong.
    public init(fields: HTTPFormFields, picture: [UInt8]) throws(HTTPError) {
        func invalid(_ message: String) -> HTTPError { HTTPError(.unprocessableContent, message) }
        title = TerminalText.sanitized(fields["title"] ?? "").trimmingCharacters(in: .whitespaces)
        guard !title.isEmpty else { throw invalid("title: a poster needs a title") }
        guard title.count <= Self.maxTitleLength else { throw invalid("title: at most \(Self.maxTitleLength) characters (\(title.count) sent)") }
        guard let from = fields["from"].flatMap({ CivilDate(iso: $0) }) else { throw invalid("from: the first day, as YYYY-MM-DD") }
        guard let to = fields["to"].flatMap({ CivilDate(iso: $0) }) else { throw invalid("to: the last day, as YYYY-MM-DD") }
        guard from <= to else { throw invalid("to: the last day \(to) is before the first \(from)") }
        guard to.dayNumber - from.dayNumber < Self.maxPeriodDays else { throw invalid("to: a poster runs at most \(Self.maxPeriodDays) days") }
        self.from = from
        self.to = to
        weekdays = []
        if let days = fields["days"], !days.trimmingCharacters(in: .whitespaces).isEmpty {
            for part in days.split(separator: ",") {
                guard let day = Self.weekday(part.trimmingCharacters(in: .whitespaces).lowercased()) else {
                    throw invalid("days: '\(part.prefix(20))' is not a weekday (1-7, lun-dim or mon-sun)")
                }
                weekdays.insert(day)
            }
        }
        if let text = fields["hours"], !text.trimmingCharacters(in: .whitespaces).isEmpty {
            let bounds = text.split(separator: "-")
            guard bounds.count == 2, let opens = try? TimeOfDay(parsing: String(bounds[0])), let closes = try? TimeOfDay(parsing: String(bounds[1])),
                  opens < closes else { throw invalid("hours: a part of the day like 09:00-18:00") }
            hours = Poster.Hours(opens: opens, closes: closes)
        }
        guard !picture.isEmpty else { throw invalid("picture: send the PNG or JPEG file as the request body") }
        self.picture = picture
    }

    /// Decodes the picture with the screen's limits; throws 422 with the reason in
    /// `language` (French for the API, the venue's language on the staff page).
    public mutating func checkPicture(language: Language = .fr) throws(HTTPError) {
        do {
            let decoded = try PictureDecoder.decode(picture, limits: Self.pictureLimits)
            pictureWidth = decoded.width
            pictureHeight = decoded.height
        } catch let error as PictureError {
            throw HTTPError(.unprocessableContent, Self.pictureField + Self.pictureReason(error, language: language))
        } catch {
            throw HTTPError(.unprocessableContent, Self.pictureField + "\(error)")
        }
    }

    /// How a refusal of the picture starts (the field the API names; the staff page marks
    /// its file input on it).
    public static let pictureField = "picture: "

    /// Why a picture is refused, in French (or English) for the staff page and the API,
    /// with the decoder's English detail in parentheses for whoever debugs.
    public static func pictureReason(_ error: PictureError, language: Language = .fr) -> String {
        let limits = pictureLimits, fr = language == .fr
        let megapixels = limits.maximumBytes / 4 / 1_000_000
        let why: String
        switch error.kind {
        case .notAPicture:
            why = fr ? "ce fichier n’est pas une image PNG ou JPEG" : "this file is not a PNG or JPEG picture"
        case .truncated:
            why = fr ? "l’image est incomplète (fichier tronqué) : envoyez-la de nouveau" : "the picture is incomplete (truncated file): send it again"
        case .corrupt:
            why = fr ? "l’image est endommagée et ne peut pas être lue" : "the picture is damaged and cannot be read"
        case .unsupported:
            why = fr ? "ce type d’image n’est pas pris en charge (JPEG sans perte, arithmétique ou 12 bits…) : enregistrez-la en JPEG ou PNG ordinaire"
                : "this kind of picture is not supported (lossless, arithmetic or 12-bit JPEG…): save it as an ordinary JPEG or PNG"
        case .tooLarge:
            why = fr ? "l’image est trop grande : au plus \(limits.maximumSide) pixels de côté et \(megapixels) millions de pixels"
                : "the picture is too large: at most \(limits.maximumSide) pixels a side and \(megapixels) million pixels"
        }
        return (fr ? "image refusée, " : "picture refused, ") + why + " (" + error.description + ")"
    }

    static func weekday(_ text: String) -> Int? {
        if let n = Int(text), (1...7).contains(n) { return n }
        let names = [["lun", "lundi", "mon", "monday"], ["mar", "mardi", "tue", "tuesday"], ["mer", "mercredi", "wed", "wednesday"],
                     ["jeu", "jeudi", "thu", "thursday"], ["ven", "vendredi", "fri", "friday"], ["sam", "samedi", "sat", "saturday"],
                     ["dim", "dimanche", "sun", "sunday"]]
        return names.firstIndex { $0.contains(text) }.map { $0 + 1 }
    }
}
