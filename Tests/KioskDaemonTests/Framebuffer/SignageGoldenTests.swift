import Foundation
import Testing
import KioskCore
import KioskDisplay
import KioskFeeds
import KioskStore
import KioskTestSupport
@testable import KioskDaemon

/// Golden frames of the pixel display: the bundled demo (`kiosk-config/demo`, dated
/// around Tuesday 24 November 2026) at 15:05 in Paris, drawn by the daemon's own lobby on
/// an `OffscreenPixelDisplay` as `kioskctl render` draws it, at the sizes the issue names:
/// 1920x1080, 1280x720, 1024x768, a 1080x1920 totem (a 1920x1080 panel turned a quarter),
/// 3840x2160, a 16-bit panel (dithered RGB565), and an unknown badge's card.
///
/// The files are PNGs (`Golden/signage-*.png`, compressed by `CompressedPNG` so that they
/// can be committed), compared byte for byte. After an intended change of the layout, the
/// type, the themes or the demo, look at the new pictures and regenerate:
/// `KIOSK_UPDATE_GOLDENS=1 swift test --filter SignageGoldenTests`. Set
/// `KIOSK_RENDER_DIR=/tmp/x` to get the pictures that differ there.
@Suite(.serialized) struct SignageGoldenTests {
    static let golden = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().appendingPathComponent("Golden")
    static var assets: String { FramebufferWiringTests.assets }
    static var updating: Bool { ProcessInfo.processInfo.environment["KIOSK_UPDATE_GOLDENS"] == "1" }

    struct Case: Sendable, CustomStringConvertible {
        var name: String
        var panel: (width: Int, height: Int)
        var rotation = ScreenRotation.upright
        var bitsPerPixel = 32
        /// The panel to show: the first instant from 15:05 on that shows its first page.
        var showing: PanelRotation.Panel
        var unknownBadge = false
        var description: String { name }
    }

    static let cases = [
        Case(name: "signage-1920x1080", panel: (1920, 1080), showing: .upcoming),
        Case(name: "signage-1280x720", panel: (1280, 720), showing: .residents),
        Case(name: "signage-1024x768", panel: (1024, 768), showing: .notices),
        Case(name: "signage-1080x1920", panel: (1920, 1080), rotation: .quarter, showing: .upcoming),
        Case(name: "signage-3840x2160", panel: (3840, 2160), showing: .notices),
        Case(name: "signage-1280x720-16bpp", panel: (1280, 720), bitsPerPixel: 16, showing: .residents),
        Case(name: "signage-1920x1080-unknown-badge", panel: (1920, 1080), showing: .residents, unknownBadge: true),
    ]

    /// The demo, dated around 2026-11-24, in a state directory: residents, notices and the
    /// programme as the demo's feed would store it.
    final class Demo: @unchecked Sendable {
        // @unchecked: built once, then only read.
        let setup: DemoSetup
        let config: KioskConfig
        static let shared = try! Demo()

        init() throws {
            let data = URL(fileURLWithPath: FramebufferWiringTests.assets).deletingLastPathComponent().appendingPathComponent("kiosk-config/demo")
            setup = try DemoSetup.prepare(from: data, today: CivilDate(year: 2026, month: 11, day: 24))
            var text = try String(contentsOfFile: setup.configPath, encoding: .utf8)
            text = text.replacingOccurrences(of: "backend = terminal", with: "backend = framebuffer")
            try Data(text.utf8).write(to: URL(fileURLWithPath: setup.configPath))
            config = try KioskConfig.load(path: setup.configPath)
            let store = try StateStore(stateDirectory: setup.stateDirectory, timeZone: config.venue.timeZone)
            let fetched = ISO8601.parse("2026-11-24T14:00:00Z")!
            try DemoSetup.importFixtures(from: setup, into: store, config: config, now: fetched)
            let ics = try Data(contentsOf: setup.directory.appendingPathComponent("programme.ics"))
            let events = try FeedDecoder.decode([UInt8](ics), format: .ics, options: .init(venueTimeZone: config.venue.timeZone)).events
            try store.programme.replaceEvents(ofSource: "programme", kind: .ics, url: "programme.ics", with: events, fetchedAt: fetched)
        }
    }

