import Dispatch
import Foundation
import KioskCore
import KioskSystem

/// One accepted connection: reads requests, hands each to the handler in a `Task`,
/// writes the answers in order, and enforces the deadlines of `HTTPServer.Limits`.
///
/// Event-driven on the server's serial I/O queue: a dispatch read source and (while a
/// response does not fit in the socket buffer) a write source on the non-blocking
/// descriptor, and one timer for whichever deadline applies. Nothing here blocks, so the
/// Swift cooperative pool is never held by socket I/O; handlers run in their own Task.
///
/// One request at a time: pipelined requests wait (in the parser's buffer and the
/// kernel's) while the handler runs and its answer is written, and are answered in order.
///
/// A client that hangs up while its handler runs (a phone that gave up, a scanner) gives
/// its slot back at once: the read source stays on while the handler runs, and its first
/// event asks the socket (`inputState()`, poll's `POLLRDHUP`) without reading. The
/// handler is not cancelled: a request received whole runs to its end (a pushed
/// programme is stored whole or not at all, never cut between its steps), and its answer
/// is still written, for a client that only shut down writing, then dropped quietly if
/// nobody reads it. New bytes instead (a pipelined request) end the watch for this
/// request: that client is there. The server frees at most `maxConnections` such slots at
/// once (`onPeerGone` says whether it did), so running handlers stay bounded.
///
/// Phases: `reading` → `handling` → `writing` → back to `reading`, or, after an answer
/// that closes, `lingering` (write side shut down, input read and discarded until the
/// client closes or `lingerTimeout`) → `closed`. The descriptor is closed once every
/// dispatch source on it has been cancelled, then `onClosed` runs.
final class HTTPConnection: @unchecked Sendable {
    // @unchecked: every stored property is read and written only on `queue` (the server's
    // serial I/O queue). The handler Task touches none of them: it hops back with
    // `queue.async` to deliver its response.

    let id: Int
    let peer: HTTPPeer
    /// The peer's address without its port: what the per-address limit counts.
    let address: String
    /// When the connection was accepted.
    let acceptedAt = DispatchTime.now()
    private let socket: TCPConnection
    private let queue: DispatchQueue
    private let limits: HTTPServer.Limits
    private let handler: any HTTPHandler
    private let logger: JournalLogger
    private let onClosed: (HTTPConnection) -> Void
    /// Asks the server to give back the slot of a connection whose client hung up while
    /// its handler runs; false when too many such handlers run already (it keeps its slot).
    private let onPeerGone: (HTTPConnection) -> Bool
    private let observer: (@Sendable (HTTPExchange) -> Void)?

    private enum Phase { case reading, handling, writing, lingering, closed }
    private var phase = Phase.reading
    private var parser: HTTPRequestParser

    private var readSource: (any DispatchSourceRead)?
    private var readSuspended = true
    private var writeSource: (any DispatchSourceWrite)?
    private var writeSuspended = true
    /// Sources created on the descriptor whose cancel handler has not run yet.
    private var liveSources = 0
    private let timer: any DispatchSourceTimer
    /// The deadline the timer is set to: the earlier of the two below.
    private var deadline = DispatchTime.distantFuture
    /// The deadline of the phase (idle, request, write, linger).
    private var phaseDeadline = DispatchTime.distantFuture
    /// The head deadline while the server is under pressure; nil otherwise.
    private var pressureDeadline: DispatchTime?
    private var underPressure = false
    /// Since when the connection waits for the head of its next request (its opening, or
    /// its last answer): the idlest connection is the one that has waited longest.
    private(set) var waitingSince = DispatchTime.now()
    /// When the request being handled was complete (for the exchange's timing).
    private var requestCompletedAt = DispatchTime.now()

    private var output: [UInt8] = []
    private var outputOffset = 0
    private var closeAfterWrite = false
    /// True from the first byte of a request until its answer is queued.
    private var requestStarted = false
    private var requestsServed = 0
    private var stopRequested = false
    private var discardedWhileLingering = 0
    private var handlerTask: Task<Void, Never>?
    /// The request being handled, for messages (method and path, without the query).
    private var handling = ""
    /// The client hung up while its request was handled (see the type's comment).
    private(set) var peerHungUp = false

