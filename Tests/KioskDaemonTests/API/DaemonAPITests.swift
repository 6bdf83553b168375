import Foundation
import Testing
import KioskCore
import KioskSystem
import KioskTestSupport
#if canImport(Glibc)
import Glibc
#endif

/// The built `kioskd` serving the staff API: it listens once the lobby is up, takes new
/// tokens and a new listen address on SIGHUP, closes the port on SIGTERM, and refuses to start on a busy explicit
/// address or on a network address without any token.
@Suite(.serialized) struct DaemonAPITests {
    static let first = APIToken(text: "kiosk_" + String(repeating: "1f", count: 32))
    static let second = APIToken(text: "kiosk_" + String(repeating: "2e", count: 32))

    /// One kioskd child drawing on /dev/null, logging to a file the test reads as it goes.
    final class Daemon {
        let directory: URL
        let configFile: URL
        let logFile: URL
        let process = Process()

        /// With `config`, runs on it; without, runs `--demo` (on /dev/null). `extraArguments`
        /// follow (`--at ISO8601`).
        init(config: String?, extraArguments: [String] = []) throws {
            directory = FileManager.default.temporaryDirectory.appendingPathComponent("kiosk-daemon-api-\(UUID().uuidString)")
            try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
            configFile = directory.appendingPathComponent("kiosk.conf")
            logFile = directory.appendingPathComponent("kioskd.err")
            try Data((config ?? "").utf8).write(to: configFile)
            _ = FileManager.default.createFile(atPath: logFile.path, contents: nil)
            process.executableURL = DemoEndToEndTests.kioskd
            process.arguments = config == nil
                ? ["--demo", "--demo-data", DemoEndToEndTests.repository.appendingPathComponent("kiosk-config/demo").path]
                : ["--config", configFile.path, "--state-dir", directory.appendingPathComponent("state").path] + extraArguments
            process.environment = ["PATH": "/usr/bin:/bin", "TZ": "UTC"]
            process.standardInput = FileHandle.nullDevice
            process.standardOutput = FileHandle.nullDevice
            process.standardError = try FileHandle(forWritingTo: logFile)
            try process.run()
        }

        deinit {
            if process.isRunning { process.terminate(); process.waitUntilExit() }
            try? FileManager.default.removeItem(at: directory)
        }

        var log: String { (try? String(contentsOf: logFile, encoding: .utf8)) ?? "" }

        /// Waits until the log holds a line containing `text` (after `skipping` characters),
        /// or the daemon has ended.
        func waitForLog(_ text: String, skipping: Int = 0, seconds: Double = 20) async -> String? {
            func line() -> String? { log.dropFirst(skipping).split(separator: "\n").first { $0.contains(text) }.map(String.init) }
            _ = await eventually(timeout: seconds) { line() != nil || !process.isRunning }
            return line()
        }

        /// The port of "staff API: listening on 127.0.0.1:PORT".
        func port() async throws -> UInt16 {
            let line = try #require(await waitForLog("staff API: listening on"), "no listening line; log:\n\(log)")
            let address = try #require(line.components(separatedBy: "listening on ").last?.split(separator: " ").first)
            return try #require(UInt16(address.split(separator: ":").last ?? ""))
        }

        func exit(within seconds: Double = 10) async -> Int32? {
            await process.exitStatus(within: seconds)
        }
    }

    static func config(listen: String, tokens: [(String, APIToken)]) -> String {
        var text = "[venue]\nname = API Hall\ntime-zone = UTC\n\n[screen]\nterminal = /dev/null\n\n[http]\nlisten = \(listen)\n"
        for (name, token) in tokens { text += "\n[token \"\(name)\"]\nrole = staff\nhash = \(token.digest)\n" }
        return text
    }

    func status(_ port: UInt16, _ method: String, _ path: String, token: APIToken?, body: String = "") async throws -> Int {
        var head = "\(method) \(path) HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\nContent-Type: application/json\r\nContent-Length: \(body.utf8.count)\r\n"
        if let token { head += "Authorization: Bearer \(token.text)\r\n" }
        let client = try await HTTPTestClient.connect(port: port, sending: Array((head + "\r\n" + body).utf8))
        defer { client.close() }
        return try await client.readResponse(timeout: 10).status
    }

