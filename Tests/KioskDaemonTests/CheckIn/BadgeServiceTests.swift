import Foundation
import Synchronization
import Testing
import KioskCore
import KioskStore
import KioskSystem
@testable import KioskDaemon

/// The daemon's check-in path on a real pseudo-terminal pair standing in for the serial
/// port: frames written to the controller side become committed check-ins and a welcome
/// on the display; closing the pty and creating a new one behind the same symlink
/// reconnects.
@Suite(.serialized, .timeLimit(.minutes(1))) struct BadgeServiceTests {
    static let camille = "62E3086CED"
    static let visitor = "2900DEB30A"
    static let stranger = "67003B51C6"
    static let fastBackoff = SerialReconnectBackoff(initial: .milliseconds(20), maximum: .milliseconds(100), stableAfter: .seconds(5))

    struct Rig {
        let directory: URL
        let link: ReaderLink
        let check: StateStore
        let display: RecordingDisplay
        let lobby: Lobby
        let service: BadgeService
    }

    /// A lobby on 2026-11-24 at 11:00 in Paris, during the Fablab (10:00-18:00), with
    /// Camille (resident of Atelier Diptyc) and a visitor pass for Distorsion enrolled.
    /// By default a welcome stays longer than a test lasts (each scan replaces the last),
    /// so a test that reads the welcome from the last screen cannot miss it when the
    /// parallel suite holds its task off the pool; tests of its going give a short one.
    func makeRig(welcomeDuration: Duration = .seconds(600)) async throws -> Rig {
        let dir = try CheckInTestSupport.temporaryDirectory("kiosk-badges")
        let link = ReaderLink(in: dir)
        var config = KioskConfig()
        config.venue.name = "Le Mixeur"
        config.checkIn.readerDevice = link.path
        config.checkIn.welcomeDuration = welcomeDuration
        let now = ISO8601.parse("2026-11-24T10:00:00Z")!
        let store = try StateStore(stateDirectory: dir.path, timeZone: config.venue.timeZone)
        try store.residents.upsert(Resident(id: "diptyc", name: "Atelier Diptyc", kind: .artiste, location: "Bât. C, atelier 2"), at: now)
        try store.residents.upsert(Resident(id: "distorsion", name: "Distorsion", kind: .association, location: "Bât. A, atelier 3"), at: now)
        let fablab = ProgrammeEvent(uid: "fablab", title: "Fablab ouvert à tous", room: "Fablab", start: .instant(ISO8601.parse("2026-11-24T09:00:00Z")!), end: .instant(ISO8601.parse("2026-11-24T17:00:00Z")!))
        let workshop = ProgrammeEvent(uid: "serigraphie", title: "Atelier sérigraphie", room: "Atelier 5", start: .instant(ISO8601.parse("2026-11-24T17:00:00Z")!), end: .instant(ISO8601.parse("2026-11-24T19:00:00Z")!))
        try store.programme.replaceEvents(ofSource: "programme", kind: .ics, url: "agenda.ics", with: [fablab, workshop], fetchedAt: now, etag: nil, lastModified: nil)
        let ledger = store.checkIns
        let camille = try ledger.addPerson(firstName: "Camille", lastName: "Martin", role: .resident, residentID: "diptyc", at: now)
        try ledger.enrol(tag: Self.camille, personID: camille.id, at: now)
        let pass = try ledger.addPerson(firstName: "", role: .visitor, residentID: "distorsion", at: now)
        try ledger.enrol(tag: Self.visitor, personID: pass.id, at: now)

        let display = RecordingDisplay(columns: 120, rows: 40)
        let logger = JournalLogger(level: .error, underSystemd: false, sink: { _ in })
        let lobby = Lobby(clock: FixedClock(now), config: config, store: store, display: display, logger: logger)
        try await lobby.start()
        let service = try BadgeService(settings: config.checkIn, lobby: lobby, logger: logger, backoff: Self.fastBackoff)
        let check = try StateStore(stateDirectory: dir.path, timeZone: config.venue.timeZone)
        return Rig(directory: dir, link: link, check: check, display: display, lobby: lobby, service: service)
    }

    static func screen(_ rig: Rig) -> String {
        (rig.display.lastModel?.runs.map(\.text) ?? []).joined(separator: "\n")
    }

    static func checkIns(_ rig: Rig, tag: String) throws -> [String] {
        try rig.check.database.query("SELECT direction FROM checkins WHERE tag = ? ORDER BY id", [tag]).map { try $0.get("direction") }
    }

    @Test func theFrameBuilderMatchesTheReferenceVector() {
        #expect(CheckInTestSupport.rdm6300Frame("62E3086CED") == [0x02, 0x36, 0x32, 0x45, 0x33, 0x30, 0x38, 0x36, 0x43, 0x45, 0x44, 0x30, 0x38, 0x03])
        #expect(CheckInTestSupport.rdm6300Frame("67003B51C6") == [0x02] + Array("67003B51C6CB".utf8) + [0x03])
    }

    @Test func framesOnThePtyAreCommittedThenWelcomedAndTheReaderIsFollowedAcrossAReplug() async throws {
        let rig = try await makeRig()
        defer { try? FileManager.default.removeItem(at: rig.directory) }
        let first = try PseudoTerminal()
        rig.link.point(at: first.devicePath)
        rig.service.start()

        #expect(await CheckInTestSupport.eventually { await rig.lobby.readerState == .connected })
        #expect(!Self.screen(rig).contains("Lecteur de badges"))

        // Camille, split across two writes with garbage before: committed, then welcomed
        // with her structure and what is on later today.
        let frame = CheckInTestSupport.rdm6300Frame(Self.camille)
        try first.controller.writeAll([0x41, 0xFF] + Array(frame.prefix(6)))
        try await Task.sleep(for: .milliseconds(20))
        try first.controller.writeAll(Array(frame.dropFirst(6)))
        #expect(await CheckInTestSupport.eventually { Self.screen(rig).contains("Bienvenue, Camille — Atelier Diptyc") }, "\(Self.screen(rig))")
        #expect(try Self.checkIns(rig, tag: Self.camille) == ["in"])
        #expect(Self.screen(rig).contains("Plus tard aujourd'hui : 18:00 – 20:00 Atelier sérigraphie — Atelier 5"), "\(Self.screen(rig))")
        #expect(!Self.screen(rig).contains("Martin"), "first names only by default")
        let overlay = try #require(rig.display.lastModel?.fills.first { $0.role == .overlay })
        #expect(rig.display.lastModel?.runs.contains { $0.role == .overlayTitle && $0.text.contains("Camille") && overlay.rect.intersects(CellRect(column: $0.column, row: $0.row, width: 1, height: 1)) } == true)

        // A frame with a wrong checksum is no scan; an unknown badge is kept for enrolment.
        try first.controller.writeAll([0x02] + Array("68003B51C6CB".utf8) + [0x03])
        try first.controller.writeAll(CheckInTestSupport.rdm6300Frame(Self.stranger))
        #expect(await CheckInTestSupport.eventually { Self.screen(rig).contains("Badge inconnu — merci de vous présenter à l'accueil") })
        #expect(try rig.check.checkIns.unknownScans().map(\.tag) == [Self.stranger])
        #expect(try rig.check.database.scalar("SELECT count(*) FROM unknown_scans WHERE tag = '68003B51C6'", as: Int.self) == 0)

        // Unplug: the lobby keeps running and says so quietly in the footer.
        first.controller.close()
        #expect(await CheckInTestSupport.eventually { await rig.lobby.readerState == .disconnected })
        let footerRow = 39
        #expect(rig.display.lastModel?.runs.contains { $0.row == footerRow && $0.text == "Lecteur de badges déconnecté" && $0.role == .muted } == true, "\(Self.screen(rig))")

        // A new device behind the same path: reconnected, the notice is gone, scans count.
        let second = try PseudoTerminal()
        rig.link.point(at: second.devicePath)
        #expect(await CheckInTestSupport.eventually { await rig.lobby.readerState == .connected })
        #expect(!Self.screen(rig).contains("Lecteur de badges déconnecté"))
        try second.controller.writeAll(CheckInTestSupport.rdm6300Frame(Self.visitor))
        #expect(await CheckInTestSupport.eventually { Self.screen(rig).contains("Rendez-vous : Distorsion, Bât. A, atelier 3") }, "\(Self.screen(rig))")
        #expect(try Self.checkIns(rig, tag: Self.visitor) == ["in"])

        // Camille again: a second scan checks her out.
        try second.controller.writeAll(CheckInTestSupport.rdm6300Frame(Self.camille))
        #expect(await CheckInTestSupport.eventually { Self.screen(rig).contains("Au revoir, Camille") })
        #expect(try Self.checkIns(rig, tag: Self.camille) == ["in", "out"])

        await rig.service.stop()
        await rig.lobby.stop()
    }

    @Test func theWelcomeGoesAwayAfterItsDuration() async throws {
        // The display keeps every screen it was given, so the welcome is seen even when the
        // polling below is held off the cooperative pool (the whole parallel suite on two
        // loaded cores) for longer than the welcome lasts.
        let rig = try await makeRig(welcomeDuration: .milliseconds(500))
        defer { try? FileManager.default.removeItem(at: rig.directory) }
        let pty = try PseudoTerminal()
        rig.link.point(at: pty.devicePath)
        rig.service.start()
        #expect(await CheckInTestSupport.eventually { await rig.lobby.readerState == .connected })
        try pty.controller.writeAll(CheckInTestSupport.rdm6300Frame(Self.camille))
        let welcome = { (screen: String) in screen.contains("Bienvenue, Camille") }
        #expect(await CheckInTestSupport.eventually(15) { rig.display.shownIndex(where: welcome) != nil })
        #expect(await CheckInTestSupport.eventually(15) { !Self.screen(rig).contains("Bienvenue, Camille") })
        let shown = try #require(rig.display.shownIndex(where: welcome))
        #expect(rig.display.shownCount > shown + 1, "a screen without the welcome followed it")
        #expect(rig.display.lastModel?.fills.contains { $0.role == .overlay } == false)
        #expect(try Self.checkIns(rig, tag: Self.camille) == ["in"], "the row stays when the welcome goes")
        await rig.service.stop()
        await rig.lobby.stop()
    }

    /// Nothing on the scan path needs a thread of Swift's cooperative pool: the reader has
    /// its thread, the lobby its own (`DedicatedThreadExecutor`). With every pool thread
    /// blocked (this test's own included) and more blocking jobs queued behind them, a
    /// frame on the pty is still committed and welcomed, and the welcome taken away.
    @Test func aScanIsWelcomedWhileTheCooperativePoolIsBlocked() async throws {
        let rig = try await makeRig(welcomeDuration: .milliseconds(300))
        defer { try? FileManager.default.removeItem(at: rig.directory) }
        let pty = try PseudoTerminal()
        rig.link.point(at: pty.devicePath)
        rig.service.start()
        #expect(await CheckInTestSupport.eventually { await rig.lobby.readerState == .connected })

        let blockerCount = ProcessInfo.processInfo.activeProcessorCount * 2 + 2
        final class Blockers: Sendable {
            let release = Atomic<Bool>(false)
            let running = Atomic<Int>(0)
        }
        let flags = Blockers()
        let blockers = (0..<blockerCount).map { _ in
            Task.detached {
                flags.running.add(1, ordering: .relaxed)
                while !flags.release.load(ordering: .relaxed) { usleep(1_000) }
            }
        }
        defer { flags.release.store(true, ordering: .relaxed) }
        // From here this thread blocks too (it is a pool thread): no `await` until release.
        usleep(300_000)
        let startedBeforeScan = flags.running.load(ordering: .relaxed)
        try pty.controller.writeAll(CheckInTestSupport.rdm6300Frame(Self.camille))
        let deadline = ContinuousClock.now + .seconds(10)
        var welcomed = false, dismissed = false
        while ContinuousClock.now < deadline, !(welcomed && dismissed) {
            let screen = Self.screen(rig)
            if screen.contains("Bienvenue, Camille") { welcomed = true } else if welcomed { dismissed = true }
            usleep(2_000)
        }
        let startedAtWelcome = flags.running.load(ordering: .relaxed)
        flags.release.store(true, ordering: .relaxed)
        for blocker in blockers { await blocker.value }

        #expect(startedBeforeScan < blockerCount && startedAtWelcome < blockerCount,
                "the pool was saturated: \(blockerCount - startedAtWelcome) blocking jobs still waited for a thread")
        #expect(welcomed, "the scan was welcomed while no pool thread was free")
        #expect(dismissed, "the welcome was taken away by the lobby's own timer")
        #expect(try Self.checkIns(rig, tag: Self.camille) == ["in"])
        await rig.service.stop()
        await rig.lobby.stop()
    }
}

/// A cell display that keeps the text of every screen it was given, in order, so that a
/// test sees a screen that was shown and replaced between two of its looks.
final class RecordingDisplay: CellDisplay, @unchecked Sendable {
    // @unchecked: every field is guarded by `lock`.
    private let lock = NSLock()
    let metrics: LobbyLayout.Metrics
    private var _lastModel: ScreenModel?
    private var texts: [String] = []

    init(columns: Int, rows: Int) {
        metrics = LobbyLayout.Metrics(columns: columns, rows: rows, headlineScale: 1)
    }

    var lastModel: ScreenModel? { lock.withLock { _lastModel } }
    var shownCount: Int { lock.withLock { texts.count } }

    /// The position of the first screen shown whose text satisfies `predicate`.
    func shownIndex(where predicate: (String) -> Bool) -> Int? {
        lock.withLock { texts.firstIndex(where: predicate) }
    }

    func refreshSize() -> Bool { true }
    func restore() {}

    func show(_ model: ScreenModel) throws {
        lock.withLock {
            guard model != _lastModel else { return }
            _lastModel = model
            texts.append(model.runs.map(\.text).joined(separator: "\n"))
        }
    }
}
