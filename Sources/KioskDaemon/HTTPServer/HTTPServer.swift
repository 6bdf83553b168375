import Dispatch
import Foundation
import KioskCore
import KioskSystem

/// The HTTP/1.1 server of kioskd: keep-alive, pipelining, `Content-Length` and chunked
/// bodies, `Expect: 100-continue`, HEAD, HTTP/1.0, and the limits of `Limits`.
///
/// Built on non-blocking sockets and dispatch sources on one serial I/O queue of its
/// own (not the Swift cooperative pool, which has as many threads as cores: two on the
/// board). No socket call there ever waits, so the display loop keeps its threads
/// whatever clients do; each request's handler runs in a `Task`.
///
/// Errors answered by the server itself, as JSON (`HTTPError`), then closing: the
/// request parser's (400, 411, 413, 414, 431, 501, 505), 408 for a request not received
/// within `requestTimeout`, 503 with `Retry-After` beyond `maxConnections` (or an
/// address's `maxConnectionsPerAddress`) when no idle connection can make way. A handler
/// that throws `HTTPError` gets that answer; any other error becomes 500 "internal error"
/// and is logged, never sent.
///
/// A client that hangs up while its handler runs gives its slot back at once (see
/// `HTTPConnection`); its handler still runs to its end.
///
/// Logs one debug line per request (method, path without query, status, body bytes,
/// milliseconds, peer) and an info line for each client dropped for slowness.
///
/// Lifecycle: `start()` binds and accepts; `stop()` must be called before the last
/// reference goes (it stops accepting, lets answers in progress finish within
/// `shutdownGrace`, and closes every descriptor).
public final class HTTPServer: @unchecked Sendable {
    // @unchecked: `listener`, `acceptSource`, `connections`, `nextID`, `stopping` and
    // `stopWaiters` are used only on `queue`; `boundAddressStorage` is guarded by `lock`.

    public let address: SocketAddress
    public let limits: Limits
    private let handler: any HTTPHandler
    private let logger: JournalLogger
    private let queue = DispatchQueue(label: "kiosk.http")

    private let lock = NSLock()
    private var boundAddressStorage: SocketAddress?

    private var listener: TCPListener?
    private var acceptSource: (any DispatchSourceRead)?
    private var acceptSuspended = false
    private var connections: [Int: HTTPConnection] = [:]
    private var servingCount = 0
    /// Serving connections per client address (without port).
    private var servingByAddress: [String: Int] = [:]
    private var underPressure = false
    /// Connections turned away or replaced, per address, logged at most every 10 s (an
    /// address reopening sockets in a loop would otherwise flood the journal).
    private var turnedAway: [String: (lastLogged: DispatchTime, unlogged: Int)] = [:]
    private var observer: (@Sendable (HTTPExchange) -> Void)?
    private var nextID = 0
    private var stopping = false
    private var stopWaiters: [CheckedContinuation<Void, Never>] = []

    /// A server for `address` (see `SocketAddress(parsing:)`; port 0 picks a free port).
    public init(address: SocketAddress, limits: Limits = Limits(), handler: any HTTPHandler, logger: JournalLogger) {
        self.address = address
        self.limits = limits
        self.handler = handler
        self.logger = logger
    }

    /// Called on the server's queue after each answer is written (set before `start()`):
    /// timings for availability checks and benchmarks. Must return quickly.
    public var exchangeObserver: (@Sendable (HTTPExchange) -> Void)? {
        get { queue.sync { observer } }
        set { queue.sync { observer = newValue } }
    }

    /// The address listened on once `start()` returned (with the real port when 0 was
    /// asked); nil before.
    public var boundAddress: SocketAddress? { lock.withLock { boundAddressStorage } }

    /// Binds, listens and starts accepting. Throws `SocketError` when the address cannot
    /// be bound (`isAddressInUse` when another process holds it).
    /// Call it once: a stopped server is not started again (make a new one).
    public func start() throws(SocketError) {
        precondition(boundAddress == nil, "HTTPServer.start() called twice")
        // A generous backlog: a burst of connections from one client must not fill the
        // kernel's queue before the accept loop runs (a fresh client's SYN would be dropped
        // and retried a second later).
        let listener = try TCPListener.listening(on: address, backlog: Int32(min(4096, max(128, 4 * limits.maxConnections))))
        lock.withLock { boundAddressStorage = listener.localAddress }
        queue.sync {
            self.listener = listener
            let source = DispatchSource.makeReadSource(fileDescriptor: listener.descriptor.rawValue, queue: queue)
            source.setEventHandler { [weak self] in self?.acceptPending() }
            // The listener lives until the source is cancelled (see HTTPConnection).
            source.setCancelHandler { [weak self, listener] in withExtendedLifetime(listener) { self?.listenerCancelled() } }
            acceptSource = source
            source.resume()
        }
        logger.debug("http: listening on \(listener.localAddress)")
    }

