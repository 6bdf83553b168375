import Foundation

/// An item of the notice board: information, *petite annonce*, *appel à projets*,
/// professional event. Every notice has an expiry after which the screen drops it.
public struct Notice: Sendable, Hashable, Codable, Identifiable {
    public enum Kind: String, Sendable, Hashable, Codable, CaseIterable {
        /// General information ("Atelier annulé", "Fermeture exceptionnelle").
        case information
        /// *Petite annonce*: an offer of premises, equipment, people...
        case offer
        /// *Petite annonce*: a request.
        case request
        /// *Appel à projets*, with a deadline.
        case call
        /// *Événement pro*: a professional meeting elsewhere.
        case professionalEvent = "professional-event"
    }

    /// The terms of a *petite annonce*.
    public enum Terms: String, Sendable, Hashable, Codable, CaseIterable {
        case gift, sale, rental, loan
    }

    public var id: String
    public var kind: Kind
    public var title: String
    public var body: String
    /// Who posted it (a resident structure, the reception desk).
    public var author: String
    /// For offers and requests.
    public var terms: Terms?
    /// For calls for projects: the last day to apply (inclusive, venue calendar).
    public var deadline: CivilDate?
    /// For professional events: when it happens.
    public var eventDate: CivilDate?
    /// When the notice was posted.
    public var posted: Date
    /// After this instant the notice is no longer shown.
    public var expires: Date
    /// Urgent notices (cancellations) are shown first and highlighted.
    public var urgent: Bool

    public init(
        id: String, kind: Kind, title: String, body: String = "", author: String = "",
        terms: Terms? = nil, deadline: CivilDate? = nil, eventDate: CivilDate? = nil,
        posted: Date, expires: Date, urgent: Bool = false
    ) {
        self.id = id
        self.kind = kind
        self.title = title
        self.body = body
        self.author = author
        self.terms = terms
        self.deadline = deadline
        self.eventDate = eventDate
        self.posted = posted
        self.expires = expires
        self.urgent = urgent
    }

    /// Shown at `instant`: posted, not expired, and a call's deadline not past.
    public func isLive(at instant: Date, timeZone: IANATimeZone) -> Bool {
        guard posted <= instant, instant < expires else { return false }
        if let deadline, CivilDate(instant, in: timeZone) > deadline { return false }
        return true
    }
}
