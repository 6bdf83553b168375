import Foundation
import KioskCore
import KioskDisplay
import KioskSystem

/// The lobby on the Linux framebuffer (`/dev/fbN`): console in graphics mode, frames
/// rendered in RAM by a `PixelPipeline` (the pixel layout's scene, outline type) and only
/// the changed areas converted to the device's pixel format, turned by `[screen]
/// rotation`, and copied into its memory (16-bit panels dithered).
///
/// `kioskctl render` draws the same frames through `OffscreenPixelDisplay` (same theme,
/// fonts, layout and renderer). With page flipping, the hidden page is one frame behind,
/// so it receives the areas changed by the last two frames.
///
/// Owned by the `Lobby` actor (not `Sendable`: the mapped memory has one owner).
public final class FramebufferDisplay: PixelDisplay {
    public let device: FramebufferDevice
    public let format: PixelFormat
    private var pipeline: PixelPipeline
    private var console: ConsoleMode?
    /// Areas (picture coordinates) the hidden page still lacks (changed by the frame now shown).
    private var behindOnHiddenPage: [PixelRect] = []
    /// Whether the screen is powered down (`setBlanked(_:)`).
    public private(set) var isBlanked = false

    /// - Parameters:
    ///   - devicePath: the framebuffer, `config.screen.framebuffer` (default `/dev/fb0`).
    ///   - consolePath: the virtual console to switch to graphics mode (`/dev/tty1`, or
    ///     `/dev/tty0` for the current one); nil leaves the console alone (tests, or a
    ///     console already hidden by other means).
    ///   - config: theme, accent, rotation; `assetDirectory`: fonts and themes (`PixelAssets`).
    public init(devicePath: String, consolePath: String?, config: KioskConfig, assetDirectory: String, doubleBuffering: Bool = true) throws {
        let device = try FramebufferDevice(path: devicePath, doubleBuffering: doubleBuffering)
        let g = device.geometry
        guard let format = PixelFormat(
            bitsPerPixel: g.bitsPerPixel,
            red: PixelBitfield(offset: g.red.offset, length: g.red.length),
            green: PixelBitfield(offset: g.green.offset, length: g.green.length),
            blue: PixelBitfield(offset: g.blue.offset, length: g.blue.length)) else {
            throw FramebufferError(device: devicePath, reason:
                "unsupported pixel format: \(g.bitsPerPixel) bits per pixel, red \(g.red), green \(g.green), blue \(g.blue) (supported: \(PixelFormat.allCases.map(\.description).joined(separator: ", ")))")
        }
        self.device = device
        self.format = format
        pipeline = try PixelPipeline(config: config, panelWidth: g.width, panelHeight: g.height, assetDirectory: assetDirectory)
        if let consolePath { console = try ConsoleMode(ttyPath: consolePath) }
    }

    /// The driver as configured: `config.screen.framebuffer`, its theme (from
    /// `<assets>/themes`, built-in when the file is missing), accent and rotation, fonts
    /// from `<assets>/fonts`.
    public convenience init(config: KioskConfig, assetDirectory: String, consolePath: String?) throws {
        try self.init(devicePath: config.screen.framebuffer, consolePath: consolePath, config: config, assetDirectory: assetDirectory)
    }

    public var surface: PixelSurface { pipeline.surface }

    /// The framebuffer's resolution is fixed while we hold it.
    public func refreshSize() -> Bool { false }

    public func show(_ scene: PixelScene) throws {
        let dirty = pipeline.render(scene)
        guard !isBlanked, !(dirty.isEmpty && behindOnHiddenPage.isEmpty) else { return }
        let rects = device.isDoubleBuffered ? behindOnHiddenPage + dirty : dirty
        let g = device.geometry
        let pipeline = self.pipeline
        device.withDrawingPage { memory, yOffset in
            let layout = PixelBufferLayout(format: format, width: g.width, height: g.height, lineLength: g.lineLength, xOffset: g.xOffset, yOffset: yOffset)
            pipeline.present(rects, into: memory, layout: layout)
        }
        try device.present()
        if device.isDoubleBuffered { behindOnHiddenPage = dirty }
    }

    /// Powers the screen down (night, closed building) or back on; after waking, the next
    /// frame is drawn whole. A driver without blanking throws (EINVAL): then draw a black
    /// frame instead.
    public func setBlanked(_ blanked: Bool) throws {
        try device.setBlanked(blanked)
        isBlanked = blanked
        if !blanked {
            pipeline.invalidate()
            behindOnHiddenPage = []
        }
    }

    /// Back to text mode on the console (safe to call twice). The mapping is released when
    /// this object goes away.
    public func restore() {
        if isBlanked { try? device.setBlanked(false) }
        console?.restore()
    }

    deinit { restore() }
}

extension FramebufferDisplay: PixelCanvasDisplay {
    public var currentCanvas: PixelCanvas { pipeline.canvas }
}
