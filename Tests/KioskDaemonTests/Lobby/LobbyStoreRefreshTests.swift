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

    /// A feed's ingest swaps that source's events alone in what the lobby holds: it does not
    /// read the store again (another connection's commit is still unseen until the next
    /// tick's refresh), and what it holds is what the store holds.
    @Test func anIngestUpdatesTheLobbyWithThatSourceAlone() async throws {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("lobby-ingest-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: directory) }
        var config = LobbyFixtures.config
        let feed = KioskConfig.Feed(name: "programme", url: "agenda.ics", format: .ics, line: 1)
        config.feeds = [feed]
        let now = LobbyFixtures.at("2026-11-24T13:05:00Z")
        let store = try StateStore(stateDirectory: directory.path, timeZone: config.venue.timeZone)
        func event(_ uid: String, _ title: String) -> ProgrammeEvent {
            ProgrammeEvent(uid: uid, title: title, start: .instant(now.addingTimeInterval(3600)), end: .instant(now.addingTimeInterval(7200)))
        }
        try store.programme.replaceEvents(ofSource: "push:staff", kind: .push, with: [event("pushed", "Pushed")], fetchedAt: now)
        let lobby = Lobby(
            clock: FixedClock(now), config: config, store: store,
            display: MemoryDisplay(columns: 120, rows: 40), logger: JournalLogger(level: .error, underSystemd: false, sink: { _ in }))
        try await lobby.start()
        let other = try StateStore(stateDirectory: directory.path, timeZone: config.venue.timeZone)
        try other.notices.create(Notice(id: "n", kind: .information, title: "Annonce", posted: now.addingTimeInterval(-60), expires: now.addingTimeInterval(86_400)))

        try await lobby.acceptFeed(feed, events: [event("a", "Atelier"), event("b", "Bal")], etag: "\"v1\"", lastModified: nil)
        let held = await lobby.inputs(at: now)
        #expect(held.occurrences.map(\.uid).sorted() == ["a", "b", "pushed"])
        #expect(!held.notices.contains { $0.id == "n" }, "the ingest did not read the store again")
        #expect(await lobby.validators(for: feed).etag == "\"v1\"", "the source's status is current")
        let stored = try other.programme.allEvents().map { "\($0.source) \($0.event.uid) \($0.event.title)" }.sorted()
        let inMemory = await lobby.heldEvents.map { "\($0.source) \($0.event.uid) \($0.event.title)" }.sorted()
        #expect(inMemory == stored)

        try await lobby.acceptFeed(feed, events: [event("c", "Concert")], etag: "\"v2\"", lastModified: nil)
        #expect(await lobby.inputs(at: now).occurrences.map(\.uid).sorted() == ["c", "pushed"])
        try await lobby.refreshIfStoreChanged()
        #expect(await lobby.inputs(at: now).notices.contains { $0.id == "n" }, "the other connection's commit is seen on the next tick")
    }

    /// The nightly purge of ended posters re-reads the posters alone: what it holds is what
    /// the store holds, another connection's commit is still unseen until the next tick's
    /// refresh (which still sees it), and the purged poster's file goes.
    @Test func thePurgeOfEndedPostersReloadsThePostersAlone() async throws {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("lobby-purge-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: directory) }
        let config = LobbyFixtures.config
        let zone = config.venue.timeZone
        let now = LobbyFixtures.at("2026-11-24T13:05:00Z")
        let store = try StateStore(stateDirectory: directory.path, timeZone: zone)
        let files = try #require(store.pictureFiles)
        let old = try files.store(Array("old poster".utf8)), kept = try files.store(Array("kept poster".utf8))
        try files.age(old, kept)
        try store.posters.create(Poster(id: "old", title: "Old", from: CivilDate(year: 2026, month: 9, day: 1), to: CivilDate(year: 2026, month: 9, day: 30),
                                        picture: old, posted: now), createdBy: "test")
        try store.posters.create(Poster(id: "kept", title: "Kept", from: CivilDate(year: 2026, month: 11, day: 1), to: CivilDate(year: 2026, month: 12, day: 1),
                                        picture: kept, posted: now), createdBy: "test")
        let lobby = Lobby(
            clock: FixedClock(now), config: config, store: store,
            display: MemoryDisplay(columns: 120, rows: 40), logger: JournalLogger(level: .error, underSystemd: false, sink: { _ in }))
        try await lobby.start()
        #expect(await lobby.heldPosters.map(\.id).sorted() == ["kept", "old"])
        let other = try StateStore(stateDirectory: directory.path, timeZone: zone)
        try other.notices.create(Notice(id: "n", kind: .information, title: "Annonce", posted: now.addingTimeInterval(-60), expires: now.addingTimeInterval(86_400)))

        #expect(try await lobby.purgeEndedPosters() == 1)
        #expect(await lobby.heldPosters.map(\.id) == ["kept"])
        #expect(try other.posters.all().map(\.id) == ["kept"])
        #expect(try files.hashes() == [kept], "the purged poster's file goes")
        #expect(await !lobby.inputs(at: now).notices.contains { $0.id == "n" }, "the purge did not read the other tables again")
        try await lobby.refreshIfStoreChanged()
        #expect(await lobby.inputs(at: now).notices.contains { $0.id == "n" }, "the other connection's commit is seen on the next tick")

        // With no poster to purge, the night still collects what a withdrawal left young.
        let withdrawn = try files.store(Array("a poster withdrawn yesterday".utf8))
        try files.age(withdrawn)
        #expect(try await lobby.purgeEndedPosters() == 0)
        #expect(try files.hashes() == [kept])
    }
}
