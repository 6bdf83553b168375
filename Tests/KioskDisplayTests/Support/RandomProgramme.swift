import Foundation
import KioskCore

/// The type tests' seeded generator, as a `RandomNumberGenerator`: a failing random
/// programme can be made again from its seed.
extension SplitMix: RandomNumberGenerator {}

/// Random programmes for the layout's properties: titles of 1 to 120 characters with
/// French punctuation (« », : ; ! ?, apostrophes, hyphenated words, a word longer than a
/// line now and then), long room names, empty days, up to 50 events a day, long resident
/// names and notices.
struct RandomProgramme {
    static let words = [
        "atelier", "sérigraphie", "projection", "courts-métrages", "d'animation", "rencontre", "pro", "financer",
        "un", "projet", "culturel", "à", "5 000 €", "concert", "chorale", "Quatre", "Quarts", "exposition", "Lumières",
        "numériques", "visite", "guidée", "du", "lieu", "sortie", "de", "résidence", "Octave", "&", "Cie", "repair",
        "café", "textile", "portes", "ouvertes", "ateliers", "d'artistes", "petit-déjeuner", "entrepreneurs", "créatifs",
        "œuvre", "Œillets", "jeune", "public", "(8-12 ans)", "Fablab", "ouvert", "à", "tous", "ciné-club", "Écran",
        "Total", "carte", "blanche", "La", "Coursive", "Boutaric", "masterclass", "son", "binaural", "danse", "hip-hop",
        "photographie", "argentique", "électro-acoustique", "inclusif", "pour", "qui", "l'arbre", "Noir", "Zola",
        "anticonstitutionnellement", "Ultra-super-méga-long-mot-composé-sans-fin",
    ]
    static let punctuation = [" :", ":", " ;", " !", "!", " ?", "?", " «", "»", ",", " —", "…"]
    static let rooms = [
        "Fablab", "Atelier 1", "Salle Pixel", "Grande halle", "Auditorium", "Galerie du rez-de-chaussée",
        "Bât. C, ateliers d'artistes, atelier 2, au fond de la cour à gauche après le local vélos",
        "Salle de répétition du deuxième étage (accès par l'ascenseur du bâtiment B uniquement)",
        "", "Cafétéria",
    ]

    var rng: SplitMix

    init(seed: UInt64) { rng = SplitMix(seed: seed) }

    mutating func int(_ range: ClosedRange<Int>) -> Int { Int.random(in: range, using: &rng) }
    mutating func chance(_ p: Double) -> Bool { Double.random(in: 0..<1, using: &rng) < p }
    mutating func pick<T>(_ items: [T]) -> T { items[int(0...(items.count - 1))] }

    /// A title of `length` characters at most (at least 1).
    mutating func title(maxLength: Int) -> String {
        var text = ""
        while text.count < maxLength {
            var word = pick(Self.words)
            if text.isEmpty { word = word.prefix(1).uppercased() + word.dropFirst() }
            text += (text.isEmpty ? "" : " ") + word
            if chance(0.15) { text += pick(Self.punctuation) }
        }
        let cut = String(text.prefix(maxLength)).trimmingCharacters(in: .whitespaces)
        return cut.isEmpty ? "A" : cut
    }

    /// A snapshot at 2026-11-24 around 15:05 in Paris: today, the week ahead, residents
    /// and notices, with a trusted clock or not, open or closed, online or offline.
    mutating func snapshot(instant: Date) -> LobbySnapshot {
        var config = KioskConfig()
        config.venue.name = chance(0.2) ? title(maxLength: 70) : "Le Mixeur"
        config.venue.tagline = chance(0.5) ? title(maxLength: 60) : ""
        if chance(0.2) { config.venue.hours = OpeningHours(days: Array(repeating: [], count: 7)) }
        let paris = IANATimeZone(identifier: "Europe/Paris")!
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = TimeZone(identifier: paris.identifier)!
        let dayStart = calendar.startOfDay(for: instant)
        var occurrences: [Occurrence] = []
        for day in 0...7 {
            let kind = int(0...9)
            let count = kind == 0 ? 0 : (kind == 9 ? 50 : int(1...6))
            for n in 0..<count {
                let start = dayStart.addingTimeInterval(Double(day) * 86400 + Double(int(8 * 4...22 * 4)) * 900)
                let uid = "e\(day)-\(n)"
                let status: EventStatus = chance(0.1) ? .cancelled : (chance(0.05) ? .full : .confirmed)
                let allDay = chance(0.08)
                let categories = chance(0.5) ? [pick(["Atelier", "Conférence", "Exposition", "Jeune public"])] : []
                let title = self.title(maxLength: int(1...120))
                let room = chance(0.3) ? pick(Self.rooms) + " " + pick(Self.rooms) : pick(Self.rooms)
                if allDay {
                    let civil = CivilDate(dayStart.addingTimeInterval(Double(day) * 86400 + 7200), in: paris)
                    occurrences.append(Occurrence(uid: uid, title: title, room: room, categories: categories, status: status, start: .date(civil), end: .date(civil.adding(days: 1))))
                } else {
                    occurrences.append(Occurrence(uid: uid, title: title, room: room, categories: categories, status: status, start: .instant(start), end: .instant(start.addingTimeInterval(Double(int(1...12)) * 1800))))
                }
            }
        }
        let residents = (0..<int(0...60)).map { i in
            Resident(name: chance(0.1) ? title(maxLength: 90) : "Résident \(i) \(pick(Self.words))", kind: pick(Resident.Kind.allCases),
                     sector: chance(0.8) ? title(maxLength: 40) : "", location: pick(Self.rooms))
        }
        let notices = (0..<int(0...12)).map { i in
            Notice(id: "n\(i)", kind: pick(Notice.Kind.allCases), title: title(maxLength: int(1...100)), body: chance(0.8) ? title(maxLength: 300) : "",
                   author: chance(0.5) ? "Le Normographe" : "", posted: instant.addingTimeInterval(-86400), expires: instant.addingTimeInterval(86400 * 7),
                   urgent: chance(0.2))
        }
        let lastSuccess = chance(0.15) ? instant.addingTimeInterval(-5 * 3600) : instant.addingTimeInterval(-600)
        let freshness = ProgrammeFreshness(lastSuccess: lastSuccess, allFailing: chance(0.3), hasPulledSources: true)
        let floor = chance(0.1) ? instant.addingTimeInterval(3600) : ISO8601.parse("2000-01-01T00:00:00Z")!
        let inputs = LobbySnapshot.Inputs(occurrences: occurrences, residents: residents, notices: notices, freshness: freshness, clockFloor: floor)
        return LobbySnapshot.make(at: instant, inputs: inputs, config: config)
    }
}
