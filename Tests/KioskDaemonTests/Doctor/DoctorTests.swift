import Foundation
import Glibc
import Testing
import KioskCore
import KioskStore
import KioskSystem
@testable import KioskDaemon
import kioskctl

/// `kioskctl doctor` on temporary installations: a sound one, then one thing broken at a
/// time, each found with the right check, level and fix.
@Suite struct DoctorTests {
    /// A configuration and a state directory in a temporary directory.
    struct Installation {
        let directory: String
        var configPath: String { directory + "/kiosk.conf" }
        var state: String { directory + "/state" }
        var databasePath: String { state + "/" + StateStore.fileName }

        init(_ config: String) throws {
            directory = FileManager.default.temporaryDirectory.appendingPathComponent("kiosk-doctor-\(UUID().uuidString)").path
            try FileManager.default.createDirectory(atPath: directory + "/state", withIntermediateDirectories: true)
            try Data(config.utf8).write(to: URL(fileURLWithPath: configPath))
            try Data("BEGIN:VCALENDAR\r\nVERSION:2.0\r\nEND:VCALENDAR\r\n".utf8).write(to: URL(fileURLWithPath: directory + "/programme.ics"))
        }

        /// A real, migrated database.
        func createDatabase() throws {
            _ = try StateStore(stateDirectory: state, timeZone: IANATimeZone(identifier: "Europe/Paris")!)
        }

        /// The doctor on this installation, on a machine without systemd and without a
        /// running kioskd (the checks open the devices themselves).
        func doctor(now: Date = ISO8601.parse("2026-11-24T14:05:00Z")!, ntp: Bool? = true) async -> [DoctorFinding] {
            URLSessionClient.install()  // what kioskctl's main does
            var environment = InstallationDoctor.Environment(configPath: configPath, stateDirectoryOption: state)
            environment.variables = [:]
            environment.now = now
            environment.feedTimeout = 3
            environment.systemdRunning = false
            environment.askDaemon = { path in .notRunning("no kioskd listens on \(path)") }
            environment.systemctl = { _ in CommandOutcome(status: -1, output: "", error: "systemctl is not installed") }
            environment.timeSync = {
                TimeSyncEvidence(kernelSynchronized: ntp, systemdRunning: false, timesyncdInstalled: false, timesyncdState: .failure(.init("not asked")),
                                 timesyncdSynchronizedSinceBoot: false, timedatectl: .failure(.init("not asked")))
            }
            return await InstallationDoctor(environment: environment).run()
        }

        func remove() { try? FileManager.default.removeItem(atPath: directory) }
    }

    static let sound = """
    [venue]
    name = Test
    [feed "local"]
    url = programme.ics
    [http]
    listen = off
    """

    func finding(_ findings: [DoctorFinding], _ check: String) throws -> DoctorFinding {
        try #require(findings.first { $0.check == check }, "no \(check) check in \(findings.map(\.check))")
    }

    @Test func aSoundInstallationPassesEveryCheck() async throws {
        let site = try Installation(Self.sound)
        defer { site.remove() }
        try site.createDatabase()
        let findings = await site.doctor()
        #expect(findings.allSatisfy { $0.level == .ok }, "\(findings.filter { $0.level != .ok })")
        #expect(Set(findings.map(\.check)).isSuperset(of: ["config", "state", "database", "kioskd", "screen", "reader", "clock", "ntp", "feed local", "http"]))
        #expect(try finding(findings, "database").message.contains("schema version \(StoreSchema.latestVersion)"))

        // Through kioskctl: exit 0, one line per check, and JSON on request.
        var output = ControlOutput.captured
        let status = await ControlCommand.main(arguments: ["doctor", "--config", site.configPath, "--state-dir", site.state], output: &output)
        #expect(status == 0, "\(output.standardOutput)")
        #expect(output.standardOutput.contains("ok    database"))
        var json = ControlOutput.captured
        _ = await ControlCommand.main(arguments: ["doctor", "--config", site.configPath, "--state-dir", site.state, "--format", "json"], output: &json)
        let object = try #require(try JSONSerialization.jsonObject(with: Data(json.standardOutput.utf8)) as? [String: Any])
        let checks = try #require(object["checks"] as? [[String: Any]])
        #expect(checks.contains { $0["check"] as? String == "database" && $0["status"] as? String == "ok" })
    }

