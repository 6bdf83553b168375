import Foundation
import KioskCore
import KioskSystem

/// Everything check-in runs in the daemon: the badge reader (when `[reader]` is
/// configured) and the ledger's timed chores (always: the retention purge applies to
/// rows written while a reader was configured, too).
public final class CheckInRuntime: Sendable {
    public let badges: BadgeService?
    private let chores: Task<Void, Never>

    private init(badges: BadgeService?, chores: Task<Void, Never>) {
        self.badges = badges
        self.chores = chores
    }

    /// Starts the reader and the chores. Throws a `ConfigError` for a reader the serial
    /// port cannot serve (an unsupported baud rate), before anything is started.
    public static func start(
        config: KioskConfig, lobby: Lobby, clock: any Clock, logger: JournalLogger,
        backoff: SerialReconnectBackoff = SerialReconnectBackoff()
    ) throws -> CheckInRuntime {
        var badges: BadgeService?
        if config.checkIn.isEnabled {
            badges = try BadgeService(settings: config.checkIn, lobby: lobby, logger: logger, configPath: config.path, backoff: backoff)
        }
        let housekeeping = CheckInHousekeeping(lobby: lobby, config: config, clock: clock, logger: logger)
        let chores = Task { await housekeeping.run() }
        badges?.start()
        return CheckInRuntime(badges: badges, chores: chores)
    }

    /// Stops the reader (scans already read are committed first) and the chores.
    public func stop() async {
        await badges?.stop()
        chores.cancel()
        await chores.value
    }
}
