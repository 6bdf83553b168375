import Foundation
import KioskCore
import KioskSystem

/// What can change under a DRM display while the daemon runs, turned into calls on the
/// lobby, in the order they happened:
/// - kernel uevents on a netlink socket (`UeventSocket`): a `change` of a DRM card
///   (`HOTPLUG=1`: a screen plugged, unplugged, switched on or off) asks for a probe of the
///   connector, once per burst (a TV coming on sends several);
/// - a poll of the connector's last known status every `pollInterval`, without probing,
///   in case a uevent was missed (or the netlink socket is not allowed);
/// - SIGUSR1 and SIGUSR2, the signals of process-controlled VT switching: the lobby drops
///   DRM master and lets the VT go, or takes master back and sets the mode again.
///
/// `stop()` cancels everything; its service stops just before the lobby's, and the
/// display's, after, puts the VT back to automatic switching (`DaemonServices`).
/// Sendable: set up in `start`, then only dispatch sources (whose `cancel()` is
/// thread-safe) and a continuation.
final class DisplayOutputWatch: @unchecked Sendable {
    // @unchecked: every stored property is a `let` set in init; the uevent socket is read only on `queue`.
    enum Event: Sendable {
        case hotplug
        case poll
        case consoleRelease
        case consoleAcquire
    }

    static let pollInterval: DispatchTimeInterval = .seconds(10)
    /// Uevents closer together than this are handled as one.
    static let hotplugSettle: DispatchTimeInterval = .milliseconds(200)

    private let queue = DispatchQueue(label: "kioskd.display-watch")
    private let continuation: AsyncStream<Event>.Continuation
    private let consumer: Task<Void, Never>
    private let signals: SignalWatcher?
    private let ueventSource: (any DispatchSourceRead)?
    private let timer: any DispatchSourceTimer

    /// Starts watching when the lobby draws through DRM; nil otherwise.
    static func start(lobby: Lobby, logger: JournalLogger) async -> DisplayOutputWatch? {
        guard await lobby.drawsThroughDRM else { return nil }
        return await DisplayOutputWatch(lobby: lobby, logger: logger)
    }

    private init(lobby: Lobby, logger: JournalLogger) async {
        let (stream, continuation) = AsyncStream<Event>.makeStream(bufferingPolicy: .unbounded)
        self.continuation = continuation
        consumer = Task {
            for await event in stream {
                do {
                    switch event {
                    case .hotplug: try await lobby.displayOutputMayHaveChanged(.hotplugEvent)
                    case .poll: try await lobby.displayOutputMayHaveChanged(.poll)
                    case .consoleRelease: try await lobby.consoleSwitched(away: true)
                    case .consoleAcquire: try await lobby.consoleSwitched(away: false)
                    }
                } catch {
                    logger.error("display: after \(event): \(error)")
                }
            }
        }

        // VT switches: watch the signals before asking for them.
        let watcher = SignalWatcher(signals: [.userDefined1, .userDefined2], queue: queue) { signal in
            continuation.yield(signal == .userDefined1 ? .consoleRelease : .consoleAcquire)
        }
        do {
            if try await lobby.enableConsoleSwitching() {
                signals = watcher
                logger.info("display: VT switches handled (DRM master dropped while away)")
            } else {
                watcher.cancel()
                signals = nil
            }
        } catch {
            watcher.cancel()
            signals = nil
            logger.warning("display: VT switches not handled (\(error)); the console stays ours")
        }

        // Hot-plug uevents, debounced on the queue.
        var source: (any DispatchSourceRead)?
        do {
            let socket = try UeventSocket()
            let read = DispatchSource.makeReadSource(fileDescriptor: socket.descriptor.rawValue, queue: queue)
            let queue = self.queue
            var settling: DispatchWorkItem?
            read.setEventHandler {
                let changes = socket.receive().filter(\.isDRMChange)
                guard !changes.isEmpty else { return }
                for event in changes {
                    let name = TerminalText.sanitized(String((event.deviceName ?? event.devicePath).prefix(80)))
                    logger.debug("display: uevent \(event.action) \(name)\(event.isDRMHotplug ? " HOTPLUG=1" : "")")
                }
                settling?.cancel()
                let item = DispatchWorkItem { continuation.yield(.hotplug) }
                settling = item
                queue.asyncAfter(deadline: .now() + Self.hotplugSettle, execute: item)
            }
            read.setCancelHandler { socket.descriptor.close() }
            read.resume()
            source = read
        } catch {
            logger.warning("display: no hot-plug events (\(error)); the connector is polled every \(Self.pollInterval)")
        }
        ueventSource = source

        timer = DispatchSource.makeTimerSource(queue: queue)
        timer.schedule(deadline: .now() + Self.pollInterval, repeating: Self.pollInterval)
        timer.setEventHandler { continuation.yield(.poll) }
        timer.resume()
    }

    /// Stops watching. The VT switching signals are left ignored, not at their default
    /// (terminate): the console stays process-controlled until the display service gives
    /// it back (`Lobby.restoreDisplay`), and a VT switch asked in between must not kill
    /// kioskd before it restores the console (the switch then waits for the next press).
    func stop() {
        timer.cancel()
        ueventSource?.cancel()
        signals?.cancel(leaving: .ignored)
        continuation.finish()
        consumer.cancel()
    }
}
