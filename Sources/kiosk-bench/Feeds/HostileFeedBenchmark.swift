import Foundation
import KioskCore
import KioskFeeds

/// The hostile calendars of issue #12 (`Tests/Fixtures/feeds/hostile`), each read as the
/// daemon reads a feed: `FeedDecoder.decode` with the lobby's window as the probe, then
/// `OccurrenceExpander.expand` over that window (nine days). One file per fresh process
/// (`kiosk-bench hostile --file FILE`), so that the peak resident memory (VmHWM) is that of
/// one file; the summary runs each and reports the worst time and the worst peak.
struct HostileFeedBenchmark {
    /// 2026-11-30T00:00:00+01:00 (a Monday, Europe/Paris) and nine days on.
    static let window = DateInterval(start: Date(timeIntervalSince1970: 1_796_425_200), duration: 9 * 86_400)
    static let venueTimeZone = IANATimeZone(identifier: "Europe/Paris")!
    static let directory = "Tests/Fixtures/feeds/hostile"

    let bytes: [UInt8]

    func measure(baselineKiB: Int) throws -> [BenchFigure] {
        let clock = ContinuousClock()
        let started = clock.now
        let decoded = try FeedDecoder.decode(
            bytes, format: nil, options: .init(venueTimeZone: Self.venueTimeZone, probeWindow: Self.window))
        let result = OccurrenceExpander.expand(
            decoded.events, from: Self.window.start, to: Self.window.end, venueTimeZone: Self.venueTimeZone)
        let elapsed = clock.now - started
        let seconds = Double(elapsed.components.seconds) + Double(elapsed.components.attoseconds) / 1e18
        return [
            BenchFigure(key: "hostile.time_ms", label: "decode (with the probe) + expand 9 days", value: seconds * 1000, unit: "ms"),
            BenchFigure(key: "hostile.occurrences", label: "occurrences kept", value: Double(result.occurrences.count), unit: ""),
            BenchFigure(key: "hostile.cuts", label: "events cut by the budgets", value: Double(result.cutCount), unit: ""),
            BenchFigure(key: "hostile.warnings", label: "warnings of the read", value: Double(decoded.warningCount), unit: ""),
            BenchFigure(key: "hostile.rss.start_kib", label: "resident memory at start", value: Double(baselineKiB), unit: "KiB"),
            BenchFigure(key: "hostile.rss.peak_kib", label: "peak resident memory (VmHWM)", value: Double(ProcessMemory.peakKiB), unit: "KiB"),
        ]
    }
}
