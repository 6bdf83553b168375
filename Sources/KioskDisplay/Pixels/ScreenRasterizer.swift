import KioskCore

/// Draws a backend-free `ScreenModel` into a `PixelCanvas` with console fonts and a theme:
/// the pixel twin of the terminal's `ScreenPainter`.
///
/// The whole canvas gets the `background` colour, then fills are painted in order (a fill
/// that reaches an edge of the grid extends over the margin on that side, so bands run
/// to the screen's edges), then text runs: sanitised, cut with "…" to their width and
/// aligned, each character in one cell (two for wide characters). A run whose role has a
/// background of its own (other than the `background` role's) paints it behind the
/// characters it draws; other runs are drawn over whatever fill is beneath them. A run of
/// `scale` 2 draws each glyph doubled, over 2x2 cells; its `width` counts scaled cells.
/// Bold runs, and roles the theme marks bold, use the bold face.
public struct ScreenRasterizer: Sendable {
    public let fonts: ConsoleFontSet
    public let theme: PixelTheme
    public let grid: GlyphGrid

    public init(fonts: ConsoleFontSet, theme: PixelTheme, grid: GlyphGrid) {
        self.fonts = fonts
        self.theme = theme
        self.grid = grid
    }

    /// Paints the whole frame (every pixel of `canvas` is written).
    public func draw(_ model: ScreenModel, into canvas: inout PixelCanvas) {
        draw(model, into: &canvas, within: canvas.bounds)
    }

    /// Paints only the pixels of `area` (every one of them), leaving the rest of `canvas`
    /// as it is: what a partial redraw of a few cell rows needs.
    public func draw(_ model: ScreenModel, into canvas: inout PixelCanvas, within area: PixelRect) {
        let screen = grid.bounds.intersection(area)
        canvas.fill(screen, theme.style(.background).background)
        for fill in model.fills {
            canvas.fill(bleed(fill.rect).intersection(screen), theme.style(fill.role).background)
        }
        let cells = grid.pixelRect(CellRect(column: 0, row: 0, width: grid.columns, height: grid.rows)).intersection(area)
        for run in model.runs where run.width > 0 {
            draw(run, into: &canvas, clip: cells)
        }
    }

    /// The pixels of a fill, extended into the margins on the sides where it touches the
    /// edge of the grid.
    private func bleed(_ cells: CellRect) -> PixelRect {
        var rect = grid.pixelRect(cells)
        if cells.column <= 0 { rect.width += rect.x; rect.x = 0 }
        if cells.row <= 0 { rect.height += rect.y; rect.y = 0 }
        if cells.maxColumn >= grid.columns { rect.width = grid.pixelWidth - rect.x }
        if cells.maxRow >= grid.rows { rect.height = grid.pixelHeight - rect.y }
        return rect
    }

    private func draw(_ run: TextRun, into canvas: inout PixelCanvas, clip screen: PixelRect) {
        let scale = max(1, run.scale)
        let style = theme.style(run.role)
        let font = fonts.font(bold: run.bold || style.bold)
        let slots = run.width / scale
        guard slots > 0 else { return }
        let runArea = grid.pixelRect(CellRect(column: run.column, row: run.row, width: slots * scale, height: scale))
        let clip = runArea.intersection(screen)
        // Before the text work: a band redraw asks every run, and most are outside it.
        guard !clip.isEmpty else { return }
        let text = TerminalText.truncated(TerminalText.sanitized(run.text), toWidth: slots)
        let used = TerminalText.width(of: text)
        let offset: Int
        switch run.alignment {
        case .leading: offset = 0
        case .center: offset = (slots - used) / 2
        case .trailing: offset = slots - used
        }
        let step = grid.cellWidth * scale
        let textArea = PixelRect(x: runArea.x + offset * step, y: runArea.y, width: used * step, height: runArea.height)
        if style.background != theme.style(.background).background {
            canvas.fill(textArea.intersection(clip), style.background)
        }
        var x = textArea.x
        for character in text {
            let cells = TerminalText.width(of: character)
            guard cells > 0 else { continue }
            canvas.draw(font.glyph(for: character), of: font, x: x, y: runArea.y, scale: scale, color: style.foreground, clip: clip)
            x += cells * step
        }
        if style.underline {
            let thickness = max(1, grid.cellHeight / 16) * scale
            canvas.fill(PixelRect(x: textArea.x, y: textArea.maxY - 2 * thickness, width: textArea.width, height: thickness).intersection(clip), style.foreground)
        }
    }
}
