import Testing
import KioskCore
import KioskDisplay

@Suite("Dirty areas between frames")
struct RasterDirtyAreaTests {
    @Test(arguments: [(1920, 1080), (1280, 720), (1024, 768)])
    func aClockTickTouchesOnlyTheClock(size: (Int, Int)) throws {
        let fonts = try RepositoryAssets.fonts(forPixelWidth: size.0, height: size.1)
        let (model, metrics) = RasterFixtures.model(width: size.0, height: size.1, fonts: fonts)
        var renderer = FrameRenderer(pixelWidth: size.0, pixelHeight: size.1, fonts: fonts, theme: .lobby)
        #expect(renderer.metrics == metrics)
        #expect(renderer.render(model) == [PixelRect(x: 0, y: 0, width: size.0, height: size.1)])
        #expect(renderer.render(model) == [])

        var ticked = model
        let index = try #require(ticked.runs.firstIndex { $0.role == .clock })
        #expect(ticked.runs[index].text == "14:05")
        ticked.runs[index].text = "14:06"
        let dirty = renderer.render(ticked)
        let clock = renderer.grid.pixelRect(LobbyLayout().regions(metrics).clock)
        try #require(!dirty.isEmpty)
        for rect in dirty { #expect(clock.contains(rect), "\(rect) outside the clock \(clock)") }
        // Only the last digit changed: far less than the clock itself.
        #expect(dirty.reduce(0) { $0 + $1.area } <= clock.area / 2)
        // The renderer's canvas is now the ticked frame.
        #expect(renderer.canvas == LobbyRender.canvas(model: ticked, pixelWidth: size.0, pixelHeight: size.1, theme: .lobby, fonts: fonts))
    }

    @Test func changesInSeveralPlacesGiveSeveralAreas() throws {
        let fonts = try RepositoryAssets.fonts(forPixelWidth: 1024, height: 768)
        var renderer = FrameRenderer(pixelWidth: 1024, pixelHeight: 768, fonts: fonts, theme: .lobby)
        let grid = renderer.grid
        var model = ScreenModel(columns: grid.columns, rows: grid.rows, runs: [
            TextRun(column: 1, row: 1, width: 10, text: "haut", role: .title),
            TextRun(column: 60, row: 20, width: 10, text: "bas", role: .title),
        ])
        _ = renderer.render(model)
        model.runs[0].text = "HAUT"
        model.runs[1].text = "BAS"
        let dirty = renderer.render(model)
        #expect(dirty.count == 2)
        #expect(grid.pixelRect(CellRect(column: 1, row: 1, width: 4, height: 1)).contains(dirty[0]))
        #expect(grid.pixelRect(CellRect(column: 60, row: 20, width: 3, height: 1)).contains(dirty[1]))
        // Invalidation reports the whole screen again.
        renderer.invalidate()
        #expect(renderer.render(model) == [grid.bounds])
    }

    @Test func copyingTheDirtyAreasKeepsAMirrorInStep() throws {
        // What the framebuffer driver does: copy only dirty areas; the memory must equal
        // a full copy of the latest frame.
        let fonts = try RepositoryAssets.fonts(forPixelWidth: 1024, height: 768)
        var renderer = FrameRenderer(pixelWidth: 1024, pixelHeight: 768, fonts: fonts, theme: .lobby)
        let layout = PixelBufferLayout(format: .rgb565, width: 1024, height: 768, lineLength: 1024 * 2 + 64)
        var memory = [UInt8](repeating: 0, count: layout.lineLength * 768)
        var (model, _) = RasterFixtures.model(width: 1024, height: 768, fonts: fonts)
        for minute in ["14:05", "14:06", "14:07"] {
            if let i = model.runs.firstIndex(where: { $0.role == .clock }) { model.runs[i].text = minute }
            if minute == "14:07" { model.runs.removeLast() }
            let dirty = renderer.render(model)
            renderer.canvas.copy(dirty, into: &memory, layout: layout)
        }
        var expected = [UInt8](repeating: 0, count: memory.count)
        renderer.canvas.copy([renderer.canvas.bounds], into: &expected, layout: layout)
        #expect(memory == expected)
    }
}