    @Test func aConfigurationMistakeIsReportedWithItsLine() async throws {
        let site = try Installation("[venue]\nname = Test\ntime-zone = Mars/Olympus\n")
        defer { site.remove() }
        let findings = await site.doctor()
        let config = try finding(findings, "config")
        #expect(config.level == .fail)
        #expect(config.message.hasPrefix("\(site.configPath):3:"))
        #expect(config.fix?.contains("line 3") == true)
        var output = ControlOutput.captured
        let status = await ControlCommand.main(arguments: ["doctor", "--config", site.configPath, "--state-dir", site.state], output: &output)
        #expect(status == 1)
        #expect(output.standardOutput.contains("FAIL  config"))
    }

    @Test func aCorruptedDatabaseFails() async throws {
        let site = try Installation(Self.sound)
        defer { site.remove() }
        // Not a database at all.
        try Data(String(repeating: "kiosk ", count: 2000).utf8).write(to: URL(fileURLWithPath: site.databasePath))
        let garbage = try finding(await site.doctor(), "database")
        #expect(garbage.level == .fail)
        #expect(garbage.fix?.contains("move \(site.databasePath) aside") == true)

        // A real database whose table pages are overwritten: the header is fine, the
        // integrity check is not.
        try FileManager.default.removeItem(atPath: site.databasePath)
        try site.createDatabase()
        let handle = try FileHandle(forUpdating: URL(fileURLWithPath: site.databasePath))
        let size = try handle.seekToEnd()
        #expect(size > 8192)
        try handle.seek(toOffset: 4096)
        handle.write(Data(repeating: 0xA5, count: Int(size) - 4096))
        try handle.close()
        let damaged = try finding(await site.doctor(), "database")
        #expect(damaged.level == .fail, "\(damaged)")
    }

    @Test func aDatabaseFromANewerKioskFails() async throws {
        let site = try Installation(Self.sound)
        defer { site.remove() }
        try site.createDatabase()
        let database = try Database(path: site.databasePath)
        try database.setUserVersion(StoreSchema.latestVersion + 1)
        try database.close()
        let found = try finding(await site.doctor(), "database")
        #expect(found.level == .fail)
        #expect(found.message.contains("newer"))
    }

    @Test func aMissingReaderFailsWithTheUdevHint() async throws {
        let missing = "/dev/kiosk-doctor-no-such-reader-\(getpid())"
        let site = try Installation(Self.sound + "\n[reader]\ndevice = \(missing)\n")
        defer { site.remove() }
        let reader = try finding(await site.doctor(), "reader")
        #expect(reader.level == .fail)
        #expect(reader.message.contains(missing))
        #expect(reader.fix?.contains("udev") == true)
    }

    @Test func aReaderThatOpensWithoutSystemdIsOK() async throws {
        // A pseudo-terminal: exists and opens; no systemd here, so no unit to check it against.
        let terminal = try PseudoTerminal()
        let slave = terminal.devicePath
        let site = try Installation(Self.sound + "\n[reader]\ndevice = \(slave)\n")
        defer { site.remove() }
        let reader = try finding(await site.doctor(), "reader")
        #expect(reader.level == .ok, "\(reader)")
        #expect(reader.message.contains("opens"))
        #expect(reader.message.contains("DeviceAllow= not checked (systemd is not running here)"), "\(reader.message)")
    }

    @Test func anUnreachableFeedFails() async throws {
        // Port 1 on loopback: nothing listens, the connection is refused at once.
        let site = try Installation("[venue]\nname = Test\n[feed \"gone\"]\nurl = http://127.0.0.1:1/agenda.ics\n[http]\nlisten = off\n")
        defer { site.remove() }
        let feed = try finding(await site.doctor(), "feed gone")
        #expect(feed.level == .fail)
        #expect(feed.message.contains("unreachable"))
    }

