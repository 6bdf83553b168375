import Foundation
import Testing
import KioskCore
import KioskDisplay

@Suite("Raster rendering of the screen model")
struct RasterRenderingTests {
    let theme = PixelTheme.lobby

    @Test func gridAndMargins() throws {
        let big = GlyphGrid(pixelWidth: 1920, pixelHeight: 1080, cellWidth: 16, cellHeight: 32)
        #expect(big.columns == 120 && big.rows == 33)
        #expect(big.originX == 0 && big.originY == 12)  // 1080 - 33 * 32 = 24 pixels, half above
        let small = GlyphGrid(pixelWidth: 1024, pixelHeight: 768, cellWidth: 12, cellHeight: 24)
        #expect(small.columns == 85 && small.rows == 32)
        #expect(small.originX == 2 && small.originY == 0)
        #expect(small.pixelRect(CellRect(column: 1, row: 2, width: 3, height: 1)) == PixelRect(x: 14, y: 48, width: 36, height: 24))
        let fonts = try RepositoryAssets.fonts(forPixelWidth: 1280, height: 720)
        let metrics = LobbyRender.metrics(forPixelWidth: 1280, height: 720, fonts: fonts)
        #expect(metrics == LobbyLayout.Metrics(columns: 106, rows: 30, headlineScale: 2))
    }

    /// The pixels of one cell as a picture, "#" where the colour is `ink`.
    func picture(_ canvas: PixelCanvas, _ rect: PixelRect, ink: PixelColor) -> [String] {
        (rect.y..<rect.maxY).map { y in String((rect.x..<rect.maxX).map { canvas[$0, y] == ink.xrgb ? "#" : "." }) }
    }

    func scaled(_ rows: [String], _ s: Int) -> [String] {
        rows.flatMap { row in Array(repeating: String(row.flatMap { Array(repeating: $0, count: s) }), count: s) }
    }

    @Test func textRunsDrawGlyphsCutAndAligned() throws {
        let fonts = try RepositoryAssets.fonts(forPixelWidth: 1024, height: 768)
        let grid = GlyphGrid(pixelWidth: 1024, pixelHeight: 768, fonts: fonts)
        let model = ScreenModel(columns: grid.columns, rows: grid.rows, runs: [
            TextRun(column: 2, row: 1, width: 10, text: "Été", role: .title),
            TextRun(column: 2, row: 3, width: 4, text: "ABCDEFG", role: .time),
            TextRun(column: 2, row: 5, width: 10, text: "ab", role: .detail, alignment: .trailing),
            TextRun(column: 2, row: 7, width: 6, text: "Zé", role: .heading, scale: 2),
            TextRun(column: 2, row: 10, width: 3, text: "漢x", role: .title),
            TextRun(column: 2, row: 12, width: 4, text: "b", role: .urgent),
        ])
        let canvas = LobbyRender.canvas(model: model, pixelWidth: 1024, pixelHeight: 768, theme: theme, fonts: fonts)
        func cell(_ c: Int, _ r: Int, _ w: Int = 1, _ h: Int = 1) -> PixelRect { grid.pixelRect(CellRect(column: c, row: r, width: w, height: h)) }
        let regular = fonts.regular, bold = fonts.bold
        let title = theme.style(.title).foreground
        // "Été": É in the first cell, é in the second (NFC lookups), nothing in the fourth.
        #expect(picture(canvas, cell(2, 1), ink: title) == regular.picture(regular.glyph(for: "É")))
        #expect(picture(canvas, cell(3, 1), ink: title) == regular.picture(regular.glyph(for: "t")))
        #expect(picture(canvas, cell(4, 1), ink: title) == regular.picture(regular.glyph(for: "é")))
        #expect(picture(canvas, cell(5, 1), ink: title).joined().allSatisfy { $0 == "." })
        // Cut to four cells: "ABC…".
        let time = theme.style(.time).foreground
        #expect(picture(canvas, cell(4, 3), ink: time) == regular.picture(regular.glyph(for: "C")))
        #expect(picture(canvas, cell(5, 3), ink: time) == regular.picture(regular.glyph(for: "…")))
        #expect(picture(canvas, cell(6, 3), ink: time).joined().allSatisfy { $0 == "." })
        // Trailing alignment: "ab" in the last two cells of ten.
        let detail = theme.style(.detail).foreground
        #expect(picture(canvas, cell(10, 5), ink: detail) == regular.picture(regular.glyph(for: "a")))
        #expect(picture(canvas, cell(11, 5), ink: detail) == regular.picture(regular.glyph(for: "b")))
        // Scale 2, bold heading style: each glyph doubled over 2x2 cells, bold face.
        let heading = theme.style(.heading).foreground
        #expect(picture(canvas, cell(2, 7, 2, 2), ink: heading) == scaled(bold.picture(bold.glyph(for: "Z")), 2))
        #expect(picture(canvas, cell(4, 7, 2, 2), ink: heading) == scaled(bold.picture(bold.glyph(for: "é")), 2))
        // A missing wide character: the replacement, then the next character two cells on.
        #expect(picture(canvas, cell(2, 10), ink: title) == regular.picture(regular.replacement))
        #expect(picture(canvas, cell(4, 10), ink: title) == regular.picture(regular.glyph(for: "x")))
        // A run paints its role's background behind its characters only, and only when it
        // differs from the screen background (a muted footer line lets the band show).
        let urgent = theme.style(.urgent)
        #expect(canvas.color(x: cell(2, 12).x, y: cell(2, 12).y) == urgent.background)
        #expect(canvas.color(x: cell(3, 12).x, y: cell(3, 12).y) == theme.style(.background).background)
        #expect(picture(canvas, cell(2, 12), ink: urgent.foreground) == bold.picture(bold.glyph(for: "b")))
    }

