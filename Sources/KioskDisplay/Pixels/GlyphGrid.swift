import KioskCore

/// The layout's cell grid laid over a screen of pixels: one cell per console-font glyph,
/// as many whole cells as fit, the leftover pixels split evenly into margins.
public struct GlyphGrid: Sendable, Hashable {
    public let pixelWidth: Int
    public let pixelHeight: Int
    public let cellWidth: Int
    public let cellHeight: Int
    public let columns: Int
    public let rows: Int
    /// Pixel position of cell (0, 0): the left and top margins.
    public let originX: Int
    public let originY: Int

    public init(pixelWidth: Int, pixelHeight: Int, cellWidth: Int, cellHeight: Int) {
        precondition(cellWidth > 0 && cellHeight > 0, "empty cells")
        self.pixelWidth = max(0, pixelWidth)
        self.pixelHeight = max(0, pixelHeight)
        self.cellWidth = cellWidth
        self.cellHeight = cellHeight
        columns = self.pixelWidth / cellWidth
        rows = self.pixelHeight / cellHeight
        originX = (self.pixelWidth - columns * cellWidth) / 2
        originY = (self.pixelHeight - rows * cellHeight) / 2
    }

    public init(pixelWidth: Int, pixelHeight: Int, fonts: ConsoleFontSet) {
        self.init(pixelWidth: pixelWidth, pixelHeight: pixelHeight, cellWidth: fonts.cellWidth, cellHeight: fonts.cellHeight)
    }

    /// The pixels covered by a rectangle of cells (not clipped).
    public func pixelRect(_ cells: CellRect) -> PixelRect {
        PixelRect(x: originX + cells.column * cellWidth, y: originY + cells.row * cellHeight,
                  width: cells.width * cellWidth, height: cells.height * cellHeight)
    }

    /// The pixels of the whole screen.
    public var bounds: PixelRect { PixelRect(x: 0, y: 0, width: pixelWidth, height: pixelHeight) }
}
