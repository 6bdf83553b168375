import Dispatch
import Foundation
import KioskSystem
import KioskTestSupport
import Synchronization
import Testing
@testable import KioskDaemon

/// Which connection is closed when a fresh client needs a slot of a full server.
@Suite(.timeLimit(.minutes(1))) struct HTTPServerMakeWayTests {
    /// The server picks the connection that has waited longest for a request head. A
    /// request may have reached that connection's socket a moment before, not read yet
    /// (its read event queued behind the accept): closing it would lose the request. The
    /// test holds the server's queue, sends a request on the oldest connection, waits until
    /// the kernel holds it unread, and only then lets the server choose.
    @Test func aConnectionWhoseRequestWaitsUnreadIsNotClosedToMakeWay() async throws {
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
            let requestWaits = DispatchSemaphore(value: 0)
            let madeRoom = Mutex<Bool?>(nil)
            server.onQueue {
                entered.signal()
                requestWaits.wait()
                madeRoom.withLock { $0 = server.makeRoom(for: "127.0.0.2") }
            }
            let queued: Bool
            do {
                await onOwnThread { entered.wait() }
                try await oldest.send(getRequest("/oldest"))
                let oldestPort = try #require(oldest.localPort)
                queued = await eventually(timeout: 10) { receiveQueueBytes(port: port, peerPort: oldestPort) > 0 }
            } catch {
                requestWaits.signal()  // never leave the server's queue held
                throw error
            }
            requestWaits.signal()
            try #require(queued, "the request never reached the server's socket")

            let response = try await oldest.readResponse()
            #expect(response.status == 200 && response.bodyText == "path /oldest", "the request that waited unread was answered")
            #expect(await newer.isClosedByServer(timeout: 10), "the other idle connection made way")
            #expect(madeRoom.withLock { $0 } == true)
        }
    }
}
