import Foundation
import KioskCore
import KioskStore
import Testing

@testable import KioskDaemon

/// The tick loop sleeps until `Lobby.nextWakeup()`: nothing on screen may change before
/// that instant, or the change shows late (a panel staying 20 s instead of 15).
@Suite("Lobby wake-ups")
struct LobbyWakeupTests {
    @Test func nothingChangesOnScreenBeforeTheNextWakeup() async throws {
        var config = LobbyFixtures.config
        config.screen.panelDuration = 15
        config.screen.directoryPageDuration = 10
        let start = LobbyFixtures.at("2026-11-24T14:00:03Z")
        let clock = FixedClock(start)
        let store = try StateStore.inMemory(timeZone: config.venue.timeZone)
        // Enough residents for several directory pages, and notices: a long rotation.
        let residents = (0..<60).map { Resident(name: "Structure \($0)", kind: .association, sector: "Secteur \($0 % 7)", location: "Bât. A") }
        _ = try store.residents.replaceAll(residents, at: start)
        for notice in LobbyFixtures.notices { try store.notices.create(notice) }
        try store.programme.replaceEvents(
            ofSource: "programme", kind: .ics,
            with: [ProgrammeEvent(uid: "odd", title: "Atelier à l'heure bizarre", start: .instant(LobbyFixtures.at("2026-11-24T14:01:37Z")), end: .instant(LobbyFixtures.at("2026-11-24T14:30:00Z")))],
            fetchedAt: start)
        let display = MemoryDisplay(columns: 120, rows: 40)
        let logger = JournalLogger(level: .error, underSystemd: false, sink: { _ in })
        let lobby = Lobby(clock: clock, config: config, store: store, display: display, logger: logger)
        try await lobby.start()

        var now = start
        var wakes = 0
        var changes = 0
        // Two minutes of the tick loop, checked second by second between wake-ups.
        while now < start.addingTimeInterval(120) {
            clock.set(now)
            try await lobby.redraw()
            let shown = await lobby.currentModel()
            let wake = await lobby.nextWakeup()
            #expect(wake > now)
            var t = now.addingTimeInterval(0.5)
            while t < wake {
                clock.set(t)
                let model = await lobby.currentModel()
                #expect(model == shown, "the screen changed at \(t), before the wake-up at \(wake)")
                if model != shown { return }
                t = t.addingTimeInterval(0.5)
            }
            clock.set(wake)
            if await lobby.currentModel() != shown { changes += 1 }
            now = wake
            wakes += 1
        }
        // The rotation did turn, and the loop did not wake needlessly often.
        #expect(changes >= 8)
        #expect(wakes <= changes + 4)
    }
}
