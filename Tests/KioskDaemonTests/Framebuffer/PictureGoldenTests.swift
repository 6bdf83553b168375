import Foundation
import Testing
import KioskCore
import KioskDisplay
import KioskFeeds
import KioskStore
import KioskTestSupport
@testable import KioskDaemon

/// Golden frames with pictures: the demo of `SignageGoldenTests` with the venue's logo
/// (a PNG with alpha), pictures for three events (a baseline 4:2:0 JPEG, a progressive
/// JPEG stored sideways with EXIF orientation 6 as a phone writes it, a PNG) and a poster
/// in its period (a portrait JPEG), at 1920x1080 and as a 1080x1920 totem, on the featured
/// event's page and on the poster's. The pictures are made by
/// `Golden/pictures/make-pictures.py` (Pillow), committed as files.
///
/// Regenerate after an intended change, and look at the pictures:
/// `KIOSK_UPDATE_GOLDENS=1 swift test --filter PictureGoldenTests`.
@Suite(.serialized) struct PictureGoldenTests {
    static let pictures = SignageGoldenTests.golden.appendingPathComponent("pictures")

    struct Case: Sendable, CustomStringConvertible {
        var name: String
        var panel: (width: Int, height: Int)
        var rotation = ScreenRotation.upright
        var showing: PanelRotation.Panel
        var description: String { name }
    }

    static let cases = [
        Case(name: "pictures-1920x1080-featured", panel: (1920, 1080), showing: .featured),
        Case(name: "pictures-1920x1080-poster", panel: (1920, 1080), showing: .posters),
        Case(name: "pictures-1080x1920-featured", panel: (1920, 1080), rotation: .quarter, showing: .featured),
        Case(name: "pictures-1080x1920-poster", panel: (1920, 1080), rotation: .quarter, showing: .posters),
    ]

    /// Events given a picture (uid, file), in the demo dated 2026-11-24.
    static let eventPictures = [
        ("conf-design-inclusif@demo.kiosk", "event-conference.jpg"),
        ("projection-courts@demo.kiosk", "event-screening.jpg"),
        ("concert-quatre-quarts@demo.kiosk", "event-concert.png"),
    ]

    /// The demo with pictures, in its own state directory; `broken` names an event whose
    /// stored picture is made undecodable (cut in half) after it was stored.
    final class Demo: @unchecked Sendable {
        // @unchecked: built once, then only read.
        let setup: DemoSetup
        let config: KioskConfig
        static let shared = try! Demo()

        init(broken: String? = nil) throws {
            let data = URL(fileURLWithPath: FramebufferWiringTests.assets).deletingLastPathComponent().appendingPathComponent("kiosk-config/demo")
            setup = try DemoSetup.prepare(from: data, today: CivilDate(year: 2026, month: 11, day: 24))
            let logo = setup.directory.appendingPathComponent("logo.png")
            try FileManager.default.copyItem(at: PictureGoldenTests.pictures.appendingPathComponent("logo.png"), to: logo)
            var text = try String(contentsOfFile: setup.configPath, encoding: .utf8)
            text = text.replacingOccurrences(of: "backend = terminal", with: "backend = framebuffer")
            text = text.replacingOccurrences(of: "[venue]\n", with: "[venue]\nlogo = logo.png\n")
            try Data(text.utf8).write(to: URL(fileURLWithPath: setup.configPath))
            config = try KioskConfig.load(path: setup.configPath)
            #expect(config.venue.logo == "logo.png")
            let store = try StateStore(stateDirectory: setup.stateDirectory, timeZone: config.venue.timeZone)
            let fetched = ISO8601.parse("2026-11-24T14:00:00Z")!
            try DemoSetup.importFixtures(from: setup, into: store, config: config, now: fetched)
            let ics = try Data(contentsOf: setup.directory.appendingPathComponent("programme.ics"))
            var events = try FeedDecoder.decode([UInt8](ics), format: .ics, options: .init(venueTimeZone: config.venue.timeZone)).events
            let files = PictureFileStore(stateDirectory: setup.stateDirectory)
            for (uid, file) in PictureGoldenTests.eventPictures {
                let url = "https://demo.example/pictures/\(file)"
                for i in events.indices where events[i].uid == uid { events[i].imageURL = url }
                var bytes = [UInt8](try Data(contentsOf: PictureGoldenTests.pictures.appendingPathComponent(file)))
                if uid == broken { bytes = Array(bytes.prefix(bytes.count / 2)) }
                try store.eventPictures.save(EventPictureRecord(url: url, picture: try files.store(bytes), etag: nil, lastModified: nil, checked: fetched, error: nil))
            }
            try store.programme.replaceEvents(ofSource: "programme", kind: .ics, url: "programme.ics", with: events, fetchedAt: fetched)
            let poster = [UInt8](try Data(contentsOf: PictureGoldenTests.pictures.appendingPathComponent("poster-festival.jpg")))
            try store.posters.create(Poster(id: "festival", title: "Festival des arts numériques", from: CivilDate(year: 2026, month: 11, day: 20),
                                            to: CivilDate(year: 2026, month: 11, day: 29), picture: try files.store(poster), posted: fetched), createdBy: "test")
        }
    }