    /// Stops accepting, lets answers in progress finish (with `Connection: close`) for up
    /// to `limits.shutdownGrace`, then closes every connection. Returns once every
    /// descriptor of the server is closed. Safe to call twice, or without `start()`.
    public func stop() async {
        await withCheckedContinuation { (continuation: CheckedContinuation<Void, Never>) in
            queue.async { self.beginStopping(continuation) }
        }
    }

    /// Connections open now (serving and being refused), for tests and status. Waits
    /// briefly for the I/O queue.
    public var openConnectionCount: Int { queue.sync { connections.count } }

    /// Runs `body` on the server's I/O queue after what is queued there: the test seam for
    /// acting between two of the server's events.
    func onQueue(_ body: @escaping @Sendable () -> Void) { queue.async(execute: body) }

    /// A server released without `stop()` (a test that threw): the accept source is
    /// cancelled (libdispatch traps on releasing a suspended one) and the listener closes
    /// once it is; each connection does the same in its own `deinit`.
    deinit {
        guard !stopping, let acceptSource else { return }
        if acceptSuspended { acceptSource.resume() }
        acceptSource.cancel()
    }

    // MARK: - Accepting (on `queue`)

    private func acceptPending() {
        guard let listener, !stopping else { return }
        while true {
            let socket: TCPConnection?
            do {
                socket = try listener.accept()
            } catch {
                // Out of descriptors (EMFILE/ENFILE) or worse: pause instead of spinning.
                logger.warning("http: \(error); pausing accepts for 1 s")
                pauseAccepting()
                return
            }
            guard let socket else { return }
            nextID += 1
            let host = socket.peerAddress.host
            let admitted = makeRoom(for: host)
            let connection = HTTPConnection(
                id: nextID, socket: socket, queue: queue, limits: limits, handler: handler, logger: logger,
                isServing: admitted, observer: observer, onPeerGone: { [weak self] in self?.peerGone($0) ?? false },
                onClosed: { [weak self] in self?.connectionClosed($0) })
            connections[nextID] = connection
            if admitted {
                servingCount += 1
                servingByAddress[host, default: 0] += 1
                updatePressure()
                connection.start(underPressure: underPressure)
            } else {
                noteTurnedAway(host, "http: refused \(connection.peer): \(servingCount) connections open (limit \(limits.maxConnections)), \(servingByAddress[host] ?? 0) from this address (limit \(limits.maxConnectionsPerAddress))")
                // Refused connections linger for at most `lingerTimeout`; beyond as many
                // again as the limit, they are not worth their descriptors.
                connection.startRefusing()
                if connections.count - servingCount > limits.maxConnections { connection.close() }
            }
        }
    }

    /// Whether a new connection from `host` may be served, after closing an idle
    /// connection to make way when that is fair (see `Limits`). On `queue`.
    func makeRoom(for host: String) -> Bool {
        let held = servingByAddress[host] ?? 0
        func admissible() -> Bool {
            let held = servingByAddress[host] ?? 0
            guard held < limits.maxConnectionsPerAddress, servingCount < limits.maxConnections else { return false }
            return held == 0 || servingCount < limits.pressureThreshold
        }
        if admissible() { return true }
        // An address at its cap, or one that already holds connections when only reserved
        // slots are left, may only replace one of its own idle connections. A fresh address
        // facing a full server replaces the idlest connection of the address holding most.
        let victim: HTTPConnection?
        if held > 0 {
            victim = idlest(connections.values.filter { $0.isServing && !$0.countedOut && $0.address == host })
        } else {
            let idle = connections.values.filter { $0.isServing && !$0.countedOut && $0.isIdle }
            let most = idle.map { servingByAddress[$0.address] ?? 0 }.max() ?? 0
            victim = idlest(idle.filter { servingByAddress[$0.address] ?? 0 == most })
        }
        guard let victim else { return false }
        noteTurnedAway(victim.address, "http: closed idle connection of \(victim.peer) to make way for \(host)")
        victim.close()
        // Its slot is free now, though its descriptor closes once its sources are cancelled.
        forget(victim)
        return admissible()
    }

