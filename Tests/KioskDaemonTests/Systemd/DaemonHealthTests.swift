import Foundation
import Glibc
import Testing
import KioskCore
import KioskSystem
import KioskTestSupport
@testable import KioskDaemon

/// The built kioskd as systemd runs it, when things go wrong around it: a screen it can no
/// longer write to, and what it tells `kioskctl doctor` through its status socket.
@Suite(.serialized) struct DaemonHealthTests {
    /// The terminal it draws on goes away (as tty1 did when each reload hung it up): the
    /// error is logged at err once, the status says so, and the watchdog pings stop so
    /// that systemd restarts the service instead of leaving a frozen screen.
    @Test(.timeLimit(.minutes(1))) func aScreenThatCannotBeWrittenStopsTheWatchdog() async throws {
        let daemon = try DaemonUnderSystemd(venue: "Alpha Hall", abstractSocket: false)
        _ = try await daemon.ready()
        await daemon.pumpScreen(until: { $0.contains("Alpha Hall") }, seconds: 5)
        await daemon.collect(seconds: 0.6)
        #expect(daemon.messages.contains { $0.text.contains("WATCHDOG=1") })

        // Writes to a pseudo-terminal whose controller is closed fail with EIO.
        daemon.closeScreen()
        try daemon.writeConfig(venue: "Beta Hall")
        kill(daemon.process.processIdentifier, SIGHUP)
        let failing = await daemon.waitFor(containing: "display failing", seconds: 5)
        #expect(failing != nil, "no STATUS= saying the display fails: \(daemon.messages.suffix(5).map(\.text))")
        let mark = daemon.messages.count
        await daemon.collect(seconds: 1.5)
        #expect(!daemon.messages[mark...].contains { $0.text.contains("WATCHDOG=1") }, "pings went on while the screen could not be drawn")
        #expect(daemon.process.isRunning)

        _ = await daemon.terminate()
        let errors = daemon.log.split(separator: "\n").filter { $0.hasPrefix("<3>cannot draw the screen on stdout") }
        #expect(errors.count == 1, "\(daemon.log)")
        #expect(errors.first?.contains("Input/output error") == true)
        #expect(errors.first?.contains("the watchdog is no longer fed") == true)
    }

    /// `kioskctl doctor` asks the running kioskd: the reader it holds, its display and its
    /// feeds, instead of opening the reader (which would answer "busy").
    @Test(.timeLimit(.minutes(1))) func doctorAsksTheRunningDaemon() async throws {
        let reader = try PseudoTerminal()
        let runtime = FileManager.default.temporaryDirectory.appendingPathComponent("kiosk-run-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: runtime, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: runtime) }
        let config = """
        [venue]
        name = Alpha Hall
        time-zone = UTC
        [feed "gone"]
        url = missing.ics
        [reader]
        device = \(reader.devicePath)
        protocol = rdm6300
        [http]
        listen = off
        """
        let daemon = try DaemonUnderSystemd(venue: "Alpha Hall", abstractSocket: false, environment: ["RUNTIME_DIRECTORY": runtime.path], config: config)
        _ = try await daemon.ready()
        let socket = runtime.appendingPathComponent("kioskd.sock").path
        var answer = InstallationDoctor.askDaemon(at: socket)
        for _ in 0..<50 {
            if case .report(let r) = answer, r.reader?.state == "connected", r.feeds.first?.lastError != nil { break }
            try await Task.sleep(for: .milliseconds(100))
            answer = InstallationDoctor.askDaemon(at: socket)
        }
        guard case .report(let report) = answer else { Issue.record("no report: \(answer)"); return }
        #expect(report.pid == daemon.process.processIdentifier)
        #expect(report.display.backend == "terminal")
        #expect(report.display.failure == nil)
        #expect(report.reader == .init(device: reader.devicePath, protocol: "rdm6300", state: "connected", problem: nil))
        #expect(report.feeds.map(\.name) == ["gone"])
        #expect(report.feeds.first?.lastError?.contains("missing.ics") == true)
        #expect(report.store.schemaVersion != nil)
        #expect(report.status.hasPrefix("Alpha Hall:"))

        var environment = InstallationDoctor.Environment(configPath: daemon.configFile.path, stateDirectoryOption: daemon.directory.appendingPathComponent("state").path)
        environment.variables = [:]
        environment.statusSocket = socket
        environment.systemdRunning = true
        // The unit as `systemctl show` gives it on a board: this pty is not among its devices.
        environment.systemctl = { arguments in
            arguments.contains("DeviceAllow")
                ? CommandOutcome(status: 0, output: "LoadState=loaded\nDevicePolicy=closed\nDeviceAllow=char-ttyUSB rw\nDeviceAllow=/dev/ttyS0 rw\n", error: "")
                : CommandOutcome(status: 0, output: "", error: "")
        }
        environment.timeSync = {
            TimeSyncEvidence(kernelSynchronized: true, systemdRunning: true, timesyncdInstalled: true, timesyncdState: .success("active"),
                             timesyncdSynchronizedSinceBoot: true, timedatectl: .success(true))
        }
        let findings = await InstallationDoctor(environment: environment).run()
        func finding(_ check: String) throws -> DoctorFinding {
            guard let found = findings.first(where: { $0.check == check }) else { throw DoctorCheckMissing(check: check, findings: findings) }
            return found
        }
        #expect(try finding("kioskd").level == .ok)
        #expect(try finding("kioskd").message.contains("pid \(daemon.process.processIdentifier)"))
        #expect(try finding("screen").message.contains("drawn by kioskd"))
        let readerFinding = try finding("reader")
        // kioskd holds it (here, outside the unit's cgroup), but the unit would not let it.
        #expect(readerFinding.level == .fail, "\(readerFinding)")
        #expect(readerFinding.message.contains("not allowed by kioskd.service"))
        #expect(readerFinding.fix?.contains("DeviceAllow=\(reader.devicePath) rw") == true)
        let feed = try finding("feed gone")
        #expect(feed.level == .fail && feed.message.contains("never fetched"), "\(feed)")
        #expect(await daemon.terminate().status == 0)
        #expect(!FileManager.default.fileExists(atPath: socket), "the socket file stayed after kioskd stopped")
    }
}

struct DoctorCheckMissing: Error, CustomStringConvertible {
    var check: String
    var findings: [DoctorFinding]
    var description: String { "no \(check) in \(findings)" }
}

extension DaemonUnderSystemd {
    /// The first message containing `text`, waiting up to `seconds`.
    func waitFor(containing text: String, seconds: Double) async -> Message? {
        await waitFor(seconds: seconds) { $0.text.contains(text) }
    }
}
