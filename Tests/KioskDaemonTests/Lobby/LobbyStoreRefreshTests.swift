import Foundation
import KioskCore
import KioskStore
import Testing

@testable import KioskDaemon

/// The lobby notices commits made by other connections (kioskctl, the staff API) on its
/// next tick, and a reload it was asked for counts as having seen them.
@Suite("Lobby store refresh")
struct LobbyStoreRefreshTests {
    @Test func anotherConnectionsCommitIsPickedUpOnTheNextTick() async throws {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("lobby-refresh-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: directory) }
        let config = LobbyFixtures.config
        let now = LobbyFixtures.at("2026-11-24T13:05:00Z")
        let lobby = Lobby(
            clock: FixedClock(now), config: config,
            store: try StateStore(stateDirectory: directory.path, timeZone: config.venue.timeZone),
            display: MemoryDisplay(columns: 120, rows: 40), logger: JournalLogger(level: .error, underSystemd: false, sink: { _ in }))
        try await lobby.start()
        try await lobby.refreshIfStoreChanged()
        let other = try StateStore(stateDirectory: directory.path, timeZone: config.venue.timeZone)
        func notice(_ id: String) -> Notice {
            Notice(id: id, kind: .information, title: "Annonce \(id)", posted: now.addingTimeInterval(-60), expires: now.addingTimeInterval(86_400))
        }
        func shows(_ id: String) async -> Bool {
            await lobby.inputs(at: now).notices.contains { $0.id == id }
        }

        try other.notices.create(notice("a"))
        #expect(await !shows("a"))
        try await lobby.refreshIfStoreChanged()
        #expect(await shows("a"))

        // After an explicit reload (what the staff API does), a later commit is still seen.
        try other.notices.create(notice("b"))
        try await lobby.reloadFromStore()
        #expect(await shows("b"))
        try other.notices.create(notice("c"))
        try await lobby.refreshIfStoreChanged()
        #expect(await shows("c"))
    }
}
