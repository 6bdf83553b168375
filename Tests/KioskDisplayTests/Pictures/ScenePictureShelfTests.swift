import Foundation
import Testing
import KioskCore
@testable import KioskDisplay

/// Pictures in scenes: drawn into their boxes, decoded once and kept at display size
/// (a partial redraw over a picture reads nothing again), a picture that fails drawn as
/// its placeholder with one warning, the cache within its budget.
@Suite struct ScenePictureShelfTests {
    /// A test seam: pictures in memory, reads counted.
    final class MemorySource: PictureSource, @unchecked Sendable {
        // @unchecked: `reads` is guarded by `lock`; `files` is never written after init.
        let files: [String: [UInt8]]
        private let lock = NSLock()
        private var _reads = 0
        init(_ files: [String: [UInt8]]) { self.files = files }
        var reads: Int { lock.withLock { _reads } }
        func pictureBytes(for key: String) throws -> [UInt8] {
            lock.withLock { _reads += 1 }
            guard let bytes = files[key] else { throw PictureError(.unknown, .notAPicture, "no file \(key)") }
            return bytes
        }
    }

    final class Warnings: @unchecked Sendable {
        // @unchecked: guarded by `lock`.
        private let lock = NSLock()
        private var stored: [String] = []
        func append(_ text: String) { lock.withLock { stored.append(text) } }
        var lines: [String] { lock.withLock { stored } }
    }

    /// A 200x100 PNG: red on the left half, blue on the right.
    static let halves: [UInt8] = {
        var canvas = PixelCanvas(width: 200, height: 100, color: PixelColor(rgb: 0xE02020))
        canvas.fill(PixelRect(x: 100, y: 0, width: 100, height: 100), PixelColor(rgb: 0x2030E0))
        return PNGEncoder.encode(canvas)
    }()

    static func scene(_ key: String, overlay: Bool = false) -> PixelScene {
        var scene = PixelScene(width: 400, height: 300)
        scene.layers[0].boxes.append(SceneBox(PixelRect(x: 0, y: 0, width: 400, height: 300), .background(.background)))
        scene.layers[0].boxes.append(SceneBox(PixelRect(x: 40, y: 50, width: 300, height: 150), .picture(ScenePicture(key: key, fit: .inside), placeholder: .header)))
        if overlay {
            scene.layers.append(SceneLayer(boxes: [SceneBox(PixelRect(x: 150, y: 100, width: 60, height: 40), .background(.overlay))]))
        }
        return scene
    }

    static func renderer(_ source: MemorySource, warnings: Warnings = Warnings(), budget: Int = ScenePictureShelf.defaultBudgetBytes) -> SceneRenderer {
        var renderer = SceneRenderer(width: 400, height: 300, theme: .lobby, type: SceneRendererTests.engine)
        renderer.pictures = ScenePictureShelf(source: source, budgetBytes: budget, warn: { warnings.append($0) })
        return renderer
    }

    @Test func aPictureIsDrawnInItsBoxAndDecodedOnce() {
        let source = MemorySource(["poster": Self.halves])
        var renderer = Self.renderer(source)
        _ = renderer.render(Self.scene("poster"))
        let canvas = renderer.canvas
        // The 2:1 picture fills the 300x150 box: red at its left, blue at its right.
        #expect(canvas[60, 120] == 0xE02020, "\(String(canvas[60, 120], radix: 16))")
        #expect(canvas[320, 120] == 0x2030E0, "\(String(canvas[320, 120], radix: 16))")
        #expect(renderer.pictures!.cachedBytes == 300 * 150 * 4)
        // An overlay comes and goes over the picture: only its area is redrawn, from the cache.
        _ = renderer.render(Self.scene("poster", overlay: true))
        let areas = renderer.render(Self.scene("poster"))
        #expect(areas == [PixelRect(x: 150, y: 100, width: 60, height: 40)])
        #expect(source.reads == 1)
        #expect(renderer.canvas == canvas)
    }

    @Test func aPictureThatFailsIsItsPlaceholderWithOneWarning() {
        let source = MemorySource(["broken": Array(Self.halves.prefix(120))])
        let warnings = Warnings()
        var renderer = Self.renderer(source, warnings: warnings)
        _ = renderer.render(Self.scene("broken"))
        _ = renderer.render(Self.scene("broken", overlay: true))
        _ = renderer.render(Self.scene("missing"))
        #expect(renderer.canvas[60, 120] == PixelTheme.lobby.style(.header).background.xrgb)
        #expect(warnings.lines.count == 2, "\(warnings.lines)")
        #expect(warnings.lines.first?.hasPrefix("picture broken: PNG") == true, "\(warnings.lines)")
        #expect(source.reads == 2)
        #expect(renderer.pictures!.failures.keys.sorted() == ["broken", "missing"])
    }

    @Test func theCacheStaysWithinItsBudget() {
        let source = MemorySource(["a": Self.halves, "b": Self.halves])
        var renderer = Self.renderer(source, budget: 300 * 150 * 4 + 10)
        _ = renderer.render(Self.scene("a"))
        _ = renderer.render(Self.scene("b"))
        _ = renderer.render(Self.scene("a"))
        #expect(renderer.pictures!.cachedBytes <= 300 * 150 * 4 + 10)
        #expect(renderer.pictures!.cache.count == 1)
        #expect(source.reads == 3)
    }
}
