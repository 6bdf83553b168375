import CLinux
import Foundation
import KioskCore
import KioskDisplay
import KioskStore
import KioskSystem
#if canImport(Glibc)
import Glibc
#endif

/// `kioskd`: the lobby daemon.
public enum DaemonCommand {
    public static let usage = """
    Usage: kioskd [--config FILE] [--state-dir DIR] [--at ISO8601]
           kioskd --demo [--demo-data DIR] [--at ISO8601]

    Runs the lobby screen: pulls the programme feeds, keeps them in SQLite and shows
    today's events, the week ahead, the resident directory and the notice board. Serves
    the staff API, the open-data feeds and the /staff/ page on [http] listen (default
    127.0.0.1:8080; see docs/api.md).

    Options:
      --config FILE     configuration file (default: $KIOSK_CONFIG or /etc/kiosk/kiosk.conf)
      --state-dir DIR   where the database lives (default: $STATE_DIRECTORY, then the
                        [state] directory of the configuration, /var/lib/kiosk)
      --demo            run on this terminal with the bundled demo data and a throw-away
                        state directory; q or Ctrl-C quits
      --demo-data DIR   the demo data to use (default: kiosk-config/demo)
      --at ISO8601      start the clock at this instant (e.g. 2026-11-24T14:05:00+01:00)
      --help            this text
      --version         the version

    Signals: SIGTERM and SIGINT stop cleanly (screen restored, database closed); SIGHUP
    reloads the configuration, the feeds and the API tokens without blanking the screen
    (a bad file keeps the running configuration and logs file:line: message). Under
    systemd it reports READY/STATUS/WATCHDOG through $NOTIFY_SOCKET.

    Exit status: 0 stopped cleanly, 1 failure, 2 usage, 78 configuration error.
    """

    public static let version = "kioskd 0.1.0"

