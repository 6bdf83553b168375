import Foundation
import KioskCore
import KioskDisplay

/// The outline type engine against the console-font text drawing it replaces, in one run:
/// a typical line of the lobby drawn with `TypeEngine` (Lato, cached glyphs, linear-light
/// blending, quarter-pixel positions) and with the Terminus 16x32 console font as
/// `ScreenRasterizer` draws it (one bitmap glyph per cell); the same line measured; a glyph
/// drawn from an empty cache (outline read + rasterized); and, measured first in the
/// process, the glyph cache's bytes and the resident memory added after a full lobby frame.
///
/// The frame, until the pixel layout measures its own: every text run of the 1920x1080
/// lobby (`DisplayBenchmark.models`), set in Lato at the size its console cells have
/// (0.75 of the cell height: 24 px, 48 px for doubled runs), bold where the run is.
struct TypeBenchmark {
    var fontDirectory: String
    static let line = "18:30 – 20:00   Conférence : le design inclusif — Auditorium, Bât. C"

    func measure(runs: Int) throws -> [BenchFigure] {
        let console = try ShippedFonts.load(ShippedFonts.sizes[0], fromDirectory: fontDirectory)
        let grid = GlyphGrid(pixelWidth: 1920, pixelHeight: 1080, fonts: console)
        let (model, _) = DisplayBenchmark(fontDirectory: fontDirectory).models(metrics: LobbyRender.metrics(forPixelWidth: 1920, height: 1080, fonts: console))
        var frame = PixelCanvas(width: 1920, height: 1080)

        // A full lobby frame's text, first thing: the resident memory it adds (fonts mapped,
        // kerning indexes, the console font parsed, the glyphs cached) and the cache after it.
        let before = ProcessMemory.currentKiB
        let frameEngine = try TypeEngine(fontsDirectory: fontDirectory)
        let clock = ContinuousClock()
        var frameTime = WallTimeSamples()
        frameTime.add(clock.measure { drawText(of: model, grid: grid, engine: frameEngine, into: &frame) })
        let grown = ProcessMemory.currentKiB - before
        let afterFrame = frameEngine.glyphCacheStatistics
        let frameBytes = frameEngine.glyphCacheBytes
        for _ in 0..<max(1, runs / 5) {
            frameTime.add(clock.measure { drawText(of: model, grid: grid, engine: frameEngine, into: &frame) })
        }

        let engine = try TypeEngine(fontsDirectory: fontDirectory)
        var canvas = PixelCanvas(width: 1920, height: 1080, color: PixelColor(rgb: 0x1B2B3A))
        let style = TextStyle(pixelSize: 32)
        let repeats = 20

        // A line with outline type, glyphs cached (one warm-up draw).
        engine.draw(Self.line, style: style, x: 40.25, baseline: 100, color: .white, clip: canvas.bounds, into: &canvas)
        var outline = WallTimeSamples()
        for _ in 0..<max(1, runs) {
            outline.add(clock.measure {
                for _ in 0..<repeats {
                    engine.draw(Self.line, style: style, x: 40.25, baseline: 100, color: .white, clip: canvas.bounds, into: &canvas)
                }
            } / repeats)
        }

        // The same line with the console font, one glyph per 16x32 cell.
        let font = console.regular
        let glyphs = Self.line.map { font.glyph(for: $0) }
        var psf = WallTimeSamples()
        for _ in 0..<max(1, runs) {
            psf.add(clock.measure {
                for _ in 0..<repeats {
                    var x = 40
                    for glyph in glyphs {
                        canvas.draw(glyph, of: font, x: x, y: 200, color: .white, clip: canvas.bounds)
                        x += font.width
                    }
                }
            } / repeats)
        }

        // Measuring the line (what the layout asks, many times a frame).
        var measuring = WallTimeSamples()
        var sink = 0.0
        for _ in 0..<max(1, runs) {
            measuring.add(clock.measure {
                for _ in 0..<repeats { sink += engine.width(of: Self.line, style: style) }
            } / repeats)
        }

        // A glyph from an empty cache, at 32 px and at 96 px (the clock).
        var cold32 = WallTimeSamples(), cold96 = WallTimeSamples()
        for i in 0..<max(1, runs) {
            let fresh = try TypeEngine(fontsDirectory: fontDirectory)
            let text = String("AéR8g€"[String.Index(utf16Offset: i % 6, in: "AéR8g€")])
            cold32.add(clock.measure { fresh.draw(text, style: style, x: 10, baseline: 300, color: .white, clip: canvas.bounds, into: &canvas) })
            cold96.add(clock.measure { fresh.draw(text, style: TextStyle(weight: .bold, pixelSize: 96), x: 10, baseline: 500, color: .white, clip: canvas.bounds, into: &canvas) })
        }

        let chars = Double(Self.line.count)
        _ = sink
        return [
            BenchFigure(key: "type.line.outline_us", label: "a line of \(Self.line.count) characters at 32 px, outline type (cached glyphs), median", value: outline.median * 1e6, unit: "µs"),
            BenchFigure(key: "type.line.console_us", label: "the same line with the 16x32 console font, median", value: psf.median * 1e6, unit: "µs"),
            BenchFigure(key: "type.line.ratio", label: "outline / console time for the line", value: outline.median / psf.median, unit: "x"),
            BenchFigure(key: "type.line.per_glyph_ns", label: "outline type per character (cached), median", value: outline.median / chars * 1e9, unit: "ns"),
            BenchFigure(key: "type.measure_us", label: "measuring the line (width with kerning, no drawing), median", value: measuring.median * 1e6, unit: "µs"),
            BenchFigure(key: "type.cold32_us", label: "a glyph from an empty cache at 32 px (outline read + rasterized + drawn), median", value: cold32.median * 1e6, unit: "µs"),
            BenchFigure(key: "type.cold96_us", label: "a glyph from an empty cache at 96 px bold, median", value: cold96.median * 1e6, unit: "µs"),
            BenchFigure(key: "type.frame.first_ms", label: "a full lobby frame's text, first in the process (cache empty; font pages and blending tables read in; 1920x1080, the cell layout's runs in Lato)", value: frameTime.seconds[0] * 1000, unit: "ms"),
            BenchFigure(key: "type.frame.warm_ms", label: "the same frame's text, cache warm, median", value: frameTime.median * 1000, unit: "ms"),
            BenchFigure(key: "type.cache.bytes", label: "glyph cache after that frame (budget \(frameEngine.glyphCacheCapacity) B)", value: Double(frameBytes), unit: "bytes"),
            BenchFigure(key: "type.cache.glyphs", label: "glyph bitmaps in the cache after that frame", value: Double(afterFrame.count), unit: "glyphs"),
            BenchFigure(key: "type.memory.kib", label: "resident memory added by loading the engine and drawing that frame (VmRSS, this process)", value: Double(grown), unit: "KiB"),
        ]
    }

