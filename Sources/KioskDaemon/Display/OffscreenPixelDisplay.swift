import Foundation
import KioskCore
import KioskDisplay

/// The framebuffer driver without a device: the same `PixelPipeline` (theme, fonts,
/// layout, renderer, rotation) as `FramebufferDisplay`, drawing into RAM only.
/// `kioskctl render` runs the lobby on it to write the exact frame the screen would show;
/// tests and the benchmark count what it would have copied to the framebuffer.
///
/// Not `Sendable`: owned by the `Lobby` actor like the real driver.
public final class OffscreenPixelDisplay: PoweredScreen, PixelDisplay {
    /// What the display would have copied to a framebuffer so far.
    public struct FlushCounts: Sendable, Hashable {
        /// Calls of `show(_:)` that copied anything.
        public var flushes = 0
        /// Rectangles copied.
        public var rectangles = 0
        /// Pixels copied (bytes = pixels x bytes per pixel of the device).
        public var pixels = 0
    }

    public private(set) var pipeline: PixelPipeline
    public private(set) var counts = FlushCounts()
    /// The areas the last `show(_:)` copied (picture coordinates).
    public private(set) var lastFlushed: [PixelRect] = []
    public private(set) var isBlanked = false
    /// False for `kioskctl render`: draw the lobby even when the screen would be off.
    public var followsSchedule = true

    public init(pipeline: PixelPipeline) {
        self.pipeline = pipeline
    }

    /// The display `FramebufferDisplay(config:assetDirectory:consolePath:)` would be on a
    /// `pixelWidth` x `pixelHeight` panel: `config`'s theme, accent and rotation (or
    /// `rotation`), fonts from `<assets>/fonts`.
    public convenience init(config: KioskConfig, pixelWidth: Int, pixelHeight: Int, assetDirectory: String, rotation: ScreenRotation? = nil) throws {
        self.init(pipeline: try PixelPipeline(config: config, panelWidth: pixelWidth, panelHeight: pixelHeight, assetDirectory: assetDirectory, rotation: rotation))
    }

    /// The frame on screen, as the visitor sees it.
    public var canvas: PixelCanvas { pipeline.canvas }

    public var surface: PixelSurface { pipeline.surface }

    public func refreshSize() -> Bool { false }

    public func show(_ scene: PixelScene) throws {
        let dirty = pipeline.render(scene)
        guard !isBlanked, !dirty.isEmpty else { return }
        lastFlushed = dirty
        counts.flushes += 1
        counts.rectangles += dirty.count
        counts.pixels += dirty.reduce(0) { $0 + $1.area }
    }

    public func setBlanked(_ blanked: Bool) throws {
        isBlanked = blanked
        if !blanked { pipeline.invalidate() }
    }

    public func restore() {}
}

extension OffscreenPixelDisplay: PixelCanvasDisplay {
    public var currentCanvas: PixelCanvas { pipeline.canvas }
}
