import Foundation
import KioskCore
import KioskDisplay

/// A fixed lobby (events, residents, notices with French text) laid out for a pixel size:
/// the model behind the golden frames and the dirty-area tests.
enum RasterFixtures {
    static func at(_ iso: String) -> Date { ISO8601.parse(iso)! }

    static func snapshot(at instant: String = "2026-11-24T13:05:00Z") -> LobbySnapshot {
        var config = KioskConfig()
        config.venue.name = "Le Mixeur"
        config.venue.tagline = "Tiers-lieu créatif"
        func timed(_ uid: String, _ title: String, _ start: String, _ end: String, room: String, category: String = "", status: EventStatus = .confirmed) -> Occurrence {
            Occurrence(uid: uid, title: title, room: room, categories: category.isEmpty ? [] : [category], status: status, start: .instant(at(start)), end: .instant(at(end)))
        }
        let occurrences = [
            timed("a", "Atelier sérigraphie « affiches » pour ados", "2026-11-24T12:30:00Z", "2026-11-24T15:00:00Z", room: "Fablab", category: "Atelier"),
            timed("b", "Projection : courts-métrages d’animation", "2026-11-24T17:00:00Z", "2026-11-24T18:30:00Z", room: "Salle Pixel", category: "Cinéma"),
            timed("c", "Concert annulé — Les Œillets", "2026-11-24T19:30:00Z", "2026-11-24T21:00:00Z", room: "Grande halle", status: .cancelled),
            timed("d", "Café des résidents", "2026-11-25T08:30:00Z", "2026-11-25T09:30:00Z", room: "Cafétéria"),
            timed("e", "Rencontre pro : financer un projet à 5 000 €", "2026-11-26T16:00:00Z", "2026-11-26T18:00:00Z", room: "Salle Rhône"),
            timed("f", "Carte blanche à La Coursive Boutaric, une soirée très longue qui dépasse la largeur", "2026-11-27T18:00:00Z", "2026-11-27T22:00:00Z", room: "Grande halle"),
        ]
        let residents = [
            Resident(name: "Atelier Diptyc", kind: .entreprise, sector: "Design graphique", location: "Bât. A, 1er étage"),
            Resident(name: "Cabaroc", kind: .association, sector: "Musique", location: "Bât. B, rez-de-chaussée"),
            Resident(name: "Distorsion", kind: .association, sector: "Arts numériques", location: "Bât. A, 2e étage"),
            Resident(name: "L'arbre Noir", kind: .artiste, sector: "Illustration", location: "Atelier 4"),
        ]
        let notices = [
            Notice(id: "n1", kind: .information, title: "Atelier annulé ce soir", body: "La sérigraphie de 19 h est reportée à jeudi.", posted: at("2026-11-20T00:00:00Z"), expires: at("2026-12-20T00:00:00Z"), urgent: true),
            Notice(id: "n2", kind: .offer, title: "Vidéoprojecteur à prêter", body: "Full HD, 3 000 lumens, câbles fournis.", author: "Distorsion", terms: .loan, posted: at("2026-11-20T00:00:00Z"), expires: at("2026-12-20T00:00:00Z")),
        ]
        let inputs = LobbySnapshot.Inputs(
            occurrences: occurrences, residents: residents, notices: notices,
            freshness: ProgrammeFreshness(lastSuccess: at("2026-11-24T13:00:00Z"), hasPulledSources: true),
            clockFloor: at("2000-01-01T00:00:00Z"))
        return LobbySnapshot.make(at: at(instant), inputs: inputs, config: config)
    }

    /// The lobby laid out for a screen of `width` x `height` with the shipped fonts.
    static func model(width: Int, height: Int, fonts: ConsoleFontSet) -> (ScreenModel, LobbyLayout.Metrics) {
        let metrics = LobbyRender.metrics(forPixelWidth: width, height: height, fonts: fonts)
        return (LobbyLayout().layout(snapshot(), metrics: metrics), metrics)
    }
}
