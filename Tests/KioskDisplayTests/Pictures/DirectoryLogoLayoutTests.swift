import Foundation
import Synchronization
import Testing
import KioskTestSupport
import KioskCore
@testable import KioskDisplay

/// Residents' logos in the directory, at every screen size the signage issue names and
/// turned a quarter: each logo fitted in its card's tile, tiles of one size aligned down
/// the columns, no text over a tile; and the picture cache within its budget over a
/// directory of 500 residents, with every logo kept at its display size only.
@Suite struct DirectoryLogoLayoutTests {
    static let engine = SignagePropertyTests.engine
    /// Logo shapes as venues send them: square, wide, tall, very wide, one pixel.
    static let shapes = [(96, 96), (128, 64), (40, 120), (600, 100), (1, 1)]

    /// `count` residents, every `every`-th without a logo (the others with one of 40
    /// distinct logos, or all distinct with `distinct`), some with long names.
    static func snapshot(residents count: Int, withoutLogoEvery every: Int, distinct: Bool = false) -> LobbySnapshot {
        var random = RandomProgramme(seed: 11)
        var snapshot = random.snapshot(instant: SignagePropertyTests.instant)
        snapshot.residents = (0..<count).map { i in
            let shape = shapes[i % shapes.count]
            let logo = i % every == 0 ? nil : PictureRef(key: "logo-\(distinct ? i : i % 40)", width: shape.0, height: shape.1)
            let name = i % 9 == 0 ? "Compagnie des arts numériques et du spectacle vivant n° \(i)" : "Résident \(i)"
            return LobbySnapshot.ResidentLine(name: name, what: "Association · Design graphique", location: "Bât. B, 2e étage, bureau \(i)",
                                              initial: "R", id: "r\(i)", logo: logo)
        }
        return snapshot
    }

    /// The instants of the directory's pages in one turn of the panels.
    static func directoryPages(_ snapshot: LobbySnapshot, layout: SignageLayout, metrics: SignageLayout.Metrics) -> [(at: Date, page: Int, count: Int)] {
        let rotation = layout.panelRotation(snapshot, metrics: metrics)
        var at = snapshot.instant, pages: [(Date, Int, Int)] = []
        for _ in 0..<max(1, rotation.slots.count) {
            if let slot = rotation.slot(at: at), slot.panel == .residents, !pages.contains(where: { $0.1 == slot.page }) { pages.append((at, slot.page, slot.pageCount)) }
            guard let next = rotation.nextChange(after: at) else { break }
            at = next
        }
        return pages
    }

    static func isTile(_ box: SceneBox) -> Bool {
        guard case .rounded = box.shape else { return false }
        return box.paint == .foreground(.title) || box.paint == .background(.footer)
    }

