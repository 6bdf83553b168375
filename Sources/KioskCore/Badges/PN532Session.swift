/// Drives a PN532 over HSU to read ISO14443A cards: a pure state machine, no I/O.
///
/// The caller owns the serial port and a timer. It writes `Output.bytesToWrite`, feeds
/// every chunk it reads to `receive(_:at:)`, and calls `advance(to:)` when
/// `nextDeadline` passes (or at any time: early calls do nothing). Instants are
/// monotonic (`ContinuousClock`), supplied by the caller.
///
/// The cycle (UM0701 §6.2, §7.2.10, §7.3.5):
/// 1. `start`: HSU wake-up (`55 55 00…`) + SAMConfiguration normal mode; wait for ACK,
///    then for the `D5 15` answer.
/// 2. InListPassiveTarget for one 106 kbps type A target; wait for ACK, then the answer.
///    A card yields a `BadgeRead` (UID as hex, length from IDLen); "no card"
///    (`NbTg = 0`) yields nothing. Either way, poll again after `pollInterval`.
///    The chip may hold the poll open until a card comes; after `pollTimeout` the
///    session aborts it (an ACK frame from the host) and polls again.
/// 3. A missing ACK, a missing SAMConfiguration answer, a NACK or an error frame mean
///    the chip was reset, unplugged or confused: the session re-initialises (wake-up,
///    an aborting ACK, SAMConfiguration) and counts it in `diagnostics`.
///
/// Repeated reads of a card left on the antenna are expected: debounce them with
/// `BadgeDebouncer`.
public struct PN532Session: Sendable {
    public typealias Instant = ContinuousClock.Instant

    /// Timings; the defaults suit a PN532 breakout at 115200 baud.
    public struct Configuration: Sendable, Hashable {
        /// How long to wait for the chip's ACK of a command (it comes within milliseconds).
        public var acknowledgementTimeout: Duration = .milliseconds(500)
        /// How long to wait for the SAMConfiguration answer after its ACK.
        public var responseTimeout: Duration = .seconds(1)
        /// How long a poll may stay open before the session aborts and repeats it.
        public var pollTimeout: Duration = .seconds(3)
        /// Pause between a poll's answer and the next poll.
        public var pollInterval: Duration = .milliseconds(200)

        public init() {}
    }

    /// What the caller must do after a call: bytes to write (in order) and reads to handle.
    public struct Output: Sendable, Hashable {
        public var bytesToWrite: [UInt8] = []
        public var reads: [BadgeRead] = []
        public init() {}
    }

    /// Counters for the journal and `kioskctl status`.
    public struct Diagnostics: Sendable, Hashable {
        public var reinitialisations = 0
        public var timeouts = 0
        public var nacks = 0
        public var errorFrames = 0
        /// Frames that arrived when nothing was waiting for them, or answers that do not parse.
        public var unexpectedFrames = 0
        public var noCardAnswers = 0
        /// What the frame decoder accepted and rejected (checksums, noise).
        public var frames = BadgeDecoderStatistics()
    }

    enum Command: Sendable, Hashable {
        case samConfiguration, inListPassiveTarget

        var frame: [UInt8] {
            switch self {
            case .samConfiguration: PN532Frame.samConfiguration
            case .inListPassiveTarget: PN532Frame.inListPassiveTarget
            }
        }

        var responseCode: UInt8 {
            switch self {
            case .samConfiguration: PN532Command.samConfiguration + 1
            case .inListPassiveTarget: PN532Command.inListPassiveTarget + 1
            }
        }
    }

    enum State: Sendable, Hashable {
        case idle
        case awaitingAcknowledgement(Command, deadline: Instant)
        case awaitingResponse(Command, deadline: Instant)
        case pausing(until: Instant)
    }

    /// Where the session stands, for diagnostics and tests.
    public enum Phase: Sendable, Hashable {
        case idle, initialising, polling, pausing
    }

    public let configuration: Configuration
    private(set) var state: State = .idle
    private var decoder = PN532FrameDecoder()
    private var counters = Diagnostics()

    public init(configuration: Configuration = Configuration()) {
        self.configuration = configuration
    }

    public var diagnostics: Diagnostics {
        var diagnostics = counters
        diagnostics.frames = decoder.statistics
        return diagnostics
    }

    public var phase: Phase {
        switch state {
        case .idle: .idle
        case .awaitingAcknowledgement(.samConfiguration, _), .awaitingResponse(.samConfiguration, _): .initialising
        case .awaitingAcknowledgement(.inListPassiveTarget, _), .awaitingResponse(.inListPassiveTarget, _): .polling
        case .pausing: .pausing
        }
    }

