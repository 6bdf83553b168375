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
    reloads the configuration without blanking the screen, restarting the feeds, the badge
    reader and the staff API whose settings changed (a bad file keeps the running
    configuration and logs file:line: message; the display and the state directory need
    a restart). Under systemd it reports READY/STATUS/WATCHDOG through $NOTIFY_SOCKET.

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

        // `q` quits on a terminal; under systemd the keyboard on tty1 is the public's.
        let underSystemd = ProcessInfo.processInfo.environment["NOTIFY_SOCKET"] != nil
        let keyboardInput = config.screen.backend == .terminal && device.isInputTerminal && !underSystemd ? device.input.rawValue : nil
        let terminal = ServiceSlot("the terminal \(config.screen.terminal)", holding: device)

        // The store and the display are attached to the lobby by their services.
        let lobby = Lobby(clock: clock, config: config, logger: logger)
        let runtime = DaemonRuntime(lobby: lobby, logger: logger, clock: clock)
        let parts = DaemonServices(
            stateDirectory: stateDirectory, clock: clock, lobby: lobby, runtime: runtime, logger: logger, demo: demo, terminal: terminal,
            readsKeyboard: keyboardInput != nil)
        // The services, started in this order (each once the one before is ready) and
        // stopped in reverse on SIGTERM, `q` or a start that fails (`ServiceGroup`).
        let services = ServiceGroup(
            services: parts.all(config: config),
            shutdownDeadline: .seconds(3)  // under the unit's TimeoutStopSec=5s
        ) { line in logger.debug("services: \(line)") }
        let running = Task { () -> ServiceGroup.Failure? in
            do { try await services.run(); return nil } catch { return error as? ServiceGroup.Failure }
        }
        var status = ExitStatus.failure.rawValue
        let started = await services.until(.running) == .running
        if started {
            logger.notice("kioskd started: \(config.venue.name), \(config.feeds.count) feed(s), state in \(stateDirectory)")
            let startupPages = StartupPages.release(after: .seconds(20)) { r in logger.info(r.map { "memory: start-up pages given back, \($0.residentKiB) KiB resident in \($0.mappings) read-only mappings of the binary and its libraries" } ?? "memory: /proc/self/smaps unreadable") }  // README, "Performance"
            status = await runtime.run(config: config, keyboard: keyboardInput, services: services, parts: parts)
            startupPages.cancel()
            services.shutdown(reason: "kioskd stops")
        }
        if let failure = await running.value {
            // A service that could not start (or failed later): its own message.
            let reason = failure.error as? ServiceStartFailure
            fatal("kioskd: \(reason?.message ?? failure.message)", fields: reason?.fields ?? [])
            status = (reason?.status ?? .failure).rawValue
        }
        if started { logger.notice("kioskd stopped") }
        if let logFile, demo == nil { printError("kioskd: log in \(logFile)") }
        return status
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
