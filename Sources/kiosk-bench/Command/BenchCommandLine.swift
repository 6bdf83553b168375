import Foundation
import KioskCore

/// `kiosk-bench SECTION [options]`: the benchmark harness, one subcommand per section.
///
/// Sections print their figures as a Markdown table (`--format table`, the default) or as
/// `key=value` lines (`--format kv`) for `scripts/bench-*`. More sections (store, display,
/// check-in) join `sections` as they are written; `kiosk-bench all` runs every one.
enum BenchCommandLine {
    struct UsageError: Error, CustomStringConvertible {
        var description: String
    }

    static let usage = """
        usage: kiosk-bench [--quick] [--kioskd PATH] [--peer-kioskd PATH [--peer-assets DIR]] [--assets DIR] [--work DIR]
               kiosk-bench SECTION [options]

        Without a section: the whole table (daemon memory, idle CPU, render times, badge
        latency, ingest, fsyncs and bytes per check-in, start-up), each figure with its
        target and peer. It runs the kioskd built beside kiosk-bench (--kioskd PATH) on an
        in-memory 1920x1080x32 framebuffer; fonts from DIR/fonts (default ./assets or
        $KIOSK_ASSETS); scratch files in DIR (default a temporary directory). --quick: an
        idle 10 s instead of a minute, 300 scans instead of 1,000. --peer-kioskd PATH: a kioskd
        built from an earlier commit (e.g. before the pixel layout), whose steady memory in the
        same scenario is printed beside this one's; --peer-assets DIR: that commit's assets
        (its themes know fewer roles; default: --assets).

        sections:
          generate-calendar --out FILE [--events N] [--seed N]
              Writes the deterministic benchmark calendar (default 5000 VEVENTs, fixed seed).
          hostile --file FILE [--format table|kv]
              one hostile calendar (Tests/Fixtures/feeds/hostile) read as the daemon reads a
              feed and expanded over the lobby's nine days, in this fresh process: time and
              peak resident memory.
          feeds [--file FILE] [--runs N] [--once] [--dump FILE] [--format table|kv]
              Parses FILE (default: the generated calendar, made in memory) and expands the
              28 days from 2026-11-23T00:00:00+01:00; median and best of N runs (default 10)
              after one warm-up; --once: one run in this fresh process, for peak memory.
          display [--assets DIR] [--runs N] [--format table|kv]
              Full-frame render + flush into an in-memory 1920x1080 XRGB8888 framebuffer,
              a clock-only update, bytes and core share of an idle minute (fonts from
              DIR/fonts, default ./assets or $KIOSK_ASSETS).
          type [--assets DIR] [--runs N] [--format table|kv]
              A line of text with the outline type engine (cached glyphs) and with the
              console font it replaces, measuring that line, glyphs from an empty cache,
              and the glyph cache's bytes after a full lobby frame's text.
          pictures [--runs N] [--python EXE] [--format table|kv]
              Decode time of a 1920x1080 JPEG and PNG written by Pillow, ours and Pillow's
              (scripts/peers/picture_peer.py) in the same run, median of N (default 10).
          kms [--kioskd PATH] [--assets DIR] [--minutes N] [--format table|kv]
              The DRM backend beside the framebuffer backend, each in a kioskd on a
              1920x1080 screen through N idle lobby minutes (default 20) at 20x: frame
              presented to flip complete (a DRM card with a connected screen when there is
              one, else the in-memory driver) and bytes written per idle minute.
          fairness [--kioskd PATH] [--assets DIR] [--seconds N] [--format table|kv]
              /healthz from 127.0.0.2 four times a second for N s (default 60), alone, then
              while 127.0.0.1 holds and reopens 40 sockets (more than kioskd's 32): client
              round trip, median, p99 and max, and the ratio to the baseline.
          alert [--kioskd PATH] [--assets DIR] [--runs N] [--format table|kv]
              POST /api/v1/alert answered (the API answers once the alert is on screen),
              N times (default 20), beside a notice posted through the same API.
          memory [--kioskd PATH] [--assets DIR] [--work DIR] [--turn-seconds N]
              Only kioskd's steady memory in the table's scenario, and where it goes: by
              component (Swift runtime, Foundation, ICU, networking, SQLite, kiosk code,
              heap, canvas), from smaps, pagemap and the binary's symbol table; again N s
              (default 180, a whole turn of the panel; 0: not) after kioskd gave back its
              start-up pages; then with frames drawn through a canvas (as before issue #18).
          picture-memory [--kioskd PATH] [--assets DIR] [--work DIR] [--seconds N]
              kioskd's steady memory with a logo, three event pictures and a poster shown
              against the same scenario without pictures, in the same run (two daemons, N s
              each, default 200: a whole turn of the panel), and the picture cache's bytes.
              Run from the repository (it reads Tests/KioskDaemonTests/Golden/pictures/).
          all [--format table|kv]
              Every section with its defaults.
          seed-state --dir DIR [--events N] [--residents N] [--badges N] [--feed-url URL]
                     [--refresh DURATION] [--extra-config TEXT]
              A state directory, kiosk.conf and programme.ics for a test daemon (the
              long-run scripts): N residents, N people with badges B0 + 8 hex digits,
              the programme as its [feed "programme"], the reader at DIR/badge-reader.

        Figures are for release builds: swift run -c release kiosk-bench feeds
        """

