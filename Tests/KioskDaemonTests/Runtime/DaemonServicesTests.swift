import Foundation
import Testing
import KioskSystem
import KioskTestSupport
@testable import KioskDaemon
#if canImport(Glibc)
import Glibc
#endif

/// The real kioskd's services (`DaemonCommand.services`) under its `ServiceGroup`: started
/// in order, stopped in reverse on SIGTERM; a service that cannot start stops those before
/// it in reverse; a reload that changes a feed replaces that feed's puller alone. Read from
/// the daemon's debug log (`services: started NAME`, `services: stopped NAME`).
@Suite(.serialized, .timeLimit(.minutes(5))) struct DaemonServicesTests {
    typealias Daemon = DaemonAPITests.Daemon

    static func config(listen: String, feed: String) -> String {
        """
        [venue]
        name = Hall
        time-zone = UTC

        [screen]
        terminal = /dev/null

        [log]
        level = debug

        [http]
        listen = \(listen)

        [feed "programme"]
        url = \(feed)
        format = ics
        refresh = 15min
        """
    }

    /// Polls without blocking a thread of the cooperative pool (the other suites need it).
    static func until(_ seconds: Double = 120, _ condition: () -> Bool) async -> Bool {
        await eventually(timeout: seconds, condition)
    }

    static func waitForLog(_ daemon: Daemon, _ text: String, skipping: Int = 0) async -> Bool {
        await until { daemon.log.dropFirst(skipping).contains(text) || !daemon.process.isRunning } && daemon.log.dropFirst(skipping).contains(text)
    }

    static func exitStatus(_ daemon: Daemon) async -> Int32? {
        await until { !daemon.process.isRunning } ? daemon.process.terminationStatus : nil
    }

    /// The services named in the log's `services: VERB NAME` lines, in order.
    static func services(_ verb: String, in log: String) -> [String] {
        log.split(separator: "\n").compactMap { line in
            guard let range = line.range(of: "services: \(verb) ") else { return nil }
            return String(line[range.upperBound...].split(separator: " ").first ?? "")
        }
    }

    @Test func startedInOrderStoppedInReverseAndAReloadSwapsOnlyTheChangedFeed() async throws {
        let daemon = try Daemon(config: Self.config(listen: "127.0.0.1:0", feed: "a.ics"))
        try FeedPullerTests.calendar.write(to: daemon.directory.appendingPathComponent("a.ics"))
        try FeedPullerTests.calendar.write(to: daemon.directory.appendingPathComponent("b.ics"))
        #expect(await Self.waitForLog(daemon, "kioskd started"), "\(daemon.log)")
        let order = ["store", "display", "lobby", "display-watch", "reader", "checkin-chores", "http", "status-socket", "feed:programme", "resident-logos"]
        #expect(Self.services("started", in: daemon.log) == order, "\(daemon.log)")

        // Another file for the feed: its puller alone is replaced.
        try Data(Self.config(listen: "127.0.0.1:0", feed: "b.ics").utf8).write(to: daemon.configFile)
        let mark = daemon.log.count
        kill(daemon.process.processIdentifier, SIGHUP)
        #expect(await Self.waitForLog(daemon, "SIGHUP: feed:programme changed", skipping: mark), "\(daemon.log)")
        let afterReload = String(daemon.log.dropFirst(mark))
        #expect(Self.services("stopped", in: afterReload) == ["feed:programme"], "\(afterReload)")
        #expect(Self.services("started", in: afterReload) == ["feed:programme"], "\(afterReload)")

        let mark2 = daemon.log.count
        kill(daemon.process.processIdentifier, SIGTERM)
        #expect(await Self.exitStatus(daemon) == 0, "\(daemon.log)")
        #expect(Self.services("stopped", in: String(daemon.log.dropFirst(mark2))) == order.reversed(), "\(daemon.log)")
        #expect(daemon.log.contains("kioskd stopped"))
    }

    /// The staff API cannot listen (its port is held): the services started before it are stopped in reverse, the feed puller never starts, and kioskd exits 1.
    @Test func aServiceThatCannotStartStopsThoseBeforeItInReverse() async throws {
        let holder = try TCPListener.listening(on: .loopback(port: 0))
        defer { holder.close() }
        let daemon = try Daemon(config: Self.config(listen: "127.0.0.1:\(holder.localAddress.port)", feed: "a.ics"))
        #expect(await Self.exitStatus(daemon) == 1, "\(daemon.log)")
        #expect(Self.services("started", in: daemon.log) == ["store", "display", "lobby", "display-watch", "reader", "checkin-chores"], "\(daemon.log)")
        #expect(Self.services("stopped", in: daemon.log) == ["checkin-chores", "reader", "display-watch", "lobby", "display", "store"], "\(daemon.log)")
        #expect(daemon.log.contains("services: failed http"), "\(daemon.log)")
        #expect(!daemon.log.contains("kioskd started"))
    }
}
