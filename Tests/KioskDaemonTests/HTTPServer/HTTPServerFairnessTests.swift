import Dispatch
import Foundation
import Glibc
import KioskCore
import KioskSystem
import KioskTestSupport
import Synchronization
import Testing
@testable import KioskDaemon

/// One client cannot fill the server: the per-address cap, the slots kept for fresh
/// addresses, and the short head deadline near the limit, with real sockets from several
/// loopback addresses (127.0.0.0/8 is all loopback on Linux: a client bound to 127.0.0.2
/// is another address to the server).
@Suite(.serialized) struct HTTPServerFairnessTests {
    static func from(_ last: UInt8) -> SocketAddress { SocketAddress(ipv4: 127, 0, 0, last, port: 0) }

    /// The availability finding: one address holds and reopens more sockets than the
    /// limit, silent ones and ones sending half a head, for a minute, while another address
    /// asks for `/healthz` four times a second. Every probe is answered 200 (none refused
    /// 503), and none waits for the attacker's connections to be dropped: before the fix a
    /// probe waited for the 15 s idle timeout of a silent connection (or was refused).
    ///
    /// What this asserts does not depend on the machine's load (the whole suite runs in
    /// parallel on two shared cores, where a probe took up to 858 ms): each probe's wait,
    /// on the server's clock, is bounded by half the idle timeout, far from anything a busy
    /// scheduler causes and far below what the bug produced. The latency figure ("under
    /// 100 ms while the other address floods", beside the no-attack baseline) is measured
    /// by `kiosk-bench fairness`, with an attacker reopening as fast as it can; here it
    /// reopens ten times a second, so that this minute does not starve the suite's other
    /// tests of the two cores (at full speed it made ~5,000 connections a second).
    @Test(.timeLimit(.minutes(5))) func oneAddressHoldingMoreThanTheLimitForAMinuteDoesNotDelayAnother() async throws {
        let log = CapturedLog()
        // The daemon's defaults: 32 connections, 8 per address, 4 kept for fresh addresses.
        let limits = HTTPServer.Limits(maxConnections: 32, maxConnectionsPerAddress: 8, reservedConnections: 4)
        let server = HTTPServer(address: .loopback(port: 0), limits: limits, handler: TestHandler(), logger: log.logger)
        let answered = Mutex<[UInt16: DispatchTime]>([:])
        server.exchangeObserver = { exchange in
            guard exchange.peer.address.hasPrefix("127.0.0.2:"), let port = UInt16(exchange.peer.address.split(separator: ":").last ?? "") else { return }
            answered.withLock { $0[port] = exchange.answered }
        }
        try server.start()
        let port = server.boundAddress!.port
        let attacker = SocketHog(port: port, sockets: 40, from: Self.from(1), pause: 0.1)
        attacker.start(for: 240)
        defer { attacker.stop() }
        // Let the attacker fill its share first.
        #expect(await eventually(timeout: 10) { attacker.opened >= 40 })

        struct Probe { var status: Int; var sent: DispatchTime; var received: DispatchTime; var port: UInt16 }
        var probes: [Probe] = []
        // A minute, and at least 60 probes (the suite's load may hold this task for seconds).
        let end = Date().addingTimeInterval(60)
        while Date() < end || probes.count < 60 {
            // Connected and sent in one job of the client's queue: under load the test's
            // own send could otherwise come after the server's idle deadline (seen in the
            // whole suite under load: "connection closed before a whole response head").
            let client = try await HTTPTestClient.connect(port: port, from: Self.from(2), sending: Array(getRequest("/healthz").utf8))
            let sent = DispatchTime.now()
            let clientPort = client.localPort ?? 0
            let response = try await client.readResponse(timeout: 30)
            probes.append(Probe(status: response.status, sent: sent, received: .now(), port: clientPort))
            client.close()
            try await Task.sleep(for: .milliseconds(250))
        }
        attacker.stop()
        let attempts = attacker.opened
        await server.stop()

        // A probe that waited for the attacker's sockets to go idle waited ~15 s (the idle
        // timeout of the silent ones); half of it separates the bug from any scheduling delay.
        // (Not the gaps between probes: in the whole suite this test's own task was once
        // held 12 s between two probes, while the server answered each within 190 ms.)
        let bound = Double(limits.idleTimeout.components.seconds) * 1000 / 2
        #expect(probes.allSatisfy { $0.status == 200 }, "statuses: \(Set(probes.map(\.status)))")
        let times = answered.withLock { $0 }
        var serverMilliseconds: [Double] = []
        for probe in probes {
            guard let done = times[probe.port] else {
                Issue.record("the server did not report the exchange of probe port \(probe.port)")
                continue
            }
            serverMilliseconds.append(Double(Int64(done.uptimeNanoseconds) - Int64(probe.sent.uptimeNanoseconds)) / 1e6)
        }
        let clientMilliseconds = probes.map { Double($0.received.uptimeNanoseconds - $0.sent.uptimeNanoseconds) / 1e6 }
        let worst = serverMilliseconds.max() ?? .infinity
        print("fairness: \(probes.count) probes from 127.0.0.2 while 127.0.0.1 opened \(attempts) sockets; "
            + "request sent -> answer written (server clock): max \(worst) ms; client round trip: median \(clientMilliseconds.sorted()[clientMilliseconds.count / 2]) ms, max \(clientMilliseconds.max() ?? 0) ms")
        #expect(worst < bound, "the slowest probe was answered \(worst) ms after it was sent")
        // The attacker really held more than its share, and was held to it.
        #expect(attempts > 40 + 20, "the attacker reopened only \(attempts - 40) sockets")
        #expect(log.contains("to make way for 127.0.0.1"))
    }