    /// Every text run of `model` at its cells, in Lato sized to the cell.
    private func drawText(of model: ScreenModel, grid: GlyphGrid, engine: TypeEngine, into canvas: inout PixelCanvas) {
        for run in model.runs where run.width > 0 {
            let scale = max(1, run.scale)
            let area = grid.pixelRect(CellRect(column: run.column, row: run.row, width: run.width, height: scale))
            let style = TextStyle(weight: run.bold ? .bold : .regular, pixelSize: Double(grid.cellHeight * scale) * 0.75)
            let baseline = Double(area.y) + engine.lineMetrics(style).ascent + Double(area.height) * 0.1
            engine.draw(run.text, style: style, x: Double(area.x), baseline: baseline, color: .white, clip: area, into: &canvas)
        }
    }
}

extension BenchCommandLine {
    /// `kiosk-bench type [--assets DIR] [--runs N] [--format table|kv]`.
    static func type(_ options: inout Options) throws {
        let format = try options.format()
        let assets = options.value("--assets") ?? ProcessInfo.processInfo.environment["KIOSK_ASSETS"] ?? "assets"
        let figures = try TypeBenchmark(fontDirectory: assets + "/fonts").measure(runs: try options.integer("--runs") ?? 50)
        print(format.render(title: "type: outline text (Lato) against the console font it replaces", figures))
    }
}
