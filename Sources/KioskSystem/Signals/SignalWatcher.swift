import CLinux
import Dispatch
import Glibc

/// Delivers signals (SIGWINCH, SIGINT, SIGTERM, SIGHUP...) as ordinary calls on a
/// dispatch queue instead of in a signal handler, where almost nothing is safe to do.
///
/// Each watched signal's default disposition is set to "ignore" first (otherwise SIGINT
/// and SIGTERM would kill the process before the dispatch source sees them; SIGWINCH is
/// ignored by default anyway), then a `DispatchSource` signal source reports it. Several
/// deliveries close together may be coalesced into one call. `cancel()` (or deinit)
/// stops the sources and puts the default dispositions back.
///
/// Sendable: its only state is set in `init` and never changes; cancelling a dispatch
/// source is thread-safe.
public final class SignalWatcher: @unchecked Sendable {
    // @unchecked: `sources` is a `let` array written once in init; DispatchSource's
    // `cancel()` may be called from any thread.
    private let sources: [(signal: UnixSignal, source: any DispatchSourceSignal)]

    /// The signals being watched.
    public var signals: [UnixSignal] { sources.map(\.signal) }

    /// Starts watching `signals`; `handler` runs on `queue` once per delivery (or per
    /// coalesced group of deliveries) with the signal that arrived.
    public init(
        signals: [UnixSignal] = [.windowSizeChanged, .interrupt, .terminate, .hangUp],
        queue: DispatchQueue,
        handler: @escaping @Sendable (UnixSignal) -> Void
    ) {
        var sources: [(UnixSignal, any DispatchSourceSignal)] = []
        for unixSignal in Set(signals).sorted(by: { $0.rawValue < $1.rawValue }) {
            _ = Glibc.signal(unixSignal.rawValue, SIG_IGN)
            let source = DispatchSource.makeSignalSource(signal: unixSignal.rawValue, queue: queue)
            source.setEventHandler { handler(unixSignal) }
            source.resume()
            sources.append((unixSignal, source))
        }
        self.sources = sources
        Self.waitForDispatchHandlers(sources.map(\.0))
    }

    /// libdispatch installs its own handler for a signal source from its manager thread,
    /// after `resume()` returns. Until then the disposition is still "ignore" and a signal
    /// sent in that window is discarded by the kernel: wait (at most a second) until every
    /// watched signal has a handler, so that a SIGTERM right after start-up is not lost.
    private static func waitForDispatchHandlers(_ signals: [UnixSignal]) {
        for _ in 0..<200 {
            let pending = signals.filter { kiosk_signal_is_ignored($0.rawValue) != 0 }
            if pending.isEmpty { return }
            usleep(5_000)
        }
    }

    /// What becomes of a signal once it is no longer watched.
    public enum AfterCancel: Sendable {
        /// Its default action (for most: terminate the process).
        case defaultAction
        /// Ignored: for a signal the kernel may still send after the watch ends (the VT
        /// switching signals until the console is given back to automatic switching).
        case ignored
    }

    /// Stops watching and gives each signal `disposition` (by default its default
    /// action). Idempotent.
    public func cancel(leaving disposition: AfterCancel = .defaultAction) {
        for (unixSignal, source) in sources where !source.isCancelled {
            source.cancel()
            _ = Glibc.signal(unixSignal.rawValue, disposition == .ignored ? SIG_IGN : SIG_DFL)
        }
    }

    deinit {
        cancel()
    }
}
