import Foundation
import Testing
import KioskCore
import KioskStore
import KioskSystem
@testable import KioskDaemon

/// kioskd's real services (`DaemonServices.all`) in this process, read from the group's
/// history: the store and the display come first and go last, so the database is closed
/// only once everything that used it stopped, also when a later service cannot start; a
/// reload swaps a feed's puller, the badge reader and the staff API without leaving a
/// task behind, the old port closed and the new one answering. (The same daemon as a
/// child process, signals and exit statuses included, is `DaemonServicesTests`.)
@Suite(.serialized, .timeLimit(.minutes(5))) struct DaemonServiceLifecycleTests {
    /// One daemon's parts on a temporary directory: drawing on /dev/null, a reader whose
    /// device does not exist yet (it waits for it, as on a board), no systemd.
    final class Harness: Sendable {
        let directory: URL
        let configFile: URL
        let log = ServiceGroupTests.Log()
        let lobby: Lobby
        let runtime: DaemonRuntime
        let parts: DaemonServices
        let config: KioskConfig
        var walFile: String { directory.appendingPathComponent("state/\(StateStore.fileName)-wal").path }

        init(_ text: String, stateDirectory: String? = nil) throws {
            directory = FileManager.default.temporaryDirectory.appendingPathComponent("kiosk-services-\(UUID().uuidString)")
            try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
            configFile = directory.appendingPathComponent("kiosk.conf")
            try Data(text.utf8).write(to: configFile)
            try FeedPullerTests.calendar.write(to: directory.appendingPathComponent("a.ics"))
            try FeedPullerTests.calendar.write(to: directory.appendingPathComponent("b.ics"))
            config = try KioskConfig.load(path: configFile.path)
            let log = self.log
            let logger = JournalLogger(level: .debug, underSystemd: false, environment: [:]) { line in log.add(line) }
            let clock = SystemClock()
            lobby = Lobby(clock: clock, config: config, logger: logger)
            runtime = DaemonRuntime(lobby: lobby, logger: logger, clock: clock, environment: [:])
            parts = DaemonServices(
                stateDirectory: stateDirectory ?? directory.appendingPathComponent("state").path, clock: clock, lobby: lobby, runtime: runtime,
                logger: logger, demo: nil, terminal: ServiceSlot("/dev/null", holding: try TerminalDevice(path: "/dev/null")), readsKeyboard: false)
        }

        deinit { try? FileManager.default.removeItem(at: directory) }

        func group() -> ServiceGroup { ServiceGroup(services: parts.all(config: config), shutdownDeadline: .seconds(3)) }

        func write(_ text: String) throws { try Data(text.utf8).write(to: configFile) }

        /// True when reading the lobby's database fails because it is closed.
        func storeIsClosed() async -> Bool {
            do { try await lobby.reloadFromStore() } catch let error as DatabaseError { return error.message.contains("closed") } catch { return false }
            return false
        }
    }

    /// `DaemonServicesTests`' configuration (debug log, a file feed) with a badge reader.
    static func config(listen: String, reader: String, feed: String) -> String {
        DaemonServicesTests.config(listen: listen, feed: feed) + "\n\n[reader]\ndevice = \(reader)\n"
    }

    /// A loopback port nothing listens on (bound, then released).
    static func freePort() throws -> UInt16 {
        let listener = try TCPListener.listening(on: .loopback(port: 0))
        defer { listener.close() }
        return listener.localAddress.port
    }

    static func answers(_ port: UInt16) async -> Int? {
        let request = "GET /healthz HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n\r\n"
        guard let client = try? await HTTPTestClient.connect(port: port, sending: Array(request.utf8)) else { return nil }
        defer { client.close() }
        return try? await client.readResponse(timeout: 60).status
    }

    static func names(_ verb: String, in history: [String]) -> [String] {
        history.compactMap { $0.hasPrefix(verb + " ") ? String($0.dropFirst(verb.count + 1)) : nil }
    }

    static let order = ["store", "display", "lobby", "display-watch", "reader", "checkin-chores", "http", "status-socket", "feed:programme", "resident-logos"]

    @Test func theStoreAndTheDisplayStartFirstAndStopLastTheDatabaseClosed() async throws {
        let harness = try Harness(Self.config(listen: "127.0.0.1:0", reader: "/dev/kiosk-test-no-such-reader", feed: "a.ics"))
        let group = harness.group()
        let running = Task { try await group.run() }
        #expect(await group.until(.running) == .running, "\(group.history)")
        #expect(Self.names("started", in: group.history) == Self.order)
        #expect(FileManager.default.fileExists(atPath: harness.walFile), "the database is open in WAL mode")
        #expect(await !harness.storeIsClosed())

        group.shutdown(reason: "test")
        try await running.value
        #expect(Self.names("stopped", in: group.history) == Self.order.reversed(), "\(group.history)")
        #expect(group.runningTasks == 0)
        #expect(await harness.storeIsClosed())
        // The last connection (the lobby's; the staff API's closed before) checkpointed the log.
        #expect(!FileManager.default.fileExists(atPath: harness.walFile))
    }

    /// The staff API cannot listen (its port is held): the services before it stop in
    /// reverse and the store, stopped last, is closed.
    @Test func aServiceThatCannotStartStopsThoseBeforeItAndTheStoreIsClosed() async throws {
        let holder = try TCPListener.listening(on: .loopback(port: 0))
        defer { holder.close() }
        let harness = try Harness(Self.config(listen: "127.0.0.1:\(holder.localAddress.port)", reader: "/dev/kiosk-test-no-such-reader", feed: "a.ics"))
        let group = harness.group()
        await #expect(throws: ServiceGroup.Failure.self) { try await group.run() }
        #expect(Self.names("started", in: group.history) == ["store", "display", "lobby", "display-watch", "reader", "checkin-chores"])
        #expect(group.history.contains { $0.hasPrefix("failed http: ") && $0.contains("cannot listen on 127.0.0.1:\(holder.localAddress.port)") }, "\(group.history)")
        #expect(Self.names("stopped", in: group.history) == ["checkin-chores", "reader", "display-watch", "lobby", "display", "store"], "\(group.history)")
        #expect(group.runningTasks == 0)
        #expect(await harness.storeIsClosed())
        #expect(!FileManager.default.fileExists(atPath: harness.walFile))
    }

    /// The store cannot open (its directory is a file): nothing after it starts, and the
    /// failure carries kioskd's fatal line.
    @Test func aStoreThatCannotOpenStartsNothingElse() async throws {
        let blocker = FileManager.default.temporaryDirectory.appendingPathComponent("kiosk-not-a-directory-\(UUID().uuidString)")
        try Data("x".utf8).write(to: blocker)
        defer { try? FileManager.default.removeItem(at: blocker) }
        let harness = try Harness(Self.config(listen: "127.0.0.1:0", reader: "/dev/kiosk-test-no-such-reader", feed: "a.ics"), stateDirectory: blocker.path)
        let group = harness.group()
        do {
            try await group.run()
            Issue.record("the group ran without its store")
        } catch let failure as ServiceGroup.Failure {
            #expect(failure.service == "store")
            let reason = try #require(failure.error as? ServiceStartFailure)
            #expect(reason.message.hasPrefix("cannot open the database in \(blocker.path): "), "\(reason.message)")
            #expect(reason.status == .failure)
        }
        #expect(Self.names("started", in: group.history).isEmpty)
        #expect(group.runningTasks == 0)
    }

    /// A reload that changes only the opening hours replaces the check-in chores alone
    /// (the reader's port stays open), and the new chores work from the new hours.
    @Test func aReloadOfTheHoursReplacesTheCheckInChoresAlone() async throws {
        let text = Self.config(listen: "127.0.0.1:0", reader: "/dev/kiosk-test-no-such-reader", feed: "a.ics")
        let harness = try Harness(text + "\n[hours]\nmonday = 09:00-20:00\ntuesday = 09:00-20:00\nwednesday = 09:00-20:00\nthursday = 09:00-20:00\nfriday = 09:00-20:00\nsaturday = 09:00-20:00\nsunday = 09:00-20:00\n")
        let group = harness.group()
        let running = Task { try await group.run() }
        #expect(await group.until(.running) == .running, "\(group.history)")
        let tasks = group.runningTasks
        // (The chores log it from their own task, once their start-up purge is done.)
        #expect(await DaemonServicesTests.until(60) { harness.log.all.contains { $0.contains("check-in chores: next closing-time check-out") && $0.contains("T20:00:00") } })
        var pullers = FeedPullerService.keys(of: harness.config, runningIn: group)

        try harness.write(text + "\n[hours]\nmonday = 09:00-18:00\ntuesday = 09:00-18:00\nwednesday = 09:00-18:00\nthursday = 09:00-18:00\nfriday = 09:00-18:00\nsaturday = 09:00-18:00\nsunday = 09:00-18:00\n")
        let mark = group.history.count
        _ = try #require(await harness.runtime.reload(replacing: harness.config, services: group, parts: harness.parts, pullers: &pullers))
        let swapped = Array(group.history.dropFirst(mark))
        #expect(Self.names("stopped", in: swapped) == ["checkin-chores"], "\(swapped)")
        #expect(Self.names("started", in: swapped) == ["checkin-chores"], "\(swapped)")
        #expect(group.runningTasks == tasks)
        #expect(group.serviceNames == Self.order)
        #expect(await DaemonServicesTests.until(60) { harness.log.all.contains { $0.contains("check-in chores: next closing-time check-out") && $0.contains("T18:00:00") } },
                "\(harness.log.all.filter { $0.contains("chores") })")

        group.shutdown(reason: "test")
        try await running.value
        #expect(group.runningTasks == 0)
    }

    /// A reload that changes a feed, the reader's device and the listen address swaps
    /// those three services in place, each old one awaited: as many tasks as before, the
    /// old port closed, the new one answering. A later reload onto a held port starts the
    /// previous staff API again and the daemon runs on.
    @Test func aReloadSwapsThePullerTheReaderAndTheServerLeavingNoTaskBehind() async throws {
        let (first, second) = (try Self.freePort(), try Self.freePort())
        let harness = try Harness(Self.config(listen: "127.0.0.1:\(first)", reader: "/dev/kiosk-test-reader-a", feed: "a.ics"))
        let group = harness.group()
        let running = Task { try await group.run() }
        #expect(await group.until(.running) == .running, "\(group.history)")
        #expect(await Self.answers(first) == 200)
        let tasks = group.runningTasks
        #expect(tasks == Self.order.count)
        var pullers = FeedPullerService.keys(of: harness.config, runningIn: group)

        try harness.write(Self.config(listen: "127.0.0.1:\(second)", reader: "/dev/kiosk-test-reader-b", feed: "b.ics"))
        let mark = group.history.count
        let reloaded = try #require(await harness.runtime.reload(replacing: harness.config, services: group, parts: harness.parts, pullers: &pullers))
        let swapped = Array(group.history.dropFirst(mark))
        #expect(Self.names("stopped", in: swapped) == ["reader", "http", "feed:programme"], "\(swapped)")
        #expect(Self.names("started", in: swapped) == ["reader", "http", "feed:programme"], "\(swapped)")
        #expect(group.runningTasks == tasks, "each old service's task awaited")
        #expect(group.serviceNames == Self.order, "each new service in its predecessor's place")
        #expect(reloaded.checkIn.readerDevice == "/dev/kiosk-test-reader-b")
        #expect(harness.runtime.staffAPI?.server.boundAddress?.port == second)
        #expect(await Self.answers(second) == 200)
        await #expect(throws: (any Error).self) { _ = try await HTTPTestClient.connect(port: first) }

        // The next address is held: the new server cannot start, the previous one does again.
        let holder = try TCPListener.listening(on: .loopback(port: 0))
        defer { holder.close() }
        try harness.write(Self.config(listen: "127.0.0.1:\(holder.localAddress.port)", reader: "/dev/kiosk-test-reader-b", feed: "b.ics"))
        let mark2 = group.history.count
        let kept = try #require(await harness.runtime.reload(replacing: reloaded, services: group, parts: harness.parts, pullers: &pullers))
        #expect(Array(group.history.dropFirst(mark2)).contains { $0.hasPrefix("failed http: ") }, "\(group.history)")
        #expect(kept.http.listen == reloaded.http.listen, "the running configuration keeps the [http] that runs")
        #expect(harness.log.all.contains { $0.contains("SIGHUP: [http] changed but the new http cannot start") })
        #expect(group.phase == .running)
        #expect(group.runningTasks == tasks)
        #expect(group.serviceNames == Self.order, "the previous server in its place")
        #expect(await Self.answers(second) == 200)

        group.shutdown(reason: "test")
        try await running.value
        #expect(group.runningTasks == 0)
        await #expect(throws: (any Error).self) { _ = try await HTTPTestClient.connect(port: second) }
    }
}
