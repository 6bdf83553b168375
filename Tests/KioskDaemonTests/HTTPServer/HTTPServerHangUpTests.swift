import Foundation
import KioskCore
import KioskSystem
import KioskTestSupport
import Testing
@testable import KioskDaemon

/// A client that hangs up while its request is handled (a phone that gave up, a scanner)
/// gives its connection slot back at once, not when its handler ends; the handler still
/// runs to its end. Shown with the connection limit at one: the next client is served
/// (not refused 503) while the first one's handler is still held.
///
/// Nothing here is timed: each step waits for an event (the handler started, the server's
/// log line) with a long safety wait.
@Suite(.serialized, .timeLimit(.minutes(1))) struct HTTPServerHangUpTests {
    /// One connection at a time, none kept for fresh addresses, long deadlines.
    static let oneSlot = HTTPServer.Limits(
        maxConnections: 1, reservedConnections: 0, headTimeoutUnderPressure: .seconds(30), requestTimeout: .seconds(30),
        idleTimeout: .seconds(30), lingerTimeout: .seconds(1), shutdownGrace: .seconds(2))

    static let push = Array(postRequest("/hold", body: #"{"events":[]}"#).utf8)

    enum HangUp: String, CaseIterable, Sendable { case close, reset }

    /// A server on a loopback port with `oneSlot`, its handler holding each request until
    /// released, its log captured.
    static func startServer() throws -> (CapturedLog, CountingHandler, HTTPServer, UInt16) {
        let log = CapturedLog()
        let handler = CountingHandler()
        let server = HTTPServer(address: .loopback(port: 0), limits: oneSlot, handler: handler, logger: log.logger)
        try server.start()
        return (log, handler, server, server.boundAddress!.port)
    }

    @Test(arguments: HangUp.allCases)
    func aClientGoneWhileItsHandlerRunsGivesItsSlotBackAndTheHandlerRunsToItsEnd(hangUp: HangUp) async throws {
        let (log, handler, server, port) = try Self.startServer()
        defer { handler.release() }

        let gone = try await HTTPTestClient.connect(port: port, sending: Self.push)
        #expect(await eventually(timeout: 30) { handler.held == 1 })
        // The slot is taken: a second client is refused.
        let refused = try await HTTPTestClient.connect(port: port)
        defer { refused.close() }
        #expect(try await refused.readResponse().status == 503)

        switch hangUp {
        case .close: gone.close()
        case .reset: gone.reset()
        }
        #expect(await eventually(timeout: 30) { log.contains("hung up while POST /hold was handled; its slot is free") })
        // The handler still runs, and the next client is served meanwhile.
        let next = try await HTTPTestClient.connect(port: port, sending: Array(getRequest("/next").utf8))
        defer { next.close() }
        let answer = try await next.readResponse()
        #expect(answer.status == 200 && answer.bodyText == "path /next")
        #expect(handler.held == 1 && handler.finished == 0)

        handler.release()
        // Not cancelled: it made its answer (a cancelled one throws from its sleep).
        #expect(await eventually(timeout: 30) { handler.finished == 1 })
        next.close()
        #expect(await eventually(timeout: 30) { server.openConnectionCount == 0 })
        #expect(await eventually(timeout: 30) { serverSocketCount(port: port) == 1 })
        await server.stop()
        // A client gone is not the server's fault: no warning, no error (the answer that
        // could not be written is a debug line at most).
        let loud = log.lines.filter { $0.contains(" WARNING ") || $0.contains(" ERROR ") }
        #expect(loud.isEmpty, "\(loud)")
        #expect(log.contains("POST /hold 200"))
    }

    /// A client that only shuts down writing after its request looks the same to TCP: it
    /// gives its slot back too, and still reads its answer.
    @Test func aClientThatHalfClosesStillGetsItsAnswer() async throws {
        let (log, handler, server, port) = try Self.startServer()
        defer { handler.release() }

        let halfClosed = try await HTTPTestClient.connect(port: port, sending: Self.push)
        defer { halfClosed.close() }
        #expect(await eventually(timeout: 30) { handler.held == 1 })
        halfClosed.shutdownWriting()
        #expect(await eventually(timeout: 30) { log.contains("hung up while POST /hold was handled; its slot is free") })
        let next = try await HTTPTestClient.connect(port: port, sending: Array(getRequest("/next").utf8))
        defer { next.close() }
        #expect(try await next.readResponse().status == 200)

        handler.release()
        let answer = try await halfClosed.readResponse()
        #expect(answer.status == 200 && answer.bodyText == "held")
        #expect(answer.header("Connection") == "close")
        #expect(await halfClosed.isClosedByServer())
        await server.stop()
    }

    /// Slots are given back for at most `maxConnections` handlers whose client is gone:
    /// beyond, a gone client keeps its slot until its handler ends, so the handlers that
    /// run (each holding its request) stay bounded.
    @Test func slotsGivenBackAreBoundedByTheConnectionLimit() async throws {
        let (log, handler, server, port) = try Self.startServer()
        defer { handler.release() }

        let first = try await HTTPTestClient.connect(port: port, sending: Self.push)
        #expect(await eventually(timeout: 30) { handler.held == 1 })
        first.close()
        #expect(await eventually(timeout: 30) { log.contains("its slot is free") })
        let second = try await HTTPTestClient.connect(port: port, sending: Self.push)
        #expect(await eventually(timeout: 30) { handler.held == 2 })
        second.close()
        #expect(await eventually(timeout: 30) { log.contains("too many such handlers: its slot is kept until then") })
        let refused = try await HTTPTestClient.connect(port: port)
        defer { refused.close() }
        #expect(try await refused.readResponse().status == 503)

        handler.release()
        #expect(await eventually(timeout: 30) { handler.finished == 2 })
        #expect(await eventually(timeout: 30) { server.openConnectionCount == 0 })
        let after = try await HTTPTestClient.connect(port: port, sending: Array(getRequest("/after").utf8))
        defer { after.close() }
        #expect(try await after.readResponse().bodyText == "path /after")
        await server.stop()
    }

    /// A request that comes while the previous one is handled (pipelining) ends the watch
    /// for that request: the client is there; both are answered, in order.
    @Test func aRequestPipelinedWhileOneIsHandledIsAnsweredInOrder() async throws {
        let (log, handler, server, port) = try Self.startServer()
        defer { handler.release() }

        let client = try await HTTPTestClient.connect(port: port, sending: Array(getRequest("/hold").utf8))
        defer { client.close() }
        #expect(await eventually(timeout: 30) { handler.held == 1 })
        try await client.send(getRequest("/second"))
        handler.release()
        #expect(try await client.readResponse().bodyText == "held")
        #expect(try await client.readResponse().bodyText == "path /second")
        #expect(!log.contains("hung up"))
        await server.stop()
    }
}
