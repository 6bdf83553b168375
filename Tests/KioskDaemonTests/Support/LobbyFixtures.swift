import Foundation
import KioskCore

/// A small, fixed lobby (events, residents, notices) for golden renders and tests.
enum LobbyFixtures {
    static let paris = IANATimeZone(identifier: "Europe/Paris")!
    static func at(_ iso: String) -> Date { ISO8601.parse(iso)! }

    static var config: KioskConfig {
        var c = KioskConfig()
        c.venue.name = "Le Mixeur"
        c.venue.tagline = "Tiers-lieu des industries créatives"
        c.screen.panelDuration = 15
        c.screen.directoryPageDuration = 10
        return c
    }

    static func timed(_ uid: String, _ title: String, _ start: String, _ end: String, room: String = "", category: String = "", status: EventStatus = .confirmed) -> Occurrence {
        Occurrence(uid: uid, title: title, room: room, categories: category.isEmpty ? [] : [category], status: status, start: .instant(at(start)), end: .instant(at(end)))
    }

    static let occurrences: [Occurrence] = [
        Occurrence(uid: "expo", title: "Exposition « Lumières numériques »", room: "Galerie", categories: ["Exposition"], start: .date(CivilDate(year: 2026, month: 11, day: 20)), end: .date(CivilDate(year: 2026, month: 12, day: 5))),
        timed("fablab", "Fablab ouvert à tous", "2026-11-24T09:00:00Z", "2026-11-24T17:00:00Z", room: "Fablab", category: "Atelier"),
        timed("serigraphie", "Atelier sérigraphie", "2026-11-24T17:00:00Z", "2026-11-24T19:00:00Z", room: "Atelier 5", category: "Atelier"),
        timed("conf", "Conférence : le design inclusif, pour qui ?", "2026-11-24T17:30:00Z", "2026-11-24T19:00:00Z", room: "Auditorium", category: "Conférence"),
        timed("evil", "Expo\u{1B}]0;pwned\u{07} \u{1B}[2Jsans \u{9B}31mcouleur", "2026-11-25T09:00:00Z", "2026-11-25T10:00:00Z", room: "Hall\u{1B}[5m"),
        timed("rencontre", "Rencontre pro : financer un projet culturel", "2026-11-26T08:30:00Z", "2026-11-26T11:30:00Z", room: "Salle de réunion"),
        timed("concert", "Concert de la chorale Quatre Quarts", "2026-11-27T19:00:00Z", "2026-11-27T21:00:00Z", room: "Auditorium", status: .cancelled),
        timed("jam", "Game jam : jouer avec le patrimoine", "2026-11-28T09:00:00Z", "2026-11-28T17:00:00Z", room: "Plateau 210", status: .full),
        timed("nuit", "Nuit des arts numériques 日本", "2026-11-30T18:00:00Z", "2026-11-30T22:59:00Z", room: "Tout le bâtiment"),
    ]

    static let residents: [Resident] = [
        Resident(name: "Distorsion", kind: .association, sector: "Arts numériques", location: "Bât. A, atelier 3"),
        Resident(name: "360 secondes", kind: .entreprise, sector: "Audiovisuel", location: "Bât. A, bureau 104"),
        Resident(name: "Atelier Diptyc", kind: .artiste, sector: "Illustration", location: "Bât. C, atelier 2"),
        Resident(name: "Écran Total", kind: .association, sector: "Cinéma", location: "Bât. D, salle de projection"),
        Resident(name: "Fertil Ink", kind: .artiste, sector: "Sérigraphie", location: "Bât. C, atelier 5"),
        Resident(name: "La conciergerie", kind: .autre, sector: "Services", location: "Hall d'accueil"),
        Resident(name: "Pôle image Rhône", kind: .association, sector: "Éducation aux images", membership: .associated),
    ]

    static let notices: [Notice] = [
        Notice(id: "annule", kind: .information, title: "Concert de la chorale annulé", body: "Remboursement à l'accueil.", author: "La conciergerie", posted: at("2026-11-23T08:00:00Z"), expires: at("2026-11-28T00:00:00Z"), urgent: true),
        Notice(id: "chaises", kind: .offer, title: "Donne 12 chaises pliantes", body: "À récupérer au 2e étage du bâtiment A.", author: "Le Normographe", terms: .gift, posted: at("2026-11-22T08:00:00Z"), expires: at("2026-12-20T00:00:00Z")),
        Notice(id: "appel", kind: .call, title: "Appel à projets : résidences 2027", body: "Trois résidences de deux mois.", author: "Distorsion", deadline: CivilDate(year: 2026, month: 12, day: 3), posted: at("2026-11-14T08:00:00Z"), expires: at("2026-12-04T00:00:00Z")),
    ]

    static func snapshot(at instant: Date, config: KioskConfig = config) -> LobbySnapshot {
        let inputs = LobbySnapshot.Inputs(occurrences: occurrences, residents: residents, notices: notices, freshness: ProgrammeFreshness(lastSuccess: at("2026-11-24T13:05:00Z"), hasPulledSources: true))
        return LobbySnapshot.make(at: instant, inputs: inputs, config: config)
    }
}
