import Foundation
import Testing

@testable import KioskCore

@Suite struct WelcomeMessageTests {
    static let camille = Person(id: 1, firstName: "Camille", lastName: "Martin", role: .resident, residentID: "atelier-diptyc")
    static let lea = Person(id: 2, firstName: "Léa", lastName: "Dubois", role: .visitor)
    static let diptyc = Resident(name: "Atelier Diptyc", location: "Bât. B, 2e étage")
    static let cineClub = CheckInVenue.occurrence("cine", "Ciné-club", "2025-03-04 18:00", "2025-03-04 20:00", room: "Salle Lumière")

    @Test func entriesInFrenchAndEnglish() {
        let entry = CheckInDecision.checkIn(person: Self.camille, occurrence: nil)
        #expect(WelcomeMessage(decision: entry, language: .fr, host: Self.diptyc) == WelcomeMessage(tone: .welcome, headline: "Bienvenue, Camille — Atelier Diptyc"))
        #expect(WelcomeMessage(decision: entry, language: .en, host: Self.diptyc).headline == "Welcome, Camille — Atelier Diptyc")
        #expect(WelcomeMessage(decision: entry, language: .fr).headline == "Bienvenue, Camille")
        #expect(WelcomeMessage(decision: entry, language: .fr, showLastNames: true).headline == "Bienvenue, Camille Martin")
        // Without a host, the event the entry counted for.
        let atEvent = CheckInDecision.checkIn(person: Self.camille, occurrence: Self.cineClub)
        #expect(WelcomeMessage(decision: atEvent, language: .fr).headline == "Bienvenue, Camille — Ciné-club")
        #expect(WelcomeMessage(decision: atEvent, language: .fr, host: Self.diptyc).headline == "Bienvenue, Camille — Atelier Diptyc")
        let again = CheckInDecision.stayIn(person: Self.camille, occurrence: nil)
        #expect(WelcomeMessage(decision: again, language: .fr).tone == .welcome)
        #expect(WelcomeMessage(decision: again, language: .fr).detail == nil)
    }

    @Test func exitsAndUnknownBadges() {
        let exit = WelcomeMessage(decision: .checkOut(person: Self.camille), language: .fr)
        #expect(exit == WelcomeMessage(tone: .farewell, headline: "Au revoir, Camille"))
        #expect(WelcomeMessage(decision: .checkOut(person: Self.camille), language: .en).headline == "Goodbye, Camille")
        let visitorExit = WelcomeMessage(decision: .checkOut(person: Self.lea), language: .fr)
        #expect(visitorExit.headline == "Au revoir, Léa")
        #expect(visitorExit.detail == "Merci de rendre votre badge visiteur à l'accueil")
        let unknown = WelcomeMessage(decision: .unknownBadge(tag: "DEAD"), language: .fr)
        #expect(unknown == WelcomeMessage(tone: .attention, headline: "Badge inconnu — merci de vous présenter à l'accueil"))
        #expect(!unknown.text.contains("DEAD"), "the tag is not shown")
        #expect(WelcomeMessage(decision: .unknownBadge(tag: "DEAD"), language: .en).headline == "Unknown badge — please see the reception desk")
    }

    @Test func visitorPassesGiveDirections() {
        let toEvent = WelcomeMessage(decision: .visitorPass(person: Self.lea, occurrence: Self.cineClub), language: .fr)
        #expect(toEvent.headline == "Bienvenue, Léa — Ciné-club")
        #expect(toEvent.detail == "Rendez-vous : Salle Lumière")
        #expect(toEvent.text == "Bienvenue, Léa — Ciné-club\nRendez-vous : Salle Lumière")
        let toHost = WelcomeMessage(decision: .visitorPass(person: Self.lea, occurrence: Self.cineClub), language: .en, host: Self.diptyc)
        #expect(toHost.headline == "Welcome, Léa — Atelier Diptyc")
        #expect(toHost.detail == "Please go to: Atelier Diptyc, Bât. B, 2e étage")
        let nowhere = WelcomeMessage(decision: .visitorPass(person: Self.lea, occurrence: nil), language: .fr)
        #expect(nowhere.headline == "Bienvenue, Léa")
        #expect(nowhere.detail == "L'accueil vous indiquera le chemin")
    }

    @Test func namesAreTrimmedAndMayBeMissing() {
        let blank = Person(id: 3, firstName: "  ", lastName: "Durand", role: .member)
        #expect(WelcomeMessage(decision: .checkIn(person: blank, occurrence: nil), language: .fr).headline == "Bienvenue")
        #expect(WelcomeMessage(decision: .checkIn(person: blank, occurrence: nil), language: .fr, showLastNames: true).headline == "Bienvenue, Durand")
        #expect(Person(id: 4, firstName: " Ada ", lastName: " ", role: .staff).displayName(showingLastName: true) == "Ada")
    }

    @Test func theOutcomeBuildsTheSameMessage() {
        let outcome = ScanOutcome(tag: "A", at: CheckInVenue.time("2025-03-04 09:00"), decision: .checkIn(person: Self.camille, occurrence: nil), recordID: 1)
        #expect(outcome.welcome(language: .fr, host: Self.diptyc).headline == "Bienvenue, Camille — Atelier Diptyc")
    }
}