    /// The frame of `c` as the driver shows it, and the scene behind it. The demo's import,
    /// the layout that finds the page and the 16-bit conversion (seconds in a debug build)
    /// run on a thread of their own, not on the cooperative pool the suite's other tests
    /// need; the lobby draws on its own thread anyway.
    static func frame(_ c: Case) async throws -> (canvas: PixelCanvas, scene: PixelScene) {
        try await offThePool { try await drawFrame(c) }
    }

    private static func drawFrame(_ c: Case) async throws -> (canvas: PixelCanvas, scene: PixelScene) {
        let demo = Demo.shared
        let config = demo.config
        let store = try StateStore(stateDirectory: demo.setup.stateDirectory, timeZone: config.venue.timeZone)
        let display = try OffscreenPixelDisplay(config: config, pixelWidth: c.panel.width, pixelHeight: c.panel.height, assetDirectory: assets, rotation: c.rotation)
        display.followsSchedule = false
        // The first instant from 15:05:00 that shows the page wanted, within that minute
        // when it comes round in it.
        let base = ISO8601.parse("2026-11-24T14:05:00Z")!
        let snapshot = try LobbySnapshotReader.snapshot(at: base, store: store, config: config)
        let surface = display.surface
        let rotation = surface.layout(config: config).panelRotation(snapshot, metrics: surface.metrics(shift: ScreenSchedule.burnInShift(at: base)))
        let offset = try #require((0..<600).first { rotation.slot(at: base.addingTimeInterval(Double($0)))?.panel == c.showing && rotation.slot(at: base.addingTimeInterval(Double($0)))?.page == 0 })
        let lobby = Lobby(clock: FixedClock(base.addingTimeInterval(Double(offset))), config: config, store: store, display: display, logger: JournalLogger(level: .error, sink: { _ in }))
        try await lobby.start()
        if c.unknownBadge { await lobby.badgeScanned(BadgeRead(tagID: "62E3086CED", encoding: .hex, source: .rdm6300)) }
        guard case .pixels(let scene) = await lobby.currentScreen() else { throw CancellationError() }
        var canvas = try #require(await lobby.offscreenFrame()).canvas
        await lobby.stop()
        if c.bitsPerPixel == 16 {
            let layout = PixelBufferLayout(format: .rgb565, width: c.panel.width, height: c.panel.height)
            var panel = [UInt8](repeating: 0, count: layout.requiredByteCount)
            canvas.present([canvas.bounds], into: &panel, layout: layout, rotation: c.rotation)
            canvas = PixelCanvas.fromPanel(panel, layout: layout, rotation: c.rotation)
        }
        return (canvas, scene)
    }

    @Test(arguments: cases)
    func framesMatchTheGoldens(_ c: Case) async throws {
        let (canvas, scene) = try await Self.frame(c)
        let picture = c.rotation.pictureSize(panelWidth: c.panel.width, height: c.panel.height)
        #expect((canvas.width, canvas.height) == picture)
        // The page asked for is the one shown.
        let headings = ["upcoming": "À venir", "residents": "Les résidents", "notices": "Tableau d’affichage"]
        #expect(scene.allTexts.contains { $0.role == .heading && $0.text == headings[c.showing.rawValue] }, "\(c.name) does not show \(c.showing)")
        if c.unknownBadge { #expect(scene.region(.overlay) != nil) }
        try await Self.compare(canvas, golden: c.name)
    }

    /// `canvas` against `Golden/NAME.png` byte for byte (or written there when updating).
    /// The encoding (seconds for a 4K frame in a debug build) runs on a thread of its own,
    /// not on the cooperative pool the suite's other tests need.
    static func compare(_ canvas: PixelCanvas, golden name: String) async throws {
        let png = await onOwnThread { CompressedPNG.encode(canvas) }
        let url = golden.appendingPathComponent(name + ".png")
        if updating {
            try Data(png).write(to: url)
            return
        }
        let stored = try #require(FileManager.default.contents(atPath: url.path), "missing \(url.path): KIOSK_UPDATE_GOLDENS=1 writes it")
        let same = [UInt8](stored) == png  // a Bool: printing megabytes would drown the log
        if !same, let directory = ProcessInfo.processInfo.environment["KIOSK_RENDER_DIR"] {
            try Data(png).write(to: URL(fileURLWithPath: directory).appendingPathComponent(name + "-actual.png"))
        }
        #expect(same, "\(name) differs from \(url.lastPathComponent); set KIOSK_RENDER_DIR to see the new frame")
    }
}
