import Foundation
import Testing
import KioskCore
import KioskStore
import KioskSystem
import KioskTestSupport
#if canImport(Glibc)
import Glibc
#endif

/// The built `kioskd` reading a burst of 1,000 badge frames from a pseudo-terminal, killed
/// with SIGKILL at a random moment: every scan it acknowledged (welcome drawn, then the
/// debug line "check-in: acknowledged TAG" in its log) must be in the database, and the
/// database must pass `PRAGMA integrity_check`.
@Suite(.serialized) struct CheckInCrashTests {
    static let scans = 1000

    /// Even indexes are enrolled people, odd ones unknown badges.
    static func tag(_ i: Int, run: Int) -> String { String(format: "%02X%08X", 0xA0 + run, i) }

    @Test(.timeLimit(.minutes(1)), arguments: 0..<3)
    func everyAcknowledgedScanSurvivesSIGKILL(run: Int) async throws {
        let binary = DemoEndToEndTests.kioskd
        try #require(FileManager.default.isExecutableFile(atPath: binary.path), "kioskd not built at \(binary.path)")
        let dir = try CheckInTestSupport.temporaryDirectory("kiosk-crash")
        defer { try? FileManager.default.removeItem(at: dir) }
        let state = dir.appendingPathComponent("state").path
        let link = ReaderLink(in: dir)
        let pty = try PseudoTerminal()
        link.point(at: pty.devicePath)

        // Half of the badges belong to people.
        do {
            let store = try StateStore(stateDirectory: state, timeZone: IANATimeZone(identifier: "Europe/Paris")!)
            let ledger = store.checkIns
            try store.database.transaction {
                for i in stride(from: 0, to: Self.scans, by: 2) {
                    let person = try ledger.addPerson(firstName: "P\(i)", role: .member, at: Date())
                    try ledger.enrol(tag: Self.tag(i, run: run), personID: person.id, at: Date())
                }
            }
        }
        let configPath = dir.appendingPathComponent("kiosk.conf").path
        try Data("""
            [venue]
            name = Crash test
            [log]
            level = debug
            [reader]
            device = \(link.path)
            debounce = 0s
            [checkin]
            welcome-duration = 2s

            """.utf8).write(to: URL(fileURLWithPath: configPath))
        let logPath = dir.appendingPathComponent("kioskd.log").path
        _ = FileManager.default.createFile(atPath: logPath, contents: nil)
        let log = try FileHandle(forWritingTo: URL(fileURLWithPath: logPath))

        let process = Process()
        process.executableURL = binary
        process.arguments = ["--config", configPath, "--state-dir", state]
        process.environment = ["TERM": "dumb", "PATH": "/usr/bin:/bin"]
        process.standardInput = FileHandle.nullDevice
        process.standardOutput = FileHandle.nullDevice
        process.standardError = log
        try process.run()
        defer { if process.isRunning { kill(process.processIdentifier, SIGKILL); process.waitUntilExit() } }
        func logText() -> String { (try? String(contentsOfFile: logPath, encoding: .utf8)) ?? "" }
        _ = await eventually(timeout: 10, every: .milliseconds(10)) { logText().contains("badge reader connected") || !process.isRunning }
        try #require(logText().contains("badge reader connected"), "kioskd did not open the reader:\n\(logText())")

        // Write the frames as fast as the pty takes them, and kill at a random moment once
        // kioskd has acknowledged its first scan (a kill before that proves nothing, and on a
        // loaded machine the first welcome may take longer than the shortest delay): on a
        // thread of its own, as this loop keeps it busy until the kill.
        let frames = (0..<Self.scans).flatMap { CheckInTestSupport.rdm6300Frame(Self.tag($0, run: run)) }
        let fd = pty.controller.rawValue
        _ = fcntl(fd, F_SETFL, fcntl(fd, F_GETFL) | O_NONBLOCK)
        let killDelay = Double.random(in: 0...1.45)
        let pid = process.processIdentifier
        let logFile = logPath
        let written = await onOwnThread { () -> Int in
            // Without a first acknowledgment within 20 s the kill comes then (and the test
            // fails on "nothing was acknowledged").
            var killAt = Date().addingTimeInterval(20)
            var firstAcknowledged = false, lastLook = Date.distantPast
            var written = 0
            while Date() < killAt {
                if !firstAcknowledged, Date().timeIntervalSince(lastLook) > 0.01 {
                    lastLook = Date()
                    if ((try? String(contentsOfFile: logFile, encoding: .utf8)) ?? "").contains("check-in: acknowledged ") {
                        firstAcknowledged = true
                        killAt = Date().addingTimeInterval(killDelay)
                    }
                }
                guard written < frames.count else { usleep(2_000); continue }
                var p = pollfd(fd: fd, events: Int16(POLLOUT), revents: 0)
                guard poll(&p, 1, 2) > 0 else { continue }
                let n = frames[written...].prefix(14 * 10).withContiguousStorageIfAvailable { write(fd, $0.baseAddress, $0.count) }
                    ?? Array(frames[written...].prefix(140)).withUnsafeBytes { write(fd, $0.baseAddress, $0.count) }
                if n > 0 { written += n }
            }
            kill(pid, SIGKILL)
            return written
        }
        await process.exitStatus()
        #expect(process.terminationReason == .uncaughtSignal)

        let acknowledged = logText().split(separator: "\n").compactMap { line -> String? in
            guard let range = line.range(of: "check-in: acknowledged ") else { return nil }
            return String(line[range.upperBound...].prefix { $0 != " " })
        }
        let store = try StateStore(stateDirectory: state, timeZone: IANATimeZone(identifier: "Europe/Paris")!)
        #expect(try store.database.scalar("PRAGMA integrity_check", as: String.self) == "ok")
        let checkedIn = Set(try store.database.query("SELECT tag FROM checkins").map { try $0.get("tag") as String })
        let unknown = Set(try store.database.query("SELECT tag FROM unknown_scans").map { try $0.get("tag") as String })
        let missing = acknowledged.filter { tag in
            let index = Int(tag.suffix(8), radix: 16)!
            return index % 2 == 0 ? !checkedIn.contains(tag) : !unknown.contains(tag)
        }
        let summary = "run \(run): killed \(String(format: "%.3f", killDelay)) s after the first acknowledgment, \(written / 14) frames written, \(acknowledged.count) acknowledged, \(checkedIn.count + unknown.count) stored"
        #expect(!acknowledged.isEmpty, "nothing was acknowledged: the test proves nothing (\(summary))")
        #expect(missing.isEmpty, "acknowledged but not stored: \(missing.prefix(10)) (\(summary))")
        // Nothing is stored that was not read, and nothing is acknowledged twice.
        #expect(checkedIn.count + unknown.count <= written / 14, "\(summary)")
        #expect(Set(acknowledged).count == acknowledged.count, "\(summary)")
        print(summary)
    }
}