    /// Whether it counts against `maxConnections` (false for a connection only told 503).
    let isServing: Bool
    /// Set by the server (on `queue`) once its slot is given back: closed to make way for
    /// another client, its descriptor closing.
    var countedOut = false

    init(
        id: Int, socket: TCPConnection, queue: DispatchQueue, limits: HTTPServer.Limits, handler: any HTTPHandler,
        logger: JournalLogger, isServing: Bool, observer: (@Sendable (HTTPExchange) -> Void)? = nil,
        onPeerGone: @escaping (HTTPConnection) -> Bool = { _ in false }, onClosed: @escaping (HTTPConnection) -> Void
    ) {
        self.id = id
        self.socket = socket
        self.peer = HTTPPeer(address: socket.peerAddress.description, isLoopback: socket.peerAddress.isLoopback)
        self.address = socket.peerAddress.host
        self.observer = observer
        self.queue = queue
        self.limits = limits
        self.handler = handler
        self.logger = logger
        self.isServing = isServing
        self.onClosed = onClosed
        self.onPeerGone = onPeerGone
        self.parser = HTTPRequestParser(limits: limits.parserLimits)
        self.timer = DispatchSource.makeTimerSource(queue: queue)
    }

    // MARK: - Starting

    /// Starts reading requests (on `queue`); `underPressure`: the server is near its limit.
    func start(underPressure: Bool) {
        setUpSources()
        self.underPressure = underPressure
        arm(limits.idleTimeout)
        resumeReading()
    }

    /// True while the connection only waits for (part of) a request head, or is closing:
    /// closing it loses no request in progress.
    var isIdle: Bool {
        (phase == .reading && parser.isReadingHead) || phase == .lingering
    }

    /// Whether the connection may be closed to make way for another client: it is idle
    /// once what the kernel already holds for it has been read, as its read event would
    /// (on `queue`). A request that arrived a moment before the server chose is then being
    /// handled and the connection kept; half a head, or nothing, leaves it idle and it goes
    /// as before (not merely skipped: a flood of connections that each send half a head
    /// would otherwise leave no victim, and every new connection was answered 503 instead,
    /// which held the I/O queue from other clients).
    func mayMakeWay() -> Bool {
        guard isIdle else { return false }
        if phase == .reading, socket.inputState() == .bytes { readable() }
        return isIdle
    }

    /// The server came under pressure or left it: a connection waiting for a request head
    /// gets (or loses) the short head deadline.
    func setUnderPressure(_ pressure: Bool) {
        guard phase != .closed, pressure != underPressure else { return }
        underPressure = pressure
        schedule()
    }

    /// Answers 503 without reading the request, then closes (on `queue`).
    func startRefusing() {
        setUpSources()
        var error = HTTPError(.serviceUnavailable, "too many connections; retry later")
        error.headers.set("Retry-After", String(limits.retryAfterSeconds))
        let bytes = error.response().serialized(date: Date(), keepAlive: false)
        phase = .writing
        closeAfterWrite = true
        output = bytes
        flush()
    }

    private func setUpSources() {
        let read = DispatchSource.makeReadSource(fileDescriptor: socket.descriptor.rawValue, queue: queue)
        read.setEventHandler { [weak self] in self?.readable() }
        // The cancel handlers hold the socket: its descriptor is closed only once no source
        // watches it (libdispatch keys its epoll registrations by descriptor number; one
        // closed under a live source would lose the events of the next file to get it).
        read.setCancelHandler { [weak self, socket] in withExtendedLifetime(socket) { self?.sourceCancelled() } }
        readSource = read
        liveSources += 1
        timer.setEventHandler { [weak self] in self?.deadlinePassed() }
        timer.schedule(deadline: .distantFuture)
        timer.resume()
    }

    // MARK: - Reading

