import Foundation
import KioskCore
import Testing

@testable import KioskStore

@Suite struct ResidentRepositoryTests {
    static let distorsion = Resident(
        name: "Distorsion", kind: .entreprise, sector: "Audiovisuel", location: "Bât. B, 2e étage, bureau 12",
        summary: "Studio de post-production.", website: "https://distorsion.example")
    static let ecran = Resident(name: "Écran Total", kind: .association, sector: "Cinéma", membership: .associated)
    static let fertil = Resident(name: "Fertil Ink", kind: .artiste, sector: "Design graphique")
    static let arbre = Resident(name: "L'arbre Noir", kind: .autre)

    @Test func residentsRoundTrip() throws {
        let store = try StateStore.inMemory(timeZone: paris)
        let at = utc("2025-03-01T08:00:00Z")
        for resident in [Self.distorsion, Self.ecran, Self.fertil, Self.arbre] { try store.residents.upsert(resident, at: at) }
        #expect(try store.residents.count() == 4)
        #expect(try store.residents.get(id: "distorsion") == Self.distorsion)
        #expect(try store.residents.get(id: "ecran-total") == Self.ecran)
        #expect(try store.residents.updatedAt(id: "ecran-total") == at)
        #expect(Set(try store.residents.all()) == [Self.distorsion, Self.ecran, Self.fertil, Self.arbre])

        var moved = Self.distorsion
        moved.location = "Bât. A, rez-de-chaussée"
        try store.residents.upsert(moved, at: utc("2025-03-02T08:00:00Z"))
        #expect(try store.residents.get(id: "distorsion") == moved)
        #expect(try store.residents.count() == 4)

        #expect(try store.residents.delete(id: "distorsion"))
        #expect(try !store.residents.delete(id: "distorsion"))
        #expect(try store.residents.get(id: "distorsion") == nil)
    }

    @Test func directoryIsSortedTheFrenchWay() throws {
        let store = try StateStore.inMemory(timeZone: paris)
        let names = ["Fertil Ink", "écran total", "Distorsion", "Éole", "ateliers Diptyc", "Avant-Goût Studios", "Labora", "L'arbre Noir"]
        try store.residents.replaceAll(names.map { Resident(name: $0) }, at: utc("2025-03-01T08:00:00Z"))
        let sorted = try store.residents.all().map(\.name)
        #expect(sorted == ["ateliers Diptyc", "Avant-Goût Studios", "Distorsion", "écran total", "Éole", "Fertil Ink", "L'arbre Noir", "Labora"])
        // Accents ignored: "Écran" between "Distorsion" and "Fertil".
        let d = try #require(sorted.firstIndex(of: "Distorsion")), e = try #require(sorted.firstIndex(of: "écran total"))
        let f = try #require(sorted.firstIndex(of: "Fertil Ink"))
        #expect(d < e && e < f)
    }

    @Test func replaceAllUpsertsAndKeepsPeopleAttached() throws {
        let store = try StateStore.inMemory(timeZone: paris)
        let first = try store.residents.replaceAll([Self.distorsion, Self.ecran], at: utc("2025-03-01T08:00:00Z"))
        #expect(first == .init(inserted: 2, updated: 0, deleted: 0))
        try store.database.execute(
            "INSERT INTO people (id, first_name, role, resident_id, created) VALUES (1, 'Ada', 'resident', 'distorsion', 0)")

        let second = try store.residents.replaceAll([Self.distorsion, Self.fertil], at: utc("2025-03-02T08:00:00Z"))
        #expect(second == .init(inserted: 1, updated: 1, deleted: 1))
        #expect(Set(try store.residents.all().map(\.id)) == ["distorsion", "fertil-ink"])
        // Re-importing Distorsion did not detach Ada (no delete-and-insert).
        #expect(try store.database.scalar("SELECT resident_id FROM people WHERE id = 1", as: String.self) == "distorsion")
        // Deleting the resident does detach her (ON DELETE SET NULL), and keeps her.
        try store.residents.delete(id: "distorsion")
        #expect(try store.database.queryFirst("SELECT resident_id FROM people WHERE id = 1")?["resident_id"] == .null)
    }

    @Test func aFailedImportChangesNothing() throws {
        let store = try StateStore.inMemory(timeZone: paris)
        try store.residents.replaceAll([Self.distorsion], at: utc("2025-03-01T08:00:00Z"))
        // A trigger makes the second upsert fail half way through the import.
        try store.database.execute(
            "CREATE TEMP TRIGGER refuse BEFORE INSERT ON residents WHEN NEW.id = 'fertil-ink' BEGIN SELECT RAISE(ABORT, 'refused'); END")
        #expect(throws: DatabaseError.self) {
            try store.residents.replaceAll([Self.ecran, Self.fertil], at: utc("2025-03-02T08:00:00Z"))
        }
        #expect(try store.residents.all() == [Self.distorsion])
    }
}
