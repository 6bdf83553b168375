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

    static func display(_ device: MemoryScanout, request: DisplayModeRequest? = nil) throws -> DRMDisplay {
        try DRMDisplay(device: device, consolePath: nil, request: request, fontDirectory: PixelAssets.fontDirectory(assets), theme: .lobby)
    }

    /// A screen of `metrics` with a header saying `title` and a line of `body`.
    static func model(_ metrics: LobbyLayout.Metrics, title: String, body: String = "Atelier sérigraphie") -> ScreenModel {
        ScreenModel(
            columns: metrics.columns, rows: metrics.rows,
            fills: [Fill(CellRect(column: 0, row: 0, width: metrics.columns, height: 2), .header)],
            runs: [
                TextRun(column: 1, row: 0, width: metrics.columns - 2, text: title, role: .headerText, scale: 2),
                TextRun(column: 2, row: 6, width: metrics.columns - 4, text: body, role: .title),
            ])
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
        let m = display.metrics
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

    /// Idle costs what changed: a later frame draws its changed areas and the ones the
    /// back buffer missed, not the whole screen.
    @Test func laterFramesWriteOnlyWhatChanged() throws {
        let device = MemoryScanout(width: 640, height: 400)
        let display = try Self.display(device)
        let m = display.metrics
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
        let m = display.metrics
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
        let m = display.metrics
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
        try display.show(Self.model(display.metrics, title: "Petit"))
        device.connected = false
        _ = try display.checkOutput(.hotplugEvent)
        device.width = 800
        device.height = 480
        device.connected = true
        #expect(try display.checkOutput(.hotplugEvent) == .lit(resized: true))
        #expect(display.canvas.width == 800 && display.canvas.height == 480)
        try display.show(Self.model(display.metrics, title: "Grand"))
        Self.expectOnScreen(device, display)
    }

    @Test func startsWithoutAScreenAndWaitsForOne() throws {
        let device = MemoryScanout(width: 640, height: 400)
        device.connected = false
        let display = try Self.display(device, request: DisplayModeRequest(width: 640, height: 400))
        #expect(device.modeSets == 0)
        try display.show(Self.model(display.metrics, title: "Personne"))
        #expect(device.flips == 0)
        device.connected = true
        #expect(try display.checkOutput(.hotplugEvent) == .lit(resized: false))
        Self.expectOnScreen(device, display)
    }

    @Test func consoleSwitchDropsAndRetakesMaster() throws {
        let device = MemoryScanout(width: 640, height: 400)
        let display = try Self.display(device)
        try display.show(Self.model(display.metrics, title: "Ici"))
        display.consoleReleased()
        #expect(!device.isMaster)
        #expect(display.output == .consoleAway)
        try display.show(Self.model(display.metrics, title: "Ailleurs")) // not shown while away
        #expect(try display.checkOutput(.hotplugEvent) == .unchanged)
        #expect(try display.consoleAcquired() == .lit(resized: false))
        #expect(device.isMaster)
        Self.expectOnScreen(device, display)
        display.restore()
        #expect(!device.isMaster)
    }

    @Test func withoutPageFlipsItDrawsIntoTheBufferOnScreen() throws {
        let device = MemoryScanout(width: 640, height: 400)
        device.flipsSupported = false
        let display = try Self.display(device)
        try display.show(Self.model(display.metrics, title: "Un"))
        try display.show(Self.model(display.metrics, title: "Deux"))
        Self.expectOnScreen(device, display)
        #expect(device.dirtyCalls >= 1)
        #expect(display.counters.framesPresented == 2)
    }

    /// The QEMU test's hook: no page flip at all, every frame marked dirty.
    @Test func frontBufferDrawingMarksEveryFrameDirty() throws {
        let device = MemoryScanout(width: 640, height: 400)
        let display = try DRMDisplay(device: device, consolePath: nil, request: nil, fontDirectory: PixelAssets.fontDirectory(Self.assets), theme: .lobby, pageFlips: false)
        try display.show(Self.model(display.metrics, title: "Un"))
        try display.show(Self.model(display.metrics, title: "Deux"))
        Self.expectOnScreen(device, display)
        #expect(device.flips == 0)
        #expect(device.dirtyCalls == 2)
        #expect(device.shown == 0)
        #expect(display.counters.framesPresented == 2)
    }

    @Test func theRequestedModeOrTheReason() throws {
        let device = MemoryScanout(width: 640, height: 400)
        let display = try Self.display(device, request: DisplayModeRequest(width: 1920, height: 1080, refresh: 60))
        guard case .lit(let plan) = display.output else { Issue.record("not lit"); return }
        #expect(plan.mode.width == 640)
        #expect(plan.modeReason.contains("[screen] mode = 1920x1080@60 is not offered by Virtual-1"))
    }
}
