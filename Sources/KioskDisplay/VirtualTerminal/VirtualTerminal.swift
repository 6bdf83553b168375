import KioskCore

/// An in-memory terminal that interprets the subset of ANSI/VT sequences the kiosk emits
/// into a `CellGrid`. **A test seam**, public so that daemon tests can check what the
/// terminal driver wrote ("apply the bytes to the previous screen, get the next grid")
/// without a real terminal.
///
/// Understood: UTF-8 text (wide characters take two cells, deferred wrap at the right
/// margin like xterm), CR, LF, BS, BEL; CSI `H`/`f` (CUP), `A` `B` `C` `D` (cursor moves),
/// `J` (ED 0/1/2/3), `K` (EL 0/1/2), `m` (SGR 0, 1, 2, 4, 7, 22, 24, 27, 30-37, 38;5;n,
/// 38;2;r;g;b, 39, 40-47, 48;5;n, 48;2;r;g;b, 49, 90-97, 100-107), private modes
/// `?25` (cursor), `?7` (auto-wrap) and `?1049` (alternate screen) set/reset.
/// Anything else is recorded in `unrecognized` rather than guessed at, so a test can
/// assert that the encoder stays inside this subset. Erasing uses the current
/// background colour, as xterm does ("background colour erase").
///
/// Text is split into grapheme clusters per contiguous run of printable bytes, so a
/// cluster that the encoder split across two cells (which it never does) would merge.
public struct VirtualTerminal: Sendable {
    public private(set) var grid: CellGrid
    /// 0-based cursor position.
    public private(set) var cursorColumn = 0
    public private(set) var cursorRow = 0
    /// The SGR state text is written with.
    public private(set) var style = CellStyle.plain
    public private(set) var isCursorVisible = true
    public private(set) var isAutowrapEnabled = true
    public private(set) var isAlternateScreenActive = false
    /// Sequences and control characters this terminal did not understand, in order.
    public private(set) var unrecognized: [String] = []

    /// Set after a character lands in the last column with auto-wrap on: the next
    /// printable character goes to the start of the next line.
    private var wrapPending = false
    private var savedMainScreen: CellGrid?
    private var savedCursor = (column: 0, row: 0)
    /// Bytes of a sequence or UTF-8 character cut at the end of the last `apply`.
    private var pending: [UInt8] = []

    public init(width: Int, height: Int) {
        grid = CellGrid(width: width, height: height)
    }

    /// A terminal already showing `grid`, cursor at the top left, SGR reset.
    public init(showing grid: CellGrid) {
        self.grid = grid
    }

    /// The visible text, one string per row.
    public var lines: [String] { grid.lines }

    /// Interprets `bytes` as written to the terminal.
    public mutating func apply(_ bytes: some Sequence<UInt8>) {
        var input = pending
        input.append(contentsOf: bytes)
        pending = []
        var index = 0
        while index < input.count {
            let byte = input[index]
            if byte == 0x1B {
                guard let end = sequenceEnd(input, from: index) else {
                    pending = Array(input[index...])
                    return
                }
                interpretEscape(Array(input[index..<end]))
                index = end
            } else if byte < 0x20 || byte == 0x7F {
                control(byte)
                index += 1
            } else {
                var end = index
                while end < input.count && input[end] >= 0x20 && input[end] != 0x7F { end += 1 }
                // Keep an incomplete UTF-8 character at the end for the next call.
                let complete = completeUTF8Prefix(input[index..<end], atEndOfInput: end == input.count)
                printText(input[index..<complete])
                if complete < end {
                    pending = Array(input[complete...])
                    return
                }
                index = end
            }
        }
    }

    // MARK: - Parsing

    /// The index just after the escape sequence starting at `start`, nil if incomplete.
    private func sequenceEnd(_ input: [UInt8], from start: Int) -> Int? {
        guard start + 1 < input.count else { return nil }
        if input[start + 1] == UInt8(ascii: "[") {
            var i = start + 2
            while i < input.count {
                if (0x40...0x7E).contains(input[i]) { return i + 1 }
                i += 1
            }
            return nil
        }
        var i = start + 1
        while i < input.count && (0x20...0x2F).contains(input[i]) { i += 1 }
        return i < input.count ? i + 1 : nil
    }

