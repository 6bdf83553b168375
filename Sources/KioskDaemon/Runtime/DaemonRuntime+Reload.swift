import Foundation
import KioskCore
import KioskSystem

extension DaemonRuntime {
    /// SIGHUP: reads the configuration file again and applies it without blanking the
    /// screen. Returns the new configuration, or nil when the file is invalid: then the
    /// running configuration stays and the error (`file:line: message`) goes to the
    /// journal at error level. systemd hears `RELOADING=1` (with `MONOTONIC_USEC`) before
    /// and `READY=1` after, whatever the outcome.
    ///
    /// Applied live: the venue, hours, language, screen timings, feeds (the caller
    /// restarts the pullers) and the log level. Settings bound to resources opened at
    /// start (display device, theme, state directory, badge reader) are kept as they were
    /// and a warning says a restart applies them.
    func reload(replacing current: KioskConfig) async -> KioskConfig? {
        notify([.reloading(monotonicMicroseconds: SystemdNotifier.monotonicMicroseconds()), .status("reloading \(current.path)")])
        let loaded: KioskConfig
        do {
            loaded = try KioskConfig.load(path: current.path)
        } catch {
            logger.error("SIGHUP: configuration not reloaded, the running one stays: \(error)")
            notify([.ready, .status("reload failed, running the previous configuration: \(error)")])
            return nil
        }
        var applied = loaded
        let kept = Self.keepStartupSettings(of: current, in: &applied)
        if !kept.isEmpty {
            logger.warning("SIGHUP: \(kept.joined(separator: ", ")) changed; restart kioskd to apply (kept as started)")
        }
        logger.setLevel(applied.log.level)
        staffAPI?.apply(applied)
        do {
            try await lobby.apply(applied)
        } catch {
            logger.error("SIGHUP: redraw after reload failed: \(error)")
        }
        logger.notice("SIGHUP: configuration reloaded from \(applied.path): \(applied.venue.name), \(applied.feeds.count) feed(s)")
        notify([.ready, .status(await lobby.serviceStatus())])
        return applied
    }

    /// Copies into `new` the settings that only a restart can change, returning the
    /// names of those that differed.
    static func keepStartupSettings(of running: KioskConfig, in new: inout KioskConfig) -> [String] {
        var kept: [String] = []
        func keep<T: Equatable>(_ name: String, _ path: WritableKeyPath<KioskConfig, T>) {
            if new[keyPath: path] != running[keyPath: path] { kept.append(name) }
            new[keyPath: path] = running[keyPath: path]
        }
        keep("[screen] backend", \.screen.backend)
        keep("[screen] terminal", \.screen.terminal)
        keep("[screen] framebuffer", \.screen.framebuffer)
        keep("[screen] mode", \.screen.mode)
        keep("[screen] console", \.screen.console)
        keep("[screen] colors", \.screen.colors)
        keep("[screen] theme", \.screen.theme)
        keep("[state] directory", \.state.directory)
        keep("[reader]/[checkin]", \.checkIn)
        keep("[http]", \.http)
        return kept
    }

    /// One puller per configured feed; a feed whose URL cannot be used is logged and skipped.
    static func feedPullers(for config: KioskConfig, lobby: Lobby, logger: JournalLogger) -> [FeedPuller] {
        config.feeds.compactMap { feed in
            do { return try FeedPuller(feed: feed, configPath: config.path, config: config, lobby: lobby, logger: logger) } catch {
                logger.error("\(error)")
                return nil
            }
        }
    }
}
