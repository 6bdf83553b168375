import KioskCore

/// A screen of character cells in memory: what a terminal should show, `width` columns
/// by `height` rows, row 0 at the top.
///
/// Drawing goes through `put(_:column:row:maxWidth:style:)` and `fill(_:style:)`, which
/// sanitise text, measure it in columns, clip at the grid's edges, and keep wide
/// characters whole: overwriting either half of a wide character blanks the other half,
/// and a wide character that does not fit before the right edge is replaced by a space,
/// as terminals do. `TerminalFrameEncoder` turns the difference between two grids into
/// bytes for a terminal.
public struct CellGrid: Hashable, Sendable {
    public let width: Int
    public let height: Int
    /// Row-major: the cell at (column, row) is `cells[row * width + column]`.
    public private(set) var cells: [Cell]

    /// A grid of blank cells in `style`. Negative sizes count as 0.
    public init(width: Int, height: Int, style: CellStyle = .plain) {
        self.width = max(0, width)
        self.height = max(0, height)
        cells = Array(repeating: .blank(style), count: self.width * self.height)
    }

    /// The whole grid as a rectangle.
    public var bounds: CellRect { CellRect(column: 0, row: 0, width: width, height: height) }

    /// The cell at `column`, `row`; both must be inside the grid.
    public subscript(column: Int, row: Int) -> Cell {
        precondition(column >= 0 && column < width && row >= 0 && row < height, "cell outside the grid")
        return cells[row * width + column]
    }

    /// Draws `text` on `row` from `column` on, in `style`, and returns the column just after
    /// the last cell drawn.
    ///
    /// The text is sanitised (`TerminalText.sanitized`) and drawn one grapheme cluster per
    /// cell (two for a wide one). Drawing stops at the grid's right edge or after `maxWidth`
    /// columns, whichever comes first; nothing is drawn outside the grid (a negative
    /// `column` clips the start of the text). No ellipsis is added: truncate with
    /// `TerminalText.truncated` first when the cut should show.
    @discardableResult
    public mutating func put(
        _ text: String, column: Int, row: Int, maxWidth: Int? = nil, style: CellStyle = .plain
    ) -> Int {
        guard row >= 0 && row < height else { return column }
        let end = min(width, maxWidth.map { column + max(0, $0) } ?? width)
        var x = column
        for character in TerminalText.sanitized(text) {
            guard let cell = Cell(character, style: style) else { continue }
            if x + cell.width > end {
                // A wide character cut by the limit: its visible column becomes a space.
                if x >= 0 && x < end { place(.blank(style), column: x, row: row); x += 1 }
                break
            }
            if x < 0 {
                // Left of the grid; a wide character straddling column 0 leaves a space.
                if x + cell.width > 0 { place(.blank(style), column: 0, row: row) }
                x += cell.width
                continue
            }
            place(cell, column: x, row: row)
            x += cell.width
        }
        return x
    }

    /// Paints the part of `rect` inside the grid with blank cells in `style`.
    public mutating func fill(_ rect: CellRect, style: CellStyle) {
        let area = rect.clamped(to: bounds)
        guard !area.isEmpty else { return }
        for row in area.row..<(area.row + area.height) {
            for column in area.column..<(area.column + area.width) {
                place(.blank(style), column: column, row: row)
            }
        }
    }

    /// Blanks the whole grid in `style`.
    public mutating func clear(style: CellStyle = .plain) {
        cells = Array(repeating: .blank(style), count: width * height)
    }

    /// Sets one cell (both cells for a wide character), blanking the other half of any wide
    /// character it partly overwrites. A wide cell in the last column is stored as a blank.
    mutating func place(_ cell: Cell, column: Int, row: Int) {
        guard column >= 0 && column < width && row >= 0 && row < height, !cell.isContinuation else { return }
        var cell = cell
        if cell.width == 2 && column + 1 >= width { cell = .blank(cell.style) }
        let index = row * width + column
        breakWideCharacter(at: index, column: column)
        cells[index] = cell
        if cell.width == 2 {
            breakWideCharacter(at: index + 1, column: column + 1)
            cells[index + 1] = .continuation(cell.style)
        }
    }

    /// Before `cells[index]` is overwritten: blanks the other half of the wide character it
    /// belongs to, if any.
    private mutating func breakWideCharacter(at index: Int, column: Int) {
        let old = cells[index]
        if old.isContinuation && column > 0 {
            cells[index - 1] = .blank(cells[index - 1].style)
        } else if old.width == 2 && column + 1 < width {
            cells[index + 1] = .blank(cells[index + 1].style)
        }
    }

    /// The characters of one row as a string (continuation cells skipped), trailing
    /// spaces included.
    public func text(ofRow row: Int) -> String {
        var line = ""
        for column in 0..<width { line += self[column, row].text }
        return line
    }

    /// All rows as strings, top to bottom; handy in tests and logs.
    public var lines: [String] { (0..<height).map { text(ofRow: $0) } }

    /// This grid with every style brought to what a terminal in `mode` shows
    /// (`CellStyle.adapted(to:)`): what a terminal displays after `TerminalFrameEncoder`.
    public func adapted(to mode: ColorMode) -> CellGrid {
        var copy = self
        for index in copy.cells.indices { copy.cells[index].style = cells[index].style.adapted(to: mode) }
        return copy
    }

    /// Replaces a whole row as it is; for the virtual terminal's scrolling.
    mutating func setRow(_ row: Int, to newCells: ArraySlice<Cell>) {
        cells.replaceSubrange((row * width)..<((row + 1) * width), with: newCells)
    }
}
