import KioskCore

/// Renders successive `ScreenModel`s into a RAM canvas and says which areas changed since
/// the previous frame: the one code path behind the framebuffer driver and
/// `kioskctl render`.
///
/// Frames are drawn straight into the one full-screen canvas, band by band (the top
/// margin, each cell row, the bottom margin): before a band is drawn again its old pixels
/// are kept in a buffer one band high, and the band is compared with them right after. A
/// band that changed gives one rectangle spanning its changed pixel columns, and
/// vertically adjacent rectangles that overlap horizontally are merged. A clock tick
/// therefore reports only the clock's rows and columns. The first frame (and the one
/// after `invalidate()`) is drawn whole and reports the whole screen.
///
/// Memory: one canvas (4 bytes a pixel: 8.3 MB at 1920x1080) and one band (at most a
/// cell row: 1920 x 32 x 4 = 245 KB with the 16x32 font), instead of a second canvas.
public struct FrameRenderer: Sendable {
    public let rasterizer: ScreenRasterizer
    /// The frame last rendered: what the display should show.
    public private(set) var canvas: PixelCanvas
    /// The old pixels of the band being redrawn, `canvas.width` pixels a row, as many rows
    /// as the tallest band.
    private var bandBefore: [UInt32]
    private var isValid = false
    /// The model on screen, to find what a new one changes.
    private var previous: ScreenModel?

    public init(pixelWidth: Int, pixelHeight: Int, fonts: ConsoleFontSet, theme: PixelTheme) {
        let grid = GlyphGrid(pixelWidth: pixelWidth, pixelHeight: pixelHeight, fonts: fonts)
        rasterizer = ScreenRasterizer(fonts: fonts, theme: theme, grid: grid)
        canvas = PixelCanvas(width: grid.pixelWidth, height: grid.pixelHeight, color: theme.style(.background).background)
        let tallest = Self.bands(of: grid).map(\.count).max() ?? 0
        bandBefore = [UInt32](repeating: 0, count: grid.pixelWidth * tallest)
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
        defer { previous = model }
        guard isValid else {
            rasterizer.draw(model, into: &canvas)
            isValid = true
            return canvas.bounds.isEmpty ? [] : [canvas.bounds]
        }
        if let previous, previous.fills == model.fills, previous.columns == model.columns, previous.rows == model.rows {
            return redraw(model, bands: changedRows(from: previous, to: model))
        }
        return redraw(model, bands: Self.bands(of: grid))
    }

    /// The pixel rows of the cell rows touched by runs that appeared or went away.
    private func changedRows(from old: ScreenModel, to new: ScreenModel) -> [Range<Int>] {
        let before = Set(old.runs), after = Set(new.runs)
        var rows = Set<Int>()
        for run in before.symmetricDifference(after) {
            for row in run.row..<(run.row + max(1, run.scale)) where row >= 0 && row < grid.rows { rows.insert(row) }
        }
        return rows.sorted().map { (grid.originY + $0 * grid.cellHeight)..<(grid.originY + ($0 + 1) * grid.cellHeight) }
    }

    /// Draws `model` over each band of `bands` (top to bottom, none taller than
    /// `bandBefore` holds) and returns the changed areas.
    private mutating func redraw(_ model: ScreenModel, bands: [Range<Int>]) -> [PixelRect] {
        let width = canvas.width
        var rects: [PixelRect] = []
        for band in bands {
            let count = band.count * width
            precondition(count <= bandBefore.count, "band taller than the band buffer")
            canvas.withPixels { source in
                bandBefore.withUnsafeMutableBufferPointer { saved in
                    _ = saved.update(fromContentsOf: source[(band.lowerBound * width)..<(band.upperBound * width)])
                }
            }
            rasterizer.draw(model, into: &canvas, within: PixelRect(x: 0, y: band.lowerBound, width: width, height: band.count))
            guard let columns = Self.changedColumns(old: bandBefore, new: canvas.pixels, newStart: band.lowerBound * width, width: width, rows: band.count) else { continue }
            let rect = PixelRect(x: columns.lowerBound, y: band.lowerBound, width: columns.count, height: band.count)
            if let last = rects.last, last.maxY == rect.y, last.x < rect.maxX, rect.x < last.maxX {
                rects[rects.count - 1] = last.union(rect)
            } else {
                rects.append(rect)
            }
        }
        return rects
    }

    /// The span of pixel columns where `rows` rows of `old` (from its start) and of `new`
    /// (from `newStart`) differ, or nil when they are the same.
    static func changedColumns(old: [UInt32], new: [UInt32], newStart: Int, width: Int, rows: Int) -> Range<Int>? {
        var minX = width, maxX = -1
        old.withUnsafeBufferPointer { a in
            new.withUnsafeBufferPointer { b in
                for y in 0..<rows {
                    let rowA = y * width, rowB = newStart + y * width
                    var left = 0
                    while left < minX && a[rowA + left] == b[rowB + left] { left += 1 }
                    if left < minX { minX = left }
                    var right = width - 1
                    while right > maxX && right >= minX && a[rowA + right] == b[rowB + right] { right -= 1 }
                    if right > maxX && right >= minX { maxX = right }
                }
            }
        }
        return maxX >= minX ? minX..<(maxX + 1) : nil
    }

    /// Horizontal bands: the top margin, each cell row, the bottom margin.
    static func bands(of g: GlyphGrid) -> [Range<Int>] {
        var bands: [Range<Int>] = []
        if g.originY > 0 { bands.append(0..<g.originY) }
        for row in 0..<g.rows { bands.append((g.originY + row * g.cellHeight)..<(g.originY + (row + 1) * g.cellHeight)) }
        let bottom = g.originY + g.rows * g.cellHeight
        if bottom < g.pixelHeight { bands.append(bottom..<g.pixelHeight) }
        return bands
    }
}
