import Foundation
import Testing
import KioskCore
import KioskStore
@testable import KioskDaemon

/// The staff pages over the real `StaffDesk` (the API's service, its own connection to a
/// temporary database) through `StaffAPIBackend`, as kioskd wires them: what the forms
/// send ends up stored, audited under the token's name, and on the lobby's screen.
@Suite(.serialized) struct StaffPagesOverDeskTests {
    static func pages(_ bed: APITestBed) -> StaffPages {
        StaffPages(backend: StaffAPIBackend(desk: bed.desk, tokens: APITokenTable(bed.config.tokens)), clock: bed.clock)
    }

    static func signedIn(_ pages: StaffPages) async throws -> PageClient {
        var client = PageClient(pages)
        _ = try await client.post("/staff/login", [("token", APITestBed.staffToken)], csrf: "")
        #expect(client.cookie != nil)
        _ = try await client.get("/staff/")
        return client
    }

    @Test func aNoticePostedThroughTheFormIsStoredAuditedAndOnTheScreen() async throws {
        let bed = try await APITestBed()
        let pages = Self.pages(bed)
        var client = try await Self.signedIn(pages)
        #expect(client.lastPage.contains("Connecté en tant que accueil"))
        let response = try await client.post("/staff/notices", [
            ("kind", "call"), ("title", "Appel à résidences 2027"), ("body", "Dossier avant le 10 décembre"),
            ("author", "Le Mixeur"), ("deadline", "2026-12-10"), ("expires_days", "20"),
        ])
        #expect(response.status == .seeOther)
        let stored = try bed.inspect { try $0.notices.all() }
        let notice = try #require(stored.first { $0.title == "Appel à résidences 2027" })
        #expect(notice.kind == .call && notice.deadline == CivilDate(year: 2026, month: 12, day: 10))
        #expect(try bed.inspect { try $0.notices.createdBy(id: notice.id) } == "accueil")
        let audit = try bed.inspect { try $0.audit.entries() }
        #expect(audit.contains { $0.actor == "accueil" && $0.action == "notice.create" })
        _ = try await client.get("/staff/")
        #expect(client.lastPage.contains("Annonce publiée : « Appel à résidences 2027 »."))
        #expect(client.lastPage.contains("name=\"id\" value=\"\(HTMLText.escape(notice.id))\""))
        // The lobby's model holds the notice (the panel that shows it rotates in).
        let snapshot = try bed.inspect { try LobbySnapshotReader.snapshot(at: APITestBed.start, store: $0, config: bed.config) }
        #expect(snapshot.notices.map(\.title).contains("Appel à résidences 2027"))
        _ = try await client.get("/staff/screen")
        #expect(client.lastPage.contains("Le Mixeur"))
        // With the repository's fonts (tests run at its root), the picture too: a PNG of
        // 960 x 540 (IHDR width and height, big-endian, after the signature and chunk head).
        if StaffScreenImage.shared.isAvailable {
            #expect(client.lastPage.contains("src=\"/staff/screen.png\""))
            let picture = try await client.get("/staff/screen.png")
            #expect(picture.status == .ok)
            #expect(Array(picture.body.prefix(8)) == [0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A])
            #expect(Array(picture.body[16..<24]) == [0, 0, 0x03, 0xC0, 0, 0, 0x02, 0x1C])
        }
        // Withdrawn: gone from the store.
        _ = try await client.post("/staff/notices/withdraw", [("id", notice.id)])
        #expect(try bed.inspect { try $0.notices.get(id: notice.id) } == nil)
        _ = try await client.get("/staff/")
        #expect(client.lastPage.contains("Annonce retirée : « Appel à résidences 2027 »."))
    }

    @Test func aProgrammeUploadIsAppliedOrRefusedWhole() async throws {
        let bed = try await APITestBed()
        let pages = Self.pages(bed)
        var client = try await Self.signedIn(pages)
        let csrf = try #require(client.csrfToken)
        let good = [
            "BEGIN:VCALENDAR", "VERSION:2.0", "PRODID:-//test//FR",
            "BEGIN:VEVENT", "UID:jeux@test", "DTSTART;TZID=Europe/Paris:20261124T190000",
            "DTEND;TZID=Europe/Paris:20261124T220000", "SUMMARY:Soirée jeux de société", "END:VEVENT",
            "END:VCALENDAR", "",
        ].joined(separator: "\r\n")
        var (headers, body) = StaffPagesTests.multipart([("csrf", nil, csrf), ("name", nil, "jeux"), ("file", "jeux.ics", good)])
        let applied = try await client.send(.post, "/staff/programme", headers: headers, body: body)
        #expect(applied.status == .seeOther)
        _ = try await client.get("/staff/")
        #expect(client.lastPage.contains("Programme mis à jour."))
        #expect(client.lastPage.contains("<dd id=\"events-read\">1</dd>"))
        #expect(try bed.inspect { try $0.programme.sourceStatus(id: "push:jeux") } != nil)
        let before = try bed.programmeState()
        // A file with an error: 422, the report with its line, nothing changed.
        let bad = good.replacingOccurrences(of: "DTSTART;TZID=Europe/Paris:20261124T190000", with: "DTSTART;TZID=Europe/Paris:2026-13-01")
        (headers, body) = StaffPagesTests.multipart([("csrf", nil, csrf), ("name", nil, "jeux"), ("file", "jeux.ics", bad)])
        let refused = try await client.send(.post, "/staff/programme", headers: headers, body: body)
        #expect(refused.status == .unprocessableContent)
        #expect(client.lastPage.contains("Fichier refusé : rien n&#39;a changé."))
        #expect(client.lastPage.contains("<table id=\"report-errors\">"))
        #expect(try bed.programmeState() == before)
    }
}