    /// The frame of the demo `makeDemo` gives on a panel, at the first instant from 15:05 that
    /// shows `showing`'s first page, with the scene and what the lobby logged. The demo's
    /// import and the layout that finds the page (seconds in a debug build) run on a thread
    /// of their own, not on the cooperative pool; the lobby draws on its own thread anyway.
    static func frame(_ makeDemo: @autoclosure () throws -> Demo, panel: (width: Int, height: Int), rotation: ScreenRotation, showing: PanelRotation.Panel) async throws
        -> (canvas: PixelCanvas, scene: PixelScene, log: [String]) {
        try await offThePool { try await drawFrame(try makeDemo(), panel: panel, rotation: rotation, showing: showing) }
    }

    private static func drawFrame(_ demo: Demo, panel: (width: Int, height: Int), rotation: ScreenRotation, showing: PanelRotation.Panel) async throws
        -> (canvas: PixelCanvas, scene: PixelScene, log: [String]) {
        let config = demo.config
        let store = try StateStore(stateDirectory: demo.setup.stateDirectory, timeZone: config.venue.timeZone)
        let display = try OffscreenPixelDisplay(config: config, pixelWidth: panel.width, pixelHeight: panel.height, assetDirectory: SignageGoldenTests.assets, rotation: rotation)
        display.followsSchedule = false
        let base = ISO8601.parse("2026-11-24T14:05:00Z")!
        let snapshot = try LobbySnapshotReader.snapshot(at: base, store: store, config: config)
        let surface = display.surface
        let turn = surface.layout(config: config).panelRotation(snapshot, metrics: surface.metrics(shift: ScreenSchedule.burnInShift(at: base)))
        let offset = try #require((0..<600).first { turn.slot(at: base.addingTimeInterval(Double($0)))?.panel == showing && turn.slot(at: base.addingTimeInterval(Double($0)))?.page == 0 })
        let log = LogLines()
        let lobby = Lobby(clock: FixedClock(base.addingTimeInterval(Double(offset))), config: config, store: store, display: display,
                          logger: JournalLogger(level: .warning, underSystemd: false, sink: { log.append($0) }))
        try await lobby.start()
        guard case .pixels(let scene) = await lobby.currentScreen() else { throw CancellationError() }
        let canvas = try #require(await lobby.offscreenFrame()).canvas
        await lobby.stop()
        return (canvas, scene, log.lines)
    }

    final class LogLines: @unchecked Sendable {
        // @unchecked: guarded by `lock`.
        private let lock = NSLock()
        private var stored: [String] = []
        func append(_ line: String) { lock.withLock { stored.append(line) } }
        var lines: [String] { lock.withLock { stored } }
    }

    static func pictureKeys(_ scene: PixelScene) -> [String] {
        scene.layers.flatMap(\.boxes).compactMap { box -> String? in
            if case .picture(let p, _) = box.paint { return URL(fileURLWithPath: p.key).lastPathComponent }
            return nil
        }
    }

    @Test(arguments: cases)
    func framesMatchTheGoldens(_ c: Case) async throws {
        let (canvas, scene, log) = try await Self.frame(Demo.shared, panel: c.panel, rotation: c.rotation, showing: c.showing)
        #expect(log.isEmpty, "\(log)")
        // The logo in the header, and the page's picture.
        let boxes = scene.layers.flatMap(\.boxes)
        let header = try #require(scene.region(.header))
        #expect(boxes.contains { if case .picture(let p, _) = $0.paint { return p.key.hasSuffix("/logo.png") && header.contains($0.frame) }; return false })
        #expect(Self.pictureKeys(scene).count == 2, "\(Self.pictureKeys(scene))")
        let heading = c.showing == .featured ? "À l’affiche" : "Festival des arts numériques"
        #expect(scene.allTexts.contains { $0.role == .heading && $0.text == heading }, "\(c.name) does not show \(c.showing)")
        // The pictures were drawn: the logo's orange disc is in the header's pixels.
        let logo = try #require(boxes.first { if case .picture(let p, _) = $0.paint { return p.key.hasSuffix("/logo.png") }; return false })
        let disc = canvas.pixels[(logo.frame.y + logo.frame.height / 2) * canvas.width + logo.frame.x + logo.frame.width * 40 / 520]
        #expect(disc >> 16 & 0xFF > 180 && disc >> 8 & 0xFF < 140 && disc & 0xFF < 60, "logo pixel \(String(disc, radix: 16))")
        try await SignageGoldenTests.compare(canvas, golden: c.name)
    }

