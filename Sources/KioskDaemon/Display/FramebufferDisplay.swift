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
/// **In place**: when the driver pans (`yres_virtual` = 2 x `yres` and `FBIOPAN_DISPLAY`
/// accepted: `FramebufferDevice.isDoubleBuffered`) and the memory has the canvas's shape
/// (XRGB8888 without an alpha channel, rows of exactly the width, no rotation), there is
/// no canvas: the scene is painted straight into the hidden page over those areas, then
/// the page is panned to (`PixelPipeline.drawsInPlace`), saving 8.3 MB at 1920x1080.
/// A framebuffer that does not pan keeps the canvas, by choice: drawing in place there
/// would draw into the page being scanned out, so every repaint (the background first,
/// then boxes and text over it, antialiasing reading back what lies under it) would be
/// seen half done, a flicker on every clock tick; and reading back framebuffer memory,
/// often mapped uncached or write-combined, is slow. The canvas costs memory, not
/// correctness. 16-bit panels (dithered on the way) and rotated pictures keep it too.
///
/// Owned by the `Lobby` actor (not `Sendable`: the mapped memory has one owner).
public final class FramebufferDisplay: PixelDisplay {
    public let device: any FramebufferPages
    public let format: PixelFormat
    private var pipeline: PixelPipeline
    private var console: ConsoleMode?
    /// Whether frames are painted straight into the hidden page (no canvas in RAM).
    public var drawsInPlace: Bool { pipeline.drawsInPlace }
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
    ///   - drawsInPlace: false to keep the canvas even where the hidden page could be drawn
    ///     in place (the tests' reference path).
    public convenience init(devicePath: String, consolePath: String?, config: KioskConfig, assetDirectory: String, doubleBuffering: Bool = true, drawsInPlace: Bool = true) throws {
        try self.init(device: FramebufferDevice(path: devicePath, doubleBuffering: doubleBuffering), consolePath: consolePath, config: config,
                      assetDirectory: assetDirectory, drawsInPlace: drawsInPlace)
    }

    /// The display on an open framebuffer (`FramebufferDevice`, or pages in RAM in tests).
    public init(device: any FramebufferPages, consolePath: String?, config: KioskConfig, assetDirectory: String, drawsInPlace: Bool = true) throws {
        let devicePath = device.path
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
        let page = PixelBufferLayout(format: format, width: g.width, height: g.height, lineLength: g.lineLength, xOffset: g.xOffset, yOffset: 0)
        let inPlace = drawsInPlace && device.isDoubleBuffered && g.transparency.length == 0
            && PixelPipeline.canDrawInPlace(page, rotation: config.screen.rotation)
        pipeline = try PixelPipeline(config: config, panelWidth: g.width, panelHeight: g.height, assetDirectory: assetDirectory, drawsInPlace: inPlace)
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
        let dirty = pipeline.drawsInPlace ? pipeline.advance(to: scene) : pipeline.render(scene)
        guard !isBlanked, !(dirty.isEmpty && behindOnHiddenPage.isEmpty) else { return }
        let rects = device.isDoubleBuffered ? behindOnHiddenPage + dirty : dirty
        let g = device.geometry
        device.withDrawingPage { memory, yOffset in
            let layout = PixelBufferLayout(format: format, width: g.width, height: g.height, lineLength: g.lineLength, xOffset: g.xOffset, yOffset: yOffset)
            if pipeline.drawsInPlace {
                pipeline.draw(rects, into: memory, layout: layout)
            } else {
                pipeline.present(rects, into: memory, layout: layout)
            }
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

/// The framebuffer as `FramebufferDisplay` uses it: `FramebufferDevice`, or pages in RAM
/// (the tests' twin of a driver that pans).
public protocol FramebufferPages: AnyObject {
    var path: String { get }
    var geometry: FramebufferGeometry { get }
    /// Two pages shown in turn by panning.
    var isDoubleBuffered: Bool { get }
    /// Calls `body` with the whole memory and the `yoffset` of the page to draw.
    func withDrawingPage<R>(_ body: (_ memory: UnsafeMutableRawBufferPointer, _ yOffset: Int) throws -> R) rethrows -> R
    /// Shows the page drawn (pans to it when double-buffered).
    func present() throws
    func setBlanked(_ blanked: Bool) throws
}

extension FramebufferDevice: FramebufferPages {}

extension FramebufferDisplay: PixelCanvasDisplay {
    public var currentCanvas: PixelCanvas { pipeline.frame() }
}