    /// Logs `message` unless a line about `address` was logged less than 10 s ago; then
    /// says how many were left out.
    private func noteTurnedAway(_ address: String, _ message: @autoclosure () -> String) {
        let now = DispatchTime.now()
        if let note = turnedAway[address], now.uptimeNanoseconds - note.lastLogged.uptimeNanoseconds < 10_000_000_000 {
            turnedAway[address] = (note.lastLogged, note.unlogged + 1)
            return
        }
        let left = turnedAway[address]?.unlogged ?? 0
        logger.info(message() + (left > 0 ? " (\(left) more like it in the last seconds)" : ""))
        if turnedAway.count >= 256 {
            turnedAway = turnedAway.filter { now.uptimeNanoseconds - $0.value.lastLogged.uptimeNanoseconds < 10_000_000_000 }
        }
        turnedAway[address] = (now, 0)
    }

    /// The idle connection that has waited longest for a request head, once what the
    /// kernel holds for it is read (`HTTPConnection.mayMakeWay`): the oldest is asked
    /// first, then the next, so a flood that makes the server choose thousands of times a
    /// second costs one look at one socket each time.
    private func idlest(_ candidates: [HTTPConnection]) -> HTTPConnection? {
        candidates.filter(\.isIdle).sorted { $0.waitingSince < $1.waitingSince }.first { $0.mayMakeWay() }
    }

    /// Near the limit, connections waiting for a head get a short deadline.
    private func updatePressure() {
        let pressure = servingCount >= limits.pressureThreshold
        guard pressure != underPressure else { return }
        underPressure = pressure
        if pressure {
            noteTurnedAway("(pressure)", "http: \(servingCount) connections open (limit \(limits.maxConnections)): idle clients now have \(limits.headTimeoutUnderPressure.roundedSeconds) to send a request head")
        }
        for connection in connections.values where connection.isServing && !connection.countedOut {
            connection.setUnderPressure(pressure)
        }
    }

    private func pauseAccepting() {
        guard let acceptSource, !acceptSuspended else { return }
        acceptSuspended = true
        acceptSource.suspend()
        queue.asyncAfter(deadline: .now() + 1) { [weak self] in
            guard let self, self.acceptSuspended, !self.stopping, let source = self.acceptSource else { return }
            self.acceptSuspended = false
            source.resume()
        }
    }

    /// A client hung up while its handler runs: its slot is given back now, unless as many
    /// handlers as `maxConnections` already run for clients gone (each holds its request,
    /// up to `maxBodyBytes`): then it keeps its slot until its handler ends.
    private func peerGone(_ connection: HTTPConnection) -> Bool {
        guard connection.isServing, !connection.countedOut else { return false }
        let orphans = connections.values.count { $0.peerHungUp && $0.countedOut && $0.isServing }
        guard orphans < limits.maxConnections else { return false }
        forget(connection)
        return true
    }

    private func connectionClosed(_ connection: HTTPConnection) {
        forget(connection)
        connections[connection.id] = nil
        finishStoppingIfDone()
    }

    /// Takes a closed (or closing) connection out of the counts, once; it stays in
    /// `connections` until its descriptor is closed.
    private func forget(_ connection: HTTPConnection) {
        guard !connection.countedOut else { return }
        connection.countedOut = true
        if connection.isServing {
            servingCount -= 1
            let left = (servingByAddress[connection.address] ?? 1) - 1
            servingByAddress[connection.address] = left > 0 ? left : nil
            updatePressure()
        }
    }

    // MARK: - Stopping (on `queue`)

    private func beginStopping(_ continuation: CheckedContinuation<Void, Never>) {
        stopWaiters.append(continuation)
        if !stopping {
            stopping = true
            if let acceptSource {
                if acceptSuspended { acceptSource.resume(); acceptSuspended = false }
                acceptSource.cancel()  // the cancel handler closes the listener
            }
            for connection in connections.values { connection.stop() }
            queue.asyncAfter(deadline: .now() + limits.shutdownGrace.dispatchInterval) { [weak self] in
                guard let self else { return }
                if !self.connections.isEmpty {
                    self.logger.info("http: closing \(self.connections.count) connection(s) still busy after the shutdown grace")
                }
                for connection in self.connections.values { connection.close() }
            }
        }
        finishStoppingIfDone()
    }

    private func listenerCancelled() {
        listener?.close()
        listener = nil
        acceptSource = nil
        finishStoppingIfDone()
    }

    private func finishStoppingIfDone() {
        guard stopping, acceptSource == nil, connections.isEmpty, !stopWaiters.isEmpty else { return }
        let waiters = stopWaiters
        stopWaiters = []
        if boundAddress != nil { logger.debug("http: stopped") }
        for waiter in waiters { waiter.resume() }
    }
}
