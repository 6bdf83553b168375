import Foundation
import Testing
import KioskCore
import KioskDisplay
import KioskSystem
import KioskTestSupport
#if canImport(Glibc)
import Glibc
#endif

/// `kioskd --demo` as a newcomer runs it: the real binary on a pseudo-terminal, the
/// screen read back through a virtual terminal, `q` to quit.
@Suite struct DemoEndToEndTests {
    static let repository = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()

    /// The `kioskd` built next to this test bundle.
    static var kioskd: URL {
        let bundle = URL(fileURLWithPath: CommandLine.arguments[0]).resolvingSymlinksInPath()
        var dir = bundle.deletingLastPathComponent()
        while dir.pathExtension == "xctest" || dir.lastPathComponent == "MacOS" || dir.lastPathComponent == "Contents" {
            dir = dir.deletingLastPathComponent()
        }
        return dir.appendingPathComponent("kioskd")
    }

    static func frenchDate(_ date: CivilDate) -> String { LobbyStrings(.fr).longDate(date) }

    /// Quits on `q`, and on SIGTERM and SIGINT (what systemd and Ctrl-C send), giving the
    /// terminal back every time.
    @Test(.timeLimit(.minutes(1)), arguments: ["q", "SIGTERM", "SIGINT"])
    func demoShowsTodayAndQuits(stop: String) async throws {
        let binary = Self.kioskd
        try #require(FileManager.default.isExecutableFile(atPath: binary.path), "kioskd not built at \(binary.path)")
        let pty = try PseudoTerminal()
        let terminal = TerminalDevice(input: pty.device, output: pty.device)
        try terminal.setWindowSize(TerminalWindowSize(columns: 120, rows: 40))

        let process = Process()
        process.executableURL = binary
        process.arguments = ["--demo", "--demo-data", Self.repository.appendingPathComponent("kiosk-config/demo").path]
        process.environment = ["TERM": "xterm-256color", "PATH": "/usr/bin:/bin", "TZ": "UTC"]
        let handle = FileHandle(fileDescriptor: pty.device.rawValue, closeOnDealloc: false)
        process.standardInput = handle
        process.standardOutput = handle
        process.standardError = handle
        try process.run()
        defer { if process.isRunning { process.terminate() } }

        var screen = VirtualTerminal(width: 120, height: 40)
        var received: [UInt8] = []
        // Reads the screen as it comes, suspending (not holding a pool thread) while nothing does.
        func pump(until condition: () -> Bool, seconds: Double) async {
            let deadline = Date().addingTimeInterval(seconds)
            while Date() < deadline && !condition() {
                var p = pollfd(fd: pty.controller.rawValue, events: Int16(POLLIN), revents: 0)
                guard poll(&p, 1, 0) > 0 else {
                    try? await Task.sleep(for: .milliseconds(20))
                    continue
                }
                guard let bytes = try? pty.controller.read(upTo: 65536), !bytes.isEmpty else { return }
                received += bytes
                screen.apply(bytes)
            }
        }
        let text = { screen.lines.joined(separator: "\n") }
        await pump(until: { text().contains("Aujourd'hui") && text().contains("Programme mis à jour") }, seconds: 20)
        let shown = text()
        let today = CivilDate(Date(), in: IANATimeZone(identifier: "Europe/Paris")!)
        #expect(shown.contains("Le Mixeur"), "\(shown)")
        #expect(shown.contains(Self.frenchDate(today)), "today's date '\(Self.frenchDate(today))' not on screen:\n\(shown)")
        #expect(shown.contains("Aujourd'hui"))
        #expect(shown.contains("Atelier") || shown.contains("Fablab") || shown.contains("Exposition"), "no demo event:\n\(shown)")
        #expect(screen.isAlternateScreenActive)
        #expect(!screen.isCursorVisible)

        // A resize (SIGWINCH; the child is not in the pty's session, so the test sends it)
        // lays the lobby out again for 80x24, from a cleared screen.
        try terminal.setWindowSize(TerminalWindowSize(columns: 80, rows: 24))
        screen = VirtualTerminal(width: 80, height: 24)
        kill(process.processIdentifier, SIGWINCH)
        await pump(until: { text().contains(Self.frenchDate(today)) && screen.lines.last?.contains("Programme mis à jour") == true }, seconds: 10)
        let small = screen.lines
        #expect(small.joined(separator: "\n").contains(Self.frenchDate(today)), "after resize:\n\(small.joined(separator: "\n"))")
        #expect(small.last?.contains("Programme mis à jour") == true, "the footer sits on the last row of 24")

        switch stop {
        case "q": try pty.controller.writeAll(Array("q".utf8))
        case "SIGTERM": kill(process.processIdentifier, SIGTERM)
        default: kill(process.processIdentifier, SIGINT)
        }
        let deadline = Date().addingTimeInterval(10)
        while process.isRunning && Date() < deadline {
            await pump(until: { false }, seconds: 0.1)
        }
        #expect(!process.isRunning, "kioskd did not quit on \(stop)")
        #expect(process.terminationReason == .exit)
        #expect(process.terminationStatus == 0)
        await pump(until: { false }, seconds: 0.2)
        #expect(!screen.isAlternateScreenActive, "the alternate screen was not left")
        #expect(screen.isCursorVisible, "the cursor was not shown again")
        _ = terminal
    }

    @Test func badConfigurationExitsWith78AndNamesTheLine() async throws {
        let binary = Self.kioskd
        try #require(FileManager.default.isExecutableFile(atPath: binary.path))
        let file = FileManager.default.temporaryDirectory.appendingPathComponent("kiosk-bad-\(UUID().uuidString).conf")
        try Data("[venue]\nname = Test\n\n[screen]\nzoom = fast\n".utf8).write(to: file)
        defer { try? FileManager.default.removeItem(at: file) }
        let process = Process()
        process.executableURL = binary
        process.arguments = ["--config", file.path]
        let errors = Pipe()
        process.standardError = errors
        process.standardOutput = Pipe()
        try process.run()
        let status = await process.exitStatus()
        let message = String(decoding: await errors.fileHandleForReading.readAllOffThePool(), as: UTF8.self)
        #expect(status == 78)
        #expect(message.contains("\(file.path):5: unknown key 'zoom' in [screen]"), "\(message)")
    }
}