    /// Runs the daemon until it is told to stop; returns the exit status.
    public static func main(arguments: [String]) async -> Int32 {
        let options: CommandLineOptions
        do {
            options = try CommandLineOptions(arguments, valued: ["--config", "--state-dir", "--demo-data", "--at"], flags: ["--demo", "--version"])
        } catch {
            usageError("kioskd: \(error)")
            return ExitStatus.usage.rawValue
        }
        if options.wantsHelp { print(usage); return ExitStatus.ok.rawValue }
        if options.has("--version") { print(version); return ExitStatus.ok.rawValue }
        // Picture decodes need buffers of megabytes for a moment. glibc serves them with mmap
        // and gives them back when freed, but after the first such free it raises its
        // threshold (up to 32 MB) and serves later ones from the heap, whose pages stay
        // resident: a fixed threshold keeps the daemon's memory where its cache says.
        _ = kiosk_fix_mmap_threshold(256 << 10)
        if !options.positionals.isEmpty {
            usageError("kioskd: unexpected argument '\(options.positionals[0])'")
            return ExitStatus.usage.rawValue
        }
        var clock: any Clock = SystemClock()
        if let at = options.value("--at") {
            guard let start = ISO8601.parse(at) else {
                fatal("kioskd: --at '\(at)' is not an ISO 8601 instant such as 2026-11-24T14:05:00Z")
                return ExitStatus.usage.rawValue
            }
            clock = OffsetClock(startingAt: start)
            // Test hook for the long-run test's simulated week (Tests/longrun): the clock
            // runs this many times faster than real time. Never set it in production.
            if let text = ProcessInfo.processInfo.environment["KIOSK_DEBUG_CLOCK_RATE"] {
                guard let rate = Double(text), rate >= 1, rate <= 1_000_000 else {
                    fatal("kioskd: KIOSK_DEBUG_CLOCK_RATE '\(text)' is not a number from 1 to 1000000")
                    return ExitStatus.usage.rawValue
                }
                clock = AcceleratedClock(startingAt: start, rate: rate)
            }
        }

        // Configuration (the demo's own, copied and dated around today).
        var demo: DemoSetup?
        let config: KioskConfig
        var stateDirectory: String
        do {
            if options.has("--demo") {
                guard let data = DemoSetup.locateData(explicit: options.value("--demo-data")) else {
                    fatal("kioskd: demo data not found (looked for kiosk-config/demo here, beside the executable and in /usr/share/kiosk/demo); give --demo-data DIR")
                    return ExitStatus.failure.rawValue
                }
                let setup = try DemoSetup.prepare(from: data, today: CivilDate(clock.now(), in: KioskConfig().venue.timeZone))
                demo = setup
                config = try KioskConfig.load(path: setup.configPath)
                stateDirectory = setup.stateDirectory
            } else {
                let path = options.value("--config") ?? ProcessInfo.processInfo.environment["KIOSK_CONFIG"] ?? "/etc/kiosk/kiosk.conf"
                config = try KioskConfig.load(path: path)
                stateDirectory = StateLocation.directory(option: options.value("--state-dir"), environment: ProcessInfo.processInfo.environment, config: config)
            }
        } catch let error as ConfigError {
            fatal("kioskd: \(error)", fields: [.config(error.path)])
            return ExitStatus.config.rawValue
        } catch {
            fatal("kioskd: cannot prepare the demo: \(error)")
            return ExitStatus.failure.rawValue
        }
        defer { demo?.remove() }

        // The display first decides where logs may go: never on the terminal we draw on.
        let device: TerminalDevice
        do {
            device = config.screen.terminal == "stdout" ? try TerminalDevice.standardStreams() : try TerminalDevice(path: config.screen.terminal)
        } catch {
            fatal("kioskd: cannot open the terminal \(config.screen.terminal): \(error)", fields: [.device(config.screen.terminal)])
            return ExitStatus.failure.rawValue
        }
        let drawsOnStderrTerminal = config.screen.backend == .terminal && config.screen.terminal == "stdout" && isatty(STDERR_FILENO) == 1 && device.isTerminal
        let logFile = drawsOnStderrTerminal ? URL(fileURLWithPath: stateDirectory).appendingPathComponent("kioskd.log").path : nil
        let logger = JournalLogger(level: config.log.level, sink: logFile.map(Self.fileSink))

        let store: StateStore
        do {
            store = try StateStore(stateDirectory: stateDirectory, timeZone: config.venue.timeZone)
        } catch {
            fatal("kioskd: cannot open the database in \(stateDirectory): \(error)")
            return ExitStatus.failure.rawValue
        }
        if let demo {
            do { try DemoSetup.importFixtures(from: demo, into: store, config: config, now: clock.now()) } catch {
                fatal("kioskd: demo data: \(error)")
                return ExitStatus.failure.rawValue
            }
        }
        // The unit does not reset tty1 (its TTYReset= would apply to ExecReload= too): a
        // console a killed framebuffer kioskd left in graphics mode is put back here.
        if config.screen.backend == .terminal, ConsoleMode.leaveGraphicsMode(descriptor: device.output.rawValue) {
            logger.notice("\(config.screen.terminal): the console was left in graphics mode; back to text mode")
        }
        let display: any LobbyDisplay
        do { display = try await Self.openDisplay(config: config, terminal: device, logger: logger) } catch {
            fatal("kioskd: cannot open the \(config.screen.backend.rawValue) display: \(error)", fields: [.device(config.screen.drawnDevice)])
            // A theme below WCAG's contrast (or with a bad line) is the configuration's fault.
            return error is PixelThemeError ? ExitStatus.config.rawValue : ExitStatus.failure.rawValue
        }
        // `q` quits on a terminal; under systemd the keyboard on tty1 is the public's.
        let underSystemd = ProcessInfo.processInfo.environment["NOTIFY_SOCKET"] != nil
        let keyboardInput = config.screen.backend == .terminal && device.isInputTerminal && !underSystemd ? device.input.rawValue : nil
        if keyboardInput != nil { try? device.enterInputMode(.cbreak) }

        let lobby = Lobby(clock: clock, config: config, store: store, display: display, logger: logger)
        let runtime = DaemonRuntime(lobby: lobby, logger: logger, clock: clock)
        // The services, started in this order (each once the one before is ready) and
        // stopped in reverse on SIGTERM, `q` or a start that fails (`ServiceGroup`).
        let services = ServiceGroup(
            services: Self.services(config: config, stateDirectory: stateDirectory, clock: clock, lobby: lobby, runtime: runtime, logger: logger, demo: demo != nil),
            shutdownDeadline: .seconds(3)  // under the unit's TimeoutStopSec=5s
        ) { line in logger.debug("services: \(line)") }
        let running = Task { () -> ServiceGroup.Failure? in
            do { try await services.run(); return nil } catch { return error as? ServiceGroup.Failure }
        }
        var status = ExitStatus.failure.rawValue
        let started = await services.until(.running) == .running
        if started {
            logger.notice("kioskd started: \(config.venue.name), \(config.feeds.count) feed(s), state in \(stateDirectory)")
            status = await runtime.run(config: config, keyboard: keyboardInput, services: services)
            services.shutdown(reason: "kioskd stops")
        }
        if let failure = await running.value {
            // A service that could not start: its own message, as before the group.
            switch failure.service {
            case "lobby": fatal("kioskd: cannot draw the lobby: \(failure.message)")
            case "reader": fatal("kioskd: \(failure.message)", fields: (failure.error as? ConfigError).map { [.config($0.path)] } ?? [])
            default: fatal("kioskd: \(failure.message)")
            }
            status = failure.error is ConfigError ? ExitStatus.config.rawValue : ExitStatus.failure.rawValue
        }
        if started { logger.notice("kioskd stopped") }
        if let logFile, demo == nil { printError("kioskd: log in \(logFile)") }
        return status
    }

