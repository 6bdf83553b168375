import Foundation
import KioskCore
import KioskDisplay

/// The pixel display's work without a device, for both renderers side by side in one run:
/// the signage renderer the displays use (the pixel layout's `PixelScene`, outline type
/// from `<assets>/fonts`, `SceneRenderer`, `PixelCanvas.present`) and, as the peer, the
/// console-font renderer it replaced (the cell layout, Terminus, `FrameRenderer`,
/// `PixelCanvas.copy`). Each: a full frame rendered and copied into an in-memory 1920x1080
/// XRGB8888 framebuffer, a clock-only update (the minute changes, nothing else), a
/// changed frame (the welcome comes and goes), and what an idle minute costs. For the
/// signage renderer also the layout itself and the glyph cache's bytes.
///
/// The lobby is a full one: 12 events today and ahead, 40 residents, the built-in lobby
/// theme, laid out at 14:05 and 14:06 (Europe/Paris) on 2026-11-24, no burn-in shift.
struct DisplayBenchmark {
    var width = 1920
    var height = 1080
    var fontDirectory: String

    func measure(runs: Int) throws -> [BenchFigure] {
        try measureSignage(runs: runs) + measureConsole(runs: runs)
    }

    /// Full frames, clock ticks and overlay changes of one renderer: `render` draws a frame
    /// and copies its changed areas; `invalidate` forgets the screen.
    private func frames<Frame>(
        runs: Int, first: Frame, second: Frame, overlay: Frame, render: (Frame) -> Int, invalidate: () -> Void
    ) -> (full: WallTimeSamples, tick: WallTimeSamples, changed: WallTimeSamples, tickPixels: Int) {
        let clock = ContinuousClock()
        var full = WallTimeSamples(), tick = WallTimeSamples(), changed = WallTimeSamples()
        _ = render(first)
        for _ in 0..<max(1, runs) {
            invalidate()
            full.add(clock.measure { _ = render(first) })
        }
        var tickPixels = 0
        for i in 0..<max(2, runs * 2) {
            let frame = i % 2 == 0 ? second : first
            tick.add(clock.measure { tickPixels = render(frame) })
        }
        _ = render(first)
        for i in 0..<max(2, runs * 2) {
            let frame = i % 2 == 0 ? overlay : first
            changed.add(clock.measure { _ = render(frame) })
        }
        return (full, tick, changed, tickPixels)
    }

    private func figures(_ prefix: String, _ name: String, _ m: (full: WallTimeSamples, tick: WallTimeSamples, changed: WallTimeSamples, tickPixels: Int)) -> [BenchFigure] {
        [
            BenchFigure(key: "\(prefix).full.median_ms", label: "\(name): full frame render + flush 1920x1080x32, median", value: m.full.median * 1000, unit: "ms"),
            BenchFigure(key: "\(prefix).full.best_ms", label: "\(name): full frame render + flush, best", value: m.full.best * 1000, unit: "ms"),
            BenchFigure(key: "\(prefix).changed.median_ms", label: "\(name): changed frame (the welcome comes or goes), render + flush, median", value: m.changed.median * 1000, unit: "ms"),
            BenchFigure(key: "\(prefix).clock.median_ms", label: "\(name): clock-only update render + flush, median", value: m.tick.median * 1000, unit: "ms"),
            BenchFigure(key: "\(prefix).clock.best_ms", label: "\(name): clock-only update, best", value: m.tick.best * 1000, unit: "ms"),
            BenchFigure(key: "\(prefix).idle.bytes_per_minute", label: "\(name): bytes written to the framebuffer per idle minute", value: Double(m.tickPixels * 4), unit: "bytes"),
            BenchFigure(key: "\(prefix).idle.core_percent", label: "\(name): share of one core drawing over an idle minute", value: m.tick.median / 60 * 100, unit: "%"),
        ]
    }

    // MARK: Signage (the pixel displays)

    func measureSignage(runs: Int) throws -> [BenchFigure] {
        let engine = try TypeEngine(fontsDirectory: fontDirectory)
        let layout = SignageLayout(type: engine)
        let metrics = SignageLayout.Metrics(width: width, height: height)
        let (a, b) = snapshots()
        let clock = ContinuousClock()
        var laying = WallTimeSamples()
        var first = layout.layout(a, metrics: metrics)
        for _ in 0..<max(1, runs / 2) { laying.add(clock.measure { first = layout.layout(a, metrics: metrics) }) }
        let second = layout.layout(b, metrics: metrics)
        var overlay = first
        layout.addCheckIn(CheckInOverlay(welcome: WelcomeMessage(tone: .welcome, headline: "Bienvenue, Camille — Atelier Diptyc"), today: "Plus tard aujourd'hui : 18:00 – 20:00 Atelier sérigraphie"), to: &overlay, metrics: metrics, strings: a.strings)

        var renderer = SceneRenderer(width: width, height: height, theme: .lobby, type: engine)
        let panel = PixelBufferLayout(format: .xrgb8888, width: width, height: height, lineLength: width * 4)
        let memory = UnsafeMutableRawBufferPointer.allocate(byteCount: width * height * 4, alignment: 64)
        defer { memory.deallocate() }
        memory.initializeMemory(as: UInt8.self, repeating: 0)
        let m = frames(runs: runs, first: first, second: second, overlay: overlay, render: { scene in
            let dirty = renderer.render(scene)
            renderer.canvas.present(dirty, into: memory, layout: panel, rotation: .upright)
            return dirty.reduce(0) { $0 + $1.area }
        }, invalidate: { renderer.invalidate() })
        let cache = engine.glyphCacheStatistics
        return figures("display", "signage", m) + [
            BenchFigure(key: "display.layout.median_ms", label: "signage: pixel layout of the lobby (snapshot → scene), median", value: laying.median * 1000, unit: "ms"),
            BenchFigure(key: "display.glyph_cache.bytes", label: "signage: glyph cache after these frames (\(cache.count) glyph bitmaps)", value: Double(engine.glyphCacheBytes), unit: "bytes"),
            BenchFigure(key: "display.glyph_cache.capacity", label: "signage: the glyph cache's budget (the pixel displays'; evicted beyond it)", value: Double(engine.glyphCacheCapacity), unit: "bytes"),
        ]
    }

