import Foundation
import Testing
import KioskCore
import KioskDisplay
import KioskSystem
@testable import KioskDaemon

/// Frames painted straight into the back buffer (no canvas, issue #18) against the canvas
/// path: every frame presented is compared, pixel for pixel, with the same frame drawn
/// through a canvas and with the scene rendered whole into a fresh canvas. The sequences
/// change one area and then another, so that an area changed two frames ago, missing from
/// the back buffer, would show as a stale region. The real kernel paths are
/// `Tests/qemu/run-drm-test.sh` and `run-fb-test.sh`.
@Suite struct InPlaceDrawingTests {
    static let engine = DRMDisplayTests.engine

    /// A scene: the header with `title`, a body line, and an optional badge box (a box
    /// that appears and goes away).
    static func scene(_ surface: PixelSurface, title: String, body: String, badge: Bool = false) -> PixelScene {
        var scene = DRMDisplayTests.model(surface, title: title, body: body)
        if badge {
            scene.layers[0].boxes.append(SceneBox(PixelRect(x: surface.width - 120, y: surface.height - 90, width: 100, height: 70), .background(.attention), shape: .rounded(radius: 12)))
        }
        return scene
    }

    /// Frames where each change is followed by a change elsewhere: a region changed two
    /// frames ago must reach the back buffer too.
    static func frames(_ surface: PixelSurface) -> [PixelScene] {
        [
            scene(surface, title: "La Fabrique", body: "Atelier sérigraphie"),
            scene(surface, title: "La Fabrique — 14:05", body: "Atelier sérigraphie"),   // the header
            scene(surface, title: "La Fabrique — 14:05", body: "Ciné-club à 20 h"),      // the body only
            scene(surface, title: "La Fabrique — 14:05", body: "Ciné-club à 20 h"),      // nothing
            scene(surface, title: "La Fabrique — 14:05", body: "Ciné-club à 20 h", badge: true),
            scene(surface, title: "La Fabrique — 14:06", body: "Ciné-club à 20 h", badge: true),
            scene(surface, title: "La Fabrique — 14:06", body: "Ciné-club à 20 h"),      // the badge goes
            scene(surface, title: "La Fabrique", body: "Atelier sérigraphie"),           // back to the first
        ]
    }

    /// Nil when the frames are the same, else how many pixels differ and where the first is
    /// (short: a failure does not print two whole frames).
    static func difference(_ shown: [UInt32]?, _ expected: [UInt32], width: Int) -> String? {
        guard let shown else { return "nothing on screen" }
        guard shown.count == expected.count else { return "\(shown.count) pixels shown, \(expected.count) expected" }
        guard let first = shown.indices.first(where: { shown[$0] != expected[$0] }) else { return nil }
        let count = zip(shown, expected).reduce(0) { $0 + ($1.0 != $1.1 ? 1 : 0) }
        return "\(count) pixels differ, the first at (\(first % width), \(first / width)): \(String(shown[first], radix: 16)) instead of \(String(expected[first], radix: 16))"
    }

    /// `scene` rendered whole into a fresh canvas: what the screen must show.
    static func reference(_ scene: PixelScene) -> [UInt32] {
        var renderer = SceneRenderer(width: scene.width, height: scene.height, theme: .lobby, type: engine)
        _ = renderer.render(scene)
        return renderer.canvas.pixels
    }

    @Test func drmFramesDrawnInPlaceMatchTheCanvasPathFrameByFrame() throws {
        let inPlaceDevice = MemoryScanout(width: 480, height: 272), canvasDevice = MemoryScanout(width: 480, height: 272)
        let inPlace = try DRMDisplay(device: inPlaceDevice, consolePath: nil, request: nil, theme: .lobby, engine: Self.engine)
        let canvas = try DRMDisplay(device: canvasDevice, consolePath: nil, request: nil, theme: .lobby, engine: Self.engine, drawsInPlace: false)
        #expect(inPlace.drawsInPlace)
        #expect(!canvas.drawsInPlace)
        var flips = 0
        for (index, scene) in Self.frames(inPlace.surface).enumerated() {
            try inPlace.show(scene)
            try canvas.show(scene)
            let shown = inPlaceDevice.visiblePixels(), w = scene.width
            #expect(Self.difference(shown, canvasDevice.visiblePixels() ?? [], width: w) == nil, "frame \(index): in place and through the canvas differ")
            #expect(Self.difference(shown, Self.reference(scene), width: w) == nil, "frame \(index): the screen is not the scene (a stale region?)")
            #expect(Self.difference(inPlace.canvas.pixels, Self.reference(scene), width: w) == nil, "frame \(index): the picture of the frame")
            flips = inPlaceDevice.flips
        }
        // Seven frames changed something (one did not): one flip each, as through the canvas.
        #expect(flips == 7 && canvasDevice.flips == 7)
        #expect(inPlace.counters.flipsFailed == 0)
    }

