import Foundation
import Testing
@testable import KioskDaemon

/// The installed binary is both programs: by the name it runs under, or by its first argument.
@Suite struct MultiCallCommandTests {
    @Test func theNameDecides() {
        #expect(MultiCallCommand.resolve(["/usr/bin/kioskd", "--config", "/etc/kiosk/kiosk.conf"]) == .run(.daemon, ["--config", "/etc/kiosk/kiosk.conf"]))
        #expect(MultiCallCommand.resolve(["kioskctl", "doctor"]) == .run(.control, ["doctor"]))
        #expect(MultiCallCommand.resolve(["./kioskd"]) == .run(.daemon, []))
        // The program's own arguments are never read as a program name.
        #expect(MultiCallCommand.resolve(["/usr/bin/kioskctl", "kioskd"]) == .run(.control, ["kioskd"]))
    }

    @Test func underAnotherNameTheFirstArgumentDecides() {
        #expect(MultiCallCommand.resolve(["/usr/bin/kiosk", "kioskd", "--demo"]) == .run(.daemon, ["--demo"]))
        #expect(MultiCallCommand.resolve(["kiosk", "daemon", "--version"]) == .run(.daemon, ["--version"]))
        #expect(MultiCallCommand.resolve(["kiosk", "kioskctl", "occurrences", "a.ics", "--format", "json"]) == .run(.control, ["occurrences", "a.ics", "--format", "json"]))
        #expect(MultiCallCommand.resolve(["kiosk", "ctl"]) == .run(.control, []))
        #expect(MultiCallCommand.resolve(["kiosk"]) == .usage(status: .usage, message: nil))
        #expect(MultiCallCommand.resolve(["kiosk", "--help"]) == .usage(status: .ok, message: nil))
        #expect(MultiCallCommand.resolve(["kiosk", "--version"]) == .version)
        #expect(MultiCallCommand.resolve(["kiosk", "doctor"]) == .usage(status: .usage, message: "kiosk: unknown program 'doctor' (kioskd or kioskctl)"))
        #expect(MultiCallCommand.resolve([]) == .usage(status: .usage, message: nil))
    }

    /// The built `kiosk` binary behind links named as the package installs them.
    @Test(.timeLimit(.minutes(1))) func theBuiltBinaryAnswersUnderEachName() throws {
        let binary = DemoEndToEndTests.kioskd.deletingLastPathComponent().appendingPathComponent("kiosk")
        try #require(FileManager.default.isExecutableFile(atPath: binary.path), "build the kiosk product first")
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("kiosk-multicall-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: directory) }
        for name in ["kioskd", "kioskctl"] {
            try FileManager.default.createSymbolicLink(atPath: directory.appendingPathComponent(name).path, withDestinationPath: binary.path)
        }
        func run(_ path: URL, _ arguments: [String]) throws -> (status: Int32, output: String) {
            let process = Process()
            process.executableURL = path
            process.arguments = arguments
            let output = Pipe()
            process.standardOutput = output
            process.standardError = output
            try process.run()
            let data = output.fileHandleForReading.readDataToEndOfFile()
            process.waitUntilExit()
            return (process.terminationStatus, String(decoding: data, as: UTF8.self))
        }
        #expect(try run(directory.appendingPathComponent("kioskd"), ["--version"]) == (0, "kioskd 0.1.0\n"))
        #expect(try run(directory.appendingPathComponent("kioskctl"), ["--version"]) == (0, "kioskctl 0.1.0\n"))
        let help = try run(directory.appendingPathComponent("kioskctl"), ["help"])
        #expect(help.status == 0 && help.output.hasPrefix("Usage: kioskctl COMMAND"))
        let daemonHelp = try run(binary, ["daemon", "--help"])
        #expect(daemonHelp.status == 0 && daemonHelp.output.hasPrefix("Usage: kioskd"))
        #expect(try run(binary, ["ctl", "--version"]) == (0, "kioskctl 0.1.0\n"))
        #expect(try run(binary, []).status == 2)
        // kioskctl's own usage error, not the multi-call's.
        let unknown = try run(directory.appendingPathComponent("kioskctl"), ["frobnicate"])
        #expect(unknown.status == 2 && unknown.output.contains("kioskctl: unknown command 'frobnicate'"))
    }
}
