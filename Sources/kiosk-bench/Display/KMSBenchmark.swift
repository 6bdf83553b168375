import Foundation
import KioskSystem

/// The DRM backend beside the framebuffer backend, in the same run: the real `kioskd`
/// (release, beside kiosk-bench) on a 1920x1080 screen, once with each backend, its clock
/// running `rate` times faster than real time through `lobbyMinutes` minutes of an idle
/// afternoon (clock ticks, 15 s panels, 10 s directory pages, the feed re-read every 15
/// minutes: what an idle minute really draws), no badge scanned.
///
/// - **Flip latency**: from the flip being queued to the kernel's completion timestamp, per
///   frame, from kioskd's debug line `display: frame N presented: …, flip N completed in X ms`.
///   On a DRM device where one is connected (`device`), else on `MemoryScanout`, the
///   in-memory driver, which completes a flip at once as QEMU's drivers do: then the figure
///   is the backend's own cost (the ioctl path, the event read), not a vertical blank.
/// - **Bytes written per idle minute**: what each backend writes into the screen's memory,
///   from the same debug lines (`… B bytes drawn` for DRM, `display: flush N: … B bytes
///   copied` for the in-memory framebuffer), divided by the lobby minutes. The DRM backend
///   writes each change twice (once into each buffer, a frame apart); the framebuffer
///   backend once (without page flips, as vc4drmfb and most fbdev emulations run).
struct KMSBenchmark {
    var kioskd: String
    var assets: String
    var work: String
    var lobbyMinutes = 20
    var rate = 20
    var at = "2026-11-24T14:05:00+01:00"
    var progress: (String) -> Void = { _ in }

    struct Backend {
        var name: String
        var frames = 0
        var bytes = 0
        var latenciesMs: [Double] = []
        var minutes = 0.0
        var bytesPerMinute: Double { minutes > 0 ? Double(bytes) / minutes : .nan }
    }

    struct Results {
        var device: String
        var framebuffer: Backend
        var drm: Backend
    }

    /// A card with a connected screen we may drive (kioskd becomes its master), or nil.
    static func realCard() -> String? {
        if case .connected(let plan) = DRMOutputChoice.choose(from: DRMCard.surveyAll(), request: nil) { return plan.cardPath }
        return nil
    }

    func run() throws -> Results {
        let card = ProcessInfo.processInfo.environment["KIOSK_BENCH_MEMORY_DRM"] == nil ? Self.realCard() : nil
        let device = card.map { "DRM device \($0)" } ?? "in-memory DRM driver (no DRM card with a connected screen here)"
        let framebuffer = try measure(backend: "framebuffer", environment: ["KIOSK_DEBUG_MEMORY_FRAMEBUFFER": "1920x1080"])
        let drm = try measure(backend: "drm", environment: card == nil ? ["KIOSK_DEBUG_MEMORY_DRM": "1920x1080"] : [:])
        return Results(device: device, framebuffer: framebuffer, drm: drm)
    }

    private func measure(backend: String, environment extra: [String: String]) throws -> Backend {
        let directory = work + "/\(backend)"
        try? FileManager.default.removeItem(atPath: directory)
        let state = BenchState(directory: directory, events: 300, residents: 60, badges: 0)
        try state.create(backend: backend)
        var environment = ["PATH": "/usr/bin:/bin", "HOME": directory, "TZ": "UTC", "KIOSK_ASSETS": assets, "KIOSK_DEBUG_CLOCK_RATE": "\(rate)"]
        environment.merge(extra) { $1 }
        progress("kms: kioskd on the \(backend) backend, \(lobbyMinutes) idle lobby minutes at \(rate)x")
        let daemon = try DaemonUnderTest(kioskd: kioskd, arguments: ["--config", state.configPath, "--state-dir", state.stateDirectory, "--at", at],
                                         environment: environment, workDirectory: directory)
        defer { daemon.stop() }
        guard try daemon.waitForReady(seconds: 60) != nil else {
            throw DaemonBenchmark.Failure(description: "kioskd (\(backend)) sent no READY=1:\n" + daemon.log.suffix(20).map(\.text).joined(separator: "\n"))
        }
        guard daemon.waitForLog("feed programme: \(state.events) events stored", seconds: 60) != nil else {
            throw DaemonBenchmark.Failure(description: "kioskd (\(backend)) did not ingest its feed:\n" + daemon.log.suffix(20).map(\.text).joined(separator: "\n"))
        }
        Thread.sleep(forTimeInterval: 1)
        let from = ContinuousClock.now
        Thread.sleep(forTimeInterval: Double(lobbyMinutes * 60) / Double(rate))
        let to = ContinuousClock.now
        var result = Backend(name: backend)
        result.minutes = seconds(from.duration(to: to)) * Double(rate) / 60
        for line in daemon.log where line.time >= from && line.time <= to {
            if let (bytes, latency) = Self.parseFrame(line.text) {
                result.frames += 1
                result.bytes += bytes
                if let latency { result.latenciesMs.append(latency) }
            }
        }
        return result
    }

