import Foundation
import KioskCore
import KioskDisplay

/// The framebuffer driver's work without a device: a full frame rendered by
/// `FrameRenderer` and copied (as `FramebufferDisplay.show` does) into an in-memory
/// 1920x1080 XRGB8888 framebuffer, then a clock-only update (the minute changes, nothing
/// else), and what an idle minute costs: bytes copied and share of one core.
///
/// The lobby is a full one: 12 events today and ahead, 40 residents, the shipped Terminus
/// fonts from `<assets>/fonts` and the built-in lobby theme, laid out at 14:05 and 14:06
/// (Europe/Paris) on 2026-11-24 with no burn-in shift.
struct DisplayBenchmark {
    var width = 1920
    var height = 1080
    var fontDirectory: String

    func measure(runs: Int) throws -> [BenchFigure] {
        let fonts = try ShippedFonts.load(forPixelWidth: width, height: height, fromDirectory: fontDirectory)
        var renderer = FrameRenderer(pixelWidth: width, pixelHeight: height, fonts: fonts, theme: .lobby)
        let layout = PixelBufferLayout(format: .xrgb8888, width: width, height: height, lineLength: width * 4)
        let memory = UnsafeMutableRawBufferPointer.allocate(byteCount: width * height * 4, alignment: 64)
        defer { memory.deallocate() }
        memory.initializeMemory(as: UInt8.self, repeating: 0)

        let (first, second) = models(metrics: renderer.metrics)
        let clock = ContinuousClock()

        // Full frame: render from scratch and copy the whole screen.
        var full = WallTimeSamples()
        _ = renderer.render(first)
        for _ in 0..<max(1, runs) {
            renderer.invalidate()
            let elapsed = clock.measure {
                let dirty = renderer.render(first)
                renderer.canvas.copy(dirty, into: memory, layout: layout)
            }
            full.add(elapsed)
        }

        // Clock-only update: alternate 14:05 and 14:06.
        var tick = WallTimeSamples()
        var tickPixels = 0
        for i in 0..<max(2, runs * 2) {
            let model = i % 2 == 0 ? second : first
            var dirty: [PixelRect] = []
            let elapsed = clock.measure {
                dirty = renderer.render(model)
                renderer.canvas.copy(dirty, into: memory, layout: layout)
            }
            tick.add(elapsed)
            tickPixels = dirty.reduce(0) { $0 + $1.area }
        }

        // A changed frame (the welcome's overlay comes and goes): the fills differ, so the
        // renderer redraws every band of the screen in place and diffs it against the
        // band's old pixels, then copies what changed.
        var overlay = first
        overlay.fills.append(Fill(CellRect(column: overlay.columns / 4, row: overlay.rows / 3, width: overlay.columns / 2, height: 5), .overlay))
        overlay.runs.append(TextRun(column: overlay.columns / 4 + 2, row: overlay.rows / 3 + 2, width: overlay.columns / 2 - 4, text: "Bienvenue, Camille !", role: .overlayTitle, alignment: .center))
        var changed = WallTimeSamples()
        _ = renderer.render(first)
        for i in 0..<max(2, runs * 2) {
            let model = i % 2 == 0 ? overlay : first
            let elapsed = clock.measure {
                let dirty = renderer.render(model)
                renderer.canvas.copy(dirty, into: memory, layout: layout)
            }
            changed.add(elapsed)
        }

        // An idle minute: one clock update; the tick loop's other wake-ups find an equal
        // model and draw nothing.
        let idleBytes = tickPixels * 4
        let coreShare = tick.median / 60 * 100
        return [
            BenchFigure(key: "display.full.median_ms", label: "full frame render + flush 1920x1080x32, median", value: full.median * 1000, unit: "ms"),
            BenchFigure(key: "display.full.best_ms", label: "full frame render + flush, best", value: full.best * 1000, unit: "ms"),
            BenchFigure(key: "display.changed.median_ms", label: "changed frame (an overlay comes or goes): redraw + diff every band + flush, median", value: changed.median * 1000, unit: "ms"),
            BenchFigure(key: "display.clock.median_ms", label: "clock-only update render + flush, median", value: tick.median * 1000, unit: "ms"),
            BenchFigure(key: "display.clock.best_ms", label: "clock-only update, best", value: tick.best * 1000, unit: "ms"),
            BenchFigure(key: "display.idle.bytes_per_minute", label: "bytes written to the framebuffer per idle minute", value: Double(idleBytes), unit: "bytes"),
            BenchFigure(key: "display.idle.core_percent", label: "share of one core drawing over an idle minute", value: coreShare, unit: "%"),
        ]
    }

    /// The same lobby one minute apart.
    func models(metrics: LobbyLayout.Metrics) -> (ScreenModel, ScreenModel) {
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
        let layout = LobbyLayout(config: config)
        return (layout.layout(LobbySnapshot.make(at: start, inputs: inputs, config: config), metrics: metrics),
                layout.layout(LobbySnapshot.make(at: start.addingTimeInterval(60), inputs: inputs, config: config), metrics: metrics))
    }
}

extension BenchCommandLine {
    /// `kiosk-bench display [--assets DIR] [--runs N] [--format table|kv]`.
    static func display(_ options: inout Options) throws {
        let format = try options.format()
        let assets = options.value("--assets") ?? ProcessInfo.processInfo.environment["KIOSK_ASSETS"] ?? "assets"
        let benchmark = DisplayBenchmark(fontDirectory: assets + "/fonts")
        let figures = try benchmark.measure(runs: try options.integer("--runs") ?? 50)
        print(format.render(title: "display: framebuffer render + flush at 1920x1080x32", figures))
    }
}