    /// Seconds of work: on a thread of its own (`offThePool`), so that other tests' handlers
    /// and timers have the cooperative pool.
    @Test func logosStayInTheirTilesAtEverySize() async throws {
        try await offThePool {
            let snapshot = Self.snapshot(residents: 120, withoutLogoEvery: 4)
            let layout = SignageLayout(type: Self.engine)
            for (width, height) in SignagePropertyTests.panels {
                for rotation in [ScreenRotation.upright, .quarter] {
                    let picture = rotation.pictureSize(panelWidth: width, height: height)
                    let metrics = SignageLayout.Metrics(width: picture.width, height: picture.height)
                    let size = "\(picture.width)x\(picture.height)"
                    let pages = Self.directoryPages(snapshot, layout: layout, metrics: metrics)
                    #expect(pages.count >= 2, "\(size): \(pages.count) directory pages")
                    for (at, page, count) in pages where page < 2 || page == count - 1 {
                        var moved = snapshot
                        moved.instant = at
                        let scene = layout.layout(moved, metrics: metrics)
                        let problems = SignagePropertyTests.problems(in: scene, snapshot: moved, layout: layout)
                        #expect(problems.isEmpty, "\(size) page \(page): \(problems.prefix(3))")
                        let panel = try #require(scene.region(.panel), "\(size)")
                        let boxes = scene.layers[0].boxes
                        let tiles = boxes.filter(Self.isTile)
                        let logos = boxes.filter { if case .picture(let p, _) = $0.paint { return p.plate == .title }; return false }
                        let names = scene.layers[0].texts.filter { $0.role == .title && panel.contains($0.frame) }
                        #expect(!tiles.isEmpty && !logos.isEmpty, "\(size) page \(page)")
                        // Each tile has its resident's name beside it, starting level with it.
                        for tile in tiles {
                            #expect(names.contains { name in name.frame.x >= tile.frame.maxX && name.frame.x - tile.frame.maxX < tile.frame.width && abs(name.frame.y - tile.frame.y) < tile.frame.height / 3 },
                                    "\(size) page \(page): tile \(tile.frame) without a name beside it")
                        }
                        let side = tiles[0].frame.width
                        #expect(side >= Int(TypeScale(width: picture.width, height: picture.height).unit * 6), "\(size): tiles of \(side) px")
                        for tile in tiles {
                            #expect(tile.frame.width == side && tile.frame.height == side, "\(size): tile \(tile.frame)")
                            #expect(panel.contains(tile.frame), "\(size): tile \(tile.frame) outside the panel \(panel)")
                        }
                        for logo in logos {
                            #expect(tiles.contains { $0.paint == .foreground(.title) && $0.frame.contains(logo.frame) }, "\(size): logo \(logo.frame) outside a plate")
                            #expect(logo.frame.width >= 1 && logo.frame.height >= 1)
                        }
                        for text in scene.layers[0].texts {
                            let monogram = text.role == .detail && text.text.count == 1
                            for tile in tiles where !tile.frame.intersection(text.frame).isEmpty {
                                #expect(monogram && tile.frame.contains(text.frame), "\(size): \"\(text.text)\" \(text.frame) over the tile \(tile.frame)")
                            }
                        }
                        // Tiles share their columns' x, and so do the names beside them.
                        let tileColumns = Set(tiles.map(\.frame.x)), nameColumns = Set(names.map { Int($0.x.rounded()) })
                        #expect(nameColumns.count == tileColumns.count, "\(size): names at \(nameColumns.sorted()), tiles at \(tileColumns.sorted())")
                    }
                }
            }
        }
    }

    @Test func withoutLogosTheDirectoryIsAsBefore() {
        var snapshot = Self.snapshot(residents: 30, withoutLogoEvery: 1)
        let layout = SignageLayout(type: Self.engine)
        let metrics = SignageLayout.Metrics(width: 1920, height: 1080)
        let page = Self.directoryPages(snapshot, layout: layout, metrics: metrics)[0]
        snapshot.instant = page.at
        let scene = layout.layout(snapshot, metrics: metrics)
        #expect(!scene.layers[0].boxes.contains(where: Self.isTile), "no tile when no resident has a logo")
    }

    /// Logos as their files would be: a PNG of the key's shape, larger than a 720p tile
    /// (50 px) on at least one side.
    final class LogoFiles: PictureSource {
        let reads = Mutex(0)
        func pictureBytes(for key: String) throws -> [UInt8] {
            reads.withLock { $0 += 1 }
            let n = Int(key.dropFirst(5)) ?? 0
            let shape = DirectoryLogoLayoutTests.shapes[n % DirectoryLogoLayoutTests.shapes.count]
            var canvas = PixelCanvas(width: shape.0, height: shape.1, color: PixelColor(rgb: UInt32(truncatingIfNeeded: n &* 0x9E3779B1) & 0xFFFFFF))
            canvas.fill(PixelRect(x: 0, y: 0, width: max(1, canvas.width / 3), height: max(1, canvas.height / 3)), .white)
            return PNGEncoder.encode(canvas)
        }
    }

    /// Seconds of work: on a thread of its own (see the test above).
    @Test func fiveHundredResidentsKeepThePictureCacheWithinItsBudget() async throws {
        await offThePool {
            // 500 residents, 400 of them with a logo of their own.
            let snapshot = Self.snapshot(residents: 500, withoutLogoEvery: 5, distinct: true)
            let layout = SignageLayout(type: Self.engine)
            let metrics = SignageLayout.Metrics(width: 1280, height: 720)
            let budget = 2 << 20
            let shown = Mutex<[(width: Int, height: Int)]>([])
            let warnings = Mutex<[String]>([])
            let files = LogoFiles()
            var renderer = SceneRenderer(width: 1280, height: 720, theme: .lobby, type: Self.engine)
            renderer.pictures = ScenePictureShelf(source: files, budgetBytes: budget, warn: { w in warnings.withLock { $0.append(w) } }, note: { note in
                // "… shown at WxH; picture cache …"
                guard let range = note.range(of: "shown at ") else { return }
                let size = note[range.upperBound...].prefix { $0 != ";" }.split(separator: "x").compactMap { Int($0) }
                if size.count == 2 { shown.withLock { $0.append((size[0], size[1])) } }
            })
            // The directory's pages as the panel of a 1280x720 screen holds them, each drawn
            // alone (the rest of the screen does not touch the cache).
            let g = SignageLayout.Geometry(metrics: metrics)
            let pages = layout.layoutResidents(snapshot.residents, strings: snapshot.strings, rect: PixelRect(x: 560, y: 110, width: 690, height: 560),
                                               g: g, setter: layout.typesetter(g, snapshot.strings))
            #expect(pages.pageCount > 40 && pages.hidden == 0, "\(pages.pageCount) pages, \(pages.hidden) hidden")
            var tileSide = 0, drawn = 0
            for index in 0..<pages.pageCount {
                let scene = PixelScene(width: 1280, height: 720, layers: [pages.page(index)])
                tileSide = scene.layers[0].boxes.first(where: Self.isTile)?.frame.width ?? tileSide
                drawn += scene.layers[0].boxes.filter { if case .picture(let p, _) = $0.paint { return p.plate == .title }; return false }.count
                _ = renderer.render(scene)
                #expect(renderer.pictures!.cachedBytes <= budget)
            }
            #expect(warnings.withLock { $0 }.isEmpty)
            #expect(drawn == 400, "every logo drawn once over the turn")
            let sizes = shown.withLock { $0 }
            #expect(sizes.count == 400 && files.reads.withLock { $0 } == 400, "each logo decoded once")
            #expect(sizes.allSatisfy { $0.width <= tileSide && $0.height <= tileSide }, "kept at display size only (tiles of \(tileSide) px)")
            // Kept at display size, the whole directory's logos would fit a budget this small.
            #expect(sizes.reduce(0) { $0 + $1.width * $1.height * 4 } < 8 << 20)
        }
    }
}
