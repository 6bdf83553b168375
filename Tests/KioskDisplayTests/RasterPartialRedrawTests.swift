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
}