    private func completeUTF8Prefix(_ bytes: ArraySlice<UInt8>, atEndOfInput: Bool) -> Int {
        guard atEndOfInput else { return bytes.endIndex }
        // Look back at most 3 bytes for a lead byte whose sequence is cut.
        var i = bytes.endIndex - 1
        var back = 0
        while i >= bytes.startIndex && back < 4 {
            let b = bytes[i]
            if b & 0xC0 != 0x80 {
                let length = b >= 0xF0 ? 4 : b >= 0xE0 ? 3 : b >= 0xC0 ? 2 : 1
                return (bytes.endIndex - i) < length ? i : bytes.endIndex
            }
            i -= 1
            back += 1
        }
        return bytes.endIndex
    }

    private mutating func control(_ byte: UInt8) {
        switch byte {
        case 0x0D: cursorColumn = 0; wrapPending = false
        case 0x0A: lineFeed()
        case 0x08: cursorColumn = max(0, cursorColumn - 1); wrapPending = false
        case 0x07: break
        default: unrecognized.append("control 0x" + String(byte, radix: 16, uppercase: true))
        }
    }

    private mutating func interpretEscape(_ sequence: [UInt8]) {
        let text = String(decoding: sequence, as: UTF8.self)
        guard sequence.count >= 3, sequence[1] == UInt8(ascii: "[") else {
            unrecognized.append(text.debugDescription)
            return
        }
        let final = sequence.last!
        var body = Array(sequence[2..<(sequence.count - 1)])
        let isPrivate = body.first == UInt8(ascii: "?")
        if isPrivate { body.removeFirst() }
        guard body.allSatisfy({ (0x30...0x3B).contains($0) }) else {
            unrecognized.append(text.debugDescription)
            return
        }
        let parameters = String(decoding: body, as: UTF8.self)
            .split(separator: ";", omittingEmptySubsequences: false)
            .map { Int($0) }
        func parameter(_ i: Int, default value: Int) -> Int {
            i < parameters.count ? (parameters[i] ?? value) : value
        }
        switch (isPrivate, final) {
        case (false, UInt8(ascii: "H")), (false, UInt8(ascii: "f")):
            moveTo(column: max(1, parameter(1, default: 1)) - 1, row: max(1, parameter(0, default: 1)) - 1)
        case (false, UInt8(ascii: "A")): moveTo(column: cursorColumn, row: cursorRow - max(1, parameter(0, default: 1)))
        case (false, UInt8(ascii: "B")): moveTo(column: cursorColumn, row: cursorRow + max(1, parameter(0, default: 1)))
        case (false, UInt8(ascii: "C")): moveTo(column: cursorColumn + max(1, parameter(0, default: 1)), row: cursorRow)
        case (false, UInt8(ascii: "D")): moveTo(column: cursorColumn - max(1, parameter(0, default: 1)), row: cursorRow)
        case (false, UInt8(ascii: "J")): eraseInDisplay(parameter(0, default: 0), raw: text)
        case (false, UInt8(ascii: "K")): eraseInLine(parameter(0, default: 0), raw: text)
        case (false, UInt8(ascii: "m")): selectGraphicRendition(parameters.map { $0 ?? 0 }, raw: text)
        case (true, UInt8(ascii: "h")), (true, UInt8(ascii: "l")):
            for mode in parameters { setPrivateMode(mode ?? -1, on: final == UInt8(ascii: "h"), raw: text) }
        default:
            unrecognized.append(text.debugDescription)
        }
    }

    // MARK: - Effects

    private mutating func moveTo(column: Int, row: Int) {
        cursorColumn = min(max(0, column), max(0, grid.width - 1))
        cursorRow = min(max(0, row), max(0, grid.height - 1))
        wrapPending = false
    }

    private mutating func lineFeed() {
        wrapPending = false
        if cursorRow + 1 < grid.height {
            cursorRow += 1
        } else {
            scrollUp()
        }
    }

    private mutating func scrollUp() {
        guard grid.height > 0 else { return }
        for row in 0..<(grid.height - 1) {
            let start = (row + 1) * grid.width
            grid.setRow(row, to: grid.cells[start..<(start + grid.width)])
        }
        let blank = Array(repeating: Cell.blank(eraseStyle), count: grid.width)
        grid.setRow(grid.height - 1, to: blank[...])
    }

    private var eraseStyle: CellStyle { CellStyle(background: style.background) }

    private mutating func erase(row: Int, from start: Int, to end: Int) {
        guard start < end else { return }
        grid.fill(CellRect(column: start, row: row, width: end - start, height: 1), style: eraseStyle)
    }

    private mutating func eraseInDisplay(_ mode: Int, raw: String) {
        switch mode {
        case 0:
            erase(row: cursorRow, from: cursorColumn, to: grid.width)
            for row in (cursorRow + 1)..<max(cursorRow + 1, grid.height) { erase(row: row, from: 0, to: grid.width) }
        case 1:
            for row in 0..<cursorRow { erase(row: row, from: 0, to: grid.width) }
            erase(row: cursorRow, from: 0, to: cursorColumn + 1)
        case 2, 3:
            grid.fill(grid.bounds, style: eraseStyle)
        default:
            unrecognized.append(raw.debugDescription)
        }
    }