    /// Runs `arguments` (without the program name) and returns the exit status.
    static func run(_ arguments: [String]) -> Int32 {
        let section = arguments.first.flatMap { $0.hasPrefix("--") ? nil : $0 } ?? "summary"
        do {
            var options = try Options(section == "summary" && arguments.first != "summary" ? arguments : Array(arguments.dropFirst()))
            switch section {
            case "summary": try summary(&options)
            case "seed-state": try seedState(&options)
            case "memory": try memory(&options)
            case "picture-memory": try pictureMemory(&options)
            case "generate-calendar": try generateCalendar(&options)
            case "feeds": try feeds(&options)
            case "hostile": try hostile(&options)
            case "display": try display(&options)
            case "kms": try kms(&options)
            case "type": try type(&options)
            case "pictures": try pictures(&options)
            case "fairness": try fairness(&options)
            case "alert": try alert(&options)
            case "all":
                try feeds(&options)
                try display(&options)
                try type(&options)
                try pictures(&options)
            case "help", "-h", "--help": print(usage)
            default: throw UsageError(description: "unknown section \"\(section)\"")
            }
            try options.finish()
            return 0
        } catch let error as UsageError {
            FileHandle.standardError.write(Data("kiosk-bench: \(error.description)\n\n\(usage)\n".utf8))
            return 64
        } catch {
            FileHandle.standardError.write(Data("kiosk-bench \(section): \(error)\n".utf8))
            return 1
        }
    }

    static func generateCalendar(_ options: inout Options) throws {
        guard let path = options.value("--out") else { throw UsageError(description: "generate-calendar needs --out FILE") }
        let generator = BenchCalendarGenerator(
            events: try options.integer("--events") ?? 5_000,
            seed: UInt64(try options.integer("--seed") ?? Int(BenchCalendarGenerator.defaultSeed)),
            anchor: BenchCalendarGenerator.defaultAnchor)
        let text = generator.generate()
        do {
            try Data(text.utf8).write(to: URL(fileURLWithPath: path))
        } catch {
            throw CocoaError(.fileWriteUnknown, userInfo: [NSFilePathErrorKey: path, NSUnderlyingErrorKey: error])
        }
        print("wrote \(path): \(generator.events) VEVENTs, \(text.utf8.count) bytes")
    }

    static func feeds(_ options: inout Options) throws {
        let baseline = ProcessMemory.currentKiB
        let format = try options.format()
        let bytes: [UInt8]
        if let path = options.value("--file") {
            guard let data = FileManager.default.contents(atPath: path) else {
                throw UsageError(description: "cannot read \(path)")
            }
            bytes = [UInt8](data)
        } else {
            bytes = Array(BenchCalendarGenerator(
                events: 5_000, seed: BenchCalendarGenerator.defaultSeed, anchor: BenchCalendarGenerator.defaultAnchor
            ).generate().utf8)
        }
        let benchmark = FeedsBenchmark(bytes: bytes)
        let (figures, last) = try benchmark.measure(
            runs: try options.integer("--runs") ?? 10, once: options.flag("--once"), baselineKiB: baseline)
        if let dumpPath = options.value("--dump") {
            try Data((FeedsBenchmark.dump(last.occurrences) + "\n").utf8).write(to: URL(fileURLWithPath: dumpPath))
        }
        print(format.render(title: "feeds: parse + expand 28 days", figures))
    }
}