    /// The stale region the back buffer would show if it received only the new frame's
    /// areas: after a header change then a body change, the header on screen is the new one.
    @Test func anAreaChangedTwoFramesAgoIsRepaintedInTheBackBuffer() throws {
        let device = MemoryScanout(width: 480, height: 272)
        let display = try DRMDisplay(device: device, consolePath: nil, request: nil, theme: .lobby, engine: Self.engine)
        let m = display.surface
        let first = Self.scene(m, title: "Avant", body: "Atelier")
        let second = Self.scene(m, title: "Après", body: "Atelier")
        let third = Self.scene(m, title: "Après", body: "Ciné-club")
        try display.show(first)
        try display.show(second)
        let headerBefore = Self.header(Self.reference(first), width: m.width)
        #expect(headerBefore != Self.header(Self.reference(second), width: m.width), "the header must differ for this test to mean anything")
        try display.show(third)
        // The buffer on screen was last drawn with the first frame: its header is repainted.
        #expect(Self.header(device.visiblePixels() ?? [], width: m.width) == Self.header(Self.reference(third), width: m.width), "the header on screen is stale")
        #expect(Self.difference(device.visiblePixels(), Self.reference(third), width: m.width) == nil)
    }

    static func header(_ pixels: [UInt32], width: Int) -> ArraySlice<UInt32> { pixels.prefix(64 * width) }

    /// Blanked and woken, a driver that loses its page flips, a screen unplugged and
    /// plugged: each frame still matches the scene; without flips the display draws
    /// through a canvas (the buffer it draws is then on screen).
    @Test func inPlaceDrawingSurvivesBlankingHotplugAndLostFlips() throws {
        let device = MemoryScanout(width: 480, height: 272)
        let display = try DRMDisplay(device: device, consolePath: nil, request: nil, theme: .lobby, engine: Self.engine)
        let frames = Self.frames(display.surface)
        try display.show(frames[0])
        try display.show(frames[1])
        try display.setBlanked(true)
        try display.show(frames[2])
        #expect(device.visiblePixels() == nil || Self.difference(device.visiblePixels(), Self.reference(frames[1]), width: 480) == nil)
        try display.setBlanked(false)
        #expect(Self.difference(device.visiblePixels(), Self.reference(frames[2]), width: 480) == nil)
        device.connected = false
        #expect(try display.checkOutput(.hotplugEvent) == .lost)
        try display.show(frames[4])
        device.connected = true
        _ = try display.checkOutput(.hotplugEvent)
        #expect(Self.difference(device.visiblePixels(), Self.reference(frames[4]), width: 480) == nil)
        try display.show(frames[5])
        #expect(Self.difference(device.visiblePixels(), Self.reference(frames[5]), width: 480) == nil)
        #expect(display.drawsInPlace)
        device.flipsSupported = false
        try display.show(frames[6])
        #expect(Self.difference(device.visiblePixels(), Self.reference(frames[6]), width: 480) == nil)
        #expect(!display.drawsInPlace, "without page flips the buffer drawn is on screen: a canvas then")
        try display.show(frames[7])
        #expect(Self.difference(device.visiblePixels(), Self.reference(frames[7]), width: 480) == nil)
    }

    /// A turned picture (a portrait totem) keeps its canvas: the panel's rows are not the
    /// picture's.
    @Test func aTurnedPictureKeepsItsCanvas() throws {
        let device = MemoryScanout(width: 480, height: 272)
        let display = try DRMDisplay(device: device, consolePath: nil, request: nil, theme: .lobby, engine: Self.engine, rotation: .quarter)
        #expect(!display.drawsInPlace)
        try display.show(Self.frames(display.surface)[0])
        #expect(device.flips == 1)
    }

    @Test func onlyAnUnturnedXRGB8888BufferWithUnpaddedRowsIsDrawnInPlace() {
        let plain = PixelBufferLayout(format: .xrgb8888, width: 1920, height: 1080, lineLength: 7680)
        #expect(PixelPipeline.canDrawInPlace(plain, rotation: .upright))
        #expect(PixelPipeline.canDrawInPlace(PixelBufferLayout(format: .xrgb8888, width: 1920, height: 1080, lineLength: 7680, yOffset: 1080), rotation: .upright))
        #expect(!PixelPipeline.canDrawInPlace(plain, rotation: .quarter))
        #expect(!PixelPipeline.canDrawInPlace(plain, rotation: .half))
        #expect(!PixelPipeline.canDrawInPlace(PixelBufferLayout(format: .rgb565, width: 1920, height: 1080, lineLength: 3840), rotation: .upright))
        #expect(!PixelPipeline.canDrawInPlace(PixelBufferLayout(format: .xbgr8888, width: 1920, height: 1080, lineLength: 7680), rotation: .upright))
        #expect(!PixelPipeline.canDrawInPlace(PixelBufferLayout(format: .rgb888, width: 1920, height: 1080, lineLength: 5760), rotation: .upright))
        #expect(!PixelPipeline.canDrawInPlace(PixelBufferLayout(format: .xrgb8888, width: 1366, height: 768, lineLength: 5504), rotation: .upright))
        #expect(!PixelPipeline.canDrawInPlace(PixelBufferLayout(format: .xrgb8888, width: 1920, height: 1080, lineLength: 7680, xOffset: 8), rotation: .upright))
    }