    /// A stored picture that does not decode: one journal warning naming the event and the
    /// reason, the event featured no more (the next one with a picture is), and on the
    /// screen everything else as before.
    @Test func aPictureThatFailsLeavesAWarningAndTheEventWithoutIt() async throws {
        let (_, scene, log) = try await Self.frame(try Demo(broken: "conf-design-inclusif@demo.kiosk"), panel: (1920, 1080), rotation: .upright, showing: .featured)
        #expect(log.count == 1, "\(log)")
        #expect(log.first?.contains("event conf-design-inclusif@demo.kiosk") == true && log.first?.contains("shown without it") == true, "\(log)")
        let titles = scene.allTexts.compactMap { text -> String? in
            if case .eventTitle(let uid, "featured", _) = text.tag { return uid }
            return nil
        }
        #expect(Set(titles) == ["projection-courts@demo.kiosk"])
        // The event is still listed for today, without picture.
        #expect(scene.allTexts.contains { if case .eventTitle("conf-design-inclusif@demo.kiosk", _, _) = $0.tag { return true }; return false })
        #expect(!Self.pictureKeys(scene).isEmpty)
    }

    /// The directory with residents' logos (the demo's `logos/`: tiny PNGs, some with
    /// transparency, one wide): each logo fitted in its card's tile on a light plate, the
    /// residents without one under their initial, names aligned down each column.
    @Test(arguments: [("pictures-1920x1080-directory", ScreenRotation.upright), ("pictures-1080x1920-directory", .quarter)])
    func theDirectoryShowsResidentsLogos(_ name: String, _ rotation: ScreenRotation) async throws {
        let (canvas, scene, log) = try await Self.frame(Demo.shared, panel: (1920, 1080), rotation: rotation, showing: .residents)
        #expect(log.isEmpty, "\(log)")
        #expect(scene.allTexts.contains { $0.role == .heading && $0.text.contains("résidents") }, "\(name) does not show the directory")
        let boxes = scene.layers.flatMap(\.boxes)
        let header = try #require(scene.region(.header))
        let logos = boxes.filter { if case .picture(let p, _) = $0.paint { return p.plate == .title && !header.contains($0.frame) }; return false }
        // The first page (# to C) holds the logos of 360 secondes, Avant-Goût Studios and Cabaroc.
        #expect(logos.count >= 3, "\(Self.pictureKeys(scene))")
        // Every card has a tile of the same size: plates (light, behind a logo) and monograms.
        let plates = boxes.filter { $0.paint == .foreground(.title) || $0.paint == .background(.footer) }
            .filter { if case .rounded = $0.shape { return true }; return false }
        let side = try #require(plates.first?.frame.width)
        #expect(plates.allSatisfy { $0.frame.width == side && $0.frame.height == side })
        for logo in logos {
            #expect(plates.contains { $0.frame.contains(logo.frame) }, "a logo outside its plate: \(logo.frame)")
        }
        // No name, activity or place overlaps a tile (the monogram's letter is inside its own).
        for text in scene.allTexts where [.title, .time].contains(text.role) || (text.role == .detail && text.text.count > 1) {
            #expect(!plates.contains { !$0.frame.intersection(text.frame).isEmpty }, "\(text.text) over a tile")
        }
        // Names start at one x per column, tiles at another, in every column.
        let top = try #require(plates.map(\.frame.y).min()), left = try #require(plates.map(\.frame.x).min())
        let names = Set(scene.allTexts.filter { t in t.role == .title && t.frame.y >= top && t.frame.x >= left }.map { Int($0.x.rounded()) })
        let tileColumns = Set(plates.map(\.frame.x))
        #expect(names.count == tileColumns.count, "names at \(names.sorted()), tiles at \(tileColumns.sorted())")
        // The logos were drawn: a plate's corner pixel inside the tile is the light plate.
        let plate = try #require(plates.first { p in logos.contains { p.frame.contains($0.frame) } })
        let pixel = canvas.pixels[(plate.frame.y + 2) * canvas.width + plate.frame.x + plate.frame.width / 2]
        #expect(pixel >> 16 & 0xFF > 200 && pixel >> 8 & 0xFF > 200 && pixel & 0xFF > 200, "plate pixel \(String(pixel, radix: 16))")
        try await SignageGoldenTests.compare(canvas, golden: name)
    }
}
