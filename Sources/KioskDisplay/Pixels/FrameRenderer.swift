import KioskCore

/// Renders successive `ScreenModel`s into a RAM canvas and says which areas changed since
/// the previous frame: the one code path behind the framebuffer driver and
/// `kioskctl render`.
///
/// Each frame is drawn whole into a second canvas and compared with the one on screen,
/// band of cell rows by band of cell rows (plus the top and bottom margins): a band that
/// changed gives one rectangle spanning its changed pixel columns, and vertically adjacent
/// rectangles that overlap horizontally are merged. A clock tick therefore reports only
/// the clock's rows and columns. The first frame (and the one after `invalidate()`)
/// reports the whole screen.
public struct FrameRenderer: Sendable {
    public let rasterizer: ScreenRasterizer
    /// The frame last rendered: what the display should show.
    public private(set) var canvas: PixelCanvas
    private var scratch: PixelCanvas
    private var isValid = false
    /// The model on screen, to find what a new one changes.
    private var previous: ScreenModel?

    public init(pixelWidth: Int, pixelHeight: Int, fonts: ConsoleFontSet, theme: PixelTheme) {
        let grid = GlyphGrid(pixelWidth: pixelWidth, pixelHeight: pixelHeight, fonts: fonts)
        rasterizer = ScreenRasterizer(fonts: fonts, theme: theme, grid: grid)
        canvas = PixelCanvas(width: grid.pixelWidth, height: grid.pixelHeight, color: theme.style(.background).background)
        scratch = canvas
    }

    public var grid: GlyphGrid { rasterizer.grid }

    /// The grid the layout should fill for this renderer's screen and fonts.
    public var metrics: LobbyLayout.Metrics { LobbyRender.metrics(for: grid) }

    /// Forgets what is on screen: the next `render(_:)` reports everything (after the
    /// console drew over the framebuffer, or after unblanking).
    public mutating func invalidate() { isValid = false }

    /// Draws `model` and returns the areas that differ from the previous frame.
    ///
    /// When only text runs changed (the fills are the same), only the cell rows those runs
    /// cover are drawn again and compared: a clock tick costs its own rows, not a frame.
    public mutating func render(_ model: ScreenModel) -> [PixelRect] {
        if isValid, let previous, previous.fills == model.fills, previous.columns == model.columns, previous.rows == model.rows {
            self.previous = model
            return renderChangedRows(from: previous, to: model)
        }
        previous = model
        rasterizer.draw(model, into: &scratch)
        swap(&canvas, &scratch)
        guard isValid else {
            isValid = true
            return canvas.bounds.isEmpty ? [] : [canvas.bounds]
        }
        return Self.changes(from: scratch, to: canvas, bands: bands())
    }

    /// Redraws the cell rows touched by runs that appeared or went away, keeping the old
    /// pixels of those rows in `scratch` to compare against.
    private mutating func renderChangedRows(from old: ScreenModel, to new: ScreenModel) -> [PixelRect] {
        let before = Set(old.runs), after = Set(new.runs)
        var rows = Set<Int>()
        for run in before.symmetricDifference(after) {
            for row in run.row..<(run.row + max(1, run.scale)) where row >= 0 && row < grid.rows { rows.insert(row) }
        }
        guard !rows.isEmpty else { return [] }
        var bands: [Range<Int>] = []
        for row in rows.sorted() {
            let band = (grid.originY + row * grid.cellHeight)..<(grid.originY + (row + 1) * grid.cellHeight)
            bands.append(band)
            let area = PixelRect(x: 0, y: band.lowerBound, width: canvas.width, height: band.count)
            scratch.copyRows(band, from: canvas)
            rasterizer.draw(new, into: &canvas, within: area)
        }
        return Self.changes(from: scratch, to: canvas, bands: bands)
    }

    /// Horizontal bands: the top margin, each cell row, the bottom margin.
    private func bands() -> [Range<Int>] {
        let g = grid
        var bands: [Range<Int>] = []
        if g.originY > 0 { bands.append(0..<g.originY) }
        for row in 0..<g.rows { bands.append((g.originY + row * g.cellHeight)..<(g.originY + (row + 1) * g.cellHeight)) }
        let bottom = g.originY + g.rows * g.cellHeight
        if bottom < g.pixelHeight { bands.append(bottom..<g.pixelHeight) }
        return bands
    }

    /// The changed areas between two canvases of the same size, per band.
    static func changes(from old: PixelCanvas, to new: PixelCanvas, bands: [Range<Int>]) -> [PixelRect] {
        precondition(old.width == new.width && old.height == new.height, "canvases of different sizes")
        let width = new.width
        var rects: [PixelRect] = []
        old.pixels.withUnsafeBufferPointer { a in
            new.pixels.withUnsafeBufferPointer { b in
                for band in bands {
                    var minX = width, maxX = -1
                    for y in band {
                        let row = y * width
                        var left = 0
                        while left < minX && a[row + left] == b[row + left] { left += 1 }
                        if left < minX { minX = left }
                        var right = width - 1
                        while right > maxX && right >= minX && a[row + right] == b[row + right] { right -= 1 }
                        if right > maxX && right >= minX { maxX = right }
                    }
                    guard maxX >= minX else { continue }
                    let rect = PixelRect(x: minX, y: band.lowerBound, width: maxX - minX + 1, height: band.count)
                    if let last = rects.last, last.maxY == rect.y, last.x < rect.maxX, rect.x < last.maxX {
                        rects[rects.count - 1] = last.union(rect)
                    } else {
                        rects.append(rect)
                    }
                }
            }
        }
        return rects
    }
}
