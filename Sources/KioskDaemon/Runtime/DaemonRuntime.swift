import Foundation
import KioskCore
import KioskSystem
import Synchronization
#if canImport(Glibc)
import Glibc
#endif

/// The running daemon: the tick loop that redraws when time moves on, the feed pullers,
/// signals and the keyboard, until something asks it to stop.
///
/// The tick loop sleeps until the next minute or panel change; nothing is redrawn in
/// between unless an event (a feed, a resize) changes what is shown. Under systemd it
/// also wakes every half watchdog period and sends `WATCHDOG=1` itself, after its redraw,
/// so that a stuck lobby (a hung display write, a blocked store) stops the pings and
/// systemd restarts the service. SIGHUP reloads the configuration and replaces the
/// services whose settings changed (`DaemonRuntime+Reload.swift`).
public final class DaemonRuntime: Sendable {
    public enum Control: Sendable {
        case stop(reason: String)
        case resize
        case reload
    }

    let lobby: Lobby
    let logger: JournalLogger
    let clock: any Clock
    let notifier: SystemdNotifier
    /// Test hook, from `$KIOSK_DEBUG_STALL_AFTER` (seconds): the tick loop stops working
    /// (and so stops pinging the watchdog) this long after start, as a hung loop would.
    /// Signals are still obeyed. Never set it in production.
    let stallAfter: Duration?
    /// The staff API, told about configuration reloads (new tokens); nil when off or not
    /// started yet (its service sets it).
    var staffAPI: StaffAPIService? {
        get { staffAPIBox.withLock { $0 } }
        set { staffAPIBox.withLock { $0 = newValue } }
    }
    private let staffAPIBox = Mutex<StaffAPIService?>(nil)
    private let notifyFailureLogged = Mutex(false)
    /// Why the last tick could not draw; nil while the screen is drawn (status socket).
    private let displayFailureText = Mutex<String?>(nil)
    public var displayFailure: String? { displayFailureText.withLock { $0 } }

    public init(lobby: Lobby, logger: JournalLogger, clock: any Clock, environment: [String: String] = ProcessInfo.processInfo.environment) {
        self.lobby = lobby
        self.logger = logger
        self.clock = clock
        self.notifier = SystemdNotifier(environment: environment)
        self.stallAfter = environment["KIOSK_DEBUG_STALL_AFTER"].flatMap(Double.init).map { .milliseconds(Int64($0 * 1000)) }
    }

    /// Sends to systemd; a failure is logged once (a missing socket must not flood the journal).
    func notify(_ states: [SystemdNotifier.State]) {
        do { try notifier.notify(states) } catch {
            let first = notifyFailureLogged.withLock { logged in
                defer { logged = true }
                return !logged
            }
            if first { logger.warning("cannot notify systemd: \(error)") }
        }
    }