    // MARK: fbdev

    /// A framebuffer in RAM whose driver pans (`yres_virtual` = 2 x `yres`, `ypanstep` 1)
    /// or not, in XRGB8888 (or ARGB8888 with `alpha`).
    final class PanningFramebuffer: FramebufferPages {
        let path = "memory fb"
        let geometry: FramebufferGeometry
        let isDoubleBuffered: Bool
        private(set) var visiblePage = 0
        private(set) var pans = 0
        private var bytes: [UInt8]

        init(width: Int, height: Int, pans: Bool, alpha: Bool = false) {
            let pages = pans ? 2 : 1
            geometry = FramebufferGeometry(
                identifier: "memory", width: width, height: height, virtualHeight: pages * height, bitsPerPixel: 32,
                red: FramebufferBitfield(offset: 16, length: 8), green: FramebufferBitfield(offset: 8, length: 8), blue: FramebufferBitfield(offset: 0, length: 8),
                transparency: FramebufferBitfield(offset: 24, length: alpha ? 8 : 0),
                lineLength: width * 4, memoryLength: pages * height * width * 4, yPanStep: pans ? 1 : 0)
            isDoubleBuffered = geometry.supportsDoubleBuffering
            bytes = [UInt8](repeating: 0, count: geometry.memoryLength)
        }

        var drawingPage: Int { isDoubleBuffered ? 1 - visiblePage : 0 }

        func withDrawingPage<R>(_ body: (UnsafeMutableRawBufferPointer, Int) throws -> R) rethrows -> R {
            let yOffset = geometry.yOffset(ofPage: drawingPage)
            return try bytes.withUnsafeMutableBytes { try body($0, yOffset) }
        }

        func present() throws {
            guard isDoubleBuffered else { return }
            visiblePage = drawingPage
            pans += 1
        }

        func setBlanked(_ blanked: Bool) throws {}

        /// The page scanned out, `0x00RRGGBB`.
        func visiblePixels() -> [UInt32] {
            let start = geometry.yOffset(ofPage: visiblePage) * geometry.lineLength
            return bytes.withUnsafeBytes { raw in
                (0..<(geometry.width * geometry.height)).map { raw.load(fromByteOffset: start + $0 * 4, as: UInt32.self) & 0x00FF_FFFF }
            }
        }
    }

    static var assets: String { DRMDisplayTests.assets }

    @Test func fbdevFramesDrawnInPlaceIntoTheHiddenPageMatchTheCanvasPath() throws {
        let config = KioskConfig()
        let inPlaceDevice = PanningFramebuffer(width: 480, height: 272, pans: true), canvasDevice = PanningFramebuffer(width: 480, height: 272, pans: true)
        let inPlace = try FramebufferDisplay(device: inPlaceDevice, consolePath: nil, config: config, assetDirectory: Self.assets)
        let canvas = try FramebufferDisplay(device: canvasDevice, consolePath: nil, config: config, assetDirectory: Self.assets, drawsInPlace: false)
        #expect(inPlace.drawsInPlace)
        #expect(!canvas.drawsInPlace)
        for (index, scene) in Self.frames(inPlace.surface).enumerated() {
            try inPlace.show(scene)
            try canvas.show(scene)
            let shown = inPlaceDevice.visiblePixels(), w = scene.width
            #expect(Self.difference(shown, canvasDevice.visiblePixels(), width: w) == nil, "frame \(index): in place and through the canvas differ")
            #expect(Self.difference(shown, canvas.currentCanvas.pixels, width: w) == nil, "frame \(index): the page shown is not the frame")
        }
        #expect(inPlaceDevice.pans == canvasDevice.pans && inPlaceDevice.pans >= 7)
    }

    /// A framebuffer that does not pan keeps the canvas (drawing in place would show every
    /// repaint half done), as does one whose top byte is alpha (0 would be transparent).
    @Test func aFramebufferThatDoesNotPanOrHasAlphaKeepsTheCanvas() throws {
        let config = KioskConfig()
        let onePage = try FramebufferDisplay(device: PanningFramebuffer(width: 320, height: 200, pans: false), consolePath: nil, config: config, assetDirectory: Self.assets)
        #expect(!onePage.drawsInPlace)
        let alpha = try FramebufferDisplay(device: PanningFramebuffer(width: 320, height: 200, pans: true, alpha: true), consolePath: nil, config: config, assetDirectory: Self.assets)
        #expect(!alpha.drawsInPlace)
    }
}
