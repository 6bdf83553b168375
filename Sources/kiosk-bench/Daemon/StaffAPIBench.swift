import Foundation
import KioskSystem

/// What the staff-API benchmarks (`fairness`, `alert`) share: a `kioskd` on an in-memory
/// 1920x1080 framebuffer with its staff API on a free port, and one HTTP exchange timed
/// from the client's side.
enum StaffAPIBench {
    /// Starts kioskd on `state` (already created) and returns it with its API's port.
    static func start(kioskd: String, assets: String, work: String, state: BenchState) throws -> (daemon: DaemonUnderTest, port: UInt16) {
        let environment = ["PATH": "/usr/bin:/bin", "HOME": work, "TZ": "UTC", "KIOSK_ASSETS": assets, "KIOSK_DEBUG_MEMORY_FRAMEBUFFER": "1920x1080"]
        let daemon = try DaemonUnderTest(kioskd: kioskd, arguments: ["--config", state.configPath, "--state-dir", state.stateDirectory],
                                         environment: environment, workDirectory: work)
        guard try daemon.waitForReady(seconds: 60) != nil,
              let line = daemon.waitForLog("staff API: listening on 127.0.0.1:", seconds: 30),
              let range = line.text.range(of: "listening on 127.0.0.1:"),
              let port = UInt16(line.text[range.upperBound...].prefix { $0.isNumber }) else {
            daemon.stop()
            throw DaemonBenchmark.Failure(description: "kioskd did not start its staff API:\n" + daemon.log.suffix(20).map(\.text).joined(separator: "\n"))
        }
        return (daemon, port)
    }

    /// Sends `request` on a fresh connection (from `source` when given) and reads the
    /// answer to its end (the request says `Connection: close`): the answer's first 300
    /// bytes and the round trip in ms.
    static func exchange(port: UInt16, from source: SocketAddress? = nil, request: [UInt8]) throws -> (head: String, milliseconds: Double) {
        let connection = try TCPConnection.connect(to: .loopback(port: port), from: source)
        defer { connection.close() }
        let clock = ContinuousClock()
        let sent = clock.now
        try connection.sendAll(request)
        var answer: [UInt8] = []
        reading: while connection.waitUntilReadable(timeout: 30) {
            switch try connection.read(upTo: 65536) {
            case .bytes(let chunk): answer += chunk
            case .endOfStream, .wouldBlock: break reading
            }
        }
        let elapsed = sent.duration(to: clock.now)
        return (String(decoding: answer.prefix(300), as: UTF8.self),
                Double(elapsed.components.seconds) * 1000 + Double(elapsed.components.attoseconds) / 1e15)
    }
}
