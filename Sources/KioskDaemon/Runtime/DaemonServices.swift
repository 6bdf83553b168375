import Foundation
import KioskCore
import KioskDisplay
import KioskStore
import KioskSystem
import Synchronization

/// kioskd's services, built from a configuration: in start order the store (the
/// database), the display, the lobby, the display's hot-plug watch, the badge reader, the
/// check-in chores, the staff API, the status socket, one feed puller per feed and the residents' logos.
/// `ServiceGroup` starts them in that order and stops them in reverse, so the database is
/// closed and the screen given back only once everything that used them has stopped.
///
/// What an earlier service opens reaches the later ones through the `Lobby`, the one
/// owner of the database and the output: the store and display services open them and
/// hand them over (`Lobby.attach`, by `sending`), and close them again after the lobby
/// stopped (`Lobby.closeStore`, `Lobby.restoreDisplay`, run on the lobby's thread). The
/// terminal opened by `DaemonCommand` before the group (it decides where logs may go)
/// reaches the display service through a `ServiceSlot`.
///
/// A reload builds the reader, the check-in chores and the staff API again from the new
/// configuration (`reader(config:)`, `checkInChores(config:)`, `http(config:)`) and swaps
/// them with `ServiceGroup.replace`.
struct DaemonServices: Sendable {
    var stateDirectory: String
    var clock: any Clock
    var lobby: Lobby
    var runtime: DaemonRuntime
    var logger: JournalLogger
    /// The demo's setup: its fixtures go into the store before the lobby starts, and the
    /// staff API is best effort.
    var demo: DemoSetup?
    /// The terminal `DaemonCommand` opened; the display service takes it.
    var terminal: ServiceSlot<TerminalDevice>
    /// Put the terminal in cbreak mode once the display is open (`q` quits).
    var readsKeyboard: Bool

    /// Every service, in start order.
    func all(config: KioskConfig) -> [any DaemonService] {
        var services: [any DaemonService] = [store(config: config), display(config: config)]
        services.append(StartStopService("lobby", start: { [lobby] in
            do { try await lobby.start() } catch {
                await lobby.stop()
                throw ServiceStartFailure("cannot draw the lobby: \(error)")
            }
        }, stop: { [lobby] _ in await lobby.stop() }))
        // DRM: hot-plug, a poll of the connector, VT switches. Right after the lobby, so that
        // it stops just before it; once it stops, SIGUSR1/SIGUSR2 are ignored until the
        // display service puts the VT back to automatic switching.
        services.append(StartStopService("display-watch", start: { [lobby, logger] in await DisplayOutputWatch.start(lobby: lobby, logger: logger) }, stop: { $0?.stop() }))
        services.append(reader(config: config))
        services.append(checkInChores(config: config))
        services.append(http(config: config))
        services.append(StartStopService("status-socket", start: { [lobby, runtime, logger] in DaemonServices.startStatusSocket(lobby: lobby, runtime: runtime, logger: logger) },
                                         stop: { $0?.stop() }))
        services += DaemonRuntime.feedPullers(for: config, lobby: lobby, logger: logger).map { FeedPullerService($0, config: config) }
        services.append(ResidentLogoService(fetcher: ResidentLogoFetcher(lobby: lobby, logger: logger)))
        return services
    }

    /// Opens the database (migrating it), imports the demo's fixtures, hands it to the
    /// lobby; closes it at the end.
    func store(config: KioskConfig) -> any DaemonService {
        let (stateDirectory, lobby, logger, demo, clock) = (stateDirectory, lobby, logger, demo, clock)
        return StartStopService("store", start: {
            let store: StateStore
            do { store = try StateStore(stateDirectory: stateDirectory, timeZone: config.venue.timeZone) } catch {
                throw ServiceStartFailure("cannot open the database in \(stateDirectory): \(error)")
            }
            if let demo {
                do { try DemoSetup.importFixtures(from: demo, into: store, config: config, now: clock.now()) } catch {
                    throw ServiceStartFailure("demo data: \(error)")
                }
            }
            await lobby.attach(store)
        }, stop: { _ in
            do { try await lobby.closeStore() } catch {
                logger.warning("cannot close the database in \(stateDirectory): \(error)")
            }
        })
    }