    private func readable() {
        if phase == .handling {
            watchPeerWhileHandling()
            return
        }
        for _ in 0..<8 {  // a bounded number of reads per event, so one client cannot hog the queue
            guard phase == .reading || phase == .lingering else { return }
            let result: TCPConnection.ReadResult
            do {
                result = try socket.read(upTo: 64 * 1024)
            } catch {
                logger.debug("http \(peer): \(error)")
                close()
                return
            }
            switch result {
            case .wouldBlock:
                return
            case .endOfStream:
                if phase == .reading && requestStarted {
                    logger.debug("http \(peer): closed in the middle of a request")
                }
                close()
                return
            case .bytes(let bytes):
                if phase == .lingering {
                    discardedWhileLingering += bytes.count
                    if discardedWhileLingering > 1024 * 1024 { close() }
                    continue
                }
                if !requestStarted {
                    requestStarted = true
                    arm(limits.requestTimeout)
                }
                do {
                    if case .request(let request) = try parser.feed(bytes) {
                        begin(request)
                        return
                    }
                } catch {
                    answerFramingError(error)
                    return
                }
                // A head complete, its body coming: the pressure deadline no longer applies.
                if pressureDeadline != nil && !parser.isReadingHead { schedule() }
                if parser.continueExpected {
                    // RFC 9110 section 10.1.1: the head is acceptable, ask for the body.
                    parser.acknowledgeContinue()
                    output += Array("HTTP/1.1 100 Continue\r\n\r\n".utf8)
                    flush()
                }
            }
        }
    }

    // MARK: - Handling

    private func begin(_ request: HTTPRequest) {
        phase = .handling
        handling = "\(request.method) \(request.path)"
        // Reading stays on, to see the client hang up (`watchPeerWhileHandling`).
        resumeReading()
        disarm()
        requestsServed += 1
        requestCompletedAt = .now()
        let started = DispatchTime.now()
        let handler = self.handler
        let peer = self.peer
        let logger = self.logger
        handlerTask = Task { [queue] in
            let response: HTTPResponse
            do {
                response = try await handler.respond(to: request, from: peer)
            } catch let error as HTTPError {
                response = error.response()
            } catch {
                logger.error("http \(request.method) \(request.path) from \(peer): handler failed: \(error)")
                response = HTTPError(.internalServerError, "internal error").response()
            }
            queue.async { [weak self] in self?.respond(response, to: request, started: started) }
        }
    }

    /// A read event while the handler runs: the client hung up, or sent more bytes.
    private func watchPeerWhileHandling() {
        let state = socket.inputState()
        guard state != .nothing else { return }
        // Either way the watch ends for this request (the source would fire again for
        // the same end of stream, or the same pipelined bytes, until they are read).
        suspendReading()
        guard state == .hungUp else { return }
        peerHungUp = true
        let freed = onPeerGone(self)
        logger.debug("http \(peer): hung up while \(handling) was handled; "
            + (freed ? "its slot is free, the handler runs to its end" : "the handler runs to its end (too many such handlers: its slot is kept until then)"))
    }

    private func respond(_ response: HTTPResponse, to request: HTTPRequest, started: DispatchTime) {
        guard phase == .handling else { return }
        handlerTask = nil
        let wantsClose = response.headers.listValues("Connection").contains { $0.lowercased() == "close" }
        let keepAlive = request.keepAlive && !wantsClose && !stopRequested && !peerHungUp
            && requestsServed < limits.maxRequestsPerConnection
        let bytes = response.serialized(
            date: Date(), keepAlive: keepAlive, headRequest: request.method == .head, version: request.version)
        let milliseconds = (DispatchTime.now().uptimeNanoseconds - started.uptimeNanoseconds) / 1_000_000
        let bodyBytes = request.method == .head || !response.status.allowsBody ? 0 : response.body.count
        logger.debug("http \(request.method) \(request.path) \(response.status.code) \(bodyBytes)B \(milliseconds)ms \(peer)")
        requestStarted = false
        if let observer {
            exchange = HTTPExchange(
                peer: peer, method: request.method, path: request.path, status: response.status.code,
                accepted: acceptedAt, requestComplete: requestCompletedAt, answered: .now())
            exchangeObserver = observer
        }
        send(bytes, thenClose: !keepAlive)
    }

    /// The exchange whose answer is being written, reported once it is all in the kernel.
    private var exchange: HTTPExchange?
    private var exchangeObserver: (@Sendable (HTTPExchange) -> Void)?