    @Test(.timeLimit(.minutes(1)))
    func tokensAndTheListenAddressReloadOnSIGHUPAndThePortClosesOnSIGTERM() async throws {
        let daemon = try Daemon(config: Self.config(listen: "127.0.0.1:0", tokens: [("accueil", Self.first)]))
        let port = try await daemon.port()
        #expect(try await status(port, "GET", "/healthz", token: nil) == 200)
        #expect(try await status(port, "POST", "/api/v1/notices", token: Self.first, body: #"{"title": "Bienvenue"}"#) == 201)
        #expect(try await status(port, "GET", "/api/v1/notices", token: Self.second) == 401)

        // The second token replaces the first; a new listen address replaces the server:
        // the old port closes, the new one answers with the new tokens.
        let free = try TCPListener.listening(on: .loopback(port: 0))
        let newPort = free.localAddress.port
        free.close()
        try Data(Self.config(listen: "127.0.0.1:\(newPort)", tokens: [("regie", Self.second)]).utf8).write(to: daemon.configFile)
        let mark = daemon.log.count
        kill(daemon.process.processIdentifier, SIGHUP)
        #expect(await daemon.waitForLog("SIGHUP: configuration reloaded", skipping: mark) != nil, "\(daemon.log)")
        #expect(daemon.log.dropFirst(mark).contains("SIGHUP: [http] changed; http replaced"), "\(daemon.log)")
        await #expect(throws: (any Error).self) { _ = try await HTTPTestClient.connect(port: port) }
        #expect(try await status(newPort, "GET", "/api/v1/notices", token: Self.first) == 401)
        #expect(try await status(newPort, "GET", "/api/v1/notices", token: Self.second) == 200)

        kill(daemon.process.processIdentifier, SIGTERM)
        #expect(await daemon.exit() == 0, "\(daemon.log)")
        #expect(daemon.log.contains("http: stopped") || daemon.log.contains("kioskd stopped"))
        await #expect(throws: (any Error).self) { _ = try await HTTPTestClient.connect(port: newPort) }
    }

    @Test(.timeLimit(.minutes(1)))
    func anExplicitBusyAddressStopsKioskdWithItsLine() async throws {
        let holder = try TCPListener.listening(on: .loopback(port: 0))
        defer { holder.close() }
        let busy = holder.localAddress.port
        let daemon = try Daemon(config: Self.config(listen: "127.0.0.1:\(busy)", tokens: []))
        #expect(await daemon.exit() == 1, "\(daemon.log)")
        #expect(daemon.log.contains("\(daemon.configFile.path):9: cannot listen on 127.0.0.1:\(busy)"), "\(daemon.log)")
    }

    /// The demo listens on 127.0.0.1:8080 when it can, and runs on without the API when
    /// the port is taken.
    @Test(.timeLimit(.minutes(1)))
    func theDemoRunsOnWhenPort8080IsBusy() async throws {
        // Hold 8080 if it is free; if another process holds it, it is busy all the same.
        let holder = try? TCPListener.listening(on: .loopback(port: 8080))
        defer { holder?.close() }
        let daemon = try Daemon(config: nil)
        let warning = await daemon.waitForLog("staff API: cannot listen on 127.0.0.1:8080")
        holder?.close()
        #expect(warning?.contains("running without the API") == true, "\(daemon.log)")
        #expect(await daemon.waitForLog("kioskd started") != nil)
        try await Task.sleep(for: .milliseconds(300))
        #expect(daemon.process.isRunning, "\(daemon.log)")
        kill(daemon.process.processIdentifier, SIGTERM)
        #expect(await daemon.exit() == 0, "\(daemon.log)")
    }

    @Test(.timeLimit(.minutes(1)))
    func aNetworkAddressWithoutTokensIsAConfigurationError() async throws {
        let daemon = try Daemon(config: Self.config(listen: "0.0.0.0:0", tokens: []))
        #expect(await daemon.exit() == 78, "\(daemon.log)")
        #expect(daemon.log.contains("\(daemon.configFile.path):9: listen = 0.0.0.0:0 is reachable from the network but no [token \"NAME\"] is configured"), "\(daemon.log)")
    }
}
