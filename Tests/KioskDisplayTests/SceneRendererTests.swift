import Testing
import KioskCore
@testable import KioskDisplay

/// The scene renderer's changed areas: a clock tick is the clock's box, an overlay its
/// card, nothing is nothing; and a frame drawn by partial redraws is, pixel for pixel, the
/// frame drawn whole.
@Suite struct SceneRendererTests {
    static let engine = try! TypeEngine(fontsDirectory: RepositoryAssets.fonts)
    static let layout = SignageLayout(type: engine)
    /// Panels that stay two hours (turning at even UTC hours): the minute, and at 13:00Z the
    /// hour, change while the panel does not.
    static let steady = SignageLayout(panelDuration: 7200, pageDuration: 7200, type: engine)

    static func scene(at instant: String, width: Int = 800, height: Int = 450, welcome: String? = nil, steady: Bool = false) -> PixelScene {
        let layout = steady ? Self.steady : Self.layout
        let snapshot = RasterFixtures.snapshot(at: instant)
        let metrics = SignageLayout.Metrics(width: width, height: height)
        var scene = layout.layout(snapshot, metrics: metrics)
        if let welcome {
            layout.addCheckIn(CheckInOverlay(welcome: WelcomeMessage(tone: .attention, headline: welcome), readerNotice: "Lecteur de badges déconnecté"), to: &scene, metrics: metrics, strings: snapshot.strings)
        }
        return scene
    }

    static func fresh(_ scene: PixelScene, theme: PixelTheme = .lobby) -> PixelCanvas {
        var renderer = SceneRenderer(width: scene.width, height: scene.height, theme: theme, type: engine)
        _ = renderer.render(scene)
        return renderer.canvas
    }

    @Test func theFirstFrameIsTheWholeScreenAndAnUnchangedOneIsNothing() {
        let scene = Self.scene(at: "2026-11-24T13:05:00Z")
        var renderer = SceneRenderer(width: 800, height: 450, theme: .lobby, type: Self.engine)
        #expect(renderer.render(scene) == [PixelRect(x: 0, y: 0, width: 800, height: 450)])
        #expect(renderer.render(scene).isEmpty)
        renderer.invalidate()
        #expect(renderer.render(scene) == [PixelRect(x: 0, y: 0, width: 800, height: 450)])
    }

    @Test func aClockTickRedrawsTheMinutesOnly() throws {
        // 14:05 and 14:06 in Paris, the same panel.
        let before = Self.scene(at: "2026-11-24T13:05:20Z", steady: true), after = Self.scene(at: "2026-11-24T13:06:20Z", steady: true)
        let clock = try #require(after.region(.clock))
        var renderer = SceneRenderer(width: 800, height: 450, theme: .lobby, type: Self.engine)
        _ = renderer.render(before)
        let changed = renderer.render(after)
        // 14:05 → 14:06: the minutes' box, inside the clock's and smaller than it.
        #expect(changed.count == 1 && changed.allSatisfy { clock.contains($0) }, "\(changed) for the clock \(clock)")
        #expect(changed.reduce(0) { $0 + $1.area } < clock.area * 2 / 3)
        let same = renderer.canvas == Self.fresh(after)
        #expect(same)
        // On the hour both parts change: the whole clock.
        _ = renderer.render(Self.scene(at: "2026-11-24T12:59:20Z", steady: true))
        let hour = renderer.render(Self.scene(at: "2026-11-24T13:00:20Z", steady: true))
        #expect(hour.count == 2 && hour.reduce(hour[0]) { $0.union($1) } == clock, "\(hour)")
    }

    @Test func anOverlayComesAndGoesInItsCard() throws {
        let base = Self.scene(at: "2026-11-24T13:05:20Z")
        let overlaid = Self.scene(at: "2026-11-24T13:05:20Z", welcome: "Badge inconnu — merci de vous présenter à l’accueil")
        let card = try #require(overlaid.region(.overlay))
        var renderer = SceneRenderer(width: 800, height: 450, theme: .lobby, type: Self.engine)
        _ = renderer.render(base)
        let shown = renderer.render(overlaid)
        // The card, and the reader's notice in the footer.
        #expect(shown.contains(card))
        #expect(shown.allSatisfy { card.contains($0) || overlaid.region(.footer)!.contains($0) }, "\(shown)")
        // The unknown badge's card is in the attention colour, not the welcome's green.
        let middle = renderer.canvas.color(x: card.x + card.width / 2, y: card.maxY - 2)
        #expect(middle == PixelTheme.lobby.style(.attention).background)
        #expect(middle != PixelTheme.lobby.style(.overlay).background)
        let gone = renderer.render(base)
        #expect(Set(gone) == Set(shown))
        #expect(renderer.canvas == Self.fresh(base))
    }