    /// Bytes and flip latency (ms) of one frame line of either backend, nil for other lines.
    static func parseFrame(_ line: String) -> (bytes: Int, latencyMs: Double?)? {
        guard line.contains("display: frame ") || line.contains("display: flush ") else { return nil }
        let words = line.split(separator: " ")
        guard let bytesIndex = words.firstIndex(where: { $0 == "bytes" }), bytesIndex > 0, let bytes = Int(words[bytesIndex - 1]) else { return nil }
        var latency: Double?
        if let inIndex = words.lastIndex(of: "in"), inIndex + 1 < words.count { latency = Double(words[inIndex + 1]) }
        return (bytes, latency)
    }
}

extension BenchCommandLine {
    /// `kiosk-bench kms [--kioskd PATH] [--assets DIR] [--minutes N] [--format table|kv]`.
    static func kms(_ options: inout Options) throws {
        let format = try options.format()
        let here = URL(fileURLWithPath: CommandLine.arguments[0]).resolvingSymlinksInPath().deletingLastPathComponent()
        let kioskd = options.value("--kioskd") ?? here.appendingPathComponent("kioskd").path
        let assets = URL(fileURLWithPath: options.value("--assets") ?? ProcessInfo.processInfo.environment["KIOSK_ASSETS"] ?? "assets").standardizedFileURL.path
        var benchmark = KMSBenchmark(kioskd: kioskd, assets: assets, work: NSTemporaryDirectory() + "kiosk-bench-kms-\(getpid())")
        benchmark.lobbyMinutes = try options.integer("--minutes") ?? benchmark.lobbyMinutes
        benchmark.progress = { FileHandle.standardError.write(Data("kiosk-bench: \($0)\n".utf8)) }
        defer { try? FileManager.default.removeItem(atPath: benchmark.work) }
        let results = try benchmark.run()
        print(format.render(title: "kms: the DRM backend (\(results.device)) beside the framebuffer backend, 1920x1080", figures(results)))
    }

    static func figures(_ r: KMSBenchmark.Results) -> [BenchFigure] {
        let sorted = r.drm.latenciesMs.sorted()
        func at(_ q: Double) -> Double { sorted.isEmpty ? .nan : sorted[min(sorted.count - 1, Int(Double(sorted.count) * q))] }
        return [
            BenchFigure(key: "kms.flip.p50_ms", label: "frame presented → flip complete, median (\(sorted.count) flips)", value: at(0.5), unit: "ms"),
            BenchFigure(key: "kms.flip.max_ms", label: "frame presented → flip complete, max", value: sorted.last ?? .nan, unit: "ms"),
            BenchFigure(key: "kms.drm.bytes_per_minute", label: "DRM: bytes written per idle minute (\(r.drm.frames) frames in \(Int(r.drm.minutes.rounded())) min)", value: r.drm.bytesPerMinute, unit: "bytes"),
            BenchFigure(key: "kms.fbdev.bytes_per_minute", label: "framebuffer: bytes written per idle minute (\(r.framebuffer.frames) frames in \(Int(r.framebuffer.minutes.rounded())) min)", value: r.framebuffer.bytesPerMinute, unit: "bytes"),
            BenchFigure(key: "kms.bytes_ratio", label: "DRM / framebuffer bytes per idle minute", value: r.drm.bytesPerMinute / r.framebuffer.bytesPerMinute, unit: "x"),
        ]
    }
}
