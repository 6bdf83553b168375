/// Turns one screen of cells into the next with as few bytes as it can: the LVGL
/// "flush only what changed" model, for an ANSI/VT100-compatible terminal.
///
/// `encode(from:to:)` compares the grid the terminal shows with the one it should show
/// and emits, row by row, runs of changed cells: a cursor move (CUP) where the cursor is
/// not already, an SGR sequence only where the style changes, then the characters.
/// Unchanged cells between two changes are rewritten when that is shorter than a cursor
/// move. With no previous grid, or one of another size, the screen is cleared and drawn
/// whole.
///
/// Byte-level contract (what `VirtualTerminal` interprets): `ESC[0m` then `ESC[H ESC[2J`
/// for a full redraw; `ESC[row;colH`; `ESC[...m`; UTF-8 text. The encoder assumes the
/// terminal's SGR state is reset when a frame starts and leaves it reset when the frame
/// ends (the `TerminalSession` start bytes reset it the first time). It never writes into
/// the last column with a pending wrap followed by more text, so the screen never scrolls.
public struct TerminalFrameEncoder: Sendable {
    public var colorMode: ColorMode
    /// The longest run of unchanged cells rewritten to join two changes instead of a
    /// cursor move.
    public var maximumRewrittenGap: Int

    public init(colorMode: ColorMode, maximumRewrittenGap: Int = 4) {
        self.colorMode = colorMode
        self.maximumRewrittenGap = maximumRewrittenGap
    }

    /// The bytes that turn a terminal showing `previous` (nil: unknown) into one showing
    /// `next`. Empty when nothing visible changed.
    public func encode(from previous: CellGrid?, to next: CellGrid) -> [UInt8] {
        var output = Output(colorMode: colorMode)
        let shown: CellGrid
        if let previous, previous.width == next.width, previous.height == next.height {
            shown = previous
        } else {
            // Reset first so that the erase paints with the default background.
            output.append("\u{1B}[0m\u{1B}[H\u{1B}[2J")
            output.cursor = (0, 0)
            shown = CellGrid(width: next.width, height: next.height)
        }
        for row in 0..<next.height {
            encodeRow(row, shown: shown, next: next, into: &output)
        }
        output.resetStyle()
        return output.bytes
    }

    private func same(_ a: Cell, _ b: Cell) -> Bool {
        a.text == b.text && a.width == b.width
            && (a.style == b.style || a.style.adapted(to: colorMode) == b.style.adapted(to: colorMode))
    }

    private func encodeRow(_ row: Int, shown: CellGrid, next: CellGrid, into output: inout Output) {
        let width = next.width
        var column = 0
        while column < width {
            if same(shown[column, row], next[column, row]) { column += 1; continue }
            // A run starts on a whole character.
            var start = column
            if next[start, row].isContinuation && start > 0 { start -= 1 }
            // Extend the run while the gaps of unchanged cells stay short.
            var lastChanged = column
            var probe = column + 1
            while probe < width && probe - lastChanged <= maximumRewrittenGap + 1 {
                if !same(shown[probe, row], next[probe, row]) { lastChanged = probe }
                probe += 1
            }
            output.moveCursor(column: start, row: row)
            var x = start
            while x <= lastChanged {
                let cell = next[x, row]
                if cell.isContinuation { x += 1; continue }
                output.write(cell, width: width)
                x += cell.width
            }
            column = x
        }
    }

    /// The byte buffer and what the terminal's cursor and SGR state are after it.
    private struct Output {
        let colorMode: ColorMode
        var bytes: [UInt8] = []
        /// nil when unknown (after writing into the last column: a wrap is pending).
        var cursor: (column: Int, row: Int)?
        var style = CellStyle.plain

        init(colorMode: ColorMode) { self.colorMode = colorMode }

        mutating func append(_ text: String) { bytes.append(contentsOf: text.utf8) }

        mutating func moveCursor(column: Int, row: Int) {
            if let cursor, cursor.column == column, cursor.row == row { return }
            append("\u{1B}[\(row + 1);\(column + 1)H")
            cursor = (column, row)
        }

        mutating func write(_ cell: Cell, width: Int) {
            let wanted = cell.style.adapted(to: colorMode)
            if wanted != style {
                append(SelectGraphicRendition.sequence(for: wanted))
                style = wanted
            }
            append(cell.text)
            if let position = cursor {
                let column = position.column + cell.width
                cursor = column < width ? (column, position.row) : nil
            }
        }

        mutating func resetStyle() {
            if style != .plain {
                append("\u{1B}[0m")
                style = .plain
            }
        }
    }
}

/// SGR (Select Graphic Rendition, ECMA-48 8.3.117) parameters for a cell style.
enum SelectGraphicRendition {
    /// `ESC[0;...m`: resets, then sets every attribute and colour of `style`.
    static func sequence(for style: CellStyle) -> String {
        var parameters = ["0"]
        if style.attributes.contains(.bold) { parameters.append("1") }
        if style.attributes.contains(.dim) { parameters.append("2") }
        if style.attributes.contains(.underline) { parameters.append("4") }
        if style.attributes.contains(.inverse) { parameters.append("7") }
        if let p = colorParameters(style.foreground, background: false) { parameters.append(p) }
        if let p = colorParameters(style.background, background: true) { parameters.append(p) }
        return "\u{1B}[" + parameters.joined(separator: ";") + "m"
    }

    static func colorParameters(_ color: TerminalColor, background: Bool) -> String? {
        switch color {
        case .default:
            return nil
        case .indexed(let n):
            return (background ? "48;5;" : "38;5;") + String(n)
        case .rgb(let r, let g, let b):
            return (background ? "48;2;" : "38;2;") + "\(r);\(g);\(b)"
        default:
            let index = color.ansiIndex!
            let base = index < 8 ? (background ? 40 : 30) : (background ? 100 : 90)
            return String(base + index % 8)
        }
    }
}
