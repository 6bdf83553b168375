import Foundation
import KioskCore
import KioskDisplay

/// The framebuffer driver without a device: the same font choice, theme, metrics and
/// `FrameRenderer` as `FramebufferDisplay`, drawing into RAM only. `kioskctl render` runs
/// the lobby on it to write the exact frame the screen would show; tests and the
/// benchmark count what it would have copied to the framebuffer.
///
/// Not `Sendable`: owned by the `Lobby` actor like the real driver.
public final class OffscreenPixelDisplay: PoweredScreen {
    /// What the display would have copied to a framebuffer so far.
    public struct FlushCounts: Sendable, Hashable {
        /// Calls of `show(_:)` that copied anything.
        public var flushes = 0
        /// Rectangles copied.
        public var rectangles = 0
        /// Pixels copied (bytes = pixels x bytes per pixel of the device).
        public var pixels = 0
    }

    public private(set) var renderer: FrameRenderer
    public private(set) var counts = FlushCounts()
    /// The areas the last `show(_:)` copied.
    public private(set) var lastFlushed: [PixelRect] = []
    public private(set) var isBlanked = false
    /// False for `kioskctl render`: draw the lobby even when the screen would be off.
    public var followsSchedule = true

    public init(pixelWidth: Int, pixelHeight: Int, fonts: ConsoleFontSet, theme: PixelTheme) {
        renderer = FrameRenderer(pixelWidth: pixelWidth, pixelHeight: pixelHeight, fonts: fonts, theme: theme)
    }

    /// The display `FramebufferDisplay(config:assetDirectory:consolePath:)` would be on a
    /// `pixelWidth` x `pixelHeight` screen: `config.screen.theme`, fonts from `<assets>/fonts`.
    public convenience init(config: KioskConfig, pixelWidth: Int, pixelHeight: Int, assetDirectory: String) throws {
        let theme = try PixelTheme.load(named: config.screen.theme, directory: PixelAssets.themeDirectory(assetDirectory))
        let fonts = try ShippedFonts.load(forPixelWidth: pixelWidth, height: pixelHeight, fromDirectory: PixelAssets.fontDirectory(assetDirectory))
        self.init(pixelWidth: pixelWidth, pixelHeight: pixelHeight, fonts: fonts, theme: theme)
    }

    /// The frame on screen.
    public var canvas: PixelCanvas { renderer.canvas }

    public var metrics: LobbyLayout.Metrics { renderer.metrics }

    public func refreshSize() -> Bool { false }

    public func show(_ model: ScreenModel) throws {
        let dirty = renderer.render(model)
        guard !isBlanked, !dirty.isEmpty else { return }
        lastFlushed = dirty
        counts.flushes += 1
        counts.rectangles += dirty.count
        counts.pixels += dirty.reduce(0) { $0 + $1.area }
    }

    public func setBlanked(_ blanked: Bool) throws {
        isBlanked = blanked
        if !blanked { renderer.invalidate() }
    }

    public func restore() {}
}