    /// The daemon's services in start order: the lobby (store and display, opened before,
    /// are its own), the badge reader, the staff API, the display's hot-plug watch, the
    /// status socket, then one feed puller per feed.
    static func services(
        config: KioskConfig, stateDirectory: String, clock: any Clock, lobby: Lobby, runtime: DaemonRuntime, logger: JournalLogger, demo: Bool
    ) -> [any DaemonService] {
        var services: [any DaemonService] = [
            StartStopService("lobby", start: {
                do { try await lobby.start() } catch {
                    await lobby.stop()
                    throw error
                }
            }, stop: { _ in await lobby.stop() }),
            StartStopService("reader", start: { try CheckInRuntime.start(config: config, lobby: lobby, clock: clock, logger: logger) },
                             stop: { await $0.stop() }),
            // The staff API (docs/api.md) on its own database connection, once the lobby is drawn.
            StartStopService("http", start: { () async throws -> StaffAPIService? in
                let api = try StaffAPIService.start(config: config, stateDirectory: stateDirectory, clock: clock, lobby: lobby, logger: logger, bestEffort: demo)
                runtime.staffAPI = api
                return api
            }, stop: { await $0?.stop() }),
            // DRM: hot-plug, a poll of the connector, VT switches.
            StartStopService("display-watch", start: { await DisplayOutputWatch.start(lobby: lobby, logger: logger) }, stop: { $0?.stop() }),
            StartStopService("status-socket", start: { Self.startStatusSocket(lobby: lobby, runtime: runtime, staffAPI: runtime.staffAPI, logger: logger) },
                             stop: { $0?.stop() }),
        ]
        services += DaemonRuntime.feedPullers(for: config, lobby: lobby, logger: logger).map { FeedPullerService($0, config: config) }
        services.append(ResidentLogoService(fetcher: ResidentLogoFetcher(lobby: lobby, logger: logger)))
        return services
    }

    /// How long kioskd waits at start for a display device that is not there yet.
    static let displayWait: Duration = .seconds(20)

