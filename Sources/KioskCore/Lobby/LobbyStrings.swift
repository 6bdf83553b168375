import Foundation

/// Every word the lobby screen shows, in French (default) or English.
///
/// Dates are formatted here by table rather than through `DateFormatter`, so that the
/// screen reads the same on every machine whatever locale data it carries.
public struct LobbyStrings: Sendable {
    public let language: Language

    public init(_ language: Language) { self.language = language }

    private func pick(_ fr: String, _ en: String) -> String { language == .fr ? fr : en }

    public var now: String { pick("Maintenant", "Now") }
    public var today: String { pick("Aujourd'hui", "Today") }
    public var laterToday: String { pick("Plus tard aujourd'hui", "Later today") }
    public var upcoming: String { pick("À venir", "Coming up") }
    public var residents: String { pick("Les résidents", "Residents") }
    public var notices: String { pick("Tableau d'affichage", "Notice board") }
    /// The featured event panel (the next events with a picture).
    public var featured: String { pick("À l'affiche", "Featured") }
    /// The poster panel.
    public var poster: String { pick("Affiche", "Poster") }
    public var cancelled: String { pick("Annulé", "Cancelled") }
    public var postponed: String { pick("Reporté", "Postponed") }
    public var full: String { pick("Complet", "Full") }
    public var rescheduled: String { pick("Nouvelle date", "Rescheduled") }
    public var movedOnline: String { pick("En ligne", "Online") }
    public var tentative: String { pick("À confirmer", "To be confirmed") }
    public var allDay: String { pick("Toute la journée", "All day") }
    public var nothingToday: String { pick("Pas d'événement public aujourd'hui", "No public event today") }
    public var nothingUpcoming: String { pick("Rien de prévu pour l'instant", "Nothing planned yet") }
    public var noNotices: String { pick("Aucune annonce en ce moment", "No notices at the moment") }
    public var noResidents: String { pick("Annuaire en cours de mise à jour", "Directory being updated") }
    public var associatedMember: String { pick("Membre associé", "Associated member") }
    public var closed: String { pick("Fermé", "Closed") }
    public var clockUnsure: String { pick("Horloge non synchronisée", "Clock not synchronised") }
    /// The heading of the programme shown with full dates while the clock is not trusted.
    public var programmeHeading: String { pick("Programme", "Programme") }
    public var noProgrammeYet: String { pick("Programme pas encore chargé", "Programme not loaded yet") }
    /// "jusqu'à 18:00": an event that started on an earlier day and ends today.
    public func until(_ time: String) -> String { pick("jusqu'à ", "until ") + time }
    /// A label's colon: French typography puts a space before it.
    public var colon: String { pick(" : ", ": ") }

    // Check-in (the welcome box and the footer).
    public var welcome: String { pick("Bienvenue", "Welcome") }
    public var goodbye: String { pick("Au revoir", "Goodbye") }
    public func pleaseGoTo(_ place: String) -> String { pick("Rendez-vous : ", "Please go to: ") + place }
    public var receptionShowsTheWay: String { pick("L'accueil vous indiquera le chemin", "The reception desk will show you the way") }
    public var handBackVisitorBadge: String { pick("Merci de rendre votre badge visiteur à l'accueil", "Please hand your visitor badge back at the reception desk") }
    public var unknownBadge: String { pick("Badge inconnu — merci de vous présenter à l'accueil", "Unknown badge — please see the reception desk") }
    public var badgeNotRecorded: String { pick("Badge non enregistré — merci de vous présenter à l'accueil", "Badge not recorded — please see the reception desk") }
    public var readerDisconnected: String { pick("Lecteur de badges déconnecté", "Badge reader disconnected") }

    /// "+ 3 autres événements": what a list left out for want of room.
    public func moreEvents(_ count: Int) -> String {
        count == 1 ? pick("+ 1 autre événement", "+ 1 more event") : pick("+ \(count) autres événements", "+ \(count) more events")
    }

    /// The heading of a staff alert on screen.
    public func alertHeading(_ level: ScreenAlert.Level) -> String {
        switch level {
        case .information: pick("INFORMATION", "INFORMATION")
        case .closure: pick("FERMETURE", "CLOSURE")
        case .evacuation: pick("ÉVACUATION", "EVACUATION")
        }
    }

    public func assemblyPoint(_ place: String) -> String { pick("Point de rassemblement : \(place)", "Assembly point: \(place)") }

