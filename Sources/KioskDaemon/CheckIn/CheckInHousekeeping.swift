import Foundation
import KioskCore
import KioskStore
import KioskSystem

/// The check-in ledger's timed chores: the closing-time check-out (`[checkin]
/// auto-checkout-at-closing`, times from `[hours]`) and the daily retention purge
/// (`retention-days`), run by one task for the life of the daemon. After the nightly purge
/// it gives back the code pages the day brought back (`StartupPages`).
///
/// Wall-clock instants come from the lobby's clock; the task never sleeps more than an
/// hour at a time, so a clock set by NTP after boot, or a daylight-saving change, is
/// caught up within the hour. At start it purges, and checks out those left in at the
/// last closing of an earlier day (the daemon was down then); a closing earlier today is
/// not replayed, as people may have come back in since.
public struct CheckInHousekeeping: Sendable {
    let lobby: Lobby
    let clock: any Clock
    let logger: JournalLogger
    let settings: CheckInSettings
    let hours: OpeningHours
    let timeZone: IANATimeZone

    public init(lobby: Lobby, config: KioskConfig, clock: any Clock, logger: JournalLogger) {
        self.lobby = lobby
        self.clock = clock
        self.logger = logger
        self.settings = config.checkIn
        self.hours = config.venue.hours
        self.timeZone = config.venue.timeZone
    }

    /// Runs until the task is cancelled.
    public func run() async {
        var now = clock.now()
        await purge()
        if settings.autoCheckOutAtClosing, let missed = hours.closing(after: now.addingTimeInterval(-86_400), timeZone: timeZone),
            missed <= now, CivilDate(missed.addingTimeInterval(-1), in: timeZone) < CivilDate(now, in: timeZone)
        {
            await checkOut(at: missed)
        }
        var nextClosing = settings.autoCheckOutAtClosing ? hours.closing(after: now, timeZone: timeZone) : nil
        var nextPurge = Self.nextPurge(after: now, timeZone: timeZone)
        logger.debug("check-in chores: next closing-time check-out \(nextClosing.map(ISO8601.format) ?? "none"), next purge \(ISO8601.format(nextPurge))")
        while !Task.isCancelled {
            let due = min(nextClosing ?? .distantFuture, nextPurge)
            let wait = min(3600, max(1, due.timeIntervalSince(now)))
            try? await Task.sleep(for: clock.realDuration(of: wait))
            if Task.isCancelled { return }
            now = clock.now()
            if let closing = nextClosing, closing <= now {
                await checkOut(at: closing)
                nextClosing = hours.closing(after: max(closing, now), timeZone: timeZone)
            }
            if nextPurge <= now {
                await purge()
                FeedPuller.releaseFreedMemory()
                // Once a night, the code pages the day brought back (a feed's ingest, the
                // chores, a reload) are given back as the start-up ones were: what the
                // lobby runs comes back at its next touch (`StartupPages`).
                let logger = self.logger
                StartupPages.release(after: .zero) { released in
                    if let released { logger.debug("memory: \(released.residentKiB) KiB of code pages given back after the nightly chores (\(released.mappings) mappings)") }
                }
                nextPurge = Self.nextPurge(after: now, timeZone: timeZone)
            }
        }
    }

    /// 03:30 on the venue's next day: the night, away from opening hours.
    static func nextPurge(after now: Date, timeZone: IANATimeZone) -> Date {
        CivilDate(now, in: timeZone).adding(days: 1).start(in: timeZone).addingTimeInterval(3.5 * 3600)
    }

    private func checkOut(at closing: Date) async {
        do {
            let count = try await lobby.checkOutEveryone(atClosing: closing)
            if count > 0 { logger.info("check-in: \(count) person(s) checked out at closing time \(ISO8601.format(closing))") }
        } catch {
            logger.error("check-in: closing-time check-out failed: \(error)")
        }
    }

    private func purge() async {
        do {
            let summary = try await lobby.purgeCheckIns()
            if summary.checkIns + summary.unknownScans > 0 {
                logger.info("check-in: purged \(summary.checkIns) check-in(s) and \(summary.unknownScans) unknown scan(s) older than \(settings.retentionDays) days")
            }
        } catch {
            logger.error("check-in: retention purge failed: \(error)")
        }
        do {
            let posters = try await lobby.purgeEndedPosters()
            if posters > 0 { logger.info("posters: deleted \(posters) poster(s) ended more than \(Lobby.endedPosterRetentionDays) days ago, and their pictures") }
        } catch {
            logger.error("posters: purge of ended posters failed: \(error)")
        }
    }
}