    /// The limit with two loopback addresses: at its cap, an address's new connection
    /// replaces its own idlest one (or is refused when all are busy), while another
    /// address is served as usual.
    @Test(.timeLimit(.minutes(1))) func perAddressCapWithTwoLoopbackAddresses() async throws {
        let log = CapturedLog()
        let limits = HTTPServer.Limits(
            maxConnections: 16, maxConnectionsPerAddress: 2, reservedConnections: 2, requestTimeout: .seconds(10),
            idleTimeout: .seconds(10), lingerTimeout: .seconds(1), shutdownGrace: .seconds(1))
        let handler = CountingHandler()
        let server = HTTPServer(address: .loopback(port: 0), limits: limits, handler: handler, logger: log.logger)
        try server.start()
        defer { Task { await server.stop() } }
        let port = server.boundAddress!.port

        // Two idle connections from 127.0.0.1: its third replaces the older of them.
        let first = try await HTTPTestClient.connect(port: port, from: Self.from(1))
        defer { first.close() }
        try await Task.sleep(for: .milliseconds(50))
        let second = try await HTTPTestClient.connect(port: port, from: Self.from(1))
        defer { second.close() }
        #expect(await eventually(timeout: 30) { server.openConnectionCount == 2 })
        let third = try await HTTPTestClient.connect(port: port, from: Self.from(1), sending: Array(getRequest("/third").utf8))
        defer { third.close() }
        #expect(try await third.readResponse().bodyText == "path /third")
        #expect(await first.isClosedByServer(timeout: 30), "the idlest connection of 127.0.0.1 made way")
        try await second.send(getRequest("/second"))
        #expect(try await second.readResponse().bodyText == "path /second")

        // Both of 127.0.0.1's connections busy: its next one is refused 503...
        try await second.send(getRequest("/hold"))
        try await third.send(getRequest("/hold"))
        // Both being handled (not waiting for their head any more) before the next one
        // comes; held until the end. (A long wait: in the whole suite on two loaded cores,
        // the handlers' tasks may start late.)
        #expect(await eventually(timeout: 30) { handler.held == 2 })
        let refused = try await HTTPTestClient.connect(port: port, from: Self.from(1))
        defer { refused.close() }
        let refusal = try await refused.readResponse()
        #expect(refusal.status == 503)
        #expect(refusal.header("Retry-After") == "5")
        // ...while 127.0.0.2 is served at once.
        let other = try await HTTPTestClient.connect(port: port, from: Self.from(2), sending: Array(getRequest("/other").utf8))
        defer { other.close() }
        let answer = try await other.readResponse()
        #expect(answer.status == 200 && answer.bodyText == "path /other")
        handler.release()
        #expect(try await second.readResponse(timeout: 30).bodyText == "held")
        #expect(try await third.readResponse(timeout: 30).bodyText == "held")
        #expect(log.contains("closed idle connection of 127.0.0.1:"))
    }

    /// Many addresses fill the server with silent connections: a fresh address takes a
    /// kept slot, then makes way for itself; near the limit the silent ones get a short
    /// deadline and are dropped, freeing the server.
    @Test(.timeLimit(.minutes(1))) func freshAddressesAreServedWhileOthersFillTheServer() async throws {
        let log = CapturedLog()
        let limits = HTTPServer.Limits(
            maxConnections: 12, maxConnectionsPerAddress: 4, reservedConnections: 2, headTimeoutUnderPressure: .seconds(4),
            requestTimeout: .seconds(20), idleTimeout: .seconds(20), lingerTimeout: .seconds(1), shutdownGrace: .seconds(1))
        let server = HTTPServer(address: .loopback(port: 0), limits: limits, handler: TestHandler(), logger: log.logger)
        try server.start()
        defer { Task { await server.stop() } }
        let port = server.boundAddress!.port

        // Three addresses, four silent connections each: from the tenth connection on
        // (12 - 2 kept) an address that already holds some only replaces its own, so
        // 127.0.0.5 ends with two; two fresh addresses then take the two kept slots.
        var silent: [HTTPTestClient] = []
        defer { silent.forEach { $0.close() } }
        for address: UInt8 in 3...5 {
            for _ in 0..<4 { silent.append(try await HTTPTestClient.connect(port: port, from: Self.from(address))) }
        }
        for address: UInt8 in 6...7 { silent.append(try await HTTPTestClient.connect(port: port, from: Self.from(address))) }
        #expect(await eventually(timeout: 30) { server.openConnectionCount == 12 })
        // Every slot taken: a fresh address replaces the idlest connection of an address
        // holding most (127.0.0.3's first) and is served.
        let fresh = try await HTTPTestClient.connect(port: port, from: Self.from(2), sending: Array(getRequest("/fresh").utf8))
        defer { fresh.close() }
        let response = try await fresh.readResponse()
        #expect(response.status == 200 && response.bodyText == "path /fresh")

        // Under pressure the silent connections have four seconds for a request head: they
        // are dropped until the server is below its threshold again (10 of 12), after which
        // the others may wait their normal 20 s.
        #expect(await eventually(timeout: 15) { server.openConnectionCount < 10 })
        #expect(log.contains("no request head within 4 s while the server is near its connection limit"))
        var closed = 0
        for client in silent where await client.isClosedByServer(timeout: 0.2) { closed += 1 }
        #expect(closed >= silent.count - 9, "\(closed) of \(silent.count) silent connections were dropped")
        let stillOpen = server.openConnectionCount
        try await Task.sleep(for: .seconds(2))
        #expect(server.openConnectionCount == stillOpen, "no pressure, no short deadline")
    }
}