    public func kind(_ kind: Resident.Kind) -> String {
        switch kind {
        case .entreprise: return pick("Entreprise", "Company")
        case .association: return "Association"
        case .artiste: return pick("Artiste", "Artist")
        case .autre: return pick("Autre", "Other")
        }
    }

    public func noticeKind(_ kind: Notice.Kind) -> String {
        switch kind {
        case .information: return pick("Info", "Info")
        case .offer: return pick("Offre", "Offer")
        case .request: return pick("Recherche", "Wanted")
        case .call: return pick("Appel à projets", "Call for projects")
        case .professionalEvent: return pick("Rendez-vous pro", "Professional event")
        }
    }

    public func terms(_ terms: Notice.Terms) -> String {
        switch terms {
        case .gift: return pick("don", "gift")
        case .sale: return pick("vente", "for sale")
        case .rental: return pick("location", "for rent")
        case .loan: return pick("prêt", "loan")
        }
    }

    public func status(_ status: EventStatus) -> String? {
        switch status {
        case .confirmed: return nil
        case .cancelled: return cancelled
        case .postponed: return postponed
        case .full: return full
        case .tentative: return tentative
        case .rescheduled: return rescheduled
        case .movedOnline: return movedOnline
        }
    }

    /// "J-3" style countdown to a deadline, in words.
    public func deadline(daysLeft: Int, date: CivilDate) -> String {
        switch daysLeft {
        case ..<0: return pick("Clos", "Closed")
        case 0: return pick("Dernier jour aujourd'hui", "Last day today")
        case 1: return pick("Clôture demain", "Closes tomorrow")
        default:
            return pick("Clôture dans \(daysLeft) jours (\(shortDate(date)))", "Closes in \(daysLeft) days (\(shortDate(date)))")
        }
    }

    /// "Programme mis à jour à 14:05".
    public func updated(at time: String) -> String { pick("Programme mis à jour à \(time)", "Programme updated at \(time)") }

    /// "Hors ligne depuis 3 h".
    public func offline(since seconds: TimeInterval) -> String {
        let hours = Int(seconds / 3600)
        let span: String
        if hours >= 48 { span = pick("\(hours / 24) jours", "\(hours / 24) days") } else if hours >= 1 { span = "\(hours) h" } else { span = "\(max(1, Int(seconds / 60))) min" }
        return pick("Hors ligne depuis \(span)", "Offline for \(span)")
    }

    private static let weekdaysFR = ["lundi", "mardi", "mercredi", "jeudi", "vendredi", "samedi", "dimanche"]
    private static let weekdaysEN = ["Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday"]
    private static let monthsFR = ["janvier", "février", "mars", "avril", "mai", "juin", "juillet", "août", "septembre", "octobre", "novembre", "décembre"]
    private static let monthsEN = ["January", "February", "March", "April", "May", "June", "July", "August", "September", "October", "November", "December"]

    public func weekday(_ date: CivilDate) -> String {
        (language == .fr ? Self.weekdaysFR : Self.weekdaysEN)[date.isoWeekday - 1]
    }

    public func month(_ m: Int) -> String { (language == .fr ? Self.monthsFR : Self.monthsEN)[m - 1] }

    /// "mardi 24 novembre" / "Tuesday 24 November"; "1er" for the first of the month in French.
    public func longDate(_ date: CivilDate) -> String {
        let day = language == .fr && date.day == 1 ? "1er" : "\(date.day)"
        return "\(weekday(date)) \(day) \(month(date.month))"
    }

    /// "24 nov." / "24 Nov".
    public func shortDate(_ date: CivilDate) -> String {
        let m = month(date.month)
        let abbreviated = m.count <= 4 ? m : String(m.prefix(language == .fr ? (m.hasPrefix("juil") ? 4 : 3) : 3)) + (language == .fr ? "." : "")
        return "\(date.day) \(abbreviated)"
    }

    /// "Mardi 24", the heading of a day in the upcoming list; "Demain" for tomorrow.
    public func dayHeading(_ date: CivilDate, today: CivilDate?) -> String {
        if let today, date == today.adding(days: 1) { return pick("Demain", "Tomorrow") + " · " + longDate(date) }
        let text = longDate(date)
        return text.prefix(1).uppercased() + text.dropFirst()
    }

    /// 24-hour "14:05" in French and English alike (the venue's audience is French).
    public func time(hour: Int, minute: Int) -> String {
        String(hour).leftPadded(to: 2) + ":" + String(minute).leftPadded(to: 2)
    }
}
