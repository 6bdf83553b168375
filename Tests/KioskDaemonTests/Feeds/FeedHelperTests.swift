import Foundation
import Testing
import KioskCore
import KioskStore
import KioskSystem
import KioskTestSupport
@testable import KioskDaemon
#if canImport(Glibc)
import Glibc
#endif

/// Feeds are fetched and parsed in a short-lived child (`kioskctl --feed-helper`): the real
/// helper reads a feed and answers; one that hangs is killed at its deadline; one that
/// crashes leaves the last good programme; and, sandboxed, it cannot open the database.
@Suite(.serialized, .timeLimit(.minutes(5))) struct FeedHelperTests {
    /// The `kioskctl` built next to this test bundle (the helper is that executable).
    static var kioskctl: String { DemoEndToEndTests.kioskd.deletingLastPathComponent().appendingPathComponent("kioskctl").path }
    static var helper: FeedHelperClient { FeedHelperClient(executable: kioskctl) }

    static func request(url: String, timeout: Double = 5) -> FeedHelper.Request {
        FeedHelper.Request(url: url, format: .ics, timeout: timeout, maxBytes: 1 << 20, venueTimeZone: "Europe/Paris", language: "fr")
    }

    /// The helper's children still around (zombies included), by command name.
    static func children(named name: String) -> Int {
        let me = getpid()
        let entries = (try? FileManager.default.contentsOfDirectory(atPath: "/proc")) ?? []
        return entries.filter { entry in
            guard Int32(entry) != nil, let stat = try? String(contentsOfFile: "/proc/\(entry)/stat", encoding: .utf8),
                  let open = stat.firstIndex(of: "("), let close = stat.lastIndex(of: ")") else { return false }
            let comm = stat[stat.index(after: open)..<close]
            let fields = stat[stat.index(after: close)...].split(separator: " ")
            return comm == name && fields.count > 1 && Int32(fields[1]) == me
        }.count
    }

    @Test func theHelperReadsAFileFeedInItsSandbox() async throws {
        let dir = try CheckInTestSupport.temporaryDirectory("kiosk-helper")
        defer { try? FileManager.default.removeItem(at: dir) }
        let file = dir.appendingPathComponent("agenda.ics")
        try FeedPullerTests.calendar.write(to: file)
        let response = try await Self.helper.run(Self.request(url: file.absoluteString)).get()
        #expect(response.outcome == .events)
        #expect(response.events.map(\.uid).sorted() == ["concert@test", "serigraphie@test"])
        #expect(response.etag != nil, "a file's size and time stand in for an ETag")
        #expect(response.sandbox?.contains("file system restricted") == true, "\(response.sandbox ?? "no sandbox report")")
        // Unchanged file: not modified.
        var again = Self.request(url: file.absoluteString)
        again.etag = response.etag
        #expect(try await Self.helper.run(again).get().outcome == .notModified)
    }

    /// The daemon runs `kioskctl --feed-helper` from its own directory (the package puts
    /// both in /usr/bin, SwiftPM both in `.build/CONFIG`): from this test bundle, the
    /// kioskctl beside it. kioskd itself is no longer a helper (it links no HTTP client).
    @Test func theDaemonsHelperIsTheKioskctlBesideIt() async throws {
        let client = FeedHelperClient()
        #expect(client.executable == Self.kioskctl, "the kioskctl in the directory of the running executable")
        #expect(client.arguments == ["kioskctl", FeedHelper.flag], "what the daemon passes by default")
        let dir = try CheckInTestSupport.temporaryDirectory("kiosk-helper-default")
        defer { try? FileManager.default.removeItem(at: dir) }
        let file = dir.appendingPathComponent("agenda.ics")
        try FeedPullerTests.calendar.write(to: file)
        let response = try await client.run(Self.request(url: file.absoluteString)).get()
        #expect(response.outcome == .events)
        #expect(response.events.count == 2)

        let kioskd = Process()
        kioskd.executableURL = DemoEndToEndTests.kioskd
        kioskd.arguments = [FeedHelper.flag]
        kioskd.standardInput = FileHandle.nullDevice
        kioskd.standardOutput = FileHandle.nullDevice
        kioskd.standardError = FileHandle.nullDevice
        try kioskd.run()
        #expect(await kioskd.exitStatus() == ExitStatus.usage.rawValue, "kioskd refuses --feed-helper: it is kioskctl's")
    }

    @Test func aHelperThatHangsIsKilledAtItsDeadline() async throws {
        var client = FeedHelperClient(executable: "/bin/sleep", arguments: ["sleep", "60"])
        client.grace = 0.5
        let started = ContinuousClock.now
        let result = await client.run(Self.request(url: "http://127.0.0.1:9/agenda.ics", timeout: 0.5))
        let elapsed = started.duration(to: .now)
        guard case .failure(let error) = result else { Issue.record("a hung helper answered"); return }
        #expect(error.kind == .timeout)
        #expect(error.message.contains("killed"))
        #expect(elapsed >= .seconds(1), "not before its deadline")
        #expect(elapsed < .seconds(20), "killed at its deadline, not when it chose to end")
        #expect(Self.children(named: "sleep") == 0, "the killed helper is reaped, not left as a zombie")
    }

    @Test func aHelperThatCrashesLeavesTheLastGoodProgramme() async throws {
        let dir = try CheckInTestSupport.temporaryDirectory("kiosk-helper-crash")
        defer { try? FileManager.default.removeItem(at: dir) }
        let file = dir.appendingPathComponent("agenda.ics")
        try FeedPullerTests.calendar.write(to: file)
        var config = KioskConfig()
        config.path = dir.appendingPathComponent("kiosk.conf").path
        let feed = KioskConfig.Feed(name: "programme", url: file.path, format: .ics, line: 1)
        config.feeds = [feed]
        let store = try StateStore(stateDirectory: dir.path, timeZone: config.venue.timeZone)
        let display = MemoryDisplay(columns: 120, rows: 40)
        let lobby = Lobby(clock: FixedClock(ISO8601.parse("2026-11-24T10:00:00Z")!), config: config, store: store, display: display,
                          logger: JournalLogger(level: .error, underSystemd: false, sink: { _ in }))
        try await lobby.start()
        var puller = try FeedPuller(feed: feed, configPath: config.path, config: config, lobby: lobby, logger: JournalLogger(level: .error, underSystemd: false, sink: { _ in }))
        puller.helper = Self.helper
        #expect(await puller.pullOnce(), "the real helper stores the programme")
        let check = try StateStore(stateDirectory: dir.path, timeZone: config.venue.timeZone)
        #expect(try check.programme.allEvents().count == 2)

        // A new version of the file, and a helper that dies of SIGSEGV.
        try Data(String(decoding: FeedPullerTests.calendar, as: UTF8.self).replacingOccurrences(of: "Concert", with: "Récital").utf8).write(to: file)
        puller.helper = FeedHelperClient(executable: "/bin/sh", arguments: ["sh", "-c", "kill -SEGV $$"])
        #expect(await puller.pullOnce() == false)
        #expect(try check.programme.allEvents().map(\.event.title).sorted() == ["Atelier sérigraphie", "Concert"], "the last good programme stays")
        let status = try #require(try check.programme.sourceStatus(id: "programme"))
        #expect(status.lastError?.contains("crashed (signal 11") == true, "\(status.lastError ?? "no error recorded")")
        let screen = (display.lastModel?.runs.map(\.text) ?? []).joined(separator: "\n")
        #expect(screen.contains("Atelier sérigraphie"))
        await lobby.stop()
    }

    @Test func theSandboxedHelperCannotOpenTheDatabase() async throws {
        let dir = try CheckInTestSupport.temporaryDirectory("kiosk-helper-db")
        defer { try? FileManager.default.removeItem(at: dir) }
        _ = try StateStore(stateDirectory: dir.path, timeZone: IANATimeZone(identifier: "Europe/Paris")!)
        let database = dir.appendingPathComponent("kiosk.sqlite3").path
        #expect(FileManager.default.isReadableFile(atPath: database), "this process can read it")
        // A listening socket the helper is not allowed to reach.
        let listener = try TCPListener.listening(on: SocketAddress.loopback(port: 0), backlog: 4)
        let port = listener.localAddress.port

        let process = Process()
        process.executableURL = URL(fileURLWithPath: Self.kioskctl)
        process.arguments = [FeedHelper.probeFlag, "--connect", String(port), database, dir.path, "/usr/share/zoneinfo/Europe/Paris"]
        let output = Pipe()
        process.standardOutput = output
        try process.run()
        let text = String(decoding: await output.fileHandleForReading.readAllOffThePool(), as: UTF8.self)
        #expect(await process.exitStatus() == 0, "\(text)")
        #expect(text.contains("sandbox: Landlock ABI"), "\(text)")
        #expect(text.contains("open \(database): refused (errno \(EACCES))"), "\(text)")
        #expect(text.contains("open \(dir.path): refused (errno \(EACCES))"), "\(text)")
        #expect(text.contains("open /usr/share/zoneinfo/Europe/Paris: ok"), "the probe can open what is allowed: \(text)")
        #expect(text.contains("connect \(port): refused (errno \(EACCES))"), "\(text)")
    }

    /// A reload that changes a feed replaces its puller: the old puller's task (and its
    /// helper) is awaited, the new one runs, nothing is left behind; an unchanged feed
    /// keeps its puller.
    @Test func aReloadThatSwapsAFeedPullerLeavesNoTaskBehind() async throws {
        let dir = try CheckInTestSupport.temporaryDirectory("kiosk-helper-reload")
        defer { try? FileManager.default.removeItem(at: dir) }
        try FeedPullerTests.calendar.write(to: dir.appendingPathComponent("a.ics"))
        try Data(String(decoding: FeedPullerTests.calendar, as: UTF8.self).replacingOccurrences(of: "Concert", with: "Récital").utf8)
            .write(to: dir.appendingPathComponent("b.ics"))
        var config = KioskConfig()
        config.path = dir.appendingPathComponent("kiosk.conf").path
        config.feeds = [KioskConfig.Feed(name: "programme", url: "a.ics", format: .ics, line: 1)]
        let logger = JournalLogger(level: .error, underSystemd: false, sink: { _ in })
        let lobby = Lobby(clock: FixedClock(ISO8601.parse("2026-11-24T10:00:00Z")!), config: config,
                          store: try StateStore(stateDirectory: dir.path, timeZone: config.venue.timeZone),
                          display: MemoryDisplay(columns: 120, rows: 40), logger: logger)
        try await lobby.start()
        let check = try StateStore(stateDirectory: dir.path, timeZone: config.venue.timeZone)
        func titles() throws -> [String] { try check.programme.allEvents().map(\.event.title).sorted() }

        // The helper under a name of its own, so that its children are told apart from
        // those of the other suites' helpers running at the same time.
        let link = dir.appendingPathComponent("kiosk-reload").path
        try FileManager.default.createSymbolicLink(atPath: link, withDestinationPath: Self.kioskctl)
        let helper = FeedHelperClient(executable: link)

        let group = ServiceGroup(services: [])
        let running = Task { try await group.run() }
        var keys: [String: FeedPullerService.Key] = [:]
        await DaemonRuntime.replaceChangedPullers(in: group, running: &keys, config: config, lobby: lobby, logger: logger, helper: helper)
        #expect(await CheckInTestSupport.eventually(120) { (try? titles()) == ["Atelier sérigraphie", "Concert"] })
        #expect(group.runningTasks == 1)

        // The same feed, moved in the file: kept.
        config.feeds[0].line = 12
        await DaemonRuntime.replaceChangedPullers(in: group, running: &keys, config: config, lobby: lobby, logger: logger, helper: helper)
        #expect(!group.history.contains("stopped feed:programme"))

        // Another file: the puller is replaced, the old one awaited.
        for round in 0..<3 {
            config.feeds[0].url = round % 2 == 0 ? "b.ics" : "a.ics"
            await DaemonRuntime.replaceChangedPullers(in: group, running: &keys, config: config, lobby: lobby, logger: logger, helper: helper)
            #expect(group.runningTasks == 1, "round \(round): one puller task, the replaced one ended")
            #expect(group.history.filter { $0 == "stopped feed:programme" }.count == round + 1)
        }
        #expect(await CheckInTestSupport.eventually(120) { (try? titles()) == ["Atelier sérigraphie", "Récital"] })

        // The feed removed, then the daemon stops: no task, no helper left.
        config.feeds = []
        await DaemonRuntime.replaceChangedPullers(in: group, running: &keys, config: config, lobby: lobby, logger: logger, helper: helper)
        #expect(group.runningTasks == 0)
        group.shutdown(reason: "test")
        try await running.value
        #expect(Self.children(named: "kiosk-reload") == 0, "no helper left")
        await lobby.stop()
    }
}
