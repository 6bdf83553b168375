import KioskCore
import Testing
@testable import KioskDisplay

@Suite("CellGrid")
struct CellGridTests {
    let red = CellStyle(foreground: .red)

    @Test func putWritesOneClusterPerCellAndReturnsTheNextColumn() {
        var grid = CellGrid(width: 10, height: 2)
        let end = grid.put("Cine\u{301}ma", column: 1, row: 0, style: red)
        #expect(end == 7)
        #expect(grid.text(ofRow: 0) == " Cinéma   ")
        #expect(grid[4, 0].text == "é")
        #expect(grid[4, 0].style == red)
        #expect(grid[7, 0].style == .plain)
    }

    @Test func putClipsAtTheRightEdgeAndAtMaxWidth() {
        var grid = CellGrid(width: 8, height: 1)
        #expect(grid.put("Vernissage", column: 0, row: 0) == 8)
        #expect(grid.text(ofRow: 0) == "Vernissa")
        var limited = CellGrid(width: 8, height: 1)
        #expect(limited.put("Vernissage", column: 2, row: 0, maxWidth: 3) == 5)
        #expect(limited.text(ofRow: 0) == "  Ver   ")
        // Outside the grid: nothing happens.
        var untouched = CellGrid(width: 8, height: 1)
        untouched.put("x", column: 0, row: 1)
        untouched.put("x", column: 8, row: 0)
        #expect(untouched == CellGrid(width: 8, height: 1))
    }

    @Test func wideCharactersTakeTwoCellsAndAreNeverCut() {
        var grid = CellGrid(width: 5, height: 1)
        grid.put("日本語", column: 0, row: 0, style: red)
        // 日 本 fill four columns; 語 does not fit in the last one, which becomes a space.
        #expect(grid[0, 0].text == "日")
        #expect(grid[0, 0].width == 2)
        #expect(grid[1, 0].isContinuation)
        #expect(grid[1, 0].style == red)
        #expect(grid[4, 0] == .blank(red))
        #expect(grid.text(ofRow: 0) == "日本 ")
        // Same at a maxWidth limit.
        var limited = CellGrid(width: 10, height: 1)
        #expect(limited.put("日本", column: 0, row: 0, maxWidth: 3) == 3)
        #expect(limited.text(ofRow: 0) == "日        ")
    }

    @Test func overwritingHalfOfAWideCharacterBlanksTheOtherHalf() {
        var grid = CellGrid(width: 6, height: 1)
        grid.put("日本語", column: 0, row: 0)
        grid.put("x", column: 1, row: 0)  // right half of 日
        #expect(grid.text(ofRow: 0) == " x本語")
        grid.put("y", column: 2, row: 0)  // left half of 本
        #expect(grid.text(ofRow: 0) == " xy 語")
        #expect(!grid[3, 0].isContinuation)
        // A wide character over the right half of another.
        grid.put("👩‍💻", column: 5 - 1, row: 0)
        #expect(grid.text(ofRow: 0) == " xy 👩‍💻")
        grid.put("字", column: 3, row: 0)
        #expect(grid.text(ofRow: 0) == " xy字 ")
    }

    @Test func negativeColumnClipsTheStart() {
        var grid = CellGrid(width: 5, height: 1)
        grid.put("abcdef", column: -2, row: 0)
        #expect(grid.text(ofRow: 0) == "cdef ")
        var wide = CellGrid(width: 5, height: 1)
        wide.put("日本", column: -1, row: 0)
        #expect(wide.text(ofRow: 0) == " 本  ")
    }

    @Test func controlCharactersNeverReachACell() {
        var grid = CellGrid(width: 20, height: 1)
        grid.put("Expo\u{1B}]0;x\u{07}\u{1B}[2J\u{9B}1m!", column: 0, row: 0)
        #expect(grid.text(ofRow: 0) == "Expo!               ")
        #expect(Cell("\u{1B}") == nil)
        #expect(Cell("\u{9B}") == nil)
        #expect(Cell("\u{301}") == nil)
        #expect(Cell("\u{202E}") == nil)
        #expect(Cell("é")?.width == 1)
    }

    @Test func fillPaintsInsideTheGridOnly() {
        var grid = CellGrid(width: 4, height: 3)
        grid.put("日本", column: 0, row: 1)
        let bar = CellStyle(background: .blue)
        grid.fill(CellRect(column: 1, row: 1, width: 10, height: 10), style: bar)
        // The fill cut 日 in half: its left half becomes a plain space.
        #expect(grid[0, 1] == .blank(.plain))
        for row in 1..<3 {
            for column in 1..<4 { #expect(grid[column, row] == .blank(bar)) }
        }
        #expect(grid[1, 0] == .blank(.plain))
        grid.fill(CellRect(column: -5, row: -5, width: 2, height: 2), style: bar)  // fully outside
        #expect(grid[0, 0] == .blank(.plain))
    }

    @Test func equalityComparesTextAndStyle() {
        var a = CellGrid(width: 3, height: 1)
        var b = CellGrid(width: 3, height: 1)
        a.put("abc", column: 0, row: 0)
        b.put("abc", column: 0, row: 0)
        #expect(a == b)
        b.put("c", column: 2, row: 0, style: CellStyle(attributes: .bold))
        #expect(a != b)
        #expect(CellGrid(width: 3, height: 1) != CellGrid(width: 1, height: 3))
    }
}
