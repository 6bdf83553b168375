import Dispatch
import Foundation
import KioskSystem
import KioskTestSupport
import Synchronization
import Testing
@testable import KioskDaemon

/// Which connection is closed when a fresh client needs a slot of a full server.
///
/// The server picks the connection that has waited longest for a request head. Bytes may
/// have reached that connection's socket a moment before, not read yet (its read event
/// queued behind the accept). The tests hold the server's queue, send bytes on the oldest
/// of two connections, wait until the kernel holds them unread, and only then let the
/// server choose.
@Suite(.timeLimit(.minutes(1))) struct HTTPServerMakeWayTests {
    /// A whole request: closing the connection would lose it. It is read, answered, and
    /// the other connection makes way.
    @Test func aConnectionWhoseRequestWaitsUnreadIsNotClosedToMakeWay() async throws {
        try await Self.chooseAfter(sending: getRequest("/oldest")) { oldest, newer in
            let response = try await oldest.readResponse()
            #expect(response.status == 200 && response.bodyText == "path /oldest", "the request that waited unread was answered")
            #expect(await newer.isClosedByServer(timeout: 10), "the other idle connection made way")
        }
    }

    /// Half a head (a slow client, or a flood of them): read, the connection is still
    /// idle, and it goes as the oldest. Skipping it instead left a flood of such
    /// connections without a victim, and every newcomer was answered 503.
    @Test func halfAHeadWaitingUnreadDoesNotSpareTheOldest() async throws {
        try await Self.chooseAfter(sending: "GET /never HTTP/1.1\r\nHost: x\r\nX-Slow: ") { oldest, newer in
            #expect(await oldest.isClosedByServer(timeout: 10), "the oldest made way")
            #expect(!(await newer.isClosedByServer(timeout: 0.3)), "the newer connection stays")
        }
    }

    /// Two connections from 127.0.0.3 fill a two-slot server; `bytes` reach the oldest's
    /// socket while the server's queue is held; then the server makes room for 127.0.0.2,
    /// and `check` looks at both connections.
    static func chooseAfter(
        sending bytes: String, _ check: (HTTPTestClient, HTTPTestClient) async throws -> Void
    ) async throws {
        let limits = HTTPServer.Limits(
            maxConnections: 2, maxConnectionsPerAddress: 2, reservedConnections: 0, headTimeoutUnderPressure: .seconds(30),
            requestTimeout: .seconds(30), idleTimeout: .seconds(30), lingerTimeout: .seconds(1), shutdownGrace: .seconds(1))
        try await withTestServer(limits: limits) { server, port in
            let from = SocketAddress(ipv4: 127, 0, 0, 3, port: 0)
            let oldest = try await HTTPTestClient.connect(port: port, from: from)
            defer { oldest.close() }
            #expect(await eventually(timeout: 30) { server.openConnectionCount == 1 })
            let newer = try await HTTPTestClient.connect(port: port, from: from)
            defer { newer.close() }
            #expect(await eventually(timeout: 30) { server.openConnectionCount == 2 })

            let entered = DispatchSemaphore(value: 0)
            let bytesWait = DispatchSemaphore(value: 0)
            let madeRoom = Mutex<Bool?>(nil)
            server.onQueue {
                entered.signal()
                bytesWait.wait()
                madeRoom.withLock { $0 = server.makeRoom(for: "127.0.0.2") }
            }
            let queued: Bool
            do {
                await onOwnThread { entered.wait() }
                try await oldest.send(bytes)
                let oldestPort = try #require(oldest.localPort)
                queued = await eventually(timeout: 10) { receiveQueueBytes(port: port, peerPort: oldestPort) > 0 }
            } catch {
                bytesWait.signal()  // never leave the server's queue held
                throw error
            }
            bytesWait.signal()
            try #require(queued, "the bytes never reached the server's socket")
            try await check(oldest, newer)
            #expect(madeRoom.withLock { $0 } == true)
        }
    }
}