    /// Opens the display (waiting for a device that is not there yet, `openDisplay`),
    /// hands it to the lobby; gives the output back at the end.
    func display(config: KioskConfig) -> any DaemonService {
        let (lobby, logger, terminal, readsKeyboard) = (lobby, logger, terminal, readsKeyboard)
        return StartStopService("display", start: {
            let device = try terminal.take()
            // The unit does not reset tty1 (its TTYReset= would apply to ExecReload= too): a
            // console a killed framebuffer kioskd left in graphics mode is put back here.
            if config.screen.backend == .terminal, ConsoleMode.leaveGraphicsMode(descriptor: device.output.rawValue) {
                logger.notice("\(config.screen.terminal): the console was left in graphics mode; back to text mode")
            }
            let display: any LobbyDisplay
            do { display = try await Self.openDisplay(config: config, terminal: device, logger: logger) } catch {
                // A theme below WCAG's contrast (or with a bad line) is the configuration's fault.
                throw ServiceStartFailure(
                    "cannot open the \(config.screen.backend.rawValue) display: \(error)", fields: [.device(config.screen.drawnDevice)],
                    status: error is PixelThemeError ? .config : .failure)
            }
            if readsKeyboard { try? device.enterInputMode(.cbreak) }
            await lobby.attach(display)
        }, stop: { _ in await lobby.restoreDisplay() })
    }

    /// The badge reader (`[reader]`, `[checkin]`).
    func reader(config: KioskConfig) -> any DaemonService {
        let (lobby, clock, logger) = (lobby, clock, logger)
        return StartStopService("reader", start: {
            do { return try CheckInRuntime.start(config: config, lobby: lobby, clock: clock, logger: logger) } catch let error as ConfigError {
                throw ServiceStartFailure("\(error)", fields: [.config(error.path)], status: .config)
            }
        }, stop: { await $0.stop() })
    }

    /// The check-in ledger's timed chores: the closing-time check-out (`[checkin]`, times
    /// from `[hours]` in the venue's zone) and the nightly purges (`CheckInHousekeeping`).
    func checkInChores(config: KioskConfig) -> any DaemonService {
        let housekeeping = CheckInHousekeeping(lobby: lobby, config: config, clock: clock, logger: logger)
        return StartStopService("checkin-chores", start: { Task { await housekeeping.run() } }, stop: { chores in
            chores.cancel()
            await chores.value
        })
    }

    /// The staff API (docs/api.md) on its own database connection, once the lobby is
    /// drawn; `runtime.staffAPI` is the running one (reloads, the status socket).
    func http(config: KioskConfig) -> any DaemonService {
        let (stateDirectory, clock, lobby, runtime, logger, bestEffort) = (stateDirectory, clock, lobby, runtime, logger, demo != nil)
        return StartStopService("http", start: { () async throws -> StaffAPIService? in
            let api = try StaffAPIService.start(config: config, stateDirectory: stateDirectory, clock: clock, lobby: lobby, logger: logger, bestEffort: bestEffort)
            runtime.staffAPI = api
            return api
        }, stop: { api in
            runtime.staffAPI = nil
            await api?.stop()
        })
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
    /// was not given a runtime directory, or when it cannot listen there (a warning). The
    /// staff API's address is read at each answer (a reload may have moved it).
    static func startStatusSocket(lobby: Lobby, runtime: DaemonRuntime, logger: JournalLogger) -> DaemonStatusSocket? {
        guard let path = DaemonStatusSocket.path(environment: ProcessInfo.processInfo.environment) else { return nil }
        let version = String(DaemonCommand.version.dropFirst("kioskd ".count))
        do {
            return try DaemonStatusSocket.start(path: path, logger: logger) { [runtime] in
                let http = runtime.staffAPI?.server.boundAddress.map { "\($0)" }
                return await lobby.statusReport(displayFailure: runtime.displayFailure, http: http, version: version)
            }
        } catch {
            logger.warning("status socket: cannot listen on \(path): \(error); kioskctl doctor will check without asking kioskd")
            return nil
        }
    }
}

/// A service that cannot start, worded as kioskd's fatal line (`kioskd: MESSAGE`), with
/// the journal fields and the exit status it calls for (78 for the configuration's fault).
struct ServiceStartFailure: Error, CustomStringConvertible {
    var message: String
    var fields: [JournalField]
    var status: ExitStatus
    init(_ message: String, fields: [JournalField] = [], status: ExitStatus = .failure) {
        self.message = message
        self.fields = fields
        self.status = status
    }
    var description: String { message }
}

/// A value opened before the group for a service that takes it at its start
/// (ownership moves with it: the value need not be `Sendable`). Taking from an empty slot
/// is an error that stops the group, never a crash.
final class ServiceSlot<Value>: Sendable {
    private let content: Mutex<Value?>
    let name: String

    struct Empty: Error, CustomStringConvertible {
        var name: String
        var description: String { "\(name) is not open (taken already, or never given)" }
    }

    init(_ name: String, holding value: sending Value) {
        self.name = name
        content = Mutex(Optional(value))
    }

    func take() throws(Empty) -> sending Value {
        guard let value = content.withLock({ $0.take() }) else { throw Empty(name: name) }
        return value
    }
}
