import Testing
@testable import KioskDisplay

@Suite("Picture scaling, fitting, compositing and cache")
struct PictureDrawingTests {
    static func picture(_ width: Int, _ height: Int, _ pixels: [UInt32]) -> Picture {
        Picture(width: width, height: height, pixels: pixels, isOpaque: pixels.allSatisfy { $0 >> 24 == 255 })
    }

    static func grey(_ v: UInt32) -> UInt32 { 0xFF00_0000 | v << 16 | v << 8 | v }

    @Test func areaAveragingMixesLinearLight() {
        // A black and white checkerboard halved is linear mid-grey: sRGB 188, not 128.
        var pixels: [UInt32] = []
        for y in 0..<8 { for x in 0..<8 { pixels.append(Self.grey((x + y) % 2 == 0 ? 255 : 0)) } }
        let half = PictureScaler.scale(Self.picture(8, 8, pixels), width: 4, height: 4)
        #expect(half.pixels.allSatisfy { $0 == Self.grey(188) })
        #expect(half.isOpaque)
    }

    @Test func areaWeightsCoverFractionsOfPixels() {
        // 3 -> 2: the first output pixel is 2/3 of pixel 0 and 1/3 of pixel 1.
        let weights = PictureScaler.Weights(sourceStart: 0, sourceSpan: 3, sourceCount: 3, count: 2)
        let first = weights.taps(0).map { ($0.index, $0.weight) }
        #expect(first.count == 2 && first[0].0 == 0 && abs(first[0].1 - 2.0 / 3) < 1e-6 && first[1].0 == 1 && abs(first[1].1 - 1.0 / 3) < 1e-6)
        let second = weights.taps(1).map(\.index)
        #expect(second == [1, 2])
        for n in [1, 2, 5, 7, 300] {
            let w = PictureScaler.Weights(sourceStart: 0, sourceSpan: 1001, sourceCount: 1001, count: n)
            // Float sums of up to 1001 taps: a few ulps of 1 per tap.
            for i in 0..<n { #expect(abs(w.taps(i).reduce(Float(0)) { $0 + $1.weight } - 1) < 1e-4) }
        }
    }

    @Test func bilinearUpscalingAlignsPixelCentres() {
        // 2 -> 4: outputs sit at source positions -0.25 (clamped), 0.25, 0.75, 1.25 (clamped).
        let weights = PictureScaler.Weights(sourceStart: 0, sourceSpan: 2, sourceCount: 2, count: 4)
        #expect(weights.taps(0).map(\.index) == [0])
        #expect(weights.taps(1).map(\.weight) == [0.75, 0.25])
        #expect(weights.taps(2).map(\.weight) == [0.25, 0.75])
        #expect(weights.taps(3).map(\.index) == [1])
        // Equal grey stays equal; a 1x1 picture fills any size.
        let big = PictureScaler.scale(Self.picture(1, 1, [Self.grey(77)]), width: 5, height: 3)
        #expect(big.pixels == Array(repeating: Self.grey(77), count: 15))
    }

    @Test func transparentPixelsLendNoColour() {
        // Opaque red beside fully transparent green, shrunk to one pixel: red, half opaque.
        let p = PictureScaler.scale(Self.picture(2, 1, [0xFFFF_0000, 0x0000_FF00]), width: 1, height: 1)
        #expect(p.pixels == [0x80FF_0000])
        #expect(!p.isOpaque)
    }

    @Test func fitInsideAndCover() {
        let box = PixelRect(x: 10, y: 20, width: 100, height: 100)
        let inside = PicturePlacement(width: 400, height: 200, in: box, fit: .inside)
        #expect(inside.destination == PixelRect(x: 10, y: 45, width: 100, height: 50))
        let centre = PicturePlacement(width: 400, height: 200, in: box, fit: .coverCentred)
        #expect(centre.destination == box)
        #expect(centre.sourceX == 100 && centre.sourceWidth == 200 && centre.sourceY == 0 && centre.sourceHeight == 200)
        #expect(PicturePlacement(width: 400, height: 200, in: box, fit: .cover(focusX: 0, focusY: 0.5)).sourceX == 0)
        #expect(PicturePlacement(width: 400, height: 200, in: box, fit: .cover(focusX: 1, focusY: 0.5)).sourceX == 200)
        #expect(PicturePlacement(width: 400, height: 200, in: box, fit: .cover(focusX: .nan, focusY: 0.5)).sourceX == 100)
        // A thin picture still gets a pixel.
        #expect(PicturePlacement(width: 10_000, height: 1, in: box, fit: .inside).destination.height == 1)
    }

    @Test func compositingInLinearLight() {
        var canvas = PixelCanvas(width: 3, height: 1, color: .black)
        canvas.draw(Self.picture(3, 1, [0x80FF_FFFF, 0xFF12_3456, 0x0012_3456]), x: 0, y: 0)
        #expect(canvas.pixels == [0xBCBCBC, 0x123456, 0x000000])  // half white over black: 188
        // Clipped at the canvas edges, with a negative origin.
        var small = PixelCanvas(width: 2, height: 2, color: .white)
        small.draw(Self.picture(3, 3, Array(repeating: Self.grey(9), count: 9)), x: -2, y: -2)
        #expect(small.pixels == [0x090909, 0xFFFFFF, 0xFFFFFF, 0xFFFFFF])
        // Scaled into a box.
        var boxed = PixelCanvas(width: 4, height: 4, color: .white)
        boxed.draw(Self.picture(2, 1, [Self.grey(0), Self.grey(0)]), in: PixelRect(x: 0, y: 0, width: 4, height: 4), fit: .inside)
        #expect(boxed.pixels.filter { $0 == 0 }.count == 8)
    }

    @Test func cacheStaysWithinItsBudget() {
        var cache = PictureCache(budgetBytes: 10 * 10 * 4 * 2)  // two 10x10 pictures
        var decodes = 0
        func source() -> Picture { decodes += 1; return Self.picture(40, 40, Array(repeating: Self.grey(50), count: 1600)) }
        let key = { (name: String) in PictureCache.Key(source: name, width: 10, height: 10, fit: .inside) }
        #expect(cache.picture(key("a"), source: source).picture.width == 10)
        _ = cache.picture(key("b"), source: source)
        _ = cache.picture(key("a"), source: source)  // a is now the most recent
        #expect(decodes == 2)
        _ = cache.picture(key("c"), source: source)  // evicts b
        #expect(cache.count == 2 && cache.bytes == 800 && decodes == 3)
        _ = cache.picture(key("a"), source: source)
        #expect(decodes == 3)
        _ = cache.picture(key("b"), source: source)
        #expect(decodes == 4)
        // Larger than the whole budget: returned, not kept.
        let huge = cache.picture(PictureCache.Key(source: "d", width: 40, height: 40, fit: .inside), source: source)
        #expect(huge.picture.width == 40 && cache.bytes <= 800)
        cache.remove(source: "a")
        #expect(cache.bytes <= 400)
    }
}
