import Foundation
import KioskCore
import KioskFeeds
import KioskStore

/// What the daemon does when a feed of 5,000 VEVENTs changes (`Lobby.acceptFeed`), minus
/// the network and the redraw: parse the bytes, replace the source's events in SQLite in
/// one transaction (WAL, synchronous=FULL, a file in `directory`), read every stored event
/// back and expand the lobby's window (28 days here, as the feeds benchmark).
struct IngestBenchmark {
    let bytes: [UInt8]
    let directory: String

    func measure(runs: Int) throws -> WallTimeSamples {
        try? FileManager.default.removeItem(atPath: directory)
        let zone = FeedsBenchmark.venueTimeZone
        let store = try StateStore(stateDirectory: directory, timeZone: zone)
        let clock = ContinuousClock()
        var samples = WallTimeSamples()
        var occurrences = 0
        // One warm-up, then `runs` timed ones; each replaces the previous copy, as a feed update does.
        for run in 0...max(1, runs) {
            let elapsed = try clock.measure {
                let document = try ICalendarParser(venueTimeZone: zone).parse(bytes)
                try store.programme.replaceEvents(ofSource: "programme", kind: .ics, url: "file:///bench.ics", with: document.events, fetchedAt: Date())
                let stored = try store.programme.allEvents().map(\.event)
                occurrences = OccurrenceExpander.occurrences(
                    of: stored, from: FeedsBenchmark.windowStart, to: FeedsBenchmark.windowStart + 28 * 86_400,
                    venueTimeZone: zone, source: "programme").count
            }
            if run > 0 { samples.add(elapsed) }
        }
        precondition(occurrences > 0)
        return samples
    }
}
