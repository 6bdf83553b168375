import Foundation
import KioskCore
import KioskSystem
import KioskTestSupport
@testable import KioskDaemon

/// A handler for server tests, routed by path:
/// `/echo` answers the body it got; `/slow?ms=N` answers after N ms; `/big?n=N` answers
/// N bytes; `/conflict` throws a 409 `HTTPError`; `/boom` throws an error whose text
/// holds a secret; anything else answers `path PATH`.
struct TestHandler: HTTPHandler {
    static let secret = "secret-db-path-/var/lib/kiosk"

    struct LeakyError: Error, CustomStringConvertible {
        var description: String { "could not open \(TestHandler.secret)" }
    }

    func respond(to request: HTTPRequest, from peer: HTTPPeer) async throws -> HTTPResponse {
        let number = request.query.flatMap { query in
            query.split(separator: "=").last.flatMap { Int($0) }
        }
        switch request.path {
        case "/echo":
            return HTTPResponse(
                status: .ok,
                headers: ["Content-Type": "application/octet-stream", "X-Method": request.method.rawValue,
                          "X-Peer-Loopback": "\(peer.isLoopback)"],
                body: request.body)
        case "/slow":
            try await Task.sleep(for: .milliseconds(number ?? 200))
            return .text("slow \(number ?? 200)")
        case "/big":
            return HTTPResponse(status: .ok, body: [UInt8](repeating: UInt8(ascii: "x"), count: number ?? 1000))
        case "/conflict":
            throw HTTPError(.conflict, "notice n-1 already exists")
        case "/boom":
            throw LeakyError()
        default:
            return .text("path \(request.path)")
        }
    }
}

/// Log lines kept in memory, for tests of what the server logs.
final class CapturedLog: @unchecked Sendable {
    // @unchecked: `lines` is guarded by `lock`.
    private let lock = NSLock()
    private var storage: [String] = []

    lazy var logger = JournalLogger(level: .debug, underSystemd: false) { [weak self] line in
        self?.lock.withLock { self?.storage.append(line) }
    }

    var lines: [String] { lock.withLock { storage } }
    func contains(_ text: String) -> Bool { lines.contains { $0.contains(text) } }
}

/// Limits for server tests: a test of a deadline passes its own short one. The others
/// are long, since in the whole suite on two loaded cores a test's task may wait many
/// seconds between connecting and sending, or before reading (the server would rightly
/// close the connection as idle).
func testLimits(
    maxConnections: Int = 64, maxHeaderBytes: Int = 16 * 1024, maxBodyBytes: Int = 1024 * 1024,
    requestTimeout: Duration = .seconds(30), idleTimeout: Duration = .seconds(30), writeTimeout: Duration = .seconds(30)
) -> HTTPServer.Limits {
    HTTPServer.Limits(
        maxConnections: maxConnections, maxHeaderBytes: maxHeaderBytes, maxBodyBytes: maxBodyBytes,
        requestTimeout: requestTimeout, idleTimeout: idleTimeout, writeTimeout: writeTimeout,
        lingerTimeout: .seconds(1), shutdownGrace: .seconds(2))
}

/// Runs `body` against a started server on 127.0.0.1 (a free port), then stops it.
func withTestServer(
    limits: HTTPServer.Limits = testLimits(), log: CapturedLog = CapturedLog(),
    _ body: (HTTPServer, UInt16) async throws -> Void
) async throws {
    let server = HTTPServer(address: .loopback(port: 0), limits: limits, handler: TestHandler(), logger: log.logger)
    try server.start()
    do {
        try await body(server, server.boundAddress!.port)
    } catch {
        await server.stop()
        throw error
    }
    await server.stop()
}

/// Descriptors of this process that are TCP sockets whose local port is `port`: the
/// server's listener and the connections it accepted (clients have other local ports).
/// Read from /proc/net/tcp{,6} (socket inodes) and /proc/self/fd, so other tests running
/// at the same time do not disturb the count.
func serverSocketCount(port: UInt16) -> Int {
    var inodes = Set<String>()
    for table in ["/proc/net/tcp", "/proc/net/tcp6"] {
        guard let text = ProcFile.read(table) else { continue }
        for line in text.split(separator: "\n").dropFirst() {
            let fields = line.split(separator: " ")
            guard fields.count > 9, let portHex = fields[1].split(separator: ":").last,
                UInt16(portHex, radix: 16) == port, fields[9] != "0"
            else { continue }
            inodes.insert("socket:[\(fields[9])]")
        }
    }
    let entries = (try? FileManager.default.contentsOfDirectory(atPath: "/proc/self/fd")) ?? []
    return entries.filter { entry in
        guard let target = try? FileManager.default.destinationOfSymbolicLink(atPath: "/proc/self/fd/\(entry)") else {
            return false
        }
        return inodes.contains(target)
    }.count
}

/// Bytes received and not yet read on this process's TCP socket from local port `port` to
/// remote port `peerPort` (the `rx_queue` of /proc/net/tcp{,6}); 0 when there is none.
func receiveQueueBytes(port: UInt16, peerPort: UInt16) -> Int {
    for table in ["/proc/net/tcp", "/proc/net/tcp6"] {
        guard let text = ProcFile.read(table) else { continue }
        for line in text.split(separator: "\n").dropFirst() {
            let fields = line.split(separator: " ")
            guard fields.count > 4, let local = fields[1].split(separator: ":").last, let remote = fields[2].split(separator: ":").last,
                UInt16(local, radix: 16) == port, UInt16(remote, radix: 16) == peerPort,
                let queued = fields[4].split(separator: ":").last, let bytes = Int(queued, radix: 16)
            else { continue }
            return bytes
        }
    }
    return 0
}

/// `GET path` with Host, as one string.
func getRequest(_ path: String, extra: String = "") -> String {
    "GET \(path) HTTP/1.1\r\nHost: localhost\r\n\(extra)\r\n"
}

func postRequest(_ path: String, body: String, extra: String = "") -> String {
    "POST \(path) HTTP/1.1\r\nHost: localhost\r\nContent-Length: \(body.utf8.count)\r\n\(extra)\r\n\(body)"
}
