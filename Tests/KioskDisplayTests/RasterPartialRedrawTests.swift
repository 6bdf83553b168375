import Testing
import KioskCore
import KioskDisplay

/// When only text changes, the renderer redraws the touched cell rows alone: the result
/// must be the frame a full redraw gives.
@Suite("Partial redraws")
struct RasterPartialRedrawTests {
    @Test func removedMovedAndAddedRunsLeaveTheFullFrame() throws {
        let fonts = try RepositoryAssets.fonts(forPixelWidth: 1280, height: 720)
        var renderer = FrameRenderer(pixelWidth: 1280, pixelHeight: 720, fonts: fonts, theme: .lobby)
        let (model, _) = RasterFixtures.model(width: 1280, height: 720, fonts: fonts)
        _ = renderer.render(model)
        var next = model
        let removed = next.runs.removeLast()
        var moved = next.runs.removeFirst()
        moved.row = min(moved.row + 3, next.rows - 1)
        next.runs.append(moved)
        next.runs.append(TextRun(column: 2, row: next.rows / 2, width: 20, text: "Atelier annulé", role: .urgent, scale: 2))
        let dirty = renderer.render(next)
        #expect(!dirty.isEmpty)
        #expect(renderer.canvas == LobbyRender.canvas(model: next, pixelWidth: 1280, pixelHeight: 720, theme: .lobby, fonts: fonts))
        // And back: the rows come back exactly as they were.
        _ = renderer.render(model)
        #expect(renderer.canvas == LobbyRender.canvas(model: model, pixelWidth: 1280, pixelHeight: 720, theme: .lobby, fonts: fonts))
        _ = removed
    }

    /// A changed fill makes the renderer redraw every band in place (no second canvas):
    /// the frame must still be the one a fresh renderer draws, and the areas reported
    /// must cover every pixel that changed and nothing outside the changed bands.
    @Test(arguments: [(1920, 1080), (1024, 768)])
    func aChangedFillRedrawsBandByBandToTheFullFrame(size: (Int, Int)) throws {
        let (width, height) = size
        let fonts = try RepositoryAssets.fonts(forPixelWidth: width, height: height)
        var renderer = FrameRenderer(pixelWidth: width, pixelHeight: height, fonts: fonts, theme: .lobby)
        let (model, _) = RasterFixtures.model(width: width, height: height, fonts: fonts)
        _ = renderer.render(model)
        let before = renderer.canvas
        var next = model
        // An overlay over rows 5-7 of the middle of the screen, with text on it.
        next.fills.append(Fill(CellRect(column: 10, row: 5, width: 30, height: 3), .urgent))
        next.runs.append(TextRun(column: 12, row: 6, width: 20, text: "Fermeture à 18 h", role: .urgent))
        let dirty = renderer.render(next)
        let expected = LobbyRender.canvas(model: next, pixelWidth: width, pixelHeight: height, theme: .lobby, fonts: fonts)
        #expect(renderer.canvas == expected)
        // Every changed pixel is inside a reported area; the areas stay within rows 5-7.
        let grid = renderer.grid
        let rows = grid.pixelRect(CellRect(column: 0, row: 5, width: grid.columns, height: 3))
        for rect in dirty { #expect(rect.y >= rows.y && rect.maxY <= rows.maxY, "\(rect) outside rows 5-7") }
        var changed = 0, uncovered = 0
        for y in 0..<height {
            for x in 0..<width where before[x, y] != expected[x, y] {
                changed += 1
                if !dirty.contains(where: { $0.contains(PixelRect(x: x, y: y, width: 1, height: 1)) }) { uncovered += 1 }
            }
        }
        #expect(changed > 0)
        #expect(uncovered == 0)
        // The same model again: nothing to copy.
        #expect(renderer.render(next) == [])
        // And back to the first frame, pixel for pixel.
        _ = renderer.render(model)
        #expect(renderer.canvas == before)
    }
}
