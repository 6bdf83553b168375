import Foundation
import KioskCore
import KioskSystem
#if canImport(Glibc)
import Glibc
#endif

/// The running daemon: the tick loop that redraws when time moves on, the feed pullers,
/// signals and the keyboard, until something asks it to stop.
///
/// The tick loop sleeps until the next minute or panel change; nothing is redrawn in
/// between unless an event (a feed, a resize) changes what is shown.
public final class DaemonRuntime: Sendable {
    public enum Control: Sendable {
        case stop(reason: String)
        case resize
        case reload
    }

    let lobby: Lobby
    let logger: JournalLogger
    let clock: any Clock

    public init(lobby: Lobby, logger: JournalLogger, clock: any Clock) {
        self.lobby = lobby
        self.logger = logger
        self.clock = clock
    }

    /// Runs until SIGINT, SIGTERM or `q` on the keyboard; returns the exit status.
    public func run(config: KioskConfig, keyboard: Int32?, pullers: [FeedPuller]) async -> Int32 {
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
        let ticker = Task {
            while !Task.isCancelled {
                do {
                    try await lobby.refreshIfStoreChanged()
                    try await lobby.redraw()
                } catch {
                    logger.error("redraw failed: \(error)")
                }
                let wake = await lobby.nextWakeup()
                let delay = max(0.05, wake.timeIntervalSince(clock.now()) + 0.02)
                try? await Task.sleep(for: .seconds(min(delay, 60)))
            }
        }
        let pulling = pullers.map { puller in Task { await puller.run() } }

        var status: Int32 = 0
        loop: for await control in controls {
            switch control {
            case .stop(let reason):
                logger.notice("stopping (\(reason))")
                break loop
            case .resize:
                do { try await lobby.resized() } catch { logger.error("redraw after resize failed: \(error)") }
            case .reload:
                logger.notice("SIGHUP: configuration reload is not supported yet; restart the service to apply changes")
            }
        }
        ticker.cancel()
        pulling.forEach { $0.cancel() }
        _ = await ticker.value
        status = 0
        return status
    }
}