    /// Answers a request that could not be framed, then closes.
    private func answerFramingError(_ error: HTTPRequestParseError) {
        logger.debug("http \(peer): \(error)")
        requestStarted = false
        send(framingResponse(error.httpError).serialized(date: Date(), keepAlive: false), thenClose: true)
    }

    /// The handler's wording of an error about an unfinished request, else its JSON.
    private func framingResponse(_ error: HTTPError) -> HTTPResponse {
        var response = handler.framingErrorResponse(error, target: parser.pendingTarget) ?? error.response()
        for field in error.headers where response.headers[field.name] == nil { response.headers.append(field) }
        return response
    }

    // MARK: - Writing

    private func send(_ bytes: [UInt8], thenClose: Bool) {
        phase = .writing
        closeAfterWrite = thenClose
        suspendReading()
        disarm()
        output += bytes
        flush()
    }

    private func flush() {
        guard phase != .closed else { return }
        var progressed = false
        while outputOffset < output.count {
            let result: TCPConnection.WriteResult
            do {
                result = try socket.send(output[outputOffset...])
            } catch {
                // A client gone (EPIPE, ECONNRESET) is the client's business, not a fault here.
                logger.debug("http \(peer): " + (peerHungUp ? "answer to \(handling) dropped, the client had hung up: " : "") + "\(error)")
                close()
                return
            }
            switch result {
            case .wrote(let count):
                outputOffset += count
                progressed = true
            case .wouldBlock:
                resumeWriting()
                if phase == .writing && (progressed || deadline == .distantFuture) { arm(limits.writeTimeout) }
                return
            }
        }
        output = []
        outputOffset = 0
        suspendWriting()
        if var done = exchange, let report = exchangeObserver {
            exchange = nil
            done.answered = .now()
            report(done)
        }
        if phase == .writing { responseWritten() }
    }

    private func responseWritten() {
        if stopRequested {
            // Shutting down: no lingering. The answer is in the kernel's buffer, which
            // close() still sends (followed by FIN).
            close()
            return
        }
        if closeAfterWrite {
            linger()
            return
        }
        phase = .reading
        waitingSince = .now()
        do {
            if case .request(let request) = try parser.next() {
                requestStarted = true
                begin(request)
                return
            }
        } catch {
            answerFramingError(error)
            return
        }
        if parser.isIdle {
            arm(limits.idleTimeout)
        } else {
            requestStarted = true
            arm(limits.requestTimeout)
        }
        if parser.continueExpected {
            parser.acknowledgeContinue()
            output += Array("HTTP/1.1 100 Continue\r\n\r\n".utf8)
            flush()
        }
        resumeReading()
    }

    /// Shuts down writing and drains input until the client closes, so it reads our last
    /// answer rather than a reset caused by unread bytes (RFC 9112 section 9.6).
    private func linger() {
        phase = .lingering
        socket.shutdownWriting()
        arm(limits.lingerTimeout)
        resumeReading()
    }

    // MARK: - Deadlines

    private func arm(_ duration: Duration) {
        phaseDeadline = .now() + duration.dispatchInterval
        schedule()
    }

    private func disarm() {
        phaseDeadline = .distantFuture
        schedule()
    }

    /// Sets the timer to the phase's deadline, or the pressure deadline when it is earlier.
    private func schedule() {
        if underPressure && phase == .reading && parser.isReadingHead {
            pressureDeadline = waitingSince + limits.headTimeoutUnderPressure.dispatchInterval
        } else {
            pressureDeadline = nil
        }
        let next = min(phaseDeadline, pressureDeadline ?? .distantFuture)
        guard next != deadline else { return }
        deadline = next
        timer.schedule(deadline: next)
    }