    @Test func feedStatusesAndAMissingLocalFile() async throws {
        let server = try ScriptedHTTPServer { request in
            request.path == "/agenda.ics" ? .init(status: 200) : .init(status: 404)
        }
        defer { server.stop() }
        let site = try Installation("""
        [venue]
        name = Test
        [feed "good"]
        url = \(server.baseURL.absoluteString)/agenda.ics
        [feed "moved"]
        url = \(server.baseURL.absoluteString)/old.ics
        [feed "file"]
        url = missing.ics
        [http]
        listen = off
        """)
        defer { site.remove() }
        let findings = await site.doctor()
        #expect(try finding(findings, "feed good").level == .ok)
        let moved = try finding(findings, "feed moved")
        #expect(moved.level == .fail)
        #expect(moved.message.contains("HTTP 404"))
        #expect(moved.fix?.contains("[feed \"moved\"] (\(site.configPath):5)") == true)
        let file = try finding(findings, "feed file")
        #expect(file.level == .fail)
        #expect(file.message.contains("missing.ics"))
    }

    @Test func anUnsetClockAndNoNTPAreReported() async throws {
        let site = try Installation(Self.sound)
        defer { site.remove() }
        let findings = await site.doctor(now: ISO8601.parse("1970-01-01T00:01:00Z")!, ntp: false)
        #expect(try finding(findings, "clock").level == .fail)
        #expect(try finding(findings, "ntp").level == .warn)
        let unknown = await site.doctor(ntp: nil)
        #expect(try finding(unknown, "ntp").level == .ok)
    }

    @Test func aListenAddressTakenByAnotherProgramFails() async throws {
        // Something that is not kioskd holds the port: its /healthz says nothing of ours.
        let server = try ScriptedHTTPServer { _ in .init(status: 404, body: Data("nope".utf8)) }
        defer { server.stop() }
        let site = try Installation("[venue]\nname = Test\n[http]\nlisten = 127.0.0.1:\(server.port)\n")
        defer { site.remove() }
        let http = try finding(await site.doctor(), "http")
        #expect(http.level == .fail)
        #expect(http.fix?.contains("ss -ltnp") == true)

        let free = try Installation("[venue]\nname = Test\n[http]\nlisten = 127.0.0.1:0\n")
        defer { free.remove() }
        #expect(try finding(await free.doctor(), "http").level == .ok)
    }

    @Test func aMissingOrUnusableFramebufferFails() async throws {
        let site = try Installation(Self.sound + "\n[screen]\nbackend = framebuffer\nframebuffer = /dev/kiosk-doctor-no-fb\n")
        defer { site.remove() }
        let missing = try finding(await site.doctor(), "framebuffer")
        #expect(missing.level == .fail)
        #expect(missing.fix?.contains("backend = terminal") == true)

        // A file that is not a framebuffer: it opens, but FBIOGET_VSCREENINFO fails.
        let fake = site.directory + "/fb0"
        try Data(count: 64).write(to: URL(fileURLWithPath: fake))
        try Data((Self.sound + "\n[screen]\nbackend = framebuffer\nframebuffer = \(fake)\n").utf8).write(to: URL(fileURLWithPath: site.configPath))
        let notFB = try finding(await site.doctor(), "framebuffer")
        #expect(notFB.level == .fail)
        #expect(notFB.message.contains("FBIOGET_VSCREENINFO"), "\(notFB.message)")
    }

    @Test func aStateDirectoryThatIsAFileFails() async throws {
        let site = try Installation(Self.sound)
        defer { site.remove() }
        try FileManager.default.removeItem(atPath: site.state)
        try Data("x".utf8).write(to: URL(fileURLWithPath: site.state))
        #expect(try finding(await site.doctor(), "state").level == .fail)
    }
}
