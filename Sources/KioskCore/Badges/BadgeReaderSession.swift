/// Everything between the serial bytes and a check-in, for any configured reader:
/// frame decoding (or PN532 driving) plus debouncing. Pure: the caller does the I/O.
///
/// Wiring (one owner: the check-in actor or the reader's queue):
/// - when the port reports `connected`: write `start(at:).bytesToWrite`;
/// - for every chunk read: `receive(_:at:)`, write `bytesToWrite`, check in `reads`;
/// - when `nextDeadline` passes: `advance(to:)`, same handling (PN532 only; nil otherwise);
/// - when the port reports `disconnected`: `stop()`.
/// `reads` are already debounced: repeats of the card still on the antenna are gone.
public struct BadgeReaderSession: Sendable {
    public typealias Instant = ContinuousClock.Instant
    public typealias Output = PN532Session.Output

    private enum Engine: Sendable {
        case passive(BadgeFrameDecoder)
        case pn532(PN532Session)
    }

    public let badgeProtocol: BadgeProtocol
    private var engine: Engine
    private var debouncer: BadgeDebouncer

    public init(
        protocol badgeProtocol: BadgeProtocol,
        debounceWindow: Duration = .milliseconds(1500),
        maximumLineLength: Int = 32,
        pn532: PN532Session.Configuration = PN532Session.Configuration()
    ) {
        self.badgeProtocol = badgeProtocol
        self.debouncer = BadgeDebouncer(window: debounceWindow)
        if badgeProtocol == .pn532 {
            engine = .pn532(PN532Session(configuration: pn532))
        } else {
            engine = .passive(BadgeFrameDecoder(protocol: badgeProtocol, maximumLineLength: maximumLineLength))
        }
    }

    /// The port (re)connected: the PN532 needs its wake-up and configuration.
    public mutating func start(at now: Instant) -> Output {
        debouncer.reset()
        guard case .pn532(var session) = engine else { return Output() }
        let output = session.start(at: now)
        engine = .pn532(session)
        return output
    }

    /// The port went away: stop waiting for answers until the next `start`.
    public mutating func stop() {
        guard case .pn532(var session) = engine else { return }
        session.stop()
        engine = .pn532(session)
    }

    public mutating func receive(_ bytes: some Sequence<UInt8>, at now: Instant) -> Output {
        var output: Output
        switch engine {
        case .passive(var decoder):
            output = Output()
            output.reads = decoder.decode(bytes)
            engine = .passive(decoder)
        case .pn532(var session):
            output = session.receive(bytes, at: now)
            engine = .pn532(session)
        }
        output.reads = output.reads.filter { debouncer.admit($0, at: now) }
        return output
    }

    public mutating func advance(to now: Instant) -> Output {
        guard case .pn532(var session) = engine else { return Output() }
        let output = session.advance(to: now)
        engine = .pn532(session)
        return output
    }

    /// When to call `advance(to:)`; nil when no timer is needed.
    public var nextDeadline: Instant? {
        guard case .pn532(let session) = engine else { return nil }
        return session.nextDeadline
    }

    /// Frame counters (accepted, checksum mismatches, noise) for diagnostics.
    public var statistics: BadgeDecoderStatistics {
        switch engine {
        case .passive(let decoder): decoder.statistics
        case .pn532(let session): session.diagnostics.frames
        }
    }

    /// PN532 counters (timeouts, re-initialisations); nil for the other protocols.
    public var pn532Diagnostics: PN532Session.Diagnostics? {
        guard case .pn532(let session) = engine else { return nil }
        return session.diagnostics
    }
}
