import Foundation
import Testing
import KioskCore
import KioskStore
@testable import KioskDaemon

/// The staff pages' backend over the API's desk: same tokens, same validation, same audit.
@Suite struct StaffAPIBackendTests {
    typealias Bed = APITestBed

    @Test func signInPostWithdrawPushAndScreen() async throws {
        let bed = try await Bed()
        let backend = StaffAPIBackend(desk: bed.desk, tokens: bed.router.tokens)
        #expect(await backend.principal(forToken: "kiosk_wrong") == nil)
        let staff = try #require(await backend.principal(forToken: Bed.staffToken))
        #expect(staff == StaffPrincipal(name: "accueil", role: .staff))
        #expect(await backend.principal(forToken: Bed.maintainerToken)?.role == .maintainer)
        #expect(await backend.venue() == StaffVenue(name: "Le Mixeur", language: .fr, timeZone: Bed.paris))

        let draft = StaffNoticeDraft(kind: .information, title: "Atelier\u{1B}[2J annulé", expires: Bed.start.addingTimeInterval(86_400), urgent: true)
        let notice = try await backend.postNotice(draft, as: staff)
        #expect(notice.title == "Atelier annulé")
        #expect(try await backend.liveNotices(as: staff).map(\.id) == [notice.id])
        #expect(try bed.inspect { try $0.audit.entries().first?.actor } == "accueil")
        await #expect(throws: HTTPError.self) {
            _ = try await backend.postNotice(StaffNoticeDraft(kind: .call, title: "Appel", expires: Bed.start.addingTimeInterval(60)), as: staff)
        }
        #expect(try await backend.withdrawNotice(id: notice.id, as: staff))
        #expect(try await !backend.withdrawNotice(id: notice.id, as: staff))

        let checked = try await backend.pushProgramme(name: "soiree", file: Array(ProgrammeSamples.broken.utf8), checkOnly: false, as: staff)
        #expect(!checked.applied)
        #expect(checked.errors.map(\.line) == [15])  // the first bad event's DTSTART
        let pushed = try await backend.pushProgramme(name: "soiree", file: Array(ProgrammeSamples.soiree.utf8), checkOnly: false, as: staff)
        #expect(pushed.applied && pushed.format == "ics" && pushed.eventsRead == 2 && pushed.source == "push:soiree")
        #expect(try await backend.screenText(as: staff).contains("Le Mixeur"))
    }

    @Test func healthIs503WhenTheStoreCannotBeRead() async throws {
        let bed = try await Bed()
        #expect(await bed.send(.get, "/healthz").status == .ok)
        try bed.inspect { try $0.database.execute("DROP TABLE events"); try $0.database.execute("DROP TABLE sources") }
        let broken = await bed.send(.get, "/healthz")
        #expect(broken.status == .serviceUnavailable)
        #expect(broken.json["status"] as? String == "unavailable")
        #expect(bed.log.lines.contains { $0.contains("healthz: the store cannot be read") })
    }
}
