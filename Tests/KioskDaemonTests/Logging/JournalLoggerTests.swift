import Foundation
import Glibc
import Testing
import KioskCore
import KioskSystem
import KioskTestSupport
@testable import KioskDaemon

/// Log priorities by meaning, and entries in the journal's native protocol: a datagram
/// socket of the test's stands in for journald (`$KIOSK_DEBUG_JOURNAL_SOCKET`), and
/// `$JOURNAL_STREAM` names the test's standard error as systemd would.
@Suite struct JournalLoggerTests {
    @Test func prioritiesAreSyslogs() {
        // journalctl -p warning shows 0…4: errors and warnings, never notice or info.
        #expect(KioskConfig.Log.Level.allCases.map(JournalLogger.priority) == [7, 6, 5, 4, 3])
        #expect(JournalLogger.priority(.error) == 3)   // LOG_ERR
        #expect(JournalLogger.priority(.warning) == 4) // LOG_WARNING
        #expect(JournalLogger.priority(.notice) == 5)  // LOG_NOTICE
    }

    @Test func prefixedLinesCarryThePriority() {
        let lines = Lines()
        let logger = JournalLogger(level: .debug, underSystemd: true, sink: lines.append)
        logger.error("kioskd: /etc/kiosk/kiosk.conf:13: unknown key 'x' in [venue]", .config("/etc/kiosk/kiosk.conf"))
        logger.warning("feed programme: HTTP 500", .feed("programme"))
        logger.notice("kioskd started")
        logger.info("feed programme: 12 events stored")
        logger.debug("detail")
        #expect(lines.all == ["<3>kioskd: /etc/kiosk/kiosk.conf:13: unknown key 'x' in [venue]", "<4>feed programme: HTTP 500",
                              "<5>kioskd started", "<6>feed programme: 12 events stored", "<7>detail"])
        #expect(logger.warningCount == 2)
        #expect(logger.outputName == "prefixed")
    }

    @Test func nativeEntriesAreEncodedAsJournaldReadsThem() {
        let entry = SystemdJournal.encode([("MESSAGE", "feed programme: HTTP 500"), ("PRIORITY", "4"), ("KIOSK_FEED", "programme")])
        #expect(String(decoding: entry, as: UTF8.self) == "MESSAGE=feed programme: HTTP 500\nPRIORITY=4\nKIOSK_FEED=programme\n")
        // A value with a newline: the name, a newline, the length as 64-bit little endian, the value.
        let binary = SystemdJournal.encode([("MESSAGE", "a\nb")])
        #expect(binary == Array("MESSAGE\n".utf8) + [3, 0, 0, 0, 0, 0, 0, 0] + Array("a\nb\n".utf8))
        // Names journald would refuse are left out rather than losing the entry.
        let filtered = SystemdJournal.encode([("MESSAGE", "m"), ("_PID", "1"), ("kiosk_feed", "x"), ("1ABC", "y"), ("KIOSK_DEVICE", "/dev/ttyS1")])
        #expect(String(decoding: filtered, as: UTF8.self) == "MESSAGE=m\nKIOSK_DEVICE=/dev/ttyS1\n")
    }

    @Test func anOversizedMessageIsCutToFitOneDatagram() {
        let long = String(repeating: "é", count: 40_000)  // 80,000 bytes
        let entry = SystemdJournal.encode([("MESSAGE", long), ("PRIORITY", "6")], maximumSize: 4096)
        #expect(entry.count <= 4096)
        let text = String(decoding: entry, as: UTF8.self)
        #expect(text.hasPrefix("PRIORITY=6\nMESSAGE=éé"))
        #expect(text.hasSuffix(" [cut]\n"))
        #expect(!text.contains("\u{FFFD}"), "a UTF-8 sequence was cut in half")
    }

    @Test func journalStreamMustNameStandardError() throws {
        var fds: [Int32] = [0, 0]
        #expect(pipe(&fds) == 0)
        defer { close(fds[0]); close(fds[1]) }
        let identity = try #require(SystemdJournal.streamIdentity(of: fds[1]))
        #expect(SystemdJournal.standardErrorIsJournal(environment: ["JOURNAL_STREAM": identity], descriptor: fds[1]))
        #expect(!SystemdJournal.standardErrorIsJournal(environment: ["JOURNAL_STREAM": "0:0"], descriptor: fds[1]))
        #expect(!SystemdJournal.standardErrorIsJournal(environment: [:], descriptor: fds[1]))
        #expect(!SystemdJournal.standardErrorIsJournal(environment: ["JOURNAL_STREAM": "8:x"], descriptor: fds[1]))
        #expect(SystemdJournal.parseStreamIdentity("8:41") ?? (0, 0) == (8, 41))
    }

    @Test func nativeEntriesReachTheJournalSocketWithTheirFields() async throws {
        let journal = try FakeJournal()
        let logger = JournalLogger(level: .info, underSystemd: true, identifier: "kioskd", environment: journal.environment)
        #expect(logger.outputName == "native")
        logger.warning("feed programme: HTTP 500; keeping the last good programme", .feed("programme"))
        logger.error("badge reader /dev/ttyS1: open failed: Operation not permitted", .device("/dev/ttyS1"))
        logger.debug("below the level: not sent")
        let first = try #require(await journal.receive())
        #expect(first["MESSAGE"] == "feed programme: HTTP 500; keeping the last good programme")
        #expect(first["PRIORITY"] == "4")
        #expect(first["SYSLOG_IDENTIFIER"] == "kioskd")
        #expect(first["KIOSK_FEED"] == "programme")
        let second = try #require(await journal.receive())
        #expect(second["PRIORITY"] == "3")
        #expect(second["KIOSK_DEVICE"] == "/dev/ttyS1")
        #expect(await journal.receive(timeout: 0.2) == nil, "a debug entry below the level was sent")
    }

    /// The built kioskd, refused at start by its configuration: the fatal error is an entry
    /// at err (it was written at info before, and missing from `journalctl -p warning`).
    @Test(.timeLimit(.minutes(1))) func aFatalStartupErrorIsLoggedAtErr() async throws {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("kiosk-fatal-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: directory) }
        let config = directory.appendingPathComponent("kiosk.conf")
        try Data("[venue]\nname = Test\nrotation = fast\n".utf8).write(to: config)

        // Native: stderr is the journal's stream.
        let journal = try FakeJournal(directory: directory)
        let errors = Pipe()
        var environment = ["PATH": "/usr/bin:/bin", "KIOSK_DEBUG_JOURNAL_SOCKET": journal.path, "NOTIFY_SOCKET": "/nonexistent/notify"]
        environment["JOURNAL_STREAM"] = SystemdJournal.streamIdentity(of: errors.fileHandleForWriting.fileDescriptor)
        let status = try await runKioskd(config: config, state: directory.appendingPathComponent("state"), environment: environment, stderr: errors)
        #expect(status == 78)
        let entry = try #require(await journal.receive(), "no entry reached the journal socket")
        #expect(entry["PRIORITY"] == "3")
        #expect(entry["MESSAGE"] == "kioskd: \(config.path):3: unknown key 'rotation' in [venue]")
        #expect(entry["KIOSK_CONFIG"] == config.path)
        #expect(entry["SYSLOG_IDENTIFIER"] == "kioskd")

        // Prefixed: $JOURNAL_STREAM set for another stream (stdout).
        let errors2 = Pipe()
        environment["JOURNAL_STREAM"] = "0:0"
        #expect(try await runKioskd(config: config, state: directory.appendingPathComponent("state"), environment: environment, stderr: errors2) == 78)
        let text = String(decoding: await errors2.fileHandleForReading.readAllOffThePool(), as: UTF8.self)
        #expect(text == "<3>kioskd: \(config.path):3: unknown key 'rotation' in [venue]\n")
    }

    private func runKioskd(config: URL, state: URL, environment: [String: String], stderr: Pipe) async throws -> Int32 {
        let process = Process()
        process.executableURL = DemoEndToEndTests.kioskd
        process.arguments = ["--config", config.path, "--state-dir", state.path]
        process.environment = environment
        process.standardInput = FileHandle.nullDevice
        process.standardOutput = FileHandle.nullDevice
        process.standardError = stderr
        try process.run()
        let status = await process.exitStatus()
        try? stderr.fileHandleForWriting.close()
        return status
    }
}