    /// When `advance(to:)` must be called next; nil while idle.
    public var nextDeadline: Instant? {
        switch state {
        case .idle: nil
        case .awaitingAcknowledgement(_, let deadline), .awaitingResponse(_, let deadline): deadline
        case .pausing(let until): until
        }
    }

    /// Begins (or restarts) the cycle: wake-up, then SAMConfiguration.
    /// Call it again after the serial port reconnects.
    public mutating func start(at now: Instant) -> Output {
        decoder = PN532FrameDecoder(statisticsFrom: decoder)
        var output = Output()
        output.bytesToWrite = PN532Frame.wakeUpBytes + PN532Frame.samConfiguration
        state = .awaitingAcknowledgement(.samConfiguration, deadline: now + configuration.acknowledgementTimeout)
        return output
    }

    /// Stops waiting for anything (the port went away); `start` resumes.
    public mutating func stop() {
        state = .idle
    }

    /// Feeds bytes read from the port.
    public mutating func receive(_ bytes: some Sequence<UInt8>, at now: Instant) -> Output {
        var output = Output()
        for frame in decoder.decode(bytes) {
            handle(frame, at: now, into: &output)
        }
        return output
    }

    /// Lets time pass: handles an expired wait or the end of a pause.
    public mutating func advance(to now: Instant) -> Output {
        var output = Output()
        switch state {
        case .idle:
            break
        case .awaitingAcknowledgement(_, let deadline) where now >= deadline,
             .awaitingResponse(.samConfiguration, let deadline) where now >= deadline:
            counters.timeouts += 1
            reinitialise(at: now, into: &output)
        case .awaitingResponse(.inListPassiveTarget, let deadline) where now >= deadline:
            // No card came while the chip held the poll open: abort it and poll again.
            output.bytesToWrite = PN532Frame.ackBytes
            send(.inListPassiveTarget, at: now, into: &output)
        case .pausing(let until) where now >= until:
            send(.inListPassiveTarget, at: now, into: &output)
        default:
            break
        }
        return output
    }

    private mutating func handle(_ frame: PN532Frame, at now: Instant, into output: inout Output) {
        switch (frame, state) {
        case (_, .idle):
            counters.unexpectedFrames += 1
        case (.ack, .awaitingAcknowledgement(let command, _)):
            let wait = command == .inListPassiveTarget ? configuration.pollTimeout : configuration.responseTimeout
            state = .awaitingResponse(command, deadline: now + wait)
        case (.nack, _):
            counters.nacks += 1
            reinitialise(at: now, into: &output)
        case (.applicationError, _):
            counters.errorFrames += 1
            reinitialise(at: now, into: &output)
        // An answer whose ACK was lost on the line still counts.
        case (.information(PN532Frame.chipToHost, let data), .awaitingResponse(let command, _)),
             (.information(PN532Frame.chipToHost, let data), .awaitingAcknowledgement(let command, _)):
            guard data.first == command.responseCode else {
                counters.unexpectedFrames += 1
                return
            }
            handleResponse(data, to: command, at: now, into: &output)
        default:
            counters.unexpectedFrames += 1
        }
    }

    private mutating func handleResponse(_ data: [UInt8], to command: Command, at now: Instant, into output: inout Output) {
        switch command {
        case .samConfiguration:
            send(.inListPassiveTarget, at: now, into: &output)
        case .inListPassiveTarget:
            if let targets = ISO14443ATarget.targets(inListPassiveTargetResponse: data) {
                if targets.isEmpty { counters.noCardAnswers += 1 }
                output.reads += targets.map(\.badgeRead)
            } else {
                counters.unexpectedFrames += 1
            }
            state = .pausing(until: now + configuration.pollInterval)
        }
    }

    private mutating func send(_ command: Command, at now: Instant, into output: inout Output) {
        output.bytesToWrite += command.frame
        state = .awaitingAcknowledgement(command, deadline: now + configuration.acknowledgementTimeout)
    }

    private mutating func reinitialise(at now: Instant, into output: inout Output) {
        counters.reinitialisations += 1
        // Wake the chip if it dozed off, abort whatever it was doing, configure it again.
        output.bytesToWrite += PN532Frame.wakeUpBytes + PN532Frame.ackBytes
        send(.samConfiguration, at: now, into: &output)
    }
}
