import Foundation
import KioskCore
import KioskSystem

extension DaemonRuntime {
    /// SIGHUP: reads the configuration file again and applies it without blanking the
    /// screen. Returns the configuration now running, or nil when the file is invalid: then
    /// the running configuration stays and the error (`file:line: message`) goes to the
    /// journal at error level. systemd hears `RELOADING=1` (with `MONOTONIC_USEC`) before
    /// and `READY=1` after, whatever the outcome.
    ///
    /// Applied live: the venue, hours, language, screen timings, tokens and the log level.
    /// The services whose configuration changed are replaced in `services`, the old one
    /// stopped and awaited before the new one starts (the reader's device closed, the
    /// staff API's socket closed before the new one binds): the badge reader when
    /// `[reader]` or `[checkin]` changed, the check-in chores when `[hours]`, the venue's
    /// zone, `retention-days` or `auto-checkout-at-closing` changed, the staff API when
    /// `[http]` changed, the puller of each feed added, removed or changed.
    ///
    /// A replacement that cannot start (a port taken, a bad baud rate) is logged at error
    /// level with its reason, and the previous configuration of that service is started
    /// again; should that fail too, kioskd runs on without it (the screen keeps drawing;
    /// without the reader badges are not read, without the staff API its port is closed)
    /// and the next reload tries again. The running configuration keeps the previous
    /// section, so `kioskctl doctor` and the next reload compare with what runs.
    ///
    /// Restart-only (kept as started, with a warning): the display's settings and the
    /// state directory. The display and the store are the first services and the last to
    /// stop: everything after them (the lobby, the reader, the staff API, the pullers) holds
    /// the open output and database, so swapping them would mean restarting the whole
    /// group, which is what a restart does, with systemd watching it.
    ///
    /// `pullers` holds what each running puller was made from (updated here).
    func reload(
        replacing current: KioskConfig, services: ServiceGroup, parts: DaemonServices, pullers: inout [String: FeedPullerService.Key]
    ) async -> KioskConfig? {
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
        if applied.checkIn != current.checkIn || !services.serviceNames.contains("reader") {
            var previous = applied
            previous.checkIn = current.checkIn
            applied.checkIn = await replace("reader", section: "[reader]/[checkin]", in: services, new: (applied, parts.reader(config: applied)), previous: (previous, parts.reader(config: previous))).checkIn
        }
        // The chores read the hours and the zone at their start: replaced when those change
        // (the reader's port stays open). Their start cannot fail.
        if Self.choresKey(applied) != Self.choresKey(current) || !services.serviceNames.contains("checkin-chores") {
            if await services.replace("checkin-chores", with: parts.checkInChores(config: applied)) == nil {
                logger.notice("SIGHUP: [hours], the venue's zone or the check-in chores' settings changed; checkin-chores replaced")
            }
        }
        if Self.httpKey(applied) != Self.httpKey(current) || !services.serviceNames.contains("http") {
            var previous = applied
            previous.http = current.http
            applied.http = await replace("http", section: "[http]", in: services, new: (applied, parts.http(config: applied)), previous: (previous, parts.http(config: previous))).http
        }
        staffAPI?.apply(applied)
        do {
            try await lobby.apply(applied)
        } catch {
            logger.error("SIGHUP: redraw after reload failed: \(error)")
        }
        await Self.replaceChangedPullers(in: services, running: &pullers, config: applied, lobby: lobby, logger: logger)
        logger.notice("SIGHUP: configuration reloaded from \(applied.path): \(applied.venue.name), \(applied.feeds.count) feed(s)")
        notify([.ready, .status(await lobby.serviceStatus())])
        return applied
    }

    /// Swaps the service `name` for `new`; when it cannot start, starts `previous` again.
    /// Returns the configuration of the one that runs (`previous`'s when both failed).
    private func replace(
        _ name: String, section: String, in services: ServiceGroup,
        new: (config: KioskConfig, service: any DaemonService), previous: (config: KioskConfig, service: any DaemonService)
    ) async -> KioskConfig {
        guard let failure = await services.replace(name, with: new.service) else {
            logger.notice("SIGHUP: \(section) changed; \(name) replaced")
            return new.config
        }
        logger.error("SIGHUP: \(section) changed but the new \(name) cannot start: \(failure.message); starting the previous one again")
        if let again = await services.replace(name, with: previous.service) {
            logger.error("SIGHUP: the previous \(name) cannot start either: \(again.message); kioskd runs on without it until a reload or a restart")
        }
        return previous.config
    }

    /// What the check-in chores are built from: the closing-time check-out and retention
    /// of `[checkin]`, the hours, the venue's zone.
    static func choresKey(_ config: KioskConfig) -> (Bool, Int, OpeningHours, IANATimeZone) {
        (config.checkIn.autoCheckOutAtClosing, config.checkIn.retentionDays, config.venue.hours, config.venue.timeZone)
    }

    /// What the staff API is built from: `[http]` with the line of `listen` reduced to
    /// whether it was written (a section that only moved in the file is the same).
    static func httpKey(_ config: KioskConfig) -> KioskConfig.HTTP {
        var http = config.http
        http.listenLine = http.listenLine > 0 ? 1 : 0
        return http
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
