import Foundation
import KioskCore
import KioskSystem

/// The staff API as kioskd runs it: the `StaffDesk` (its own database connection), the
/// `APIRouter` and the `HTTPServer` listening on `[http] listen`.
///
/// Started after the store is open and the lobby drawn; stopped on SIGTERM before the
/// lobby; SIGHUP hands it the reloaded configuration (tokens take effect at once); a
/// changed `[http]` replaces the service (`DaemonRuntime.reload`).
public final class StaffAPIService: Sendable {
    public let server: HTTPServer
    public let router: APIRouter

    /// Why the API could not start.
    public struct StartError: Error, CustomStringConvertible {
        public var description: String
    }

    /// Starts the server, or returns nil when `[http] listen = off`.
    ///
    /// When the address cannot be bound: with `bestEffort` (the demo) or when `listen` was
    /// not written in the configuration (the default address), a warning is logged and
    /// kioskd runs on without the API; an explicitly configured address that cannot be
    /// bound throws, and kioskd stops with that message.
    public static func start(
        config: KioskConfig, stateDirectory: String, clock: any Clock, lobby: Lobby, logger: JournalLogger,
        bestEffort: Bool, staffPages: (@Sendable (StaffDesk, APITokenTable, SignInThrottle) -> any HTTPHandler)? = StaffAPIService.staffPages
    ) throws(StartError) -> StaffAPIService? {
        guard let listen = config.http.listen else {
            logger.info("staff API: off ([http] listen = off)")
            return nil
        }
        let explicit = config.http.listenLine > 0
        let address: SocketAddress
        do { address = try SocketAddress(parsing: listen.description) } catch {
            throw StartError(description: "\(config.path):\(config.http.listenLine): listen = \(listen): \(error)")
        }
        let desk: StaffDesk
        do {
            desk = try StaffDesk(stateDirectory: stateDirectory, config: config, clock: clock, lobby: lobby, logger: logger)
        } catch {
            throw StartError(description: "staff API: cannot open the database in \(stateDirectory): \(error)")
        }
        let tokens = APITokenTable(config.tokens)
        let throttle = SignInThrottle()
        let router = APIRouter(desk: desk, tokens: tokens, throttle: throttle, staffPages: staffPages?(desk, tokens, throttle), logger: logger)
        var limits = HTTPServer.Limits()
        limits.maxConnections = config.http.maxConnections
        limits.maxConnectionsPerAddress = min(config.http.maxConnectionsPerAddress, config.http.maxConnections)
        limits.reservedConnections = min(max(1, config.http.maxConnections / 8), config.http.maxConnections - 1)
        limits.maxBodyBytes = config.http.maxBody
        limits.requestTimeout = .milliseconds(Int64(config.http.requestTimeout * 1000))
        let server = HTTPServer(address: address, limits: limits, handler: router, logger: logger)
        do {
            try server.start()
        } catch {
            if bestEffort || !explicit {
                logger.warning("staff API: cannot listen on \(listen) (\(error)); running without the API")
                return nil
            }
            throw StartError(description: "\(config.path):\(config.http.listenLine): cannot listen on \(listen): \(error)")
        }
        let bound = server.boundAddress.map { "\($0)" } ?? listen.description
        logger.notice("staff API: listening on \(bound) (\(config.tokens.count) token(s))")
        return StaffAPIService(server: server, router: router)
    }

    /// The `/staff/` web pages over the same desk and tokens.
    public static let staffPages: @Sendable (StaffDesk, APITokenTable, SignInThrottle) -> any HTTPHandler = { desk, tokens, throttle in
        StaffPages(desk: desk, tokens: tokens, throttle: throttle)
    }

    init(server: HTTPServer, router: APIRouter) {
        self.server = server
        self.router = router
    }

    /// SIGHUP: the new tokens and venue settings.
    public func apply(_ config: KioskConfig) {
        router.apply(config)
    }

    /// Stops accepting and closes every connection (answers in progress finish first).
    public func stop() async {
        await server.stop()
    }
}
