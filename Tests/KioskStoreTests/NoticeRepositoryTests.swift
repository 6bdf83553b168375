import Foundation
import KioskCore
import Testing

@testable import KioskStore

@Suite struct NoticeRepositoryTests {
    static let closing = Notice(
        id: "fermeture", kind: .information, title: "Fermeture exceptionnelle", body: "Le bâtiment ferme à 17 h.",
        author: "Accueil", posted: utc("2025-03-01T08:00:00Z"), expires: utc("2025-03-08T00:00:00Z"), urgent: true)
    static let offer = Notice(
        id: "banc-titre", kind: .offer, title: "Banc-titre à prêter", author: "Distorsion", terms: .loan,
        posted: utc("2025-03-02T08:00:00Z"), expires: utc("2025-04-01T00:00:00Z"))
    static let call = Notice(
        id: "appel-residences", kind: .call, title: "Appel à résidences 2025", author: "Le Mixeur",
        deadline: CivilDate(year: 2025, month: 3, day: 15), posted: utc("2025-03-01T09:00:00Z"),
        expires: utc("2025-06-01T00:00:00Z"))
    static let meeting = Notice(
        id: "rencontre-pro", kind: .professionalEvent, title: "Rencontres image", eventDate: CivilDate(year: 2025, month: 3, day: 20),
        posted: utc("2025-03-03T08:00:00Z"), expires: utc("2025-03-21T00:00:00Z"))

    @Test func noticesRoundTrip() throws {
        let store = try StateStore.inMemory(timeZone: paris)
        for notice in [Self.closing, Self.offer, Self.call, Self.meeting] { try store.notices.create(notice, createdBy: "api:accueil") }
        for notice in [Self.closing, Self.offer, Self.call, Self.meeting] { #expect(try store.notices.get(id: notice.id) == notice) }
        #expect(try store.notices.createdBy(id: "banc-titre") == "api:accueil")
        // Urgent first, then newest first.
        #expect(try store.notices.all().map(\.id) == ["fermeture", "rencontre-pro", "banc-titre", "appel-residences"])

        #expect { try store.notices.create(Self.offer) } throws: { ($0 as? DatabaseError)?.code == .constraintPrimaryKey }

        var changed = Self.offer
        changed.terms = .gift
        changed.title = "Banc-titre à donner"
        #expect(try store.notices.update(changed))
        #expect(try store.notices.get(id: "banc-titre") == changed)
        #expect(try store.notices.createdBy(id: "banc-titre") == "api:accueil")

        var unknown = Self.offer
        unknown.id = "nope"
        #expect(try !store.notices.update(unknown))
        try store.notices.upsert(unknown, createdBy: "kioskctl:marie")
        #expect(try store.notices.get(id: "nope") == unknown)
        #expect(try store.notices.createdBy(id: "nope") == "kioskctl:marie")

        #expect(try store.notices.delete(id: "nope"))
        #expect(try store.notices.get(id: "nope") == nil)
    }

    @Test func liveNoticesFollowNoticeIsLive() throws {
        let store = try StateStore.inMemory(timeZone: paris)
        let all = [Self.closing, Self.offer, Self.call, Self.meeting]
        for notice in all { try store.notices.create(notice) }
        for instant in [
            utc("2025-03-01T08:30:00Z"), utc("2025-03-05T12:00:00Z"), utc("2025-03-15T22:30:00Z"),
            utc("2025-03-15T23:30:00Z"), utc("2025-03-21T00:00:00Z"), utc("2025-05-01T00:00:00Z"),
        ] {
            let expected = Set(all.filter { $0.isLive(at: instant, timeZone: paris) }.map(\.id))
            #expect(Set(try store.notices.live(at: instant, timeZone: paris).map(\.id)) == expected, "\(instant)")
        }
        // Spot checks against the calendar: the call's deadline is 15 March, Paris time.
        #expect(try store.notices.live(at: utc("2025-03-15T22:30:00Z"), timeZone: paris).map(\.id).contains("appel-residences"))
        #expect(try !store.notices.live(at: utc("2025-03-15T23:30:00Z"), timeZone: paris).map(\.id).contains("appel-residences"))
        #expect(try store.notices.live(at: utc("2025-03-05T12:00:00Z"), timeZone: paris).first?.id == "fermeture")
    }

    @Test func purgeDropsOnlyLongExpiredNotices() throws {
        let store = try StateStore.inMemory(timeZone: paris)
        for notice in [Self.closing, Self.offer, Self.call, Self.meeting] { try store.notices.create(notice) }
        #expect(try store.notices.purge(expiredBefore: utc("2025-03-25T00:00:00Z")) == 2)
        #expect(Set(try store.notices.all().map(\.id)) == ["banc-titre", "appel-residences"])
    }
}
