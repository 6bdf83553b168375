import Foundation
import Testing
import KioskCore
import KioskDisplay
import KioskSystem
@testable import KioskDaemon

/// `DRMDisplay` over `MemoryScanout` (the twin of QEMU's drivers: flips complete at once,
/// DPMS off refuses flips): what reaches the buffer on screen, how many flips, DPMS,
/// hot-plug, VT switches. The real kernel path is `Tests/qemu/run-drm-test.sh`.
@Suite struct DRMDisplayTests {
    static var assets: String {
        URL(fileURLWithPath: #filePath).deletingLastPathComponent().appendingPathComponent("../../../assets").standardized.path
    }

    static let engine = try! TypeEngine(fontsDirectory: PixelAssets.fontDirectory(assets))

    static func display(_ device: MemoryScanout, request: DisplayModeRequest? = nil, rotation: ScreenRotation = .upright) throws -> DRMDisplay {
        try DRMDisplay(device: device, consolePath: nil, request: request, theme: .lobby, engine: engine, rotation: rotation)
    }

    /// A screen of `surface` with a header saying `title` and a line of `body`.
    static func model(_ surface: PixelSurface, title: String, body: String = "Atelier sérigraphie") -> PixelScene {
        func line(_ text: String, size: Double, role: ScreenRole, x: Int, baseline: Int) -> SceneText {
            let style = TextStyle(pixelSize: size)
            let width = surface.type.width(of: text, style: style)
            let frame = PixelRect(x: x - 2, y: baseline - Int(size), width: min(surface.width - x, Int(width) + 4), height: Int(size * 1.3))
            return SceneText(text: text, style: style, role: role, x: Double(x), baseline: Double(baseline), width: width, frame: frame)
        }
        var scene = PixelScene(width: surface.width, height: surface.height)
        scene.layers[0].boxes = [SceneBox(PixelRect(x: 0, y: 0, width: surface.width, height: 64), .background(.header))]
        scene.layers[0].texts = [line(title, size: 40, role: .headerText, x: 16, baseline: 46), line(body, size: 24, role: .title, x: 32, baseline: 200)]
        return scene
    }

    /// The buffer on screen holds exactly the canvas.
    static func expectOnScreen(_ device: MemoryScanout, _ display: DRMDisplay, sourceLocation: SourceLocation = #_sourceLocation) {
        let shown = device.visiblePixels()
        #expect(shown == display.canvas.pixels, "the screen differs from the frame in RAM", sourceLocation: sourceLocation)
    }

    @Test func everyFrameIsOneFlipAndTheScreenHoldsTheCanvas() throws {
        let device = MemoryScanout(width: 640, height: 400)
        let display = try Self.display(device)
        #expect(device.modeSets == 1) // buffer 0, black, until the first frame
        if case .lit(let plan) = display.output {
            #expect(plan.connector.name == "Virtual-1")
            #expect(plan.mode.description == "640x400@60")
        } else { Issue.record("not lit: \(display.output)") }
        let m = display.surface
        try display.show(Self.model(m, title: "La Fabrique"))
        try display.show(Self.model(m, title: "La Fabrique — atelier B"))
        Self.expectOnScreen(device, display)
        try display.show(Self.model(m, title: "La Fabrique — atelier B", body: "Ciné-club"))
        try display.show(Self.model(m, title: "La Fabrique", body: "Ciné-club"))
        Self.expectOnScreen(device, display)
        try display.show(Self.model(m, title: "La Fabrique", body: "Ciné-club")) // nothing changed: no flip
        #expect(display.counters.framesPresented == 4)
        #expect(display.counters.flipsQueued == 4 && display.counters.flipsCompleted == 4 && device.flips == 4)
        #expect(display.counters.flipsFailed == 0)
        #expect(display.statusSummary == "screen Virtual-1 640x400@60 (DRM)")
    }

    /// The staff page's picture of the screen (#14) is the frame on screen.
    @Test func theStaffPicturesTheFrameOnScreen() throws {
        let device = MemoryScanout(width: 640, height: 400)
        let display = try Self.display(device)
        try display.show(Self.model(display.surface, title: "La Fabrique"))
        let pictured: any PixelCanvasDisplay = display
        #expect(pictured.currentCanvas.pixels == device.visiblePixels())
    }

    /// Idle costs what changed: a later frame draws its changed areas and the ones the
    /// back buffer missed, not the whole screen.
    @Test func laterFramesWriteOnlyWhatChanged() throws {
        let device = MemoryScanout(width: 640, height: 400)
        let display = try Self.display(device)
        let m = display.surface
        try display.show(Self.model(m, title: "14:05"))
        try display.show(Self.model(m, title: "14:06"))
        let whole = 640 * 400 * 4
        #expect(display.counters.bytesWritten == 2 * whole) // both buffers drawn once in full
        try display.show(Self.model(m, title: "14:07"))
        let third = display.counters.bytesWritten - 2 * whole
        #expect(third > 0 && third < whole / 4, "\(third) bytes for a changed title")
        Self.expectOnScreen(device, display)
    }

    @Test func dpmsOffNeverFlipsAndWakingShowsTheLatestFrame() throws {
        let device = MemoryScanout(width: 640, height: 400)
        let display = try Self.display(device)
        let m = display.surface
        try display.show(Self.model(m, title: "Ouvert"))
        try display.setBlanked(true)
        #expect(!device.screenOn)
        #expect(display.statusSummary.hasPrefix("screen off on purpose"))
        let flips = device.flips
        try display.show(Self.model(m, title: "La nuit")) // the memory device throws EINVAL on a flip now
        #expect(device.flips == flips)
        try display.setBlanked(false)
        #expect(device.screenOn)
        Self.expectOnScreen(device, display)
        #expect(display.counters.flipsFailed == 0)
    }

    @Test func aScreenUnpluggedAndPluggedBackIsLitAgain() throws {
        let device = MemoryScanout(width: 640, height: 400)
        let display = try Self.display(device)
        let m = display.surface
        try display.show(Self.model(m, title: "Avant"))
        device.connected = false
        #expect(try display.checkOutput(.poll) == .lost)
        #expect(display.statusSummary.hasPrefix("no screen connected"))
        try display.show(Self.model(m, title: "Pendant")) // rendered, not shown
        #expect(try display.checkOutput(.poll) == .unchanged)
        device.connected = true
        let modeSets = device.modeSets
        #expect(try display.checkOutput(.hotplugEvent) == .lit(resized: false))
        #expect(device.modeSets == modeSets + 1) // the mode is set again
        Self.expectOnScreen(device, display)
        // A hot-plug event with the screen still there sets the mode again (a TV power-cycled).
        #expect(try display.checkOutput(.hotplugEvent) == .lit(resized: false))
        #expect(device.modeSets == modeSets + 2)
        // The poll alone does not.
        #expect(try display.checkOutput(.poll) == .unchanged)
    }

    @Test func aScreenOfAnotherSizeIsLaidOutAgain() throws {
        let device = MemoryScanout(width: 640, height: 400)
        let display = try Self.display(device)
        try display.show(Self.model(display.surface, title: "Petit"))
        device.connected = false
        _ = try display.checkOutput(.hotplugEvent)
        device.width = 800
        device.height = 480
        device.connected = true
        #expect(try display.checkOutput(.hotplugEvent) == .lit(resized: true))
        #expect(display.canvas.width == 800 && display.canvas.height == 480)
        try display.show(Self.model(display.surface, title: "Grand"))
        Self.expectOnScreen(device, display)
    }

    @Test func startsWithoutAScreenAndWaitsForOne() throws {
        let device = MemoryScanout(width: 640, height: 400)
        device.connected = false
        let display = try Self.display(device, request: DisplayModeRequest(width: 640, height: 400))
        #expect(device.modeSets == 0)
        try display.show(Self.model(display.surface, title: "Personne"))
        #expect(device.flips == 0)
        device.connected = true
        #expect(try display.checkOutput(.hotplugEvent) == .lit(resized: false))
        Self.expectOnScreen(device, display)
    }

    @Test func consoleSwitchDropsAndRetakesMaster() throws {
        let device = MemoryScanout(width: 640, height: 400)
        let display = try Self.display(device)
        try display.show(Self.model(display.surface, title: "Ici"))
        display.consoleReleased()
        #expect(!device.isMaster)
        #expect(display.output == .consoleAway)
        try display.show(Self.model(display.surface, title: "Ailleurs")) // not shown while away
        #expect(try display.checkOutput(.hotplugEvent) == .unchanged)
        #expect(try display.consoleAcquired() == .lit(resized: false))
        #expect(device.isMaster)
        Self.expectOnScreen(device, display)
        display.restore()
        #expect(!device.isMaster)
    }

    @Test func aMasterNotLetGoWhenTheConsoleReturnsIsWaitedFor() throws {
        let device = MemoryScanout(width: 640, height: 400)
        let display = try Self.display(device)
        try display.show(Self.model(display.surface, title: "Ici"))
        display.consoleReleased()
        device.otherMaster = true // the program on the other VT still holds it
        #expect(try display.consoleAcquired() == .unchanged)
        #expect(!device.isMaster)
        guard case .masterElsewhere = display.output else { Issue.record("\(display.output)"); return }
        #expect(display.statusSummary.hasPrefix("another program holds the screen"))
        let flips = device.flips, modeSets = device.modeSets
        try display.show(Self.model(display.surface, title: "Ailleurs")) // rendered, not shown
        #expect(try display.checkOutput(.poll) == .unchanged)
        #expect(device.flips == flips && device.modeSets == modeSets)
        device.otherMaster = false
        #expect(try display.checkOutput(.poll) == .lit(resized: false))
        #expect(device.isMaster && device.modeSets == modeSets + 1)
        Self.expectOnScreen(device, display)
        #expect(display.statusSummary.hasPrefix("screen Virtual-1"))
    }

    @Test func anotherMasterAtStartUpIsWaitedFor() throws {
        let device = MemoryScanout(width: 640, height: 400)
        device.otherMaster = true // Plymouth, or a compositor, drives the screen
        let display = try Self.display(device)
        guard case .masterElsewhere(let why) = display.output else { Issue.record("\(display.output)"); return }
        #expect(why.contains("SETCRTC"))
        #expect(device.modeSets == 0)
        try display.show(Self.model(display.surface, title: "Attente"))
        #expect(device.flips == 0)
        #expect(try display.checkOutput(.hotplugEvent) == .unchanged)
        device.otherMaster = false
        #expect(try display.checkOutput(.hotplugEvent) == .lit(resized: false))
        Self.expectOnScreen(device, display)
        #expect(display.counters.framesPresented == 1)
    }

    @Test func withoutPageFlipsItDrawsIntoTheBufferOnScreen() throws {
        let device = MemoryScanout(width: 640, height: 400)
        device.flipsSupported = false
        let display = try Self.display(device)
        try display.show(Self.model(display.surface, title: "Un"))
        try display.show(Self.model(display.surface, title: "Deux"))
        Self.expectOnScreen(device, display)
        #expect(device.dirtyCalls >= 1)
        #expect(display.counters.framesPresented == 2)
    }

    /// The QEMU test's hook: no page flip at all, every frame marked dirty.
    @Test func frontBufferDrawingMarksEveryFrameDirty() throws {
        let device = MemoryScanout(width: 640, height: 400)
        let display = try DRMDisplay(device: device, consolePath: nil, request: nil, theme: .lobby, engine: Self.engine, pageFlips: false)
        try display.show(Self.model(display.surface, title: "Un"))
        try display.show(Self.model(display.surface, title: "Deux"))
        Self.expectOnScreen(device, display)
        #expect(device.flips == 0)
        #expect(device.dirtyCalls == 2)
        #expect(device.shown == 0)
        #expect(display.counters.framesPresented == 2)
    }

    @Test func aTurnedPanelGetsThePortraitPictureTurnedIntoItsBuffers() throws {
        // A 640x400 screen mounted on its side: the lobby is laid out for 400x640, and the
        // buffer on screen holds that picture turned a quarter, after partial updates too.
        let device = MemoryScanout(width: 640, height: 400)
        let display = try Self.display(device, rotation: .quarter)
        #expect(display.surface.width == 400 && display.surface.height == 640)
        try display.show(Self.model(display.surface, title: "Totem"))
        try display.show(Self.model(display.surface, title: "Totem B"))
        try display.show(Self.model(display.surface, title: "Totem", body: "Ciné-club"))
        let canvas = display.canvas
        let shown = device.visiblePixels() ?? []
        var same = shown.count == canvas.width * canvas.height
        for y in 0..<canvas.height where same {
            for x in 0..<canvas.width where shown[x * 640 + (639 - y)] != canvas[x, y] { same = false; break }
        }
        #expect(same, "the buffer on screen is not the picture turned a quarter")
    }

    @Test func theRequestedModeOrTheReason() throws {
        let device = MemoryScanout(width: 640, height: 400)
        let display = try Self.display(device, request: DisplayModeRequest(width: 1920, height: 1080, refresh: 60))
        guard case .lit(let plan) = display.output else { Issue.record("not lit"); return }
        #expect(plan.mode.width == 640)
        #expect(plan.modeReason.contains("[screen] mode = 1920x1080@60 is not offered by Virtual-1"))
    }
}
