/// A rectangle of cells: a column and row (0-based, from the top left) and a size in cells.
public struct CellRect: Hashable, Sendable {
    public var column: Int
    public var row: Int
    public var width: Int
    public var height: Int

    public init(column: Int, row: Int, width: Int, height: Int) {
        self.column = column
        self.row = row
        self.width = width
        self.height = height
    }

    /// The part of this rectangle that lies inside `other` (possibly empty).
    public func clamped(to other: CellRect) -> CellRect {
        let left = max(column, other.column)
        let top = max(row, other.row)
        let right = min(column + width, other.column + other.width)
        let bottom = min(row + height, other.row + other.height)
        return CellRect(column: left, row: top, width: max(0, right - left), height: max(0, bottom - top))
    }

    public var isEmpty: Bool { width <= 0 || height <= 0 }
}
