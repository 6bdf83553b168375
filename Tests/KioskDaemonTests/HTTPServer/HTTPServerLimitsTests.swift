import Foundation
import Synchronization
import KioskCore
import KioskSystem
import KioskTestSupport
import Testing
@testable import KioskDaemon

/// Limits, deadlines and the lifecycle of `HTTPServer`: what protects the kiosk from
/// clients that are too big, too slow, too many, or gone.
@Suite(.serialized, .timeLimit(.minutes(1))) struct HTTPServerLimitsTests {
    @Test func oversizedHeaderIs431() async throws {
        try await withTestServer(limits: testLimits(maxHeaderBytes: 1024)) { _, port in
            let client = try await HTTPTestClient.connect(port: port)
            defer { client.close() }
            let padding = String(repeating: "a", count: 2000)
            try await client.send(getRequest("/", extra: "X-Padding: \(padding)\r\n"))
            let response = try await client.readResponse()
            #expect(response.status == 431)
            #expect(response.errorStatus == 431)
            #expect(await client.isClosedByServer())
        }
    }

    /// Finding: a server released without `stop()` while a handler ran (a test that threw
    /// in the whole suite) trapped in libdispatch: the connection's reading source was
    /// released suspended. Now the sources are cancelled and the sockets closed.
    @Test func aServerReleasedWithoutStopClosesItsConnectionsWithoutTrapping() async throws {
        /// Answers once released (not after a fixed time: on a loaded machine the test
        /// could come to its checks after it), saying when it has started and finished.
        final class SlowHandler: HTTPHandler, @unchecked Sendable {
            // @unchecked: the flags are guarded by `lock`.
            private let lock = NSLock()
            private var startedStorage = false
            private var finishedStorage = false
            private var releasedStorage = false
            var started: Bool { lock.withLock { startedStorage } }
            var finished: Bool { lock.withLock { finishedStorage } }
            func release() { lock.withLock { releasedStorage = true } }
            func respond(to request: HTTPRequest, from peer: HTTPPeer) async throws -> HTTPResponse {
                lock.withLock { startedStorage = true }
                while !lock.withLock({ releasedStorage }) { try await Task.sleep(for: .milliseconds(10)) }
                lock.withLock { finishedStorage = true }
                return .text("late")
            }
        }
        let handler = SlowHandler()
        defer { handler.release() }
        var server: HTTPServer? = HTTPServer(address: .loopback(port: 0), limits: testLimits(), handler: handler, logger: CapturedLog().logger)
        try server!.start()
        let port = server!.boundAddress!.port
        let busy = try await HTTPTestClient.connect(port: port)  // its handler running: reading suspended
        defer { busy.close() }
        try await busy.send(getRequest("/"))
        #expect(await eventually(timeout: 20) { handler.started })
        let idle = try await HTTPTestClient.connect(port: port)  // waiting for a request head
        defer { idle.close() }
        #expect(await eventually(timeout: 20) { server!.openConnectionCount == 2 })
        #expect(handler.started && !handler.finished)
        weak let released = server
        server = nil
        #expect(released == nil)
        // The handler ends after the server is gone (its task keeps the connection until then).
        handler.release()
        // No trap, and every socket closes.
        #expect(await busy.isClosedByServer(timeout: 10))
        #expect(await idle.isClosedByServer(timeout: 10))
        #expect(await eventually(timeout: 10) { serverSocketCount(port: port) == 0 })
        // The next server, on descriptors the released one had, gets its events.
        try await withTestServer { _, port in
            for n in 0..<10 {
                let client = try await HTTPTestClient.connect(port: port)
                defer { client.close() }
                try await client.send(getRequest("/after/\(n)"))
                #expect(try await client.readResponse(timeout: 10).bodyText == "path /after/\(n)")
            }
        }
    }

    /// Finding (the whole suite on a loaded machine): when the server's queue ran late,
    /// an idle deadline that passed while it was held closed a connection whose request
    /// had arrived in the meantime, unanswered. What has arrived is read first now.
    ///
    /// The scene is ordered by events, not by the clock: the queue is held (an observer
    /// that waits for the test) from before the idle deadline; the request is sent after
    /// the deadline, and the queue is let go only once the request is in the server's
    /// socket. If this machine was so slow that the deadline passed before the queue was
    /// held, the connection was rightly closed: the scene is set again with a deadline
    /// twice as long (it is never skipped).
    @Test func aRequestThatArrivedWhileTheServerWasLateIsServed() async throws {
        var idleSeconds = 1
        while true {
            let log = CapturedLog()
            let limits = HTTPServer.Limits(maxConnections: 16, idleTimeout: .seconds(idleSeconds))
            let server = HTTPServer(address: .loopback(port: 0), limits: limits, handler: TestHandler(), logger: log.logger)
            // The answer to /hold holds the server's queue (an observer runs on it) until
            // the test lets it go.
            let held = Mutex<DispatchTime?>(nil)
            let letGo = DispatchSemaphore(value: 0)
            server.exchangeObserver = { exchange in
                guard exchange.path == "/hold" else { return }
                held.withLock { $0 = .now() }
                _ = letGo.wait(timeout: .now() + 50)  // never for ever, whatever the test did
            }
            try server.start()
            let port = server.boundAddress!.port
            let late = try await HTTPTestClient.connect(port: port)  // its idle deadline armed now
            defer { late.close() }
            let latePort = try #require(late.localPort)
            // Accepted before the holder's request is even read: its deadline passes while
            // the queue is held, unless it had passed already.
            let holder = try await HTTPTestClient.connect(port: port, sending: Array(getRequest("/hold").utf8))
            defer { holder.close() }
            _ = try await holder.readResponse(timeout: 20)
            #expect(await eventually(timeout: 20) { held.withLock { $0 } != nil })
            let holdStarted = try #require(held.withLock { $0 })
            if log.contains(":\(latePort): idle, closed") {
                letGo.signal()
                await server.stop()
                idleSeconds *= 2
                try #require(idleSeconds <= 16, "the queue was never held before an idle deadline of 8 s")
                print("the idle deadline passed before the queue was held: again with \(idleSeconds) s")
                continue
            }
            // The idle deadline (armed before the hold) has passed while the queue is held.
            while DispatchTime.now() < holdStarted + .milliseconds(idleSeconds * 1000 + 200) {
                try await Task.sleep(for: .milliseconds(50))
            }
            let request = Array(getRequest("/late").utf8)
            try await late.send(request)
            #expect(await eventually(timeout: 20) { receiveQueueBytes(port: port, peerPort: latePort) >= request.count })
            letGo.signal()
            let answer = try? await late.readResponse(timeout: 20)
            #expect(answer?.bodyText == "path /late")
            await server.stop()
            return
        }
    }

    @Test func oversizedBodyIs413() async throws {
        try await withTestServer(limits: testLimits(maxBodyBytes: 1000)) { _, port in
            let declared = try await HTTPTestClient.connect(port: port)
            defer { declared.close() }
            try await declared.send(postRequest("/echo", body: String(repeating: "b", count: 1001)))
            #expect(try await declared.readResponse().status == 413)
            #expect(await declared.isClosedByServer())

            let chunked = try await HTTPTestClient.connect(port: port)
            defer { chunked.close() }
            let chunk = String(repeating: "c", count: 600)
            try await chunked.send(
                "POST /echo HTTP/1.1\r\nHost: localhost\r\nTransfer-Encoding: chunked\r\n\r\n"
                    + "258\r\n\(chunk)\r\n258\r\n\(chunk)\r\n0\r\n\r\n")
            #expect(try await chunked.readResponse().status == 413)

            // At the limit exactly is fine.
            let fits = try await HTTPTestClient.connect(port: port)
            defer { fits.close() }
            try await fits.send(postRequest("/echo", body: String(repeating: "d", count: 1000)))
            #expect(try await fits.readResponse().body.count == 1000)
        }
    }

    @Test func slowClientGets408WhileOthersAreServed() async throws {
        let log = CapturedLog()
        try await withTestServer(limits: testLimits(requestTimeout: .seconds(1)), log: log) { _, port in
            let slow = try await HTTPTestClient.connect(port: port)
            defer { slow.close() }
            let started = Date()
            // One byte every 300 ms: the head would take 20 s; the limit is 1 s for all of it.
            let trickle = Task {
                for byte in Array(getRequest("/slowloris", extra: "X-Padding: aaaaaaaaaaaaaaa\r\n").utf8) {
                    do { try await slow.send([byte]) } catch { return }
                    try? await Task.sleep(for: .milliseconds(300))
                    if Task.isCancelled { return }
                }
            }
            defer { trickle.cancel() }
            // Meanwhile a normal client is served at once.
            let normal = try await HTTPTestClient.connect(port: port)
            defer { normal.close() }
            try await normal.send(getRequest("/quick"))
            #expect(try await normal.readResponse().bodyText == "path /quick")

            let response = try await slow.readResponse(timeout: 10)
            #expect(response.status == 408)
            #expect(response.errorStatus == 408)
            #expect(response.header("Connection") == "close")
            #expect(await slow.isClosedByServer(timeout: 10))
            let elapsed = Date().timeIntervalSince(started)
            #expect(elapsed >= 0.9 && elapsed < 8, "dropped after \(elapsed) s")
        }
        #expect(log.lines.contains { $0.contains("INFO") && $0.contains("dropped slow client") })
    }

    @Test func idleKeepAliveConnectionIsClosedSilently() async throws {
        try await withTestServer(limits: testLimits(idleTimeout: .milliseconds(500))) { _, port in
            let client = try await HTTPTestClient.connect(port: port)
            defer { client.close() }
            try await client.send(getRequest("/once"))
            _ = try await client.readResponse()
            // Closed with nothing written (no 408 for a connection between requests).
            #expect(try await client.readUntilClosed(timeout: 10).isEmpty)
        }
    }

    @Test func connectionClosesAfterMaxRequests() async throws {
        var limits = testLimits()
        limits.maxRequestsPerConnection = 2
        try await withTestServer(limits: limits) { _, port in
            let client = try await HTTPTestClient.connect(port: port)
            defer { client.close() }
            try await client.send(getRequest("/1") + getRequest("/2") + getRequest("/3"))
            let first = try await client.readResponse()
            #expect(first.header("Connection") == nil)
            let second = try await client.readResponse()
            #expect(second.bodyText == "path /2")
            #expect(second.header("Connection") == "close")
            // The third pipelined request is not answered: the client sends it again elsewhere.
            #expect(try await client.readUntilClosed().isEmpty)
        }
    }

    @Test func connectionLimitAnswers503AndRetryAfter() async throws {
        let log = CapturedLog()
        try await withTestServer(limits: testLimits(maxConnections: 2), log: log) { server, port in
            // Two connections busy with a request (an idle one would make way instead).
            var held: [HTTPTestClient] = []
            for _ in 0..<2 {
                let client = try await HTTPTestClient.connect(port: port)
                try await client.send(getRequest("/slow?ms=1500"))
                held.append(client)
            }
            #expect(await eventually { server.openConnectionCount == 2 })
            try await Task.sleep(for: .milliseconds(100))
            let refused = try await HTTPTestClient.connect(port: port)
            defer { refused.close() }
            let response = try await refused.readResponse()
            #expect(response.status == 503)
            #expect(response.header("Retry-After") == "5")
            #expect(response.errorStatus == 503)
            #expect(await refused.isClosedByServer())

            // A refused client that already sent its request still reads the 503 (the
            // server drains instead of resetting), and its request is never handled.
            let eager = try await HTTPTestClient.connect(port: port)
            defer { eager.close() }
            try await eager.send(postRequest("/echo", body: String(repeating: "e", count: 50_000)))
            let eagerResponse = try await eager.readResponse()
            #expect(eagerResponse.status == 503)
            #expect(eagerResponse.header("X-Method") == nil)

            // A freed slot serves the next client.
            #expect(try await held[0].readResponse().status == 200)
            held[0].close()
            #expect(await eventually { server.openConnectionCount == 1 })
            let next = try await HTTPTestClient.connect(port: port)
            defer { next.close() }
            try await next.send(getRequest("/next"))
            #expect(try await next.readResponse().status == 200)
            for client in held { client.close() }
        }
        #expect(log.contains("refused 127.0.0.1:"))
    }

    @Test func fiftyConcurrentClientsAreAllServed() async throws {
        try await withTestServer { _, port in
            let bodies = try await withThrowingTaskGroup(of: (Int, String, Int).self) { group in
                for index in 0..<50 {
                    group.addTask {
                        let client = try await HTTPTestClient.connect(port: port)
                        defer { client.close() }
                        // 64 kB each: bodies arrive in several reads, interleaved with the others.
                        let body = "client \(index) " + String(repeating: "\(index % 10)", count: 64_000)
                        try await client.send(postRequest("/echo", body: body) + getRequest("/slow?ms=50"))
                        let echo = try await client.readResponse(timeout: 20)
                        let slow = try await client.readResponse(timeout: 20)
                        return (index, echo.bodyText, slow.status)
                    }
                }
                var results: [(Int, String, Int)] = []
                for try await result in group { results.append(result) }
                return results
            }
            #expect(bodies.count == 50)
            for (index, body, slowStatus) in bodies {
                #expect(body == "client \(index) " + String(repeating: "\(index % 10)", count: 64_000))
                #expect(slowStatus == 200)
            }
        }
    }

    @Test func clientThatNeverReadsIsDropped() async throws {
        let log = CapturedLog()
        try await withTestServer(limits: testLimits(writeTimeout: .milliseconds(500)), log: log) { server, port in
            let client = try await HTTPTestClient.connect(port: port)
            defer { client.close() }
            // 32 MB cannot fit in the socket buffers; the client reads none of it.
            try await client.send(getRequest("/big?n=32000000"))
            // (Waiting for the count alone raced with the accept: 0 before it.)
            #expect(await eventually(timeout: 10) { log.lines.contains { $0.contains("INFO") && $0.contains("not reading") } })
            #expect(await eventually(timeout: 10) { server.openConnectionCount == 0 })
            #expect(serverSocketCount(port: port) == 1)
        }
    }

    @Test func largeResponseIsWrittenWholeToASlowReader() async throws {
        try await withTestServer { _, port in
            let client = try await HTTPTestClient.connect(port: port)
            defer { client.close() }
            try await client.send(getRequest("/big?n=8000000"))
            try await Task.sleep(for: .milliseconds(300))  // let the server fill the buffers
            let response = try await client.readResponse(timeout: 20)
            #expect(response.body.count == 8_000_000)
            #expect(response.body.allSatisfy { $0 == UInt8(ascii: "x") })
        }
    }

    @Test func peerClosingMidResponseDoesNotHurtTheServer() async throws {
        // A write deadline of 5 s: the server normally sees the peer's reset at once, but once
        // in a whole parallel suite on two cores it had not let go after 10 s (the handler
        // that makes the 16 MB body runs on the cooperative pool, which the suite's CPU-heavy
        // tests can hold that long; the peer's reset is seen when the writing starts). No
        // connection may outlive the handler plus the write deadline; the wait below is
        // generous for a starved pool and returns as soon as the count is 0. A leak, or a
        // server stuck on the dead peer, still fails.
        try await withTestServer(limits: testLimits(writeTimeout: .seconds(5))) { server, port in
            for _ in 0..<3 {
                let client = try await HTTPTestClient.connect(port: port)
                try await client.send(getRequest("/big?n=16000000"))
                _ = try await client.readSome()
                client.reset()
            }
            let gentle = try await HTTPTestClient.connect(port: port)
            try await gentle.send(getRequest("/big?n=16000000"))
            _ = try await gentle.readSome()
            gentle.close()
            #expect(await eventually(timeout: 60) { server.openConnectionCount == 0 })
            #expect(serverSocketCount(port: port) == 1)
            let after = try await HTTPTestClient.connect(port: port)
            defer { after.close() }
            try await after.send(getRequest("/alive"))
            #expect(try await after.readResponse().bodyText == "path /alive")
        }
    }

    @Test func noDescriptorGrowthAfterManyConnections() async throws {
        try await withTestServer(limits: testLimits(requestTimeout: .seconds(1))) { server, port in
            #expect(serverSocketCount(port: port) == 1)  // the listener
            for round in 0..<60 {
                let client = try await HTTPTestClient.connect(port: port)
                switch round % 5 {
                case 0:  // keep-alive, client closes
                    try await client.send(getRequest("/a"))
                    _ = try await client.readResponse()
                case 1:  // server closes
                    try await client.send(getRequest("/b", extra: "Connection: close\r\n"))
                    _ = try await client.readResponse()
                case 2:  // malformed
                    try await client.send("NOT HTTP\r\n\r\n")
                    _ = try await client.readResponse()
                case 3:  // half a request, then gone
                    try await client.send("GET /c HTTP/1.1\r\nHo")
                case _:  // connects and resets at once
                    client.reset()
                    continue
                }
                client.close()
            }
            #expect(await eventually(timeout: 10) { server.openConnectionCount == 0 })
            #expect(await eventually { serverSocketCount(port: port) == 1 })
        }
    }

    @Test func stopFinishesAnswersInProgressAndClosesEverything() async throws {
        let log = CapturedLog()
        let server = HTTPServer(
            address: .loopback(port: 0), limits: testLimits(), handler: TestHandler(), logger: log.logger)
        try server.start()
        let port = try #require(server.boundAddress?.port)
        let idle = try await HTTPTestClient.connect(port: port)
        defer { idle.close() }
        try await idle.send(getRequest("/warm"))
        _ = try await idle.readResponse()
        let busy = try await HTTPTestClient.connect(port: port)
        defer { busy.close() }
        try await busy.send(getRequest("/slow?ms=400"))
        try await Task.sleep(for: .milliseconds(100))  // the handler is running

        await server.stop()

        let answer = try await busy.readResponse()
        #expect(answer.bodyText == "slow 400")
        #expect(answer.header("Connection") == "close")
        #expect(await idle.isClosedByServer())
        #expect(serverSocketCount(port: port) == 0)
        #expect(server.openConnectionCount == 0)
        #expect(throws: SocketError.self) { _ = try TCPConnection.connect(to: .loopback(port: port)) }
        await server.stop()  // twice is harmless
    }

    @Test func handlerStillRunningAfterTheGraceIsCancelled() async throws {
        var limits = testLimits()
        limits.shutdownGrace = .milliseconds(300)
        let server = HTTPServer(address: .loopback(port: 0), limits: limits, handler: TestHandler(), logger: CapturedLog().logger)
        try server.start()
        let port = try #require(server.boundAddress?.port)
        let client = try await HTTPTestClient.connect(port: port)
        defer { client.close() }
        try await client.send(getRequest("/slow?ms=20000"))
        try await Task.sleep(for: .milliseconds(100))
        let started = Date()
        await server.stop()
        #expect(Date().timeIntervalSince(started) < 5)
        #expect(await client.isClosedByServer())
        #expect(serverSocketCount(port: port) == 0)
    }

    @Test func addressInUseIsAClearError() async throws {
        try await withTestServer { server, port in
            let second = HTTPServer(
                address: .loopback(port: port), handler: TestHandler(), logger: CapturedLog().logger)
            let error = #expect(throws: SocketError.self) { try second.start() }
            #expect(error?.isAddressInUse == true)
            #expect(error?.call == "bind")
            #expect(error?.description.contains("127.0.0.1:\(port)") == true)
            await second.stop()
            _ = server
        }
    }

    @Test func cooperativePoolKeepsRunningWhileClientsMisbehave() async throws {
        // What the screen needs: its tasks get a thread whatever the server is doing. Shown
        // by order, not by the clock (a loaded machine holds a task for any time): the pool
        // runs fifty "frames" while twenty clients hold half-sent requests the server
        // cannot finish (their 30 s deadline far away) and a large upload is read. A server
        // whose socket I/O held the pool's threads would run them only once those clients
        // were dropped, and they are still there when the frames are done.
        try await withTestServer(limits: testLimits(requestTimeout: .seconds(30))) { server, port in
            var trickles: [HTTPTestClient] = []
            for _ in 0..<20 {
                trickles.append(try await HTTPTestClient.connect(
                    port: port, sending: Array("POST /echo HTTP/1.1\r\nHost: localhost\r\nContent-Le".utf8)))
            }
            defer { for client in trickles { client.close() } }
            #expect(await eventually(timeout: 20) { server.openConnectionCount == 20 })
            let uploader = Task {
                let client = try await HTTPTestClient.connect(port: port)
                defer { client.close() }
                try await client.send(postRequest("/echo", body: String(repeating: "u", count: 900_000)))
                return try await client.readResponse(timeout: 20).body.count
            }
            for _ in 0..<50 {  // a "frame" every 20 ms
                try await Task.sleep(for: .milliseconds(20))
            }
            var stillHeld = 0
            for client in trickles where !(await client.isClosedByServer(timeout: 0.05)) { stillHeld += 1 }
            #expect(stillHeld == 20, "the frames ran only after \(20 - stillHeld) half-sent requests were dropped")
            #expect(try await uploader.value == 900_000)
        }
    }
}