/// Lines a sink received, for tests.
final class Lines: @unchecked Sendable {
    // @unchecked: guarded by `lock`.
    private let lock = NSLock()
    private var lines: [String] = []
    func append(_ line: String) { lock.withLock { lines.append(line) } }
    var all: [String] { lock.withLock { lines } }
}

/// A datagram socket bound where a test points `$KIOSK_DEBUG_JOURNAL_SOCKET`, decoding
/// native entries (text fields only, as kioskd writes them).
final class FakeJournal {
    let socket: UnixDatagramSocket
    let path: String
    private let ownDirectory: URL?

    init(directory: URL? = nil) throws {
        let base = directory ?? FileManager.default.temporaryDirectory.appendingPathComponent("kiosk-journal-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: base, withIntermediateDirectories: true)
        ownDirectory = directory == nil ? base : nil
        path = base.appendingPathComponent("journal.socket").path
        socket = try UnixDatagramSocket.bound(to: try #require(UnixSocketAddress(path)))
    }

    deinit { if let ownDirectory { try? FileManager.default.removeItem(at: ownDirectory) } }

    /// `$JOURNAL_STREAM` naming this process's standard error, and the socket.
    var environment: [String: String] {
        ["JOURNAL_STREAM": SystemdJournal.streamIdentity(of: STDERR_FILENO) ?? "", "KIOSK_DEBUG_JOURNAL_SOCKET": path]
    }

    /// The next entry, waiting up to `timeout` seconds (suspending, not holding a thread).
    func receive(timeout: Double = 5) async -> [String: String]? {
        var received: [UInt8]?
        _ = await eventually(timeout: timeout, every: .milliseconds(10)) {
            received = try? socket.receive(timeout: 0, maximumSize: 65536)
            return received != nil
        }
        guard let datagram = received else { return nil }
        var fields: [String: String] = [:]
        for line in String(decoding: datagram, as: UTF8.self).split(separator: "\n") {
            guard let equals = line.firstIndex(of: "=") else { continue }
            fields[String(line[..<equals])] = String(line[line.index(after: equals)...])
        }
        return fields
    }
}
