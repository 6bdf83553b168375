import Dispatch
import Foundation
import KioskCore
import KioskSystem

/// A plain-socket HTTP/1.1 client for the server tests: it writes exactly the bytes a
/// test gives (malformed, pipelined, trickled) and reads responses framed by
/// Content-Length.
///
/// Blocking calls (connect, poll, recv) run on the client's own dispatch queues, never
/// on the Swift cooperative pool, which the server's handlers need (two threads on a
/// two-core machine). Reads and writes have separate queues so a test can trickle bytes
/// while a read waits.
final class HTTPTestClient: @unchecked Sendable {
    // @unchecked: `buffer` is used only on `readQueue`; `connection` is immutable and its
    // calls (recv on one queue, send on the other) are safe on one socket from two threads.
    private let connection: TCPConnection
    private var buffer: [UInt8] = []
    private let readQueue = DispatchQueue(label: "test-client-read")
    private let writeQueue = DispatchQueue(label: "test-client-write")

    struct Failure: Error, CustomStringConvertible {
        var description: String
    }

    struct Response: Sendable {
        var version: String
        var status: Int
        var reason: String
        var headers: [(name: String, value: String)]
        var body: [UInt8]

        func header(_ name: String) -> String? {
            headers.first { $0.name.lowercased() == name.lowercased() }?.value
        }
        var bodyText: String { String(decoding: body, as: UTF8.self) }
        /// The `reason` of a JSON error body `{"error":{"status":..,"reason":..}}`.
        var errorReason: String? {
            guard let object = try? JSONSerialization.jsonObject(with: Data(body)) as? [String: Any],
                let error = object["error"] as? [String: Any]
            else { return nil }
            return error["reason"] as? String
        }
        var errorStatus: Int? {
            guard let object = try? JSONSerialization.jsonObject(with: Data(body)) as? [String: Any],
                let error = object["error"] as? [String: Any]
            else { return nil }
            return error["status"] as? Int
        }
    }

    private init(connection: TCPConnection) {
        self.connection = connection
    }

    /// Connects to 127.0.0.1:`port`, from `source` (another loopback address, such as
    /// 127.0.0.2, to appear as another client) when given.
    static func connect(port: UInt16, from source: SocketAddress? = nil) async throws -> HTTPTestClient {
        try await onOwnQueue { HTTPTestClient(connection: try TCPConnection.connect(to: .loopback(port: port), from: source)) }
    }

    /// Connects and sends `request` in one job on the client's queue: the request is in
    /// the kernel as soon as the connection is, whatever the cooperative pool is doing
    /// (in the whole suite on two loaded cores, a test's task can wait longer than the
    /// server's idle deadline between a `connect` and a `send`).
    static func connect(port: UInt16, from source: SocketAddress? = nil, sending request: [UInt8]) async throws -> HTTPTestClient {
        try await onOwnQueue {
            let connection = try TCPConnection.connect(to: .loopback(port: port), from: source)
            try connection.sendAll(request)
            return HTTPTestClient(connection: connection)
        }
    }

    /// The client's own port (to match the server's view of this connection).
    var localPort: UInt16? { try? connection.localAddress().port }

    private static func onOwnQueue<T: Sendable>(_ body: @escaping @Sendable () throws -> T) async throws -> T {
        try await withCheckedThrowingContinuation { continuation in
            DispatchQueue(label: "test-client-connect").async {
                continuation.resume(with: Result { try body() })
            }
        }
    }

    private func onQueue<T: Sendable>(_ queue: DispatchQueue, _ body: @escaping @Sendable () throws -> T) async throws -> T {
        try await withCheckedThrowingContinuation { continuation in
            queue.async { continuation.resume(with: Result { try body() }) }
        }
    }

    func send(_ text: String) async throws { try await send(Array(text.utf8)) }

    func send(_ bytes: [UInt8]) async throws {
        try await onQueue(writeQueue) { try self.connection.sendAll(bytes) }
    }

