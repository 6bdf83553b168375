import Dispatch
import Foundation
import KioskCore
import KioskSystem
import Synchronization

/// The badge reader at the door, wired to the lobby: a `SerialReader` on the configured
/// device feeds a `BadgeReaderSession` (decoding, PN532 driving, debouncing); each read
/// goes, in order, to the `Lobby` actor, which commits the scan and then draws the
/// welcome; the welcome is taken away after `[checkin] welcome-duration`.
///
/// Threads: the session is touched under a lock by the reader's thread (bytes, link
/// changes) and by the PN532 timer (a dispatch timer); reads and link changes reach the
/// lobby's own thread in order (`DedicatedThreadExecutor.submit`, no task in between),
/// so scans are committed in the order they were read, whatever the cooperative pool does.
/// Call ``stop()`` before dropping it.
public final class BadgeService: Sendable {
    /// What the session hands on to the lobby, in order.
    enum Input: Sendable {
        case read(BadgeRead)
        case state(BadgeReaderState)
        /// Why the reader is not connected, in a few words (nil once it is).
        case problem(String?)
    }

    public let settings: CheckInSettings
    private let lobby: Lobby
    private let logger: JournalLogger
    private let session: Mutex<BadgeReaderSession>
    private let reader: Mutex<SerialReader?>
    /// Fires at the PN532 session's deadlines (nil for the passive protocols).
    private let timer: DeadlineTimer?
    private let timerQueue = DispatchQueue(label: "kioskd.badge-session")

    /// Prepares the service for `settings.readerDevice`; nothing is opened before
    /// ``start()``. Throws a `ConfigError` when the baud rate is not one the serial
    /// port can be set to, and a `SystemCallError` when the reader's wake-up pipe
    /// cannot be made.
    public init(
        settings: CheckInSettings, lobby: Lobby, logger: JournalLogger, configPath: String = "kiosk.conf",
        backoff: SerialReconnectBackoff = SerialReconnectBackoff()
    ) throws {
        guard let device = settings.readerDevice else {
            throw ConfigError(path: configPath, line: 0, message: "[reader] has no device")
        }
        guard let baud = BaudRate(bitsPerSecond: settings.effectiveBaudRate) else {
            let list = BaudRate.allCases.map { String($0.rawValue) }.joined(separator: ", ")
            throw ConfigError(path: configPath, line: 0, message: "[reader] baud \(settings.effectiveBaudRate) is not supported by the serial port (use \(list))")
        }
        self.settings = settings
        self.lobby = lobby
        self.logger = logger
        self.session = Mutex(BadgeReaderSession(protocol: settings.readerProtocol, debounceWindow: settings.debounce))
        self.reader = Mutex(nil)
        self.timer = settings.readerProtocol.needsHostCommands ? DeadlineTimer(DispatchSource.makeTimerSource(queue: timerQueue)) : nil

        let serial = try SerialReader(path: device, baudRate: baud, backoff: backoff) { [weak self] event in
            self?.handle(event)
        }
        reader.withLock { $0 = serial }
        timer?.source.setEventHandler { [weak self] in self?.deadlinePassed() }

    }

    /// Opens the device (retrying with backoff until it appears) and starts reading.
    public func start() {
        send(.state(.connecting))
        timer?.source.resume()
        reader.withLock { $0 }?.start()
    }

    /// Stops reading and closes the device; scans already read are still committed
    /// before this returns.
    public func stop() async {
        let serial = reader.withLock { reader in
            defer { reader = nil }
            return reader
        }
        serial?.stop()
        timer?.source.cancel()
        // The reader's thread has ended: whatever it handed over is queued on the lobby's
        // thread before this call, which therefore returns after it.
        await lobby.badgeInputsDelivered()
    }

    /// Hands `input` to the lobby on the lobby's own thread, in order, without a task (so
    /// without a thread of the cooperative pool): the scan is committed and welcomed
    /// there, and the welcome taken away by the lobby's timer after the welcome duration.
    private func send(_ input: Input) {
        let lobby = self.lobby, duration = settings.welcomeDuration
        lobby.executor.submit { lobby.assumeIsolated { $0.badgeInput(input, welcomeDuration: duration) } }
    }

    // MARK: Reader thread

    private func handle(_ event: SerialReader.Event) {
        let now = ContinuousClock.now
        switch event {
        case .bytes(let bytes):
            deliver(session.withLock { $0.receive(bytes, at: now) })
        case .status(.connected(let path)):
            logger.notice("badge reader connected on \(path) (\(settings.readerProtocol.rawValue))", .device(settings.readerDevice ?? path))
            send(.problem(nil))
            send(.state(.connected))
            deliver(session.withLock { $0.start(at: now) })
        case .status(.disconnected(let reason)):
            let device = settings.readerDevice ?? ""
            let problem = ReaderProblem(reason, device: device)
            logger.warning("badge reader \(device): \(reason)\(problem.advice.map { ": \($0)" } ?? ""); retrying", .device(device))
            session.withLock { $0.stop() }
            send(.problem(problem.summary))
            send(.state(.disconnected))
        case .status(.reconnecting(let attempt, let delay)):
            logger.debug("badge reader: reopening in \(delay) (attempt \(attempt))")
        }
    }

    private func deadlinePassed() {
        deliver(session.withLock { $0.advance(to: .now) })
    }

    /// Hands reads to the lobby, sends PN532 commands, and re-arms the PN532 timer.
    private func deliver(_ output: BadgeReaderSession.Output) {
        for read in output.reads { send(.read(read)) }
        if !output.bytesToWrite.isEmpty, let serial = reader.withLock({ $0 }) {
            do { try serial.write(output.bytesToWrite) } catch {
                logger.warning("badge reader: cannot send a command to the PN532: \(error)")
            }
        }
        if let timer {
            if let deadline = session.withLock({ $0.nextDeadline }) {
                let delay = max(Duration.zero, ContinuousClock.now.duration(to: deadline))
                let (seconds, attoseconds) = delay.components
                let nanoseconds = Int(seconds) * 1_000_000_000 + Int(attoseconds / 1_000_000_000)
                timer.source.schedule(deadline: .now() + .nanoseconds(nanoseconds), leeway: .milliseconds(2))
            } else {
                timer.source.schedule(deadline: .distantFuture)
            }
        }
    }
}

/// The PN532 session's timer. `@unchecked Sendable`: a dispatch source may be scheduled,
/// resumed and cancelled from any thread (libdispatch serialises those calls), and its
/// handler runs on the service's own serial queue.
struct DeadlineTimer: @unchecked Sendable {
    let source: any DispatchSourceTimer
    init(_ source: any DispatchSourceTimer) { self.source = source }
}
