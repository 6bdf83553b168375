import KioskCore
import KioskDisplay

/// Turns a backend-free `ScreenModel` into terminal cells with a theme: fills first, then
/// text runs cut with "…" to their width and aligned.
///
/// Terminals have one glyph size: a run of scale 2 is drawn at scale 1, in bold.
public struct ScreenPainter: Sendable {
    public var theme: TerminalTheme

    public init(theme: TerminalTheme) { self.theme = theme }

    public func paint(_ model: ScreenModel) -> CellGrid {
        var grid = CellGrid(width: model.columns, height: model.rows, style: theme.style(.background))
        for fill in model.fills {
            grid.fill(fill.rect, style: theme.style(fill.role))
        }
        for run in model.runs where run.width > 0 {
            var style = theme.style(run.role)
            if run.bold || run.scale > 1 { style.attributes.insert(.bold) }
            let text = TerminalText.truncated(TerminalText.sanitized(run.text), toWidth: run.width)
            let width = TerminalText.width(of: text)
            let offset: Int
            switch run.alignment {
            case .leading: offset = 0
            case .center: offset = (run.width - width) / 2
            case .trailing: offset = run.width - width
            }
            grid.put(text, column: run.column + offset, row: run.row, maxWidth: run.width - offset, style: style)
        }
        return grid
    }
}
