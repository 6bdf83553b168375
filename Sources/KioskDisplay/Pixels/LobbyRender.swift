import KioskCore

/// The lobby as pixels, without a device: the grid to lay out for a screen size, and the
/// frame (or PNG) the framebuffer driver would show for a `ScreenModel`.
///
/// `kioskctl render` and `FramebufferDisplay` both go through `FrameRenderer`, so a PNG
/// is exactly the driver's frame for the same model, size, fonts and theme.
public enum LobbyRender {
    /// Columns and rows of glyph cells that fit, headlines at scale 2 when the grid is big
    /// enough for the layout's two-row header (at least 40 columns and 16 rows).
    public static func metrics(forPixelWidth pixelWidth: Int, height pixelHeight: Int, fonts: ConsoleFontSet) -> LobbyLayout.Metrics {
        metrics(for: GlyphGrid(pixelWidth: pixelWidth, pixelHeight: pixelHeight, fonts: fonts))
    }

    static func metrics(for grid: GlyphGrid) -> LobbyLayout.Metrics {
        LobbyLayout.Metrics(columns: grid.columns, rows: grid.rows, headlineScale: grid.columns >= 40 && grid.rows >= 16 ? 2 : 1)
    }

    /// The frame for `model` on a screen of `pixelWidth` x `pixelHeight`.
    public static func canvas(model: ScreenModel, pixelWidth: Int, pixelHeight: Int, theme: PixelTheme, fonts: ConsoleFontSet) -> PixelCanvas {
        var renderer = FrameRenderer(pixelWidth: pixelWidth, pixelHeight: pixelHeight, fonts: fonts, theme: theme)
        _ = renderer.render(model)
        return renderer.canvas
    }

    /// The frame for `model` as a PNG file's bytes.
    public static func png(model: ScreenModel, pixelWidth: Int, pixelHeight: Int, theme: PixelTheme, fonts: ConsoleFontSet) -> [UInt8] {
        PNGEncoder.encode(canvas(model: model, pixelWidth: pixelWidth, pixelHeight: pixelHeight, theme: theme, fonts: fonts))
    }
}