/// A misbehaving client on a thread of its own (blocking sockets, `poll`): keeps `sockets`
/// connections open from one address, half silent and half stopped in the middle of a
/// request head, and opens a new one whenever the server closes one.
final class SocketHog: @unchecked Sendable {
    // @unchecked: `running` and `count` are atomics; the sockets are used only on `queue`.
    let port: UInt16
    let sockets: Int
    let source: SocketAddress
    private let running = Atomic<Bool>(false)
    private let count = Atomic<Int>(0)
    private let finished = DispatchSemaphore(value: 0)
    private let queue = DispatchQueue(label: "socket-hog")

    /// Seconds between two rounds of reopening (0: as fast as the server closes them).
    let pause: Double

    init(port: UInt16, sockets: Int, from source: SocketAddress, pause: Double = 0) {
        self.port = port
        self.sockets = sockets
        self.source = source
        self.pause = pause
    }

    /// Connections opened so far.
    var opened: Int { count.load(ordering: .relaxed) }

    func start(for seconds: Double) {
        running.store(true, ordering: .relaxed)
        let deadline = Date().addingTimeInterval(seconds)
        queue.async { self.run(until: deadline) }
    }

    func stop() {
        guard running.exchange(false, ordering: .relaxed) else { return }
        finished.wait()
    }

    private func open(_ index: Int) -> TCPConnection? {
        guard let connection = try? TCPConnection.connect(to: .loopback(port: port), from: source) else { return nil }
        count.add(1, ordering: .relaxed)
        if index % 2 == 1 { try? connection.sendAll(Array("GET /never HTTP/1.1\r\nHost: x\r\nX-Slow: ".utf8)) }
        return connection
    }

    private func run(until deadline: Date) {
        var open: [TCPConnection?] = (0..<sockets).map { self.open($0) }
        while running.load(ordering: .relaxed) && Date() < deadline {
            var fds = open.map { pollfd(fd: $0?.descriptor.rawValue ?? -1, events: Int16(POLLIN), revents: 0) }
            _ = Glibc.poll(&fds, nfds_t(fds.count), 50)
            for (index, entry) in fds.enumerated() where open[index] == nil || entry.revents != 0 {
                // Closed (or answered 503, or refused): drop it and come back at once.
                open[index]?.close()
                open[index] = self.open(index)
            }
            if pause > 0 { Thread.sleep(forTimeInterval: pause) }
        }
        for connection in open { connection?.close() }
        running.store(false, ordering: .relaxed)
        finished.signal()
    }
}

/// `TestHandler`, plus `/hold`: answered only once released, counted while held (so a
/// test knows the server has read them and keeps those connections busy) and once done.
final class CountingHandler: HTTPHandler, Sendable {
    private let holding = Atomic<Int>(0)
    private let finishing = Atomic<Int>(0)
    private let released = Atomic<Bool>(false)
    /// `/hold` requests being handled: they are answered once `release()` is called.
    var held: Int { holding.load(ordering: .relaxed) }
    /// `/hold` requests whose handling ran to its end (the answer made).
    var finished: Int { finishing.load(ordering: .relaxed) }

    func release() { released.store(true, ordering: .relaxed) }

    func respond(to request: HTTPRequest, from peer: HTTPPeer) async throws -> HTTPResponse {
        if request.path == "/hold" {
            holding.add(1, ordering: .relaxed)
            defer { holding.subtract(1, ordering: .relaxed) }
            while !released.load(ordering: .relaxed) { try await Task.sleep(for: .milliseconds(10)) }
            finishing.add(1, ordering: .relaxed)
            return .text("held")
        }
        return try await TestHandler().respond(to: request, from: peer)
    }
}
