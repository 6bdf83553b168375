import Foundation
import KioskSystem
#if canImport(Glibc)
import Glibc
#endif

/// `kiosk-bench` with no section: every figure of the benchmark issue in one table, each
/// with its target and, where the capability's issue names one, its peer.
///
/// Rows come from `DaemonBenchmark` (the real `kioskd`), `DisplayBenchmark` (the
/// framebuffer renderer in this process), `FeedsBenchmark` and `IngestBenchmark`, and the
/// Python peer (`scripts/peers/ical_peer.py`) when `icalendar` and
/// `recurring_ical_events` import. A missed target is printed as missed, with what limits it.
struct BenchSummary {
    var kioskd: String
    var assets: String
    var work: String
    var quick: Bool
    var python: String
    /// A kioskd built from the commit before the pixel layout (`--peer-kioskd`): its steady
    /// memory in the same scenario, beside this one's.
    var peerKioskd: String? = nil
    /// The peer's own assets (`--peer-assets`; default: `assets`).
    var peerAssets: String? = nil

    struct Row {
        var figure: String
        var value: String
        var target: String
        var met: Bool?
        var peer: String
    }

    func run() throws -> String {
        func progress(_ text: String) { FileHandle.standardError.write(Data("kiosk-bench: \(text)\n".utf8)) }
        var rows: [Row] = []

        var daemon = DaemonBenchmark(kioskd: kioskd, assets: assets, work: work + "/daemon")
        daemon.progress = progress
        if quick { daemon.idleSeconds = 10; daemon.scans = 300; daemon.hogScans = 100; daemon.tracedScans = 100; daemon.startups = 3 }
        let d = try daemon.run()

        let mb = { (kib: Int) in String(format: "%.1f MB", Double(kib) * 1024 / 1e6) }
        let rssTarget = 30_000_000.0
        rows.append(Row(
            figure: "resident memory of kioskd, steady (VmRSS; 2,000 events, 500 residents, 1920x1080 XRGB8888 DRM output in RAM, drawn in place)",
            value: "VmRSS \(mb(d.memory.rss)) = RssAnon \(mb(d.memory.anon)) (the daemon's own: heap, stacks) + RssFile \(mb(d.memory.file)) (shared libraries and the binary, clean pages) + RssShmem \(mb(d.memory.shmem)) (the two dumb buffers in RAM; device memory on a board); after \(d.latencies.count) scans VmRSS \(mb(d.memoryAfterScans.rss)), RssAnon \(mb(d.memoryAfterScans.anon))",
            target: "< 30 MB", met: Double(d.memory.rss) * 1024 < rssTarget, peer: ""))
        let own = d.memory.anon + d.memory.file
        rows.append(Row(
            figure: "the daemon's own pages in its first 20 s, before it gives its start-up pages back (RssAnon + RssFile, without the framebuffer; breakdown below; after a whole turn: `kiosk-bench memory`)",
            value: "\(mb(own)) (RssAnon \(mb(d.memory.anon)) + RssFile \(mb(d.memory.file)))",
            target: "≤ 25 MB (issue #18)", met: Double(own) * 1024 <= 25_000_000, peer: ""))
        if let peerKioskd {
            progress("kioskd before the pixel layout (\(peerKioskd)): steady memory in the same scenario")
            var peer = DaemonBenchmark(kioskd: peerKioskd, assets: peerAssets ?? assets, work: work + "/peer")
            peer.progress = progress
            let p = try peer.steadyMemory()
            let grown = Double(d.memory.rss - p.rss) * 1024 / 1e6
            rows.append(Row(
                figure: "resident memory of kioskd, steady, against the build before the pixel layout (console fonts), same scenario and run",
                value: String(format: "VmRSS %+.1f MB (RssAnon %+.1f MB, RssFile %+.1f MB)", grown, Double(d.memory.anon - p.anon) * 1024 / 1e6, Double(d.memory.file - p.file) * 1024 / 1e6),
                target: "≤ +3 MB (issue #15)", met: grown <= 3,
                peer: "before: VmRSS \(mb(p.rss)) = RssAnon \(mb(p.anon)) + RssFile \(mb(p.file)) + RssShmem \(mb(p.shmem))"))
        }
        rows.append(Row(
            figure: "CPU of kioskd over an idle \(d.idleSeconds == 60 ? "minute" : "\(d.idleSeconds) s (--quick)") (utime + stime)",
            value: String(format: "%.3f %% of a core", d.cpuPercent), target: "< 1 %", met: d.cpuPercent < 1, peer: ""))

        progress("display: render + flush at 1920x1080x32")
        let display = try DisplayBenchmark(fontDirectory: assets + "/fonts").measure(runs: quick ? 20 : 50)
        func figure(_ key: String) -> Double { display.first { $0.key == key }?.value ?? .nan }
        let full = figure("display.full.median_ms"), tick = figure("display.clock.median_ms")
        func console(_ key: String, _ value: Double) -> String {
            let peer = figure("display.console." + key)
            return String(format: "console-font renderer (cell layout, Terminus): %.2f ms (signage %.2fx its time)", peer, value / peer)
        }
        rows.append(Row(figure: "full frame render + copy to the framebuffer, 1920x1080x32, median (signage: pixel layout's scene, outline type)", value: String(format: "%.2f ms", full), target: "< 8 ms", met: full < 8, peer: console("full.median_ms", full)))
        let changed = figure("display.changed.median_ms")
        rows.append(Row(figure: "changed frame (the welcome comes or goes: its card redrawn and copied), median", value: String(format: "%.2f ms", changed), target: "", met: nil, peer: console("changed.median_ms", changed)))
        rows.append(Row(figure: "clock-only update (render + copy), median", value: String(format: "%.3f ms (%.0f bytes copied a minute)", tick, figure("display.idle.bytes_per_minute")), target: "< 1 ms", met: tick < 1, peer: console("clock.median_ms", tick)))
        rows.append(Row(figure: "pixel layout of the lobby (snapshot → scene: measuring, fitting, the column split), median", value: String(format: "%.1f ms", figure("display.layout.median_ms")), target: "", met: nil, peer: "the cell layout has no measuring to do"))
        rows.append(Row(figure: "glyph cache after the signage frames (every size the lobby uses)", value: String(format: "%.0f bytes", figure("display.glyph_cache.bytes")), target: String(format: "within its budget, %.0f bytes", figure("display.glyph_cache.capacity")), met: figure("display.glyph_cache.bytes") <= figure("display.glyph_cache.capacity"), peer: ""))

        progress("type: outline text against the console font")
        let type = try TypeBenchmark(fontDirectory: assets + "/fonts").measure(runs: quick ? 20 : 50)
        func typeFigure(_ key: String) -> Double { type.first { $0.key == key }?.value ?? .nan }
        rows.append(Row(
            figure: "a line of text (\(TypeBenchmark.line.count) characters, 32 px): outline type engine, cached glyphs, linear-light blending, median",
            value: String(format: "%.1f µs (measuring it alone: %.1f µs)", typeFigure("type.line.outline_us"), typeFigure("type.measure_us")),
            target: "", met: nil,
            peer: String(format: "console font (Terminus 16x32, the renderer it replaces): %.1f µs (outline %.1fx its time)", typeFigure("type.line.console_us"), typeFigure("type.line.ratio"))))
        rows.append(Row(
            figure: "glyph cache after a full lobby frame's text (1920x1080)",
            value: String(format: "%.0f KiB in %.0f glyph bitmaps (budget 1 MiB)", typeFigure("type.cache.bytes") / 1024, typeFigure("type.cache.glyphs")),
            target: "bounded in bytes", met: typeFigure("type.cache.bytes") <= 1_048_576, peer: ""))

        let sorted = d.latencies.sorted()
        let p50 = sorted[sorted.count / 2] * 1000, p99 = sorted[sorted.count * 99 / 100] * 1000, worst = (sorted.last ?? 0) * 1000
        rows.append(Row(
            figure: "badge frame on the pty → welcome on the framebuffer, durable commit included (\(sorted.count) scans)",
            value: String(format: "p50 %.2f ms, p99 %.2f ms, max %.2f ms", p50, p99, worst), target: "p99 < 20 ms", met: p99 < 20, peer: ""))
        if !d.hogLatencies.isEmpty {
            let hogged = d.hogLatencies.sorted()
            let h50 = hogged[hogged.count / 2] * 1000, h99 = hogged[hogged.count * 99 / 100] * 1000, hWorst = (hogged.last ?? 0) * 1000
            rows.append(Row(
                figure: "the same with a CPU hog on each of the \(d.hogs) cores (busy loops at the daemon's priority; \(hogged.count) scans)",
                value: String(format: "p50 %.2f ms, p99 %.2f ms, max %.2f ms", h50, h99, hWorst), target: "p99 < 20 ms", met: h99 < 20, peer: ""))
        }

        progress("feeds: parse + expand 5,000 VEVENTs; ingest into SQLite")
        let calendar = Array(BenchCalendarGenerator(events: 5_000, seed: BenchCalendarGenerator.defaultSeed, anchor: BenchCalendarGenerator.defaultAnchor).generate().utf8)
        let (feeds, _) = try FeedsBenchmark(bytes: calendar).measure(runs: quick ? 5 : 10, once: false, baselineKiB: 0)
        let parseExpand = feeds.first { $0.key == "feeds.time.median_ms" }?.value ?? .nan
        let ingest = try IngestBenchmark(bytes: calendar, directory: work + "/ingest").measure(runs: quick ? 3 : 5).median * 1000
        let peer = runPeer(calendar: calendar, runs: quick ? 1 : 3)
        let peerText = peer.map { String(format: "Python icalendar + recurring-ical-events: %.0f ms (%.1fx slower)", $0, $0 / parseExpand) }
            ?? "Python peer not installed (scripts/bench-feeds installs it)"
        rows.append(Row(figure: "5,000 VEVENTs: parse + expand 28 days, median", value: String(format: "%.1f ms", parseExpand), target: "< 500 ms; ≥ 20x the peer", met: parseExpand < 500 && (peer.map { $0 / parseExpand >= 20 } ?? true), peer: peerText))
        rows.append(Row(figure: "5,000 VEVENTs: ingest = parse + store in one SQLite transaction + read back + expand, median", value: String(format: "%.1f ms", ingest), target: "< 500 ms", met: ingest < 500, peer: ""))
        progress("feeds: the hostile calendars, each in a fresh process")
        rows.append(hostileRow())

        progress("pictures: decode 1920x1080 JPEG and PNG, ours and Pillow")
        do {
            let pictures = try PicturesBenchmark(python: python, work: work + "/pictures", runs: quick ? 5 : 10).measure()
            for r in pictures {
                rows.append(Row(figure: "\(r.kind.uppercased()) 1920x1080 (\(r.bytes / 1000) kB, written by Pillow) decode, median", value: String(format: "%.1f ms", r.ours),
                                target: "", met: nil, peer: String(format: "Pillow (libjpeg-turbo, zlib): %.1f ms (ours %.1fx its time)", r.peer, r.ours / r.peer)))
            }
        } catch {
            rows.append(Row(figure: "PNG and JPEG 1920x1080 decode", value: "not measured: \(error.localizedDescription)", target: "", met: nil, peer: ""))
        }

        if let t = d.trace {
            let perCheckIn = Double(t.fsyncs) / Double(t.checkIns)
            let files = t.fsyncsByFile.sorted { $0.key < $1.key }.map { "\($0.value) on \($0.key)" }.joined(separator: ", ")
            rows.append(Row(figure: "fsyncs per check-in (strace -f, \(t.checkIns) check-ins)", value: String(format: "%.2f (%@)", perCheckIn, files), target: "≥ 1: the scan is durable before the welcome", met: perCheckIn >= 1, peer: ""))
            let bytes = t.bytesByFile.sorted { $0.key < $1.key }.map { "\($0.value / t.checkIns) to \($0.key)" }.joined(separator: ", ")
            rows.append(Row(figure: "bytes written to the database files per check-in (pwrite64, same run)", value: "\(t.bytes / t.checkIns) B (\(bytes))", target: "", met: nil, peer: ""))
        } else {
            rows.append(Row(figure: "fsyncs and bytes per check-in", value: "not measured: \(d.traceSkipped ?? "")", target: "", met: nil, peer: ""))
        }
        progress("kms: the DRM backend beside the framebuffer backend, idle")
        do {
            var kms = KMSBenchmark(kioskd: kioskd, assets: assets, work: work + "/kms")
            kms.progress = progress
            if quick { kms.lobbyMinutes = 4; kms.rate = 30 }
            let r = try kms.run()
            let f = Dictionary(uniqueKeysWithValues: BenchCommandLine.figures(r).map { ($0.key, $0.value) })
            rows.append(Row(
                figure: "DRM: frame presented → page flip complete (\(r.drm.latenciesMs.count) flips of an idle afternoon; \(r.device))",
                value: String(format: "median %.3f ms, max %.3f ms", f["kms.flip.p50_ms"] ?? .nan, f["kms.flip.max_ms"] ?? .nan), target: "", met: nil,
                peer: "framebuffer: no flip (drawn into the memory on screen, tearing possible)"))
            rows.append(Row(
                figure: "bytes written to the screen's memory per idle minute (1920x1080x32; clock, 15 s panels, 10 s directory pages)",
                value: String(format: "DRM %.0f B (%d frames in %.0f min)", r.drm.bytesPerMinute, r.drm.frames, r.drm.minutes), target: "", met: nil,
                peer: String(format: "framebuffer backend, same run: %.0f B (%d frames); DRM %.2fx (each change goes into both buffers)", r.framebuffer.bytesPerMinute, r.framebuffer.frames, f["kms.bytes_ratio"] ?? .nan)))
        } catch {
            rows.append(Row(figure: "DRM backend beside the framebuffer backend", value: "not measured: \(error)", target: "", met: nil, peer: ""))
        }

        progress("fairness: /healthz from 127.0.0.2, alone and while 127.0.0.1 floods")
        do {
            var fairness = FairnessBenchmark(kioskd: kioskd, assets: assets, work: work + "/fairness", seconds: quick ? 10 : 60)
            fairness.progress = progress
            let r = try fairness.run()
            let failed = r.baseline.failures.count + r.attacked.failures.count
            rows.append(Row(
                figure: "staff API: /healthz from 127.0.0.2 (4/s, \(fairness.seconds) s) while 127.0.0.1 holds and reopens 40 sockets (\(r.attackerSockets) opened), client round trip",
                value: String(format: "median %.2f ms, p99 %.2f ms, max %.2f ms; %d of %d probes not answered 200", r.attacked.median, r.attacked.p99, r.attacked.max, failed, r.baseline.milliseconds.count + r.attacked.milliseconds.count + failed),
                target: "max < 100 ms, all answered", met: r.attacked.max < 100 && failed == 0,
                peer: String(format: "no attack, same run: median %.2f ms, max %.2f ms (flooded median %.1fx)", r.baseline.median, r.baseline.max, r.attacked.median / r.baseline.median)))
        } catch {
            rows.append(Row(figure: "staff API under a flood from another address", value: "not measured: \(error)", target: "", met: nil, peer: ""))
        }

        progress("alert: raised through the API to on screen")
        do {
            var alert = AlertBenchmark(kioskd: kioskd, assets: assets, work: work + "/alert", runs: quick ? 5 : 20)
            alert.progress = progress
            let r = try alert.run()
            let f = Dictionary(uniqueKeysWithValues: AlertBenchmark.figures(r).map { ($0.key, $0.value) })
            let worst = f["alert.raise.max_ms"] ?? .nan
            rows.append(Row(
                figure: "alert raised (POST /api/v1/alert) → answered with the alert on the 1920x1080 framebuffer (\(r.alertMs.count) raises)",
                value: String(format: "median %.1f ms, max %.1f ms", f["alert.raise.p50_ms"] ?? .nan, worst), target: "< 1 s", met: worst < 1000,
                peer: String(format: "a notice posted through the same API, same run: median %.1f ms (alert %.2fx)", f["alert.notice.p50_ms"] ?? .nan, f["alert.ratio_p50"] ?? .nan)))
        } catch {
            rows.append(Row(figure: "alert raised to on screen", value: "not measured: \(error)", target: "", met: nil, peer: ""))
        }

        let starts = d.startups.sorted()
        let median = starts[starts.count / 2] * 1000
        rows.append(Row(
            figure: "start-up to the first frame, warm database (spawn → READY=1, \(starts.count) starts)",
            value: String(format: "median %.0f ms, max %.0f ms", median, (starts.last ?? 0) * 1000), target: "< 300 ms", met: median < 300, peer: ""))

        var lines = ["| figure | kiosk | target | peer |", "| --- | --- | --- | --- |"]
        for row in rows {
            let verdict = row.met.map { $0 ? " (met)" : " (**missed**)" } ?? ""
            lines.append("| \(row.figure) | \(row.value) | \(row.target)\(row.target.isEmpty ? "" : verdict) | \(row.peer) |")
        }
        lines.append("")
        if let breakdown = d.breakdown {
            lines.append(breakdown.table(title: "kioskd's resident pages by component (steady, same run)"))
            lines.append("")
        } else if let error = d.breakdownError {
            lines.append("Memory breakdown not measured: \(error)")
            lines.append("")
        }
        lines.append(Self.machine(quick: quick))
        return lines.joined(separator: "\n")
    }