    /// Runs until SIGINT, SIGTERM or `q` on the keyboard, or until `services` stops (one
    /// failed); returns the exit status. A reload replaces among `services` those whose
    /// configuration changed, built again by `parts`; the caller stops the group afterwards.
    func run(config initialConfig: KioskConfig, keyboard: Int32?, services: ServiceGroup, parts: DaemonServices) async -> Int32 {
        var config = initialConfig
        let (controls, continuation) = AsyncStream<Control>.makeStream(bufferingPolicy: .unbounded)
        let signalQueue = DispatchQueue(label: "kioskd.signals")
        let watcher = SignalWatcher(signals: [.windowSizeChanged, .interrupt, .terminate, .hangUp], queue: signalQueue) { signal in
            switch signal {
            case .windowSizeChanged: continuation.yield(.resize)
            case .hangUp: continuation.yield(.reload)
            default: continuation.yield(.stop(reason: "signal \(signal)"))
            }
        }
        defer { watcher.cancel() }

        var keyboardSource: (any DispatchSourceRead)?
        if let fd = keyboard {
            let source = DispatchSource.makeReadSource(fileDescriptor: fd, queue: signalQueue)
            source.setEventHandler {
                var buffer = [UInt8](repeating: 0, count: 64)
                let n = buffer.withUnsafeMutableBytes { read(fd, $0.baseAddress, 64) }
                if n <= 0 { source.cancel(); return }
                for byte in buffer[..<n] where byte == UInt8(ascii: "q") || byte == UInt8(ascii: "Q") || byte == 3 {
                    continuation.yield(.stop(reason: "key"))
                }
            }
            source.resume()
            keyboardSource = source
        }
        defer { keyboardSource?.cancel() }

        let lobby = self.lobby
        let clock = self.clock
        let logger = self.logger
        // The store is open, the first frame drawn and the reader started (or absent):
        // signals are handled from here on, so systemd may consider us started.
        notify([.ready, .status(await lobby.serviceStatus())])
        if let interval = notifier.watchdogInterval { logger.info("systemd watchdog: pinging every \(interval)") }
        let displayDevice = initialConfig.screen.drawnDevice
        let ticker = Task {
            let started = ContinuousClock.now
            var lastStatus: String?
            // Why the last tick could not draw (nil while it draws): logged when it starts
            // and when it ends, not at every tick.
            var failure: String?
            while !Task.isCancelled {
                if let stallAfter, ContinuousClock.now - started >= stallAfter {
                    logger.warning("KIOSK_DEBUG_STALL_AFTER: the tick loop stalls now (test hook; the watchdog pings stop)")
                    while !Task.isCancelled { try? await Task.sleep(for: .milliseconds(100)) }
                    break
                }
                do {
                    try await lobby.refreshIfStoreChanged()
                    try await lobby.redraw()
                    if let previous = failure {
                        logger.notice("the screen is drawn again (it failed with: \(previous))", .device(displayDevice))
                        failure = nil
                    }
                } catch {
                    if failure == nil {
                        let consequence = self.notifier.watchdogInterval == nil ? "" : "; the watchdog is no longer fed, so systemd restarts kioskd unless the next ticks draw again"
                        logger.error("cannot draw the screen on \(displayDevice): \(error)\(consequence)", .device(displayDevice))
                    }
                    failure = "\(error)"
                }
                // The ping comes after the work, from this loop only, and only when the
                // work was done: a screen that cannot be drawn gets the service restarted
                // instead of a frozen picture.
                self.displayFailureText.withLock { $0 = failure }
                var states: [SystemdNotifier.State] = self.notifier.watchdogInterval == nil || failure != nil ? [] : [.watchdog]
                var status = await lobby.serviceStatus()
                if let failure { status += "; display failing: \(failure)" }
                if status != lastStatus { states.append(.status(status)); lastStatus = status }
                self.notify(states)
                let wake = await lobby.nextWakeup()
                // In seconds of the lobby's clock (divided by its rate under the long-run test's
                // accelerated clock, `$KIOSK_DEBUG_CLOCK_RATE`).
                var delay = clock.realDuration(of: min(max(0.05, wake.timeIntervalSince(clock.now()) + 0.02), 60))
                if let interval = self.notifier.watchdogInterval { delay = min(delay, interval) }
                try? await Task.sleep(for: delay)
            }
        }
        // The feed pullers are services of the group: a reload replaces those whose feed
        // changed and awaits the old ones.
        var pullerKeys = FeedPullerService.keys(of: config, runningIn: services)
        // A service that fails stops the group, and so the daemon. (This task ends when
        // the group stops, which the caller does next if it is not already stopping.)
        Task {
            _ = await services.until(.stopping)
            continuation.yield(.stop(reason: "a service stopped"))
        }

        var status: Int32 = 0
        loop: for await control in controls {
            switch control {
            case .stop(let reason):
                notify([.stopping])
                logger.notice("stopping (\(reason))")
                break loop
            case .resize:
                do { try await lobby.resized() } catch { logger.error("redraw after resize failed: \(error)") }
            case .reload:
                if let reloaded = await reload(replacing: config, services: services, parts: parts, pullers: &pullerKeys) { config = reloaded }
            }
        }
        ticker.cancel()
        _ = await ticker.value
        status = 0
        return status
    }
}
