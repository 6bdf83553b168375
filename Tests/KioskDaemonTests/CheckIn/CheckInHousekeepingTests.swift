import Foundation
import Synchronization
import Testing
import KioskCore
import KioskStore
@testable import KioskDaemon

/// The daemon's check-in chores at start-up: the retention purge, and the check-out of
/// those left in at the last closing of an earlier day (the daemon was down then).
@Suite struct CheckInHousekeepingTests {
    @Test(.timeLimit(.minutes(1))) func startUpPurgesOldRowsAndClosesYesterday() async throws {
        let dir = try CheckInTestSupport.temporaryDirectory("kiosk-chores")
        defer { try? FileManager.default.removeItem(at: dir) }
        var config = try KioskConfig.parse("""
            [hours]
            monday = 09:00-18:00
            tuesday = 09:00-18:00
            wednesday = 09:00-18:00
            [checkin]
            retention-days = 90
            """, path: "kiosk.conf")
        config.path = dir.appendingPathComponent("kiosk.conf").path
        let zone = config.venue.timeZone
        func paris(_ day: Int, _ month: Int, _ hour: Int) -> Date {
            var calendar = Calendar(identifier: .gregorian)
            calendar.timeZone = TimeZone(identifier: zone.identifier)!
            return calendar.date(from: DateComponents(year: 2026, month: month, day: day, hour: hour))!
        }
        let check = try StateStore(stateDirectory: dir.path, timeZone: zone)
        let ada = try check.checkIns.addPerson(firstName: "Ada", role: .member, at: paris(1, 6, 9))
        try check.checkIns.enrol(tag: "A1", personID: ada.id, at: paris(1, 6, 9))
        _ = try check.checkIns.recordScan(tag: "A1", at: paris(2, 6, 10), runningOccurrences: [], settings: config.checkIn)
        _ = try check.checkIns.recordScan(tag: "A1", at: paris(24, 11, 10), runningOccurrences: [], settings: config.checkIn)

        // Wednesday 25 November, 08:00: Ada never left on Tuesday; June is past retention.
        let store = try StateStore(stateDirectory: dir.path, timeZone: zone)
        let lobby = Lobby(clock: FixedClock(paris(25, 11, 8)), config: config, store: store, display: MemoryDisplay(columns: 80, rows: 24),
            logger: JournalLogger(level: .error, underSystemd: false, sink: { _ in }))
        let chores = Task { await CheckInHousekeeping(lobby: lobby, config: config, clock: FixedClock(paris(25, 11, 8)), logger: JournalLogger(level: .error, underSystemd: false, sink: { _ in })).run() }
        defer { chores.cancel() }
        // A long wait: in the whole suite on two loaded cores the chores' task started late
        // (it failed twice with 5 s).
        #expect(await CheckInTestSupport.eventually(30) {
            let rows = (try? check.checkIns.checkIns(personID: ada.id)) ?? []
            return rows.contains { $0.isAutomatic } && !rows.contains { $0.at < paris(1, 11, 0) }
        })
        let rows = try check.checkIns.checkIns(personID: ada.id)
        #expect(rows.map(\.direction) == [.in, .out])
        #expect(rows.first?.at == paris(24, 11, 10))
        #expect(rows.last?.isAutomatic == true && rows.last?.at == paris(24, 11, 18), "checked out at Tuesday's closing")
        // The June day's count stays for reports.
        #expect(try check.checkIns.attendance(from: CivilDate(year: 2026, month: 6, day: 2), through: CivilDate(year: 2026, month: 6, day: 2), by: .day).first?.count == 1)
    }

    @Test(.timeLimit(.minutes(2))) func startUpDeletesPostersEndedLongAgoAndTheirFiles() async throws {
        let dir = try CheckInTestSupport.temporaryDirectory("kiosk-poster-purge")
        defer { try? FileManager.default.removeItem(at: dir) }
        var config = try KioskConfig.parse("", path: "kiosk.conf")
        config.path = dir.appendingPathComponent("kiosk.conf").path
        let zone = config.venue.timeZone
        let store = try StateStore(stateDirectory: dir.path, timeZone: zone)
        let files = try #require(store.pictureFiles)
        let now = CivilDate(year: 2026, month: 11, day: 25).start(in: zone).addingTimeInterval(8 * 3600)
        let old = try files.store(Array("old poster bytes".utf8)), recent = try files.store(Array("recent poster bytes".utf8))
        try files.age(old, recent)
        // A file another process has just written, its record not yet committed.
        let young = try files.store(Array("a logo kioskctl is importing".utf8))
        // Ended 31 days before the 25th (past the retention), ended 30 days before (kept).
        try store.posters.create(Poster(id: "old", title: "Old", from: CivilDate(year: 2026, month: 10, day: 1), to: CivilDate(year: 2026, month: 10, day: 25),
                                        picture: old, posted: now), createdBy: "test")
        try store.posters.create(Poster(id: "recent", title: "Recent", from: CivilDate(year: 2026, month: 10, day: 1), to: CivilDate(year: 2026, month: 10, day: 26),
                                        picture: recent, posted: now), createdBy: "test")
        let lines = Mutex<[String]>([])
        let logger = JournalLogger(level: .info, underSystemd: false, sink: { line in lines.withLock { $0.append(line) } })
        let lobby = Lobby(clock: FixedClock(now), config: config, store: try StateStore(stateDirectory: dir.path, timeZone: zone),
                          display: MemoryDisplay(columns: 80, rows: 24), logger: logger)
        try await lobby.start()
        let chores = Task { await CheckInHousekeeping(lobby: lobby, config: config, clock: FixedClock(now), logger: logger).run() }
        defer { chores.cancel() }
        // The chores log the purge after it is done; in the whole suite on two loaded cores
        // their task may start late, hence the long wait.
        #expect(await CheckInTestSupport.eventually(60) {
            lines.withLock { $0 }.contains { $0.contains("deleted 1 poster(s) ended more than 30 days ago") }
        })
        #expect(try store.posters.all().map(\.id) == ["recent"])
        #expect(try files.hashes() == [recent, young].sorted(), "the old poster's file is deleted, the kept one's and the young one stay")
    }
}
