import Foundation
import Testing
import KioskCore
import KioskDisplay
import KioskStore
import KioskTestSupport
@testable import KioskDaemon

/// The framebuffer path of the daemon without a device: `kioskctl render`, the frames an
/// idle lobby flushes, and the screen schedule.
@Suite struct FramebufferWiringTests {
    static let paris = IANATimeZone(identifier: "Europe/Paris")!
    static func at(_ iso: String) -> Date { ISO8601.parse(iso)! }
    static var assets: String {
        URL(fileURLWithPath: #filePath).deletingLastPathComponent().appendingPathComponent("../../../assets").standardized.path
    }

    /// A configuration and state directory in a temporary directory.
    struct Site {
        let directory: URL
        var config: String { directory.appendingPathComponent("kiosk.conf").path }
        var state: String { directory.appendingPathComponent("state").path }

        init(_ text: String) throws {
            directory = FileManager.default.temporaryDirectory.appendingPathComponent("fbwire-\(UUID().uuidString)")
            try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
            try Data(text.utf8).write(to: URL(fileURLWithPath: config))
        }

        /// `kioskctl` in process; its rendering and encoding (seconds in a debug build) run
        /// on a thread of its own, not on the cooperative pool.
        func ctl(_ arguments: [String]) async -> (status: Int32, err: String) {
            await offThePool {
                var output = ControlOutput.captured
                let status = await ControlCommand.main(arguments: arguments + ["--config", config, "--state-dir", state], output: &output)
                return (status, output.standardError)
            }
        }

        func remove() { try? FileManager.default.removeItem(at: directory) }
    }

    static let residentsCSV = """
    name,kind,sector,location,membership,summary,website
    Distorsion,association,Arts numériques,"Bât. A, atelier 3",installed,,
    360 secondes,entreprise,Audiovisuel,"Bât. A, bureau 104",installed,,
    Fertil Ink,artiste,Sérigraphie,"Bât. C, atelier 5",installed,,
    """

    /// The driver's frame computed without the lobby actor: snapshot from the store, the
    /// pixel layout for the turned picture with the instant's burn-in shift, the theme and
    /// fonts loaded as the driver loads them, `SceneRenderer`. On a thread of its own (a
    /// second of rendering in a debug build), not on the cooperative pool.
    static func driverFrame(site: Site, at instant: Date, width: Int, height: Int, rotation: ScreenRotation = .upright) async throws -> (canvas: PixelCanvas, scene: PixelScene) {
        try await onOwnThread { try renderDriverFrame(site: site, at: instant, width: width, height: height, rotation: rotation) }
    }

    /// The PNG of `canvas` as `kioskctl render` writes it, encoded on a thread of its own.
    static func png(_ canvas: PixelCanvas) async -> [UInt8] {
        await onOwnThread { PNGEncoder.encode(canvas) }
    }

    private static func renderDriverFrame(site: Site, at instant: Date, width: Int, height: Int, rotation: ScreenRotation) throws -> (canvas: PixelCanvas, scene: PixelScene) {
        let config = try KioskConfig.load(path: site.config)
        let store = try StateStore(stateDirectory: site.state, timeZone: config.venue.timeZone)
        let snapshot = try LobbySnapshotReader.snapshot(at: instant, store: store, config: config)
        let theme = try PixelTheme.load(for: config, directory: PixelAssets.themeDirectory(assets))
        let engine = try TypeEngine(fontsDirectory: PixelAssets.fontDirectory(assets))
        let picture = rotation.pictureSize(panelWidth: width, height: height)
        let scene = SignageLayout(config: config, type: engine, emphasis: theme.boldRoles)
            .layout(snapshot, metrics: .init(width: picture.width, height: picture.height, shift: ScreenSchedule.burnInShift(at: instant)))
        var renderer = SceneRenderer(width: picture.width, height: picture.height, theme: theme, type: engine)
        _ = renderer.render(scene)
        return (renderer.canvas, scene)
    }

    static func pngSize(_ bytes: [UInt8]) -> (Int, Int) {
        func u32(_ i: Int) -> Int { bytes[i..<i + 4].reduce(0) { $0 << 8 | Int($1) } }
        return (u32(16), u32(20))
    }

    @Test(arguments: [(1920, 1080), (1280, 720), (1024, 768)])
    func renderWritesTheDriversFrame(size: (Int, Int)) async throws {
        let site = try Site("[venue]\nname = La Fabrique\n[screen]\nbackend = framebuffer\n")
        defer { site.remove() }
        let csv = site.directory.appendingPathComponent("residents.csv")
        try Data(Self.residentsCSV.utf8).write(to: csv)
        #expect(await site.ctl(["residents", "import", csv.path]).status == 0)

        let out = site.directory.appendingPathComponent("frame.png").path
        let at = "2026-11-24T14:05:05+01:00"
        let result = await site.ctl(["render", "--at", at, "--size", "\(size.0)x\(size.1)", "--out", out, "--assets", Self.assets])
        #expect(result.status == 0, "\(result.err)")
        let png = try [UInt8](Data(contentsOf: URL(fileURLWithPath: out)))
        #expect(Self.pngSize(png) == size)
        let expected = try await Self.driverFrame(site: site, at: Self.at(at), width: size.0, height: size.1).canvas
        #expect(png == (await Self.png(expected)))

        // Another instant of the same minute slot is the same frame; five minutes later the
        // burn-in shift moves everything.
        let later = site.directory.appendingPathComponent("later.png").path
        #expect(await site.ctl(["render", "--at", "2026-11-24T14:10:05+01:00", "--size", "\(size.0)x\(size.1)", "--out", later, "--assets", Self.assets]).status == 0)
        let shifted = try [UInt8](Data(contentsOf: URL(fileURLWithPath: later)))
        #expect(shifted != png)
        let shiftedFrame = try await Self.driverFrame(site: site, at: Self.at("2026-11-24T14:10:05+01:00"), width: size.0, height: size.1).canvas
        #expect(shifted == (await Self.png(shiftedFrame)))
    }

    @Test func renderTurnsThePictureAsTheVisitorSeesIt() async throws {
        let site = try Site("[venue]\nname = La Fabrique\naccent = #A3001B\n[screen]\nbackend = framebuffer\nrotation = 90\n")
        defer { site.remove() }
        let at = "2026-11-24T14:05:05+01:00"
        // The configuration's rotation, and --rotation over it: 90 and 270 give a portrait
        // picture (the same one: the visitor's), 180 a landscape one.
        for (arguments, size) in [([String](), (1080, 1920)), (["--rotation", "270"], (1080, 1920)), (["--rotation", "180"], (1920, 1080))] {
            let out = site.directory.appendingPathComponent("turned.png").path
            let result = await site.ctl(["render", "--at", at, "--size", "1920x1080", "--out", out, "--assets", Self.assets] + arguments)
            #expect(result.status == 0, "\(result.err)")
            let png = try [UInt8](Data(contentsOf: URL(fileURLWithPath: out)))
            #expect(Self.pngSize(png) == size, "\(arguments)")
            let turn = arguments.isEmpty ? ScreenRotation.quarter : ScreenRotation(rawValue: Int(arguments[1])!)!
            let (expected, scene) = try await Self.driverFrame(site: site, at: Self.at(at), width: 1920, height: 1080, rotation: turn)
            #expect(png == (await Self.png(expected)))
            // The accent is the header band, with white text on this dark red.
            #expect(expected.color(x: 2, y: 2) == PixelColor(rgb: 0xA3001B))
            #expect(scene.allTexts.contains { $0.tag == .venueName(line: 0) })
        }
        // --bpp 16: what an RGB565 panel shows, dithered; 24 is the exact frame.
        let out16 = site.directory.appendingPathComponent("16.png").path, out24 = site.directory.appendingPathComponent("24.png").path
        #expect(await site.ctl(["render", "--at", at, "--size", "1280x720", "--rotation", "0", "--bpp", "16", "--out", out16, "--assets", Self.assets]).status == 0)
        #expect(await site.ctl(["render", "--at", at, "--size", "1280x720", "--rotation", "0", "--bpp", "24", "--out", out24, "--assets", Self.assets]).status == 0)
        let exact = try await Self.driverFrame(site: site, at: Self.at(at), width: 1280, height: 720).canvas
        #expect(try [UInt8](Data(contentsOf: URL(fileURLWithPath: out24))) == (await Self.png(exact)))
        let layout = PixelBufferLayout(format: .rgb565, width: 1280, height: 720)
        var panel = [UInt8](repeating: 0, count: layout.requiredByteCount)
        exact.present([exact.bounds], into: &panel, layout: layout, rotation: .upright)
        let dithered = await Self.png(PixelCanvas.fromPanel(panel, layout: layout, rotation: .upright))
        #expect(try [UInt8](Data(contentsOf: URL(fileURLWithPath: out16))) == dithered)
        for bad in [["--rotation", "45"], ["--bpp", "8"]] {
            #expect(await site.ctl(["render", "--at", at, "--out", out16, "--assets", Self.assets] + bad).status == 2, "\(bad)")
        }
    }

    @Test func aThemeBelowContrastOrAnAccentStopsTheDisplayWithTheReason() async throws {
        let site = try Site("[venue]\nname = La Fabrique\n[screen]\nbackend = framebuffer\ntheme = dim\n")
        defer { site.remove() }
        let themes = site.directory.appendingPathComponent("assets/themes")
        try FileManager.default.createDirectory(at: themes, withIntermediateDirectories: true)
        try FileManager.default.copyItem(atPath: Self.assets + "/fonts", toPath: site.directory.appendingPathComponent("assets/fonts").path)
        try Data("background = #D0D0D0 on #1C1C1C\nfooter = #505050 on #303030\n".utf8).write(to: themes.appendingPathComponent("dim.theme"))
        let out = site.directory.appendingPathComponent("x.png").path
        let result = await site.ctl(["render", "--out", out, "--assets", site.directory.appendingPathComponent("assets").path])
        #expect(result.status == 78)
        #expect(result.err.contains("dim.theme:2: 'footer' text #505050 on 'footer' background #303030"), "\(result.err)")
    }

    @Test func renderRejectsBadSizesAndInstantsWithExit2() async throws {
        let site = try Site("[venue]\nname = Test\n")
        defer { site.remove() }
        let out = site.directory.appendingPathComponent("x.png").path
        for size in ["1920", "0x0", "10x10", "widexhigh", "1920x1080x2", "99999x1080", "-1920x1080"] {
            #expect(await site.ctl(["render", "--size", size, "--out", out, "--assets", Self.assets]).status == 2, "\(size)")
        }
        #expect(await site.ctl(["render", "--at", "yesterday", "--size", "1024x768", "--out", out, "--assets", Self.assets]).status == 2)
        #expect(await site.ctl(["render", "--size", "1024x768", "--assets", Self.assets]).status == 2)
        #expect(!FileManager.default.fileExists(atPath: out))
    }

    /// Collects log lines (the sink runs under the logger's lock).
    final class LogLines: @unchecked Sendable {
        // @unchecked: `lines` is guarded by `lock`.
        private let lock = NSLock()
        private var lines: [String] = []
        func append(_ line: String) { lock.withLock { lines.append(line) } }
        var all: [String] { lock.withLock { lines } }
    }

    static func lobby(_ config: KioskConfig, site: Site, clock: FixedClock, width: Int = 1920, height: Int = 1080, log: LogLines) throws -> Lobby {
        let store = try StateStore(stateDirectory: site.state, timeZone: config.venue.timeZone)
        let display = try OffscreenPixelDisplay(config: config, pixelWidth: width, pixelHeight: height, assetDirectory: assets)
        return Lobby(clock: clock, config: config, store: store, display: display, logger: JournalLogger(level: .info, underSystemd: false, sink: log.append))
    }

    @Test func anIdleMinuteRedrawsNothingThenOnlyTheClock() async throws {
        let site = try Site("[venue]\nname = La Fabrique\n[screen]\nbackend = framebuffer\npanel-duration = 1h\ndirectory-page-duration = 1h\n")
        defer { site.remove() }
        let config = try KioskConfig.load(path: site.config)
        let t0 = Self.at("2026-11-24T14:06:05+01:00")
        let clock = FixedClock(t0)
        let lobby = try Self.lobby(config, site: site, clock: clock, log: LogLines())
        try await lobby.start()
        let first = try #require(await lobby.offscreenFrame())
        #expect(first.counts == .init(flushes: 1, rectangles: 1, pixels: 1920 * 1080))

        for second in stride(from: 5, through: 50, by: 5) {
            clock.set(t0 + Double(second))
            try await lobby.redraw()
        }
        #expect(await lobby.offscreenFrame()?.counts == first.counts, "nothing changes within the minute")

        clock.set(Self.at("2026-11-24T14:07:00+01:00"))
        try await lobby.redraw()
        let ticked = try #require(await lobby.offscreenFrame())
        #expect(ticked.counts.flushes == 2)
        let clockFrame = try await Self.driverFrame(site: site, at: clock.now(), width: 1920, height: 1080)
        let clockArea = try #require(clockFrame.scene.region(.clock))
        #expect(!ticked.lastFlushed.isEmpty)
        for rect in ticked.lastFlushed { #expect(clockArea.contains(rect), "\(rect) outside the clock \(clockArea)") }
        let idleMinutePixels = ticked.counts.pixels - first.counts.pixels
        #expect(idleMinutePixels <= clockArea.area)
        // Bytes an idle minute writes to a 32 bpp framebuffer: under 1% of a frame.
        #expect(idleMinutePixels * 4 < 1920 * 1080 * 4 / 100)
    }

    @Test func theScreenIsOffOnPurposeWhenTheBuildingIsClosed() async throws {
        // Tuesday closed, Wednesday open from 09:00.
        let site = try Site("[venue]\nname = La Fabrique\n[hours]\ntuesday = closed\nwednesday = 09:00-19:00\n[screen]\nbackend = framebuffer\n")
        defer { site.remove() }
        let config = try KioskConfig.load(path: site.config)
        let clock = FixedClock(Self.at("2026-11-24T14:05:05+01:00"))
        let log = LogLines()
        let lobby = try Self.lobby(config, site: site, clock: clock, width: 1024, height: 768, log: log)
        try await lobby.start()
        var frame = try #require(await lobby.offscreenFrame())
        #expect(frame.isBlanked)
        #expect(frame.counts.flushes == 0)
        #expect(log.all.contains { $0.contains("screen off on purpose") && $0.contains("closed") })
        #expect(await lobby.screenState() == .off(.closed))

        clock.set(Self.at("2026-11-25T08:59:00+01:00"))
        try await lobby.redraw()
        #expect(await lobby.offscreenFrame()?.counts.flushes == 0)

        clock.set(Self.at("2026-11-25T09:00:00+01:00"))
        try await lobby.redraw()
        frame = try #require(await lobby.offscreenFrame())
        #expect(!frame.isBlanked)
        #expect(frame.counts == .init(flushes: 1, rectangles: 1, pixels: 1024 * 768), "woken: drawn whole")
        #expect(log.all.contains { $0.contains("screen on") })
    }
}