extension BenchCommandLine {
    static func hostile(_ options: inout Options) throws {
        let baseline = ProcessMemory.currentKiB
        let format = try options.format()
        guard let path = options.value("--file") else { throw UsageError(description: "hostile needs --file FILE") }
        guard let data = FileManager.default.contents(atPath: path) else { throw UsageError(description: "cannot read \(path)") }
        let figures = try HostileFeedBenchmark(bytes: [UInt8](data)).measure(baselineKiB: baseline)
        print(format.render(title: "hostile: \(path), decode + expand 9 days", figures))
    }

    static func pictures(_ options: inout Options) throws {
        let format = try options.format()
        let work = NSTemporaryDirectory() + "kiosk-bench-pictures-\(getpid())"
        defer { try? FileManager.default.removeItem(atPath: work) }
        let benchmark = PicturesBenchmark(python: options.value("--python") ?? "python3", work: work, runs: try options.integer("--runs") ?? 10)
        print(format.render(title: "pictures: decode 1920x1080, ours and Pillow", PicturesBenchmark.figures(try benchmark.measure())))
    }
}

/// The `--name value` and `--flag` options of one section; `finish()` rejects leftovers.
struct Options {
    private var remaining: [String]

    init(_ arguments: [String]) throws {
        remaining = arguments
    }

    mutating func flag(_ name: String) -> Bool {
        guard let index = remaining.firstIndex(of: name) else { return false }
        remaining.remove(at: index)
        return true
    }

    mutating func value(_ name: String) -> String? {
        guard let index = remaining.firstIndex(of: name), index + 1 < remaining.count else { return nil }
        let value = remaining[index + 1]
        remaining.removeSubrange(index...(index + 1))
        return value
    }

    mutating func integer(_ name: String) throws -> Int? {
        guard let text = value(name) else { return nil }
        guard let n = Int(text), n >= 0 else { throw BenchCommandLine.UsageError(description: "\(name) wants a whole number, not \"\(text)\"") }
        return n
    }

    mutating func format() throws -> BenchOutputFormat {
        guard let text = value("--format") else { return .table }
        guard let format = BenchOutputFormat(rawValue: text) else { throw BenchCommandLine.UsageError(description: "--format is table or kv, not \"\(text)\"") }
        return format
    }

    func finish() throws {
        if !remaining.isEmpty { throw BenchCommandLine.UsageError(description: "unexpected arguments: \(remaining.joined(separator: " "))") }
    }
}

extension BenchCommandLine {
    /// `kiosk-bench [--quick] [--kioskd PATH] [--assets DIR] [--work DIR] [--keep] [--python EXE]`.
    static func summary(_ options: inout Options) throws {
        let quick = options.flag("--quick")
        let (kioskd, assetPath, work, keep) = try daemonOptions(&options)
        let python = options.value("--python") ?? ProcessInfo.processInfo.environment["PYTHON"] ?? "python3"
        defer { if !keep { try? FileManager.default.removeItem(atPath: work) } }
        var summary = BenchSummary(kioskd: kioskd, assets: assetPath, work: work, quick: quick, python: python)
        summary.peerKioskd = options.value("--peer-kioskd")
        summary.peerAssets = options.value("--peer-assets")
        let table = try summary.run()
        print(table)
    }

    /// `kiosk-bench fairness`: one address flooding the staff API, another probing it.
    static func fairness(_ options: inout Options) throws {
        let format = try options.format()
        let seconds = try options.integer("--seconds") ?? 60
        let (kioskd, assets, work, keep) = try daemonOptions(&options)
        defer { if !keep { try? FileManager.default.removeItem(atPath: work) } }
        var benchmark = FairnessBenchmark(kioskd: kioskd, assets: assets, work: work + "/fairness", seconds: max(1, seconds))
        benchmark.progress = { FileHandle.standardError.write(Data("kiosk-bench: \($0)\n".utf8)) }
        print(format.render(title: "fairness: /healthz from one address while another floods", FairnessBenchmark.figures(try benchmark.run())))
    }

