import Foundation
import KioskCore
import KioskStore
import KioskSystem

/// The badge reader's link, as the lobby shows it.
public enum BadgeReaderState: Sendable, Hashable {
    /// No `[reader]` in the configuration: nothing is shown.
    case notConfigured
    /// Configured, not opened yet (start-up): nothing is shown.
    case connecting
    case connected
    /// Unplugged or failing to open: the footer says so, discreetly.
    case disconnected
}

/// What the lobby remembers of check-ins between two frames.
struct LobbyCheckInState {
    struct ShownWelcome {
        var message: WelcomeMessage
        /// Whether to add what is on today (entries only, not exits or unknown badges).
        var showsToday: Bool
        /// Matches the `dismissWelcome(_:)` call that takes this welcome away.
        var id: Int
    }

    var welcome: ShownWelcome?
    var lastWelcomeID = 0
    /// The timer that takes `welcome` away (on the lobby's thread).
    var dismissal: DedicatedThreadExecutor.TimerID?
    var reader = BadgeReaderState.notConfigured
    /// Why the reader is not connected, in a few words (`ReaderProblem.summary`).
    var readerProblem: String?
}

extension Lobby {
    /// A badge was read at the door: the scan is committed durably, *then* the welcome is
    /// drawn (and flushed by the display) and logged at debug level as acknowledged.
    ///
    /// Returns the id to pass to ``dismissWelcome(_:)`` once the welcome has been on
    /// screen long enough. When the database refuses the scan nothing is welcomed: the
    /// screen asks the person to see the reception desk, and the error is logged.
    @discardableResult
    public func badgeScanned(_ read: BadgeRead) -> Int {
        let now = clock.now()
        let inputs = inputs(at: now)
        let shown: LobbyCheckInState.ShownWelcome
        let outcome: ScanOutcome
        do {
            outcome = try store.checkIns.recordScan(
                tag: read.tagID, at: now, runningOccurrences: inputs.occurrences, settings: config.checkIn,
                reader: read.source.rawValue)
        } catch {
            logger.error("check-in: the scan of a badge could not be recorded: \(error)")
            let message = WelcomeMessage(tone: .attention, headline: LobbyStrings(config.venue.language).badgeNotRecorded)
            checkIn.lastWelcomeID += 1
            checkIn.welcome = .init(message: message, showsToday: false, id: checkIn.lastWelcomeID)
            redrawLoggingFailure()
            return checkIn.lastWelcomeID
        }
        let host = outcome.decision.person?.residentID.flatMap { id in inputs.residents.first { $0.id == id } }
        let message = outcome.welcome(language: config.venue.language, showLastNames: config.checkIn.showLastNames, host: host)
        checkIn.lastWelcomeID += 1
        shown = .init(message: message, showsToday: message.tone == .welcome, id: checkIn.lastWelcomeID)
        checkIn.welcome = shown
        redrawLoggingFailure()
        logger.debug("check-in: acknowledged \(outcome.tag) (\(outcome.decision.logWord), record \(outcome.recordID))")
        return shown.id
    }

    /// One input of the badge service, on the lobby's thread (`BadgeService` submits it to
    /// the lobby's executor): a read is committed and welcomed, and its welcome taken away
    /// after `welcomeDuration` (of the lobby's clock) by a timer of the lobby's executor.
    func badgeInput(_ input: BadgeService.Input, welcomeDuration: Duration) {
        switch input {
        case .read(let read):
            let id = badgeScanned(read)
            scheduleDismissal(of: id, after: welcomeDuration)
        case .state(let state):
            readerStateChanged(state)
        case .problem(let summary):
            readerProblemChanged(summary)
        }
    }

    /// Returns once the badge inputs submitted before this call have been handled.
    func badgeInputsDelivered() {}

    /// Takes the welcome `id` away after `duration`, replacing the timer of an earlier one.
    func scheduleDismissal(of id: Int, after duration: Duration) {
        if let earlier = checkIn.dismissal { executor.cancel(earlier) }
        let seconds = Double(duration.components.seconds) + Double(duration.components.attoseconds) / 1e18
        checkIn.dismissal = executor.schedule(after: clock.realDuration(of: seconds)) { [self] in
            self.assumeIsolated { $0.dismissWelcome(id) }
        }
    }

    /// Takes the welcome `id` off the screen, unless a newer scan replaced it.
    public func dismissWelcome(_ id: Int) {
        guard checkIn.welcome?.id == id else { return }
        checkIn.welcome = nil
        redrawLoggingFailure()
    }

    /// The reader connected or went away: said in the footer, quietly.
    public func readerStateChanged(_ state: BadgeReaderState) {
        guard checkIn.reader != state else { return }
        checkIn.reader = state
        redrawLoggingFailure()
    }

    /// Why the reader is not connected (shown in `systemctl status` and `kioskctl doctor`);
    /// nil once it is. Nothing is redrawn: the screen shows the reader's state only.
    public func readerProblemChanged(_ summary: String?) {
        checkIn.readerProblem = summary
    }

    public var readerProblem: String? { checkIn.readerProblem }

    /// The welcome on screen, if any (tests, diagnostics).
    public var welcomeOnScreen: WelcomeMessage? { checkIn.welcome?.message }

    public var readerState: BadgeReaderState { checkIn.reader }

    /// Checks out everyone still in at `closing`; returns how many.
    @discardableResult
    public func checkOutEveryone(atClosing closing: Date) throws -> Int {
        try store.checkIns.autoCheckOut(at: closing).count
    }

    /// Deletes personal check-in rows older than the configured retention.
    @discardableResult
    public func purgeCheckIns() throws -> CheckInLedger.PurgeSummary {
        try store.checkIns.purge(olderThan: config.checkIn.retentionDays, now: clock.now())
    }

    /// What the check-in adds to the frame at the snapshot's instant.
    func checkInOverlay(_ snapshot: LobbySnapshot) -> CheckInOverlay {
        var overlay = CheckInOverlay()
        if checkIn.reader == .disconnected {
            overlay.readerNotice = LobbyStrings(config.venue.language).readerDisconnected
        }
        if let welcome = checkIn.welcome {
            overlay.welcome = welcome.message
            if welcome.showsToday { overlay.today = Self.todayLine(snapshot) }
        }
        return overlay
    }

    /// "Plus tard aujourd'hui : 18:00 – 20:00 Atelier sérigraphie — Atelier 5", else
    /// what is running now, else nil.
    static func todayLine(_ snapshot: LobbySnapshot) -> String? {
        guard snapshot.clockTrusted else { return nil }
        let strings = snapshot.strings
        let colon = strings.colon
        func describe(_ e: LobbySnapshot.EventLine) -> String {
            e.when + " " + e.title + (e.room.isEmpty ? "" : " — " + e.room)
        }
        if let next = snapshot.laterToday.first(where: { $0.status != .cancelled && $0.status != .postponed }) {
            return strings.laterToday + colon + describe(next)
        }
        if let running = snapshot.happeningNow.first(where: { $0.isRunning }) {
            return strings.now + colon + describe(running)
        }
        return nil
    }

    private func redrawLoggingFailure() {
        do { try redraw() } catch { logger.error("redraw failed: \(error)") }
    }
}

extension CheckInDecision {
    /// One word for the journal (no name: the journal outlives the retention period).
    var logWord: String {
        switch self {
        case .checkIn: "in"
        case .visitorPass: "visitor in"
        case .stayIn: "still in"
        case .checkOut: "out"
        case .unknownBadge: "unknown"
        }
    }
}
