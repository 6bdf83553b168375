import KioskCore
import Testing

/// Where the day's list and the rotating panel go, by screen size.
@Suite("Lobby regions")
struct LobbyRegionsTests {
    /// 1280x720 on the framebuffer is 106x30 cells with double-size headlines: side by side,
    /// the day's list gets the whole body height (one column above the other left it
    /// about ten rows, too few for an evening's events).
    @Test(arguments: [(106, 30, 2), (100, 40, 1), (200, 50, 1), (128, 32, 2)])
    func wideScreensPutTheDayBesideThePanel(columns: Int, rows: Int, scale: Int) {
        let r = LobbyLayout().regions(LobbyLayout.Metrics(columns: columns, rows: rows, headlineScale: scale))
        #expect(r.today.row == r.panel.row)
        #expect(r.today.height == r.panel.height)
        #expect(r.today.column + r.today.width < r.panel.column)
        #expect(r.panel.column + r.panel.width <= columns)
    }

    @Test(arguments: [(80, 24, 1), (99, 40, 1), (85, 32, 2)])
    func narrowScreensStackThem(columns: Int, rows: Int, scale: Int) {
        let r = LobbyLayout().regions(LobbyLayout.Metrics(columns: columns, rows: rows, headlineScale: scale))
        #expect(r.today.column == r.panel.column)
        #expect(r.today.row + r.today.height < r.panel.row)
        #expect(r.panel.row + r.panel.height <= rows)
    }
}
