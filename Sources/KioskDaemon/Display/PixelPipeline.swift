import Foundation
import KioskCore
import KioskDisplay

/// What the lobby lays out for on a pixel display: the picture's size (as the visitor
/// sees it, after rotation) and the type it is measured with.
public struct PixelSurface: Sendable {
    public var width: Int
    public var height: Int
    public var type: any TextMeasuring
    /// Roles the theme draws bold.
    public var emphasis: Set<ScreenRole>

    public init(width: Int, height: Int, type: any TextMeasuring, emphasis: Set<ScreenRole> = []) {
        self.width = width
        self.height = height
        self.type = type
        self.emphasis = emphasis
    }

    /// The pixel layout for this surface with `config`'s panel and page durations.
    public func layout(config: KioskConfig) -> SignageLayout {
        SignageLayout(config: config, type: type, emphasis: emphasis)
    }

    /// The metrics to lay out at a burn-in shift step.
    public func metrics(shift: Int = 0) -> SignageLayout.Metrics {
        SignageLayout.Metrics(width: width, height: height, shift: shift)
    }
}

/// The part every pixel display shares, from a scene to a panel's memory: the theme
/// (accent applied, contrast checked), the type engine, a `SceneRenderer` over a canvas
/// of the picture's size, and the rotation applied while copying changed areas to the
/// panel (`present`). A driver (fbdev, DRM dumb buffers, RAM) owns one and adds where
/// the pixels go:
///
///     let changed = pipeline.render(scene)           // picture coordinates
///     pipeline.present(changed, into: memory, layout: panelLayout)   // turned, converted
///
/// Not `Sendable` in use: owned by its display, which the `Lobby` actor owns.
public struct PixelPipeline: Sendable {
    /// The panel's own size (before rotation).
    public let panelWidth: Int
    public let panelHeight: Int
    public let rotation: ScreenRotation
    public let engine: TypeEngine
    public private(set) var renderer: SceneRenderer

    /// `pictureCacheBytes`: the budget of the pictures kept at display size (`[screen] picture-cache`).
    public init(panelWidth: Int, panelHeight: Int, rotation: ScreenRotation, theme: PixelTheme, engine: TypeEngine,
                pictureCacheBytes: Int = ScenePictureShelf.defaultBudgetBytes) {
        self.panelWidth = panelWidth
        self.panelHeight = panelHeight
        self.rotation = rotation
        self.engine = engine
        let picture = rotation.pictureSize(panelWidth: panelWidth, height: panelHeight)
        renderer = SceneRenderer(width: picture.width, height: picture.height, theme: theme, type: engine)
        // The lobby checks pictures before it names them; one that fails here after all
        // (its file removed or spoilt since) is drawn as its placeholder, with a warning.
        // Each decode is noted once (a picture is decoded again only when its box changes or
        // the cache let it go), with the cache's bytes: what `kiosk-bench picture-memory` reads.
        renderer.pictures = ScenePictureShelf(source: PictureFileReader(), budgetBytes: pictureCacheBytes, warn: { JournalLogger(level: .warning).warning(TerminalText.sanitized($0)) },
                                              note: { JournalLogger(level: .info).info(TerminalText.sanitized($0)) })
    }

    /// The pipeline `config` asks for on a panel of that size: `[screen] theme` and
    /// `[screen] rotation` and `picture-cache`, `[venue] accent`, the shipped fonts from `<assets>/fonts`.
    /// Throws a `PixelThemeError` (a contrast problem included) or a `FontError`.
    public init(config: KioskConfig, panelWidth: Int, panelHeight: Int, assetDirectory: String, rotation: ScreenRotation? = nil) throws {
        let theme = try PixelTheme.load(for: config, directory: PixelAssets.themeDirectory(assetDirectory))
        let engine = try TypeEngine(fontsDirectory: PixelAssets.fontDirectory(assetDirectory), cacheCapacity: Self.glyphCacheBytes)
        self.init(panelWidth: panelWidth, panelHeight: panelHeight, rotation: rotation ?? config.screen.rotation, theme: theme, engine: engine,
                  pictureCacheBytes: config.screen.pictureCacheBytes)
    }

    /// The glyph cache's budget: a screen's worth of glyphs at every size the layout uses.
    public static let glyphCacheBytes = 1 << 20

    public var theme: PixelTheme { renderer.theme }
    /// The frame last rendered, as the visitor sees it.
    public var canvas: PixelCanvas { renderer.canvas }

    public var surface: PixelSurface {
        PixelSurface(width: canvas.width, height: canvas.height, type: engine, emphasis: theme.boldRoles)
    }

    /// Draws `scene` and returns the changed areas (picture coordinates).
    public mutating func render(_ scene: PixelScene) -> [PixelRect] { renderer.render(scene) }

    /// Forgets what is on screen: the next frame is drawn and copied whole.
    public mutating func invalidate() { renderer.invalidate() }

    /// Copies `rects` of the canvas into a panel's memory shaped by `layout`, turned by
    /// the rotation, converted to the panel's format (16-bit dithered).
    public func present(_ rects: [PixelRect], into memory: UnsafeMutableRawBufferPointer, layout: PixelBufferLayout) {
        renderer.canvas.present(rects, into: memory, layout: layout, rotation: rotation)
    }

    /// The panel's rectangles that `rects` (picture coordinates) land on.
    public func panelRects(_ rects: [PixelRect]) -> [PixelRect] {
        rects.map { PixelCanvas.panelRect($0, pictureWidth: canvas.width, pictureHeight: canvas.height, rotation: rotation) }
    }

    /// The picture's rectangles that show on `rects` of the panel (`panelRects` undone:
    /// a driver that keeps its areas in the panel's coordinates presents with these).
    public func pictureRects(_ rects: [PixelRect]) -> [PixelRect] {
        let back: ScreenRotation
        switch rotation {
        case .upright: back = .upright
        case .quarter: back = .threeQuarters
        case .half: back = .half
        case .threeQuarters: back = .quarter
        }
        return rects.map { PixelCanvas.panelRect($0, pictureWidth: panelWidth, pictureHeight: panelHeight, rotation: back) }
    }
}