    private func deadlinePassed() {
        // A reschedule may race with an event already queued: trust only our own deadline.
        guard deadline != .distantFuture, DispatchTime.now() >= deadline else { return }
        // On a busy queue the timer may run before a read event that came in time: what
        // has arrived is read first, so that a client is not dropped for our lateness (a
        // whole request is served; a first byte arms the request deadline).
        if phase == .reading {
            readable()
            guard phase == .reading, deadline != .distantFuture, DispatchTime.now() >= deadline else { return }
        }
        if let pressureDeadline, DispatchTime.now() >= pressureDeadline, DispatchTime.now() < phaseDeadline {
            // Near the connection limit: a client that has not sent a whole head in time
            // makes way for others.
            // Debug: the server logs the pressure itself (an attack would flood the journal).
            logger.debug("http: dropped \(peer): no request head within \(limits.headTimeoutUnderPressure.roundedSeconds) while the server is near its connection limit")
            deadline = .distantFuture
            phaseDeadline = .distantFuture
            self.pressureDeadline = nil
            if requestStarted {
                requestStarted = false
                send(framingResponse(HTTPError(.requestTimeout, "request head not received in time; the server is busy"))
                    .serialized(date: Date(), keepAlive: false), thenClose: true)
            } else {
                close()
            }
            return
        }
        deadline = .distantFuture
        switch phase {
        case .reading where requestStarted:
            logger.info("http: dropped slow client \(peer): no whole request within \(limits.requestTimeout.roundedSeconds)")
            send(framingResponse(HTTPError(.requestTimeout, "request not received within \(limits.requestTimeout.roundedSeconds)"))
                .serialized(date: Date(), keepAlive: false), thenClose: true)
        case .reading:
            logger.debug("http \(peer): idle, closed")
            close()
        case .writing:
            logger.info("http: dropped client \(peer): not reading its response for \(limits.writeTimeout.roundedSeconds)")
            close()
        case .lingering:
            close()
        case .handling, .closed:
            break
        }
    }

    // MARK: - Stopping and closing

    /// The server stops: an idle, half-read or lingering connection closes now; one whose
    /// answer is in progress finishes it (with `Connection: close`), then closes.
    func stop() {
        stopRequested = true
        if phase == .reading || phase == .lingering { close() }
    }

    /// Closes at once, whatever the phase (cancels a running handler).
    func close() {
        guard phase != .closed else { return }
        phase = .closed
        handlerTask?.cancel()
        handlerTask = nil
        timer.cancel()
        if let readSource {
            if readSuspended { readSource.resume(); readSuspended = false }
            readSource.cancel()
        }
        if let writeSource {
            if writeSuspended { writeSource.resume(); writeSuspended = false }
            writeSource.cancel()
        }
        if liveSources == 0 { finishClosing() }
    }

    private func sourceCancelled() {
        liveSources -= 1
        if liveSources == 0 && phase == .closed { finishClosing() }
    }

    /// Every source on the descriptor is cancelled: the descriptor can go.
    private func finishClosing() {
        socket.close()
        onClosed(self)
    }

    /// A connection released without `close()` (its server released without `stop()`):
    /// its sources are resumed and cancelled, since libdispatch traps on releasing a
    /// suspended source; the descriptor closes once they are (their cancel handlers hold
    /// the socket).
    deinit {
        guard phase != .closed else { return }
        timer.cancel()
        if let readSource {
            if readSuspended { readSource.resume() }
            readSource.cancel()
        }
        if let writeSource {
            if writeSuspended { writeSource.resume() }
            writeSource.cancel()
        }
    }

    // MARK: - Sources

    private func resumeReading() {
        guard let readSource, readSuspended else { return }
        readSuspended = false
        readSource.resume()
    }

    private func suspendReading() {
        guard let readSource, !readSuspended else { return }
        readSuspended = true
        readSource.suspend()
    }

    private func resumeWriting() {
        if writeSource == nil {
            let source = DispatchSource.makeWriteSource(fileDescriptor: socket.descriptor.rawValue, queue: queue)
            source.setEventHandler { [weak self] in self?.flush() }
            source.setCancelHandler { [weak self, socket] in withExtendedLifetime(socket) { self?.sourceCancelled() } }
            writeSource = source
            liveSources += 1
            writeSuspended = true
        }
        guard let writeSource, writeSuspended else { return }
        writeSuspended = false
        writeSource.resume()
    }

    private func suspendWriting() {
        guard let writeSource, !writeSuspended else { return }
        writeSuspended = true
        writeSource.suspend()
    }
}
