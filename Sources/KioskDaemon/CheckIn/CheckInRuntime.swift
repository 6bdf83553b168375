import Foundation
import KioskCore
import KioskSystem

/// The badge reader, when `[reader]` is configured. The ledger's timed chores
/// (`CheckInHousekeeping`) are a service of their own, `checkin-chores`: they run with or
/// without a reader (the retention purge applies to rows written while one was configured)
/// and a reload that changes the hours replaces them without closing the reader's port.
public final class CheckInRuntime: Sendable {
    public let badges: BadgeService?

    private init(badges: BadgeService?) {
        self.badges = badges
    }

    /// Starts the reader. Throws a `ConfigError` for a reader the serial port cannot serve
    /// (an unsupported baud rate), before anything is started.
    public static func start(
        config: KioskConfig, lobby: Lobby, clock: any Clock, logger: JournalLogger,
        backoff: SerialReconnectBackoff = SerialReconnectBackoff()
    ) throws -> CheckInRuntime {
        var badges: BadgeService?
        if config.checkIn.isEnabled {
            badges = try BadgeService(settings: config.checkIn, lobby: lobby, logger: logger, configPath: config.path, backoff: backoff)
        }
        badges?.start()
        return CheckInRuntime(badges: badges)
    }

    /// Stops the reader (scans already read are committed first).
    public func stop() async {
        await badges?.stop()
    }
}