    @Test func partialRedrawsGiveTheFramesFullRedrawsGive() {
        // Clock ticks, panel turns (every 15 s), an overlay on and off, another size of text.
        let instants = ["2026-11-24T13:05:00Z", "2026-11-24T13:05:16Z", "2026-11-24T13:06:16Z", "2026-11-24T13:06:31Z", "2026-11-24T13:06:47Z"]
        var scenes = instants.map { Self.scene(at: $0) }
        scenes.insert(Self.scene(at: instants[2], welcome: "Bienvenue, Camille — Atelier Diptyc"), at: 3)
        scenes.append(scenes[0])
        for theme in [PixelTheme.lobby, .highContrast] {
            var renderer = SceneRenderer(width: 800, height: 450, theme: theme, type: Self.engine)
            for (i, scene) in scenes.enumerated() {
                _ = renderer.render(scene)
                let same = renderer.canvas == Self.fresh(scene, theme: theme)  // a Bool: canvases are large
                #expect(same, "frame \(i) with \(theme.name) differs from a full redraw")
            }
        }
    }

    @Test func overlappingAreasAreMergedAndClipped() {
        let merged = SceneRenderer.merged([
            PixelRect(x: 0, y: 0, width: 10, height: 10), PixelRect(x: 5, y: 5, width: 10, height: 10),
            PixelRect(x: 40, y: 40, width: 2, height: 2), PixelRect(x: 14, y: 14, width: 2, height: 2),
        ])
        #expect(Set(merged) == [PixelRect(x: 0, y: 0, width: 16, height: 16), PixelRect(x: 40, y: 40, width: 2, height: 2)])
        var a = PixelScene(width: 100, height: 100), b = a
        a.layers[0].boxes = [SceneBox(PixelRect(x: -20, y: 90, width: 50, height: 50), .background(.header))]
        b.layers[0].boxes = []
        #expect(SceneRenderer.changedAreas(from: a, to: b, bounds: a.bounds) == [PixelRect(x: 0, y: 90, width: 30, height: 10)])
    }

    @Test func shapesAreAntialiasedAndStayInTheirFrames() {
        var scene = PixelScene(width: 40, height: 40)
        scene.layers[0].boxes = [
            SceneBox(PixelRect(x: 2, y: 2, width: 20, height: 12), .background(.header), shape: .rounded(radius: 5)),
            SceneBox(PixelRect(x: 25, y: 25, width: 10, height: 10), .foreground(.footer), shape: .disc),
        ]
        let canvas = Self.fresh(scene)
        let background = PixelTheme.lobby.style(.background).background.xrgb
        for y in 0..<40 {
            for x in 0..<40 where canvas[x, y] != background {
                let inside = PixelRect(x: 2, y: 2, width: 20, height: 12).contains(PixelRect(x: x, y: y, width: 1, height: 1))
                    || PixelRect(x: 25, y: 25, width: 10, height: 10).contains(PixelRect(x: x, y: y, width: 1, height: 1))
                #expect(inside, "(\(x), \(y)) painted outside the shapes")
            }
        }
        // The corner pixel of the rounded card is background, its edge half-way, its middle full.
        #expect(canvas[2, 2] == background)
        #expect(canvas[12, 8] == PixelTheme.lobby.style(.header).background.xrgb)
        let edge = canvas[2, 5]  // the pixel's far corner is outside the radius, its near one inside
        #expect(edge != background && edge != PixelTheme.lobby.style(.header).background.xrgb)
        #expect(canvas[30, 30] == PixelTheme.lobby.style(.footer).foreground.xrgb)
    }
}