    /// Opens the display, waiting up to ``displayWait`` while its device is missing
    /// (`ENOENT`) or not yet ours (`EACCES`): at boot kioskd may start before the display
    /// driver has loaded and udev has given its device to group video (seen under QEMU:
    /// no /dev/fb0, then "Permission denied", a second later the lobby). Any other error,
    /// or the same past the wait, is returned at once.
    static func openDisplay(config: KioskConfig, terminal: TerminalDevice, logger: JournalLogger) async throws -> any LobbyDisplay {
        let deadline = ContinuousClock.now + displayWait
        var announced = false
        while true {
            do {
                let display = try DisplayFactory.make(config: config, terminal: terminal, environment: ProcessInfo.processInfo.environment, logger: logger)
                if announced { logger.notice("display ready") }
                return display
            } catch let error as SystemCallError where (error.errno == .noSuchFile || error.errno == .permissionDenied) && ContinuousClock.now < deadline {
                if !announced {
                    logger.notice("waiting for the display: \(error) (the driver or udev may not be done yet)", .device(error.subject))
                    announced = true
                }
                try await Task.sleep(for: .milliseconds(250))
            }
        }
    }

    /// The socket `kioskctl doctor` asks (`$RUNTIME_DIRECTORY/kioskd.sock`); nil when kioskd
    /// was not given a runtime directory, or when it cannot listen there (a warning).
    static func startStatusSocket(lobby: Lobby, runtime: DaemonRuntime, staffAPI: StaffAPIService?, logger: JournalLogger) -> DaemonStatusSocket? {
        guard let path = DaemonStatusSocket.path(environment: ProcessInfo.processInfo.environment) else { return nil }
        let http = staffAPI?.server.boundAddress.map { "\($0)" }
        let version = String(Self.version.dropFirst("kioskd ".count))
        do {
            return try DaemonStatusSocket.start(path: path, logger: logger) { [runtime] in
                await lobby.statusReport(displayFailure: runtime.displayFailure, http: http, version: version)
            }
        } catch {
            logger.warning("status socket: cannot listen on \(path): \(error); kioskctl doctor will check without asking kioskd")
            return nil
        }
    }

    static func fileSink(_ path: String) -> (String) -> Void {
        let fd = open(path, O_WRONLY | O_CREAT | O_APPEND | O_CLOEXEC, 0o640)
        return { line in
            guard fd >= 0 else { return }
            let bytes = Array((line + "\n").utf8)
            _ = bytes.withUnsafeBytes { write(fd, $0.baseAddress, $0.count) }
        }
    }

    static func printError(_ text: String) {
        FileHandle.standardError.write(Data((text + "\n").utf8))
    }

    /// A fatal start-up error, `kioskd: what`: under systemd an entry at `err` priority
    /// (a plain stderr line would be stored at the unit's default, info, and be missing from
    /// `journalctl -u kioskd -p warning`), elsewhere a plain line on standard error.
    static func fatal(_ text: String, fields: [JournalField] = [], environment: [String: String] = ProcessInfo.processInfo.environment) {
        guard environment["JOURNAL_STREAM"] != nil else { return printError(text) }
        JournalLogger(level: .error, underSystemd: true, environment: environment).log(.error, text, fields: fields)
    }

    /// A command-line mistake: the message and the usage on a terminal; the message alone,
    /// at `err`, in the journal.
    static func usageError(_ text: String) {
        if ProcessInfo.processInfo.environment["JOURNAL_STREAM"] != nil { fatal(text) } else { printError("\(text)\n\n\(usage)") }
    }
}

/// Where the state database lives, first found: the `--state-dir` option (what a person
/// typed is meant), systemd's `$STATE_DIRECTORY` (its first entry; set by
/// `StateDirectory=` in the unit), the configuration's `[state] directory`. The same rule
/// for `kioskd` and `kioskctl`.
public enum StateLocation {
    public static func directory(option: String?, environment: [String: String], config: KioskConfig) -> String {
        if let option { return option }
        if let fromSystemd = environment["STATE_DIRECTORY"]?.split(separator: ":").first, !fromSystemd.isEmpty { return String(fromSystemd) }
        return config.state.directory
    }
}