    /// Reads one response; `head` says it answers a HEAD request (no body follows). The
    /// default wait is long: on two loaded cores the handlers' tasks may start late (no
    /// test measures latency with it).
    func readResponse(head: Bool = false, timeout: Double = 30) async throws -> Response {
        try await onQueue(readQueue) { try self.readResponseNow(head: head, timeout: timeout) }
    }

    /// Reads until the server closes; returns what came (after any response already read).
    /// Throws when the connection is still open after `timeout` seconds.
    func readUntilClosed(timeout: Double = 5) async throws -> [UInt8] {
        try await onQueue(readQueue) {
            let deadline = Date().addingTimeInterval(timeout)
            while try self.fill(until: deadline) {}
            let rest = self.buffer
            self.buffer = []
            return rest
        }
    }

    /// True when the server closed the connection (FIN or reset) within `timeout` seconds.
    func isClosedByServer(timeout: Double = 5) async -> Bool {
        do {
            _ = try await readUntilClosed(timeout: timeout)
            return true
        } catch let failure as Failure where failure.description.hasPrefix("timed out") {
            return false
        } catch {
            return true  // a reset
        }
    }

    /// Reads a few bytes of what arrived (for tests that hang up mid-response).
    func readSome(timeout: Double = 5) async throws -> Int {
        try await onQueue(readQueue) {
            _ = try self.fill(until: Date().addingTimeInterval(timeout))
            return self.buffer.count
        }
    }

    /// Closes with a reset (RST) instead of FIN: a peer that vanishes.
    func reset() {
        connection.setResetOnClose()
        connection.close()
    }

    func close() { connection.close() }

    /// Sends FIN and keeps reading (a client that half-closes after its request).
    func shutdownWriting() { connection.shutdownWriting() }

    // MARK: - On readQueue

    /// Reads once more into `buffer`; false at end of stream. Throws on timeout.
    private func fill(until deadline: Date) throws -> Bool {
        let remaining = deadline.timeIntervalSinceNow
        guard remaining > 0, connection.waitUntilReadable(timeout: remaining) else {
            throw Failure(description: "timed out waiting for the server (\(buffer.count) bytes buffered)")
        }
        switch try connection.read(upTo: 64 * 1024) {
        case .bytes(let bytes):
            buffer += bytes
            return true
        case .endOfStream:
            return false
        case .wouldBlock:
            return true
        }
    }

    private func readResponseNow(head: Bool, timeout: Double) throws -> Response {
        let deadline = Date().addingTimeInterval(timeout)
        let terminator: [UInt8] = [13, 10, 13, 10]
        var headEnd: Int?
        while headEnd == nil {
            if let range = buffer.firstRange(of: terminator) {
                headEnd = range.upperBound
            } else if try !fill(until: deadline) {
                throw Failure(description: "connection closed before a whole response head (\(buffer.count) bytes)")
            }
        }
        let headText = String(decoding: buffer[..<headEnd!], as: UTF8.self)
        var lines = headText.components(separatedBy: "\r\n").filter { !$0.isEmpty }
        let statusLine = lines.removeFirst().split(separator: " ", maxSplits: 2).map(String.init)
        guard statusLine.count >= 2, let status = Int(statusLine[1]) else {
            throw Failure(description: "bad status line in \(headText)")
        }
        let headers = lines.map { line -> (name: String, value: String) in
            let colon = line.firstIndex(of: ":")!
            return (String(line[..<colon]), line[line.index(after: colon)...].trimmingCharacters(in: .whitespaces))
        }
        var response = Response(
            version: statusLine[0], status: status, reason: statusLine.count > 2 ? statusLine[2] : "",
            headers: headers, body: [])
        buffer.removeFirst(headEnd!)
        let hasBody = !head && status >= 200 && status != 204 && status != 304
        if hasBody {
            let length = Int(response.header("Content-Length") ?? "") ?? 0
            while buffer.count < length {
                guard try fill(until: deadline) else {
                    throw Failure(description: "connection closed after \(buffer.count) of \(length) body bytes")
                }
            }
            response.body = Array(buffer[..<length])
            buffer.removeFirst(length)
        }
        return response
    }
}
