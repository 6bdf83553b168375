import Foundation
import KioskCore
import KioskFeeds

/// The "Programme feeds" benchmark: parse an iCalendar file and expand 28 days of it, the
/// work the daemon does on each pull of a feed.
///
/// One run = `ICalendarParser.parse` on the bytes (already read from disk) plus
/// `OccurrenceExpander.occurrences` over [window start, + 28 days). One untimed warm-up run
/// comes first, then `runs` timed ones (ContinuousClock). The peer script
/// (`scripts/peers/ical_peer.py`) does the same steps with the same window.
struct FeedsBenchmark {
    /// 2026-11-23T00:00:00+01:00 (Europe/Paris, winter time): the day
    /// `BenchCalendarGenerator.defaultAnchor` starts.
    static let windowStart = Date(timeIntervalSince1970: 1_795_388_400)
    static let windowDays = 28
    static let venueTimeZone = IANATimeZone(identifier: "Europe/Paris")!

    struct RunResult {
        var occurrences: [Occurrence]
        var parse: Duration
        var expand: Duration
    }

    let bytes: [UInt8]

    var windowEnd: Date { Self.windowStart + TimeInterval(Self.windowDays * 86_400) }

    func runOnce() throws -> RunResult {
        let clock = ContinuousClock()
        let started = clock.now
        let document = try ICalendarParser(venueTimeZone: Self.venueTimeZone).parse(bytes)
        let parsed = clock.now
        let occurrences = OccurrenceExpander.occurrences(
            of: document.events, from: Self.windowStart, to: windowEnd, venueTimeZone: Self.venueTimeZone, source: "ical")
        let expanded = clock.now
        return RunResult(occurrences: occurrences, parse: parsed - started, expand: expanded - parsed)
    }

    /// Runs the benchmark and returns its figures. `once`: one timed run and no warm-up, so
    /// that the peak resident memory is that of a single parse + expand in a fresh process.
    func measure(runs: Int, once: Bool, baselineKiB: Int) throws -> (figures: [BenchFigure], last: RunResult) {
        var total = WallTimeSamples(), parse = WallTimeSamples(), expand = WallTimeSamples()
        if !once { _ = try runOnce() }
        var last: RunResult?
        for _ in 0..<(once ? 1 : max(1, runs)) {
            let result = try runOnce()
            total.add(result.parse + result.expand)
            parse.add(result.parse)
            expand.add(result.expand)
            last = result
        }
        let peak = ProcessMemory.peakKiB
        let figures = [
            BenchFigure(key: "feeds.runs", label: "timed runs", value: Double(total.seconds.count), unit: ""),
            BenchFigure(key: "feeds.time.median_ms", label: "parse + expand 28 days, median", value: total.median * 1000, unit: "ms"),
            BenchFigure(key: "feeds.time.best_ms", label: "parse + expand 28 days, best", value: total.best * 1000, unit: "ms"),
            BenchFigure(key: "feeds.parse.median_ms", label: "parse, median", value: parse.median * 1000, unit: "ms"),
            BenchFigure(key: "feeds.expand.median_ms", label: "expand, median", value: expand.median * 1000, unit: "ms"),
            BenchFigure(key: "feeds.occurrences", label: "occurrences in the window", value: Double(last!.occurrences.count), unit: ""),
            BenchFigure(key: "feeds.file_bytes", label: "file size", value: Double(bytes.count), unit: "bytes"),
            BenchFigure(key: "feeds.rss.start_kib", label: "resident memory at start", value: Double(baselineKiB), unit: "KiB"),
            BenchFigure(key: "feeds.rss.peak_kib", label: once ? "peak resident memory (one run)" : "peak resident memory (all runs)", value: Double(peak), unit: "KiB"),
        ]
        return (figures, last!)
    }

    /// `uid<TAB>start<TAB>status` per occurrence, sorted: timed starts in UTC (`...Z`),
    /// all-day ones as `YYYY-MM-DD`. The peer script's `--dump` writes the same shape, for a diff.
    static func dump(_ occurrences: [Occurrence]) -> String {
        occurrences.map { occurrence -> String in
            switch occurrence.start {
            case .date(let day): return occurrence.uid + "\t" + day.description + "\t" + occurrence.status.rawValue
            case .instant(let instant):
                let start = ICalendarTextWriter.utc(Int(instant.timeIntervalSince1970.rounded(.down)))
                return occurrence.uid + "\t" + start + "\t" + occurrence.status.rawValue
            }
        }.sorted().joined(separator: "\n")
    }
}
