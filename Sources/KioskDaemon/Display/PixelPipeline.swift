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
/// **Drawing in place** (`drawsInPlace`): where the panel's buffer has the canvas's own
/// shape (XRGB8888 with rows of exactly its width, no rotation: `canDrawInPlace`) and the
/// display has a buffer that is not scanned out (DRM's back dumb buffer, fbdev's hidden
/// page), there is no canvas: `advance(to:)` says what a scene changes and `draw(_:into:
/// layout:)` paints the scene straight into that buffer, over the areas it lacks. That
/// saves the canvas (8.3 MB at 1920x1080). 16-bit panels (dithered on the way) and turned
/// pictures (a portrait totem on a landscape panel) keep the canvas and `present`, as does
/// a buffer that is on screen while it is drawn (see `FramebufferDisplay`).
///
/// Not `Sendable` in use: owned by its display, which the `Lobby` actor owns.
public struct PixelPipeline: Sendable {
    /// The panel's own size (before rotation).
    public let panelWidth: Int
    public let panelHeight: Int
    public let rotation: ScreenRotation
    public let engine: TypeEngine
    /// Frames are painted into the display's buffers: no canvas (see above).
    public let drawsInPlace: Bool
    public private(set) var renderer: SceneRenderer
    /// The picture's size, as the visitor sees it.
    public let pictureWidth: Int
    public let pictureHeight: Int

    /// `pictureCacheBytes`: the budget of the pictures kept at display size (`[screen] picture-cache`).
    public init(panelWidth: Int, panelHeight: Int, rotation: ScreenRotation, theme: PixelTheme, engine: TypeEngine,
                pictureCacheBytes: Int = ScenePictureShelf.defaultBudgetBytes, drawsInPlace: Bool = false) {
        self.panelWidth = panelWidth
        self.panelHeight = panelHeight
        self.rotation = rotation
        self.engine = engine
        let inPlace = drawsInPlace && rotation == .upright
        self.drawsInPlace = inPlace
        let picture = rotation.pictureSize(panelWidth: panelWidth, height: panelHeight)
        (pictureWidth, pictureHeight) = (picture.width, picture.height)
        renderer = SceneRenderer(width: inPlace ? 0 : picture.width, height: inPlace ? 0 : picture.height, theme: theme, type: engine)
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
    public init(config: KioskConfig, panelWidth: Int, panelHeight: Int, assetDirectory: String, rotation: ScreenRotation? = nil, drawsInPlace: Bool = false) throws {
        let theme = try PixelTheme.load(for: config, directory: PixelAssets.themeDirectory(assetDirectory))
        let engine = try TypeEngine(fontsDirectory: PixelAssets.fontDirectory(assetDirectory), cacheCapacity: Self.glyphCacheBytes)
        self.init(panelWidth: panelWidth, panelHeight: panelHeight, rotation: rotation ?? config.screen.rotation, theme: theme, engine: engine,
                  pictureCacheBytes: config.screen.pictureCacheBytes, drawsInPlace: drawsInPlace)
    }

    /// The glyph cache's budget: a screen's worth of glyphs at every size the layout uses.
    public static let glyphCacheBytes = 1 << 20

    public var theme: PixelTheme { renderer.theme }
    /// The frame last rendered, as the visitor sees it; empty (0 x 0) when drawing in place:
    /// sizes come from `pictureWidth` and `pictureHeight`, the picture from `frame()`.
    public var canvas: PixelCanvas { renderer.canvas }

    /// The frame as the visitor sees it: the canvas, or, drawing in place, the current
    /// scene painted anew into a canvas made for the call (a whole frame of work and
    /// memory: for the staff page's picture and tests, never on the drawing path).
    public func frame() -> PixelCanvas {
        guard drawsInPlace else { return renderer.canvas }
        var frame = PixelCanvas(width: pictureWidth, height: pictureHeight, color: theme.style(.background).background)
        renderer.draw(renderer.current ?? PixelScene(width: pictureWidth, height: pictureHeight), into: &frame, within: frame.bounds)
        return frame
    }

    public var surface: PixelSurface {
        PixelSurface(width: pictureWidth, height: pictureHeight, type: engine, emphasis: theme.boldRoles)
    }

    /// Draws `scene` and returns the changed areas (picture coordinates).
    public mutating func render(_ scene: PixelScene) -> [PixelRect] {
        precondition(!drawsInPlace, "a pipeline drawing in place has no canvas: advance(to:), then draw(_:into:layout:)")
        return renderer.render(scene)
    }

    /// Whether a panel buffer shaped by `layout` can be drawn in place with `rotation`:
    /// XRGB8888 (its unused top byte left 0, so not a format with alpha), rows of exactly
    /// the width, the visible area at the start of its rows, 4-byte aligned pages.
    public static func canDrawInPlace(_ layout: PixelBufferLayout, rotation: ScreenRotation) -> Bool {
        layout.format == .xrgb8888 && rotation == .upright && layout.width > 0 && layout.height > 0
            && layout.lineLength == layout.width * 4 && layout.xOffset == 0 && layout.yOffset >= 0
    }

    /// Drawing in place: takes `scene` as the frame wanted and returns the areas it changes
    /// (the whole picture first, and after `invalidate()`); nothing is drawn yet.
    public mutating func advance(to scene: PixelScene) -> [PixelRect] {
        precondition(drawsInPlace, "advance(to:) is for a pipeline drawing in place")
        return renderer.advance(to: scene, bounds: PixelRect(x: 0, y: 0, width: pictureWidth, height: pictureHeight))
    }

    /// Drawing in place: paints the current scene over `areas` of the page of `memory` that
    /// `layout` describes (`canDrawInPlace`), exactly as the canvas would hold them.
    public mutating func draw(_ areas: [PixelRect], into memory: UnsafeMutableRawBufferPointer, layout: PixelBufferLayout) {
        precondition(drawsInPlace && Self.canDrawInPlace(layout, rotation: rotation), "not a buffer to draw in place")
        let start = layout.byteOffset(x: 0, y: 0), bytes = pictureWidth * pictureHeight * 4
        guard layout.width == pictureWidth, layout.height == pictureHeight, start >= 0, start + bytes <= memory.count, !areas.isEmpty else { return }
        var page = PixelCanvas(drawingInto: UnsafeMutableRawBufferPointer(rebasing: memory[start..<(start + bytes)]), width: pictureWidth, height: pictureHeight)
        renderer.drawCurrent(into: &page, areas: areas)
    }

    /// Forgets what is on screen: the next frame is drawn and copied whole.
    public mutating func invalidate() { renderer.invalidate() }

    /// Copies `rects` of the canvas into a panel's memory shaped by `layout`, turned by
    /// the rotation, converted to the panel's format (16-bit dithered).
    public func present(_ rects: [PixelRect], into memory: UnsafeMutableRawBufferPointer, layout: PixelBufferLayout) {
        renderer.canvas.present(rects, into: memory, layout: layout, rotation: rotation)
    }

    /// The panel's rectangles that `rects` (picture coordinates) land on.
    public func panelRects(_ rects: [PixelRect]) -> [PixelRect] {
        rects.map { PixelCanvas.panelRect($0, pictureWidth: pictureWidth, pictureHeight: pictureHeight, rotation: rotation) }
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