    // MARK: Console fonts (the peer: the renderer before the pixel layout)

    func measureConsole(runs: Int) throws -> [BenchFigure] {
        let fonts = try ShippedFonts.load(forPixelWidth: width, height: height, fromDirectory: fontDirectory)
        var renderer = FrameRenderer(pixelWidth: width, pixelHeight: height, fonts: fonts, theme: .lobby)
        let panel = PixelBufferLayout(format: .xrgb8888, width: width, height: height, lineLength: width * 4)
        let memory = UnsafeMutableRawBufferPointer.allocate(byteCount: width * height * 4, alignment: 64)
        defer { memory.deallocate() }
        memory.initializeMemory(as: UInt8.self, repeating: 0)
        let (a, b) = snapshots()
        let cells = LobbyLayout()
        let first = cells.layout(a, metrics: renderer.metrics), second = cells.layout(b, metrics: renderer.metrics)
        var overlay = first
        overlay.fills.append(Fill(CellRect(column: overlay.columns / 4, row: overlay.rows / 3, width: overlay.columns / 2, height: 5), .overlay))
        overlay.runs.append(TextRun(column: overlay.columns / 4 + 2, row: overlay.rows / 3 + 2, width: overlay.columns / 2 - 4, text: "Bienvenue, Camille !", role: .overlayTitle, alignment: .center))
        let m = frames(runs: runs, first: first, second: second, overlay: overlay, render: { model in
            let dirty = renderer.render(model)
            renderer.canvas.copy(dirty, into: memory, layout: panel)
            return dirty.reduce(0) { $0 + $1.area }
        }, invalidate: { renderer.invalidate() })
        return figures("display.console", "console fonts", m)
    }

    /// The same lobby one minute apart, laid out in cells for `metrics`.
    func models(metrics: LobbyLayout.Metrics) -> (ScreenModel, ScreenModel) {
        let (a, b) = snapshots()
        return (LobbyLayout().layout(a, metrics: metrics), LobbyLayout().layout(b, metrics: metrics))
    }

    /// The same lobby one minute apart.
    func snapshots() -> (LobbySnapshot, LobbySnapshot) {
        var config = KioskConfig()
        config.venue.name = "La Fabrique"
        let start = ISO8601.parse("2026-11-24T14:05:05+01:00")!
        var occurrences: [Occurrence] = []
        for i in 0..<12 {
            let begin = start.addingTimeInterval(Double(i) * 5 * 3600 - 3600)
            occurrences.append(Occurrence(
                uid: "e\(i)", title: "Atelier numéro \(i) : sérigraphie et impression", room: "Salle \(i % 4 + 1)",
                categories: ["Atelier"], start: .instant(begin), end: .instant(begin.addingTimeInterval(7200))))
        }
        let residents = (0..<40).map { i in
            Resident(name: "Résident \(i)", sector: "Arts numériques", location: "Bât. \(["A", "B", "C"][i % 3]), bureau \(100 + i)")
        }
        let freshness = ProgrammeFreshness(lastSuccess: start.addingTimeInterval(-600), allFailing: false, hasPulledSources: true)
        let inputs = LobbySnapshot.Inputs(occurrences: occurrences, residents: residents, notices: [], freshness: freshness)
        return (LobbySnapshot.make(at: start, inputs: inputs, config: config), LobbySnapshot.make(at: start.addingTimeInterval(60), inputs: inputs, config: config))
    }
}

extension BenchCommandLine {
    /// `kiosk-bench display [--assets DIR] [--runs N] [--format table|kv]`.
    static func display(_ options: inout Options) throws {
        let format = try options.format()
        let assets = options.value("--assets") ?? ProcessInfo.processInfo.environment["KIOSK_ASSETS"] ?? "assets"
        let benchmark = DisplayBenchmark(fontDirectory: assets + "/fonts")
        let figures = try benchmark.measure(runs: try options.integer("--runs") ?? 50)
        print(format.render(title: "display: render + flush at 1920x1080x32, signage and console-font renderers", figures))
    }
}