    private mutating func eraseInLine(_ mode: Int, raw: String) {
        switch mode {
        case 0: erase(row: cursorRow, from: cursorColumn, to: grid.width)
        case 1: erase(row: cursorRow, from: 0, to: cursorColumn + 1)
        case 2: erase(row: cursorRow, from: 0, to: grid.width)
        default: unrecognized.append(raw.debugDescription)
        }
    }

    private mutating func selectGraphicRendition(_ parameters: [Int], raw: String) {
        var i = 0
        let parameters = parameters.isEmpty ? [0] : parameters
        func extendedColor() -> TerminalColor? {
            // After 38 or 48: 5;n or 2;r;g;b.
            guard i + 1 < parameters.count else { return nil }
            if parameters[i + 1] == 5, i + 2 < parameters.count, (0...255).contains(parameters[i + 2]) {
                defer { i += 2 }
                return .indexed(UInt8(parameters[i + 2]))
            }
            if parameters[i + 1] == 2, i + 4 < parameters.count,
                parameters[(i + 2)...(i + 4)].allSatisfy({ (0...255).contains($0) }) {
                defer { i += 4 }
                return .rgb(UInt8(parameters[i + 2]), UInt8(parameters[i + 3]), UInt8(parameters[i + 4]))
            }
            return nil
        }
        while i < parameters.count {
            let p = parameters[i]
            switch p {
            case 0: style = .plain
            case 1: style.attributes.insert(.bold)
            case 2: style.attributes.insert(.dim)
            case 4: style.attributes.insert(.underline)
            case 7: style.attributes.insert(.inverse)
            case 22: style.attributes.subtract([.bold, .dim])
            case 24: style.attributes.remove(.underline)
            case 27: style.attributes.remove(.inverse)
            case 30...37: style.foreground = TerminalColor.ansi16[p - 30]
            case 39: style.foreground = .default
            case 40...47: style.background = TerminalColor.ansi16[p - 40]
            case 49: style.background = .default
            case 90...97: style.foreground = TerminalColor.ansi16[p - 90 + 8]
            case 100...107: style.background = TerminalColor.ansi16[p - 100 + 8]
            case 38, 48:
                guard let color = extendedColor() else {
                    unrecognized.append(raw.debugDescription)
                    return
                }
                if p == 38 { style.foreground = color } else { style.background = color }
            default:
                unrecognized.append(raw.debugDescription)
            }
            i += 1
        }
    }

    private mutating func setPrivateMode(_ mode: Int, on: Bool, raw: String) {
        switch mode {
        case 25: isCursorVisible = on
        case 7: isAutowrapEnabled = on
        case 1049:
            guard on != isAlternateScreenActive else { return }
            if on {
                savedMainScreen = grid
                savedCursor = (cursorColumn, cursorRow)
                grid = CellGrid(width: grid.width, height: grid.height)
                isAlternateScreenActive = true
            } else {
                grid = savedMainScreen ?? CellGrid(width: grid.width, height: grid.height)
                savedMainScreen = nil
                (cursorColumn, cursorRow) = savedCursor
                isAlternateScreenActive = false
            }
            wrapPending = false
        default:
            unrecognized.append(raw.debugDescription)
        }
    }

    private mutating func printText(_ bytes: ArraySlice<UInt8>) {
        guard !bytes.isEmpty else { return }
        for character in String(decoding: bytes, as: UTF8.self) {
            guard let cell = Cell(character, style: style) else {
                unrecognized.append("character \(String(character).debugDescription)")
                continue
            }
            printCell(cell)
        }
    }

    private mutating func printCell(_ cell: Cell) {
        guard grid.width > 0 && grid.height > 0 else { return }
        if wrapPending && isAutowrapEnabled {
            cursorColumn = 0
            lineFeed()
        }
        wrapPending = false
        if cursorColumn + cell.width > grid.width {
            // A wide character that does not fit in the last column.
            if isAutowrapEnabled {
                cursorColumn = 0
                lineFeed()
            } else {
                cursorColumn = grid.width - cell.width
            }
        }
        grid.place(cell, column: cursorColumn, row: cursorRow)
        if cursorColumn + cell.width >= grid.width {
            cursorColumn = grid.width - 1
            wrapPending = true
        } else {
            cursorColumn += cell.width
        }
    }
}