    @Test func fillsAndMarginsUseTheTheme() throws {
        let fonts = try RepositoryAssets.fonts(forPixelWidth: 1920, height: 1080)
        let grid = GlyphGrid(pixelWidth: 1920, pixelHeight: 1080, fonts: fonts)
        let model = ScreenModel(columns: grid.columns, rows: grid.rows, fills: [
            Fill(CellRect(column: 0, row: 0, width: grid.columns, height: 2), .header),
            Fill(CellRect(column: 0, row: 40, width: grid.columns, height: 3), .footer),  // off-grid: clipped away
            Fill(CellRect(column: 10, row: 32, width: 5, height: 1), .urgent),  // last row: down to the bottom edge
            Fill(CellRect(column: 10, row: 10, width: 5, height: 1), .overlay),  // inside: no bleeding
        ])
        let canvas = LobbyRender.canvas(model: model, pixelWidth: 1920, pixelHeight: 1080, theme: theme, fonts: fonts)
        let background = theme.style(.background).background
        // The header touches the top edge: it covers the 12-pixel top margin too.
        #expect(canvas.color(x: 5, y: 0) == theme.style(.header).background)
        #expect(canvas.color(x: 1919, y: 12 + 63) == theme.style(.header).background)
        #expect(canvas.color(x: 5, y: 12 + 64) == background)
        #expect(canvas.color(x: 5, y: 1079) == background)
        #expect(canvas.color(x: 160, y: 1079) == theme.style(.urgent).background)
        #expect(canvas.color(x: 160, y: 12 + 32 * 32) == theme.style(.urgent).background)
        #expect(canvas.color(x: 160, y: 12 + 32 * 32 - 1) == background)
        #expect(canvas.color(x: 159, y: 1079) == background)
        #expect(canvas.color(x: 160, y: 12 + 320) == theme.style(.overlay).background)
        #expect(canvas.color(x: 160, y: 12 + 319) == background)
        #expect(canvas.color(x: 160 + 80, y: 12 + 320) == background)
    }
}