    /// `kiosk-bench alert`: the time from raising an alert to the alert on screen.
    static func alert(_ options: inout Options) throws {
        let format = try options.format()
        let runs = try options.integer("--runs") ?? 20
        let (kioskd, assets, work, keep) = try daemonOptions(&options)
        defer { if !keep { try? FileManager.default.removeItem(atPath: work) } }
        var benchmark = AlertBenchmark(kioskd: kioskd, assets: assets, work: work + "/alert", runs: max(1, runs))
        benchmark.progress = { FileHandle.standardError.write(Data("kiosk-bench: \($0)\n".utf8)) }
        print(format.render(title: "alert: raised through the API to on screen", AlertBenchmark.figures(try benchmark.run())))
    }

    /// `kiosk-bench memory`: the daemon's steady memory and its breakdown only.
    static func memory(_ options: inout Options) throws {
        let (kioskd, assets, work, keep) = try daemonOptions(&options)
        defer { if !keep { try? FileManager.default.removeItem(atPath: work) } }
        var daemon = DaemonBenchmark(kioskd: kioskd, assets: assets, work: work + "/daemon")
        daemon.memoryOnly = true
        daemon.idleSeconds = 5
        daemon.turnSeconds = 180
        if let text = options.value("--turn-seconds") {
            guard let seconds = Int(text), seconds >= 0 else { throw UsageError(description: "--turn-seconds wants a number of seconds") }
            daemon.turnSeconds = seconds
        }
        daemon.progress = { FileHandle.standardError.write(Data("kiosk-bench: \($0)\n".utf8)) }
        let d = try daemon.run()
        // The same scenario with a canvas, as before frames were drawn into the back buffer.
        var canvasRun = daemon
        canvasRun.drawsThroughCanvas = true
        canvasRun.turnSeconds = 0
        canvasRun.work = work + "/daemon-canvas"
        let c = try canvasRun.run()
        let mb = { (kib: Int) in String(format: "%.1f MB", Double(kib) * 1024 / 1e6) }
        func line(_ name: String, _ r: DaemonBenchmark.Results) -> String {
            "kioskd steady, \(name): VmRSS \(mb(r.memory.rss)) = RssAnon \(mb(r.memory.anon)) + RssFile \(mb(r.memory.file)) + RssShmem \(mb(r.memory.shmem)); own pages (RssAnon + RssFile) \(mb(r.memory.anon + r.memory.file))"
                + "\n  (\(r.displayPath.map { TerminalText.sanitized($0) } ?? "the daemon did not say how it draws"))"
        }
        print(line("in place", d))
        print(line("canvas", c))
        print("own pages in place minus through a canvas: \(mb(d.memory.anon + d.memory.file - c.memory.anon - c.memory.file))")
        if let m = d.memoryAfterTurn {
            print("kioskd in place, after a whole turn (\(daemon.turnSeconds) s) since its start-up pages were given back: VmRSS \(mb(m.rss)) = RssAnon \(mb(m.anon)) + RssFile \(mb(m.file)) + RssShmem \(mb(m.shmem)); own pages (RssAnon + RssFile) \(mb(m.anon + m.file))")
            print("  (\(d.releaseLine.map { TerminalText.sanitized($0) } ?? "the daemon did not say it gave pages back"))")
        }
        print("")
        if let breakdown = d.breakdown { print(breakdown.table(title: "component")) } else { print("breakdown not measured: \(d.breakdownError ?? "")") }
        if let breakdown = d.breakdownAfterTurn { print(""); print(breakdown.table(title: "component, after a whole turn")) }
    }

