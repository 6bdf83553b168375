import Foundation
import KioskCore
import KioskDisplay
import KioskSystem

/// The lobby on the Linux framebuffer (`/dev/fbN`): console in graphics mode, frames
/// rendered in RAM by `FrameRenderer` and only the changed areas converted to the
/// device's pixel format and copied into its memory.
///
/// The grid is the device's resolution divided by the glyph size of the Terminus font
/// chosen for it (`ShippedFonts.size(forPixelWidth:height:)`), headlines at scale 2; the
/// leftover pixels are margins. `kioskctl render` draws the same frames through
/// `LobbyRender` (same renderer, same metrics). With page flipping, the hidden page is
/// one frame behind, so it receives the areas changed by the last two frames.
///
/// Owned by the `Lobby` actor (not `Sendable`: the mapped memory has one owner).
public final class FramebufferDisplay: LobbyDisplay {
    public let device: FramebufferDevice
    public let format: PixelFormat
    private var renderer: FrameRenderer
    private var console: ConsoleMode?
    /// Areas the hidden page still lacks (changed by the frame now shown).
    private var behindOnHiddenPage: [PixelRect] = []
    /// Whether the screen is powered down (`setBlanked(_:)`).
    public private(set) var isBlanked = false

    /// - Parameters:
    ///   - devicePath: the framebuffer, `config.screen.framebuffer` (default `/dev/fb0`).
    ///   - consolePath: the virtual console to switch to graphics mode (`/dev/tty1`, or
    ///     `/dev/tty0` for the current one); nil leaves the console alone (tests, or a
    ///     console already hidden by other means).
    ///   - fontDirectory: where the `Uni2-Terminus*.psf` files are (`PixelAssets`).
    ///   - theme: from `PixelTheme.load(named:directory:)`.
    public init(devicePath: String, consolePath: String?, fontDirectory: String, theme: PixelTheme, doubleBuffering: Bool = true) throws {
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
        let fonts = try ShippedFonts.load(forPixelWidth: g.width, height: g.height, fromDirectory: fontDirectory)
        self.device = device
        self.format = format
        renderer = FrameRenderer(pixelWidth: g.width, pixelHeight: g.height, fonts: fonts, theme: theme)
        if let consolePath { console = try ConsoleMode(ttyPath: consolePath) }
    }

    /// The driver as configured: `config.screen.framebuffer` and `config.screen.theme`
    /// (from `<assets>/themes`, built-in when the file is missing), fonts from
    /// `<assets>/fonts`.
    public convenience init(config: KioskConfig, assetDirectory: String, consolePath: String?) throws {
        let theme = try PixelTheme.load(named: config.screen.theme, directory: PixelAssets.themeDirectory(assetDirectory))
        try self.init(devicePath: config.screen.framebuffer, consolePath: consolePath,
                      fontDirectory: PixelAssets.fontDirectory(assetDirectory), theme: theme)
    }

    /// The PNG of the frame this driver would show for `snapshot` on a screen of
    /// `pixelWidth` x `pixelHeight` with `config`'s theme: what `kioskctl render` writes.
    /// Same font choice, theme loading, layout metrics and renderer as the driver.
    public static func png(
        snapshot: LobbySnapshot, config: KioskConfig, pixelWidth: Int, pixelHeight: Int, assetDirectory: String
    ) throws -> [UInt8] {
        let theme = try PixelTheme.load(named: config.screen.theme, directory: PixelAssets.themeDirectory(assetDirectory))
        let fonts = try ShippedFonts.load(forPixelWidth: pixelWidth, height: pixelHeight, fromDirectory: PixelAssets.fontDirectory(assetDirectory))
        let metrics = LobbyRender.metrics(forPixelWidth: pixelWidth, height: pixelHeight, fonts: fonts)
        let model = LobbyLayout(config: config).layout(snapshot, metrics: metrics)
        return LobbyRender.png(model: model, pixelWidth: pixelWidth, pixelHeight: pixelHeight, theme: theme, fonts: fonts)
    }

    public var metrics: LobbyLayout.Metrics { renderer.metrics }

    /// The framebuffer's resolution is fixed while we hold it.
    public func refreshSize() -> Bool { false }

    public func show(_ model: ScreenModel) throws {
        let dirty = renderer.render(model)
        guard !isBlanked, !(dirty.isEmpty && behindOnHiddenPage.isEmpty) else { return }
        let rects = device.isDoubleBuffered ? behindOnHiddenPage + dirty : dirty
        let g = device.geometry
        let canvas = renderer.canvas
        device.withDrawingPage { memory, yOffset in
            let layout = PixelBufferLayout(format: format, width: g.width, height: g.height, lineLength: g.lineLength, xOffset: g.xOffset, yOffset: yOffset)
            canvas.copy(rects, into: memory, layout: layout)
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
            renderer.invalidate()
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