    /// The Python peer's median parse + expand in ms, or nil when it cannot run here.
    func runPeer(calendar: [UInt8], runs: Int) -> Double? {
        let script = "scripts/peers/ical_peer.py"
        guard FileManager.default.fileExists(atPath: script) else { return nil }
        let file = work + "/calendar-5000.ics"
        guard (try? Data(calendar).write(to: URL(fileURLWithPath: file))) != nil else { return nil }
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        process.arguments = [python, script, "--file", file, "--runs", String(runs)]
        let out = Pipe()
        process.standardOutput = out
        process.standardError = FileHandle.nullDevice
        guard (try? process.run()) != nil else { return nil }
        let data = out.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        guard process.terminationStatus == 0 else { return nil }
        for line in String(decoding: data, as: UTF8.self).split(separator: "\n") where line.hasPrefix("feeds.time.median_ms=") {
            return Double(line.dropFirst("feeds.time.median_ms=".count))
        }
        return nil
    }

    static func machine(quick: Bool) -> String {
        let cpuinfo = ProcFile.read("/proc/cpuinfo") ?? ""
        let model = cpuinfo.split(separator: "\n").first { $0.hasPrefix("model name") }.map { String($0.split(separator: ":", maxSplits: 1).last ?? "").trimmingCharacters(in: .whitespaces) } ?? "?"
        var name = utsname()
        uname(&name)
        let release = withUnsafeBytes(of: &name.release) { String(decoding: $0.prefix { $0 != 0 }, as: UTF8.self) }
        let formatter = ISO8601DateFormatter()
        #if DEBUG
        let build = "DEBUG build (figures not representative: use swift run -c release kiosk-bench)"
        #else
        let build = "release build"
        #endif
        return "Taken \(formatter.string(from: Date())) on \(sysconf(Int32(_SC_NPROCESSORS_ONLN))) cores (\(model)), Linux \(release), \(build)\(quick ? ", --quick (idle 10 s, 300 scans)" : "")."
    }
}