    static func pictureMemory(_ options: inout Options) throws {
        let (kioskd, assets, work, keep) = try daemonOptions(&options)
        defer { if !keep { try? FileManager.default.removeItem(atPath: work) } }
        var bench = PictureMemoryBenchmark(kioskd: kioskd, assets: assets, work: work + "/pictures")
        if let text = options.value("--seconds") {
            guard let seconds = Int(text), seconds > 0 else { throw UsageError(description: "--seconds wants a positive number") }
            bench.seconds = seconds
        }
        bench.progress = { FileHandle.standardError.write(Data("kiosk-bench: \($0)\n".utf8)) }
        let (without, with) = try bench.run()
        let mb = { (kib: Int) in String(format: "%.1f MB", Double(kib) * 1024 / 1e6) }
        print("kioskd without pictures: VmRSS \(mb(without.memory.rss)) (RssAnon \(mb(without.memory.anon)), RssFile \(mb(without.memory.file)), RssShmem \(mb(without.memory.shmem)))")
        print("kioskd with logo, 3 event pictures, poster: VmRSS \(mb(with.memory.rss)) (RssAnon \(mb(with.memory.anon)), RssFile \(mb(with.memory.file)), RssShmem \(mb(with.memory.shmem)))")
        print(String(format: "difference: VmRSS %+.1f MB, RssAnon %+.1f MB (target: at most +6 MB)",
                     Double(with.memory.rss - without.memory.rss) * 1024 / 1e6, Double(with.memory.anon - without.memory.anon) * 1024 / 1e6))
        print("picture cache: \(with.cacheBytes) bytes after \(with.decodes) decodes (budget \(KioskConfig().screen.pictureCacheBytes))")
        for warning in with.warnings { print("warning: \(warning)") }
    }

    /// The daemon to run, its assets and a scratch directory (`--kioskd`, `--assets`,
    /// `--work`, `--keep`).
    static func daemonOptions(_ options: inout Options) throws -> (kioskd: String, assets: String, work: String, keep: Bool) {
        let here = URL(fileURLWithPath: CommandLine.arguments[0]).resolvingSymlinksInPath().deletingLastPathComponent()
        let given = options.value("--kioskd")
        let kioskd = given ?? here.appendingPathComponent("kioskd").path
        if given == nil, !FileManager.default.isExecutableFile(atPath: kioskd), FileManager.default.fileExists(atPath: "Package.swift") {
            // `swift run kiosk-bench` builds kiosk-bench's dependencies only: build the
            // daemon beside it, in the same build directory and configuration.
            try buildDaemon(beside: here)
        }
        guard FileManager.default.isExecutableFile(atPath: kioskd) else {
            throw UsageError(description: "kioskd not found at \(kioskd): build it (swift build -c release) or give --kioskd PATH")
        }
        let assets = options.value("--assets") ?? ProcessInfo.processInfo.environment["KIOSK_ASSETS"] ?? "assets"
        let assetPath = URL(fileURLWithPath: assets).standardizedFileURL.path
        let work = options.value("--work") ?? (NSTemporaryDirectory() + "kiosk-bench-\(getpid())")
        let keep = options.flag("--keep")
        return (kioskd, assetPath, work, keep)
    }

    /// `swift build -c CONFIG --product kioskd --scratch-path SCRATCH`, where `directory` is
    /// `SCRATCH/<triple>/CONFIG` (where `swift build` puts kiosk-bench).
    static func buildDaemon(beside directory: URL) throws {
        let configuration = directory.lastPathComponent
        guard configuration == "release" || configuration == "debug" else { return }
        let scratch = directory.deletingLastPathComponent().deletingLastPathComponent().path
        FileHandle.standardError.write(Data("kiosk-bench: building kioskd (swift build -c \(configuration) --product kioskd)\n".utf8))
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        process.arguments = ["swift", "build", "-c", configuration, "--product", "kioskd", "--scratch-path", scratch]
        process.standardOutput = FileHandle.standardError
        try process.run()
        process.waitUntilExit()
    }

    /// `kiosk-bench seed-state --dir DIR ...`: see the usage text.
    static func seedState(_ options: inout Options) throws {
        guard let dir = options.value("--dir") else { throw UsageError(description: "seed-state needs --dir DIR") }
        var state = BenchState(directory: URL(fileURLWithPath: dir).standardizedFileURL.path)
        state.events = try options.integer("--events") ?? state.events
        state.residents = try options.integer("--residents") ?? state.residents
        state.badges = try options.integer("--badges") ?? state.badges
        try state.create(
            extraConfig: (options.value("--extra-config") ?? "").replacingOccurrences(of: "\\n", with: "\n"),
            feedURL: options.value("--feed-url"), feedRefresh: options.value("--refresh") ?? "15min")
        print("seeded \(state.directory): \(state.residents) residents, \(state.badges) badges, \(state.events) VEVENTs in \(state.calendarPath)")
    }
}
