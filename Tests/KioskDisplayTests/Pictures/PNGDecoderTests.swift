import Foundation
import Testing
@testable import KioskDisplay

@Suite("PNG decoder")
struct PNGDecoderTests {
    static func canvas() -> PixelCanvas {
        var canvas = PixelCanvas(width: 13, height: 7, color: PixelColor(rgb: 0x204060))
        canvas.fill(PixelRect(x: 2, y: 1, width: 5, height: 3), PixelColor(rgb: 0xF0E0D0))
        canvas[12, 6] = 0x00FF_0080
        return canvas
    }

    @Test func readsBackOurOwnEncoder() throws {
        let canvas = Self.canvas()
        let picture = try PictureDecoder.decode(PNGEncoder.encode(canvas))
        #expect(picture.width == 13 && picture.height == 7 && picture.isOpaque)
        #expect(picture.pixels == canvas.pixels.map { $0 | 0xFF00_0000 })
    }

    /// `png` with a chunk inserted before IEND (its CRC computed).
    static func inserting(_ type: String, _ data: [UInt8], into png: [UInt8]) -> [UInt8] {
        var chunk = [UInt8]()
        PNGEncoder.appendChunk(type, data, to: &chunk)
        return Array(png.dropLast(12)) + chunk + png.suffix(12)
    }

    func error(_ bytes: [UInt8], limits: PictureLimits = .standard) -> PictureError? { decodingError(bytes, limits: limits) }

    @Test func ancillaryChunksAreSkippedAndUnknownCriticalOnesRefused() throws {
        let png = PNGEncoder.encode(Self.canvas())
        #expect(try PictureDecoder.decode(Self.inserting("prVt", [1, 2, 3], into: png)).width == 13)
        #expect(try PictureDecoder.decode(Self.inserting("fdAT", [0, 0, 0, 1, 9], into: png)).width == 13)
        #expect(error(Self.inserting("CRIT", [], into: png))?.kind == .unsupported)
        #expect(error(Self.inserting("bad!", [], into: png))?.kind == .corrupt)
    }

    @Test func checksumsAndStructure() {
        let png = PNGEncoder.encode(Self.canvas())
        var broken = png
        broken[30] ^= 0x01  // inside IHDR's CRC
        #expect(error(broken)?.detail.contains("CRC") == true)
        #expect(error(Array(png.dropLast(12)))?.kind == .truncated, "no IEND")
        #expect(error(Array(png.prefix(7)))?.kind == .notAPicture)
        for cut in stride(from: 8, to: png.count, by: max(1, png.count / 16)) {
            #expect(error(Array(png.prefix(cut))) != nil, "cut at \(cut)")
        }
    }

    /// A PNG whose IHDR declares `width` x `height` grey pixels and whose IDAT is tiny.
    static func header(width: UInt32, height: UInt32, colorType: UInt8 = 0, depth: UInt8 = 8) -> [UInt8] {
        var png = PNGEncoder.signature
        let ihdr = PNGEncoder.bigEndian(width) + PNGEncoder.bigEndian(height) + [depth, colorType, 0, 0, 0]
        PNGEncoder.appendChunk("IHDR", ihdr, to: &png)
        PNGEncoder.appendChunk("IDAT", PNGEncoder.zlibStored([0, 0]), to: &png)
        PNGEncoder.appendChunk("IEND", [], to: &png)
        return png
    }

    @Test func limitsAreCheckedFromTheHeader() {
        #expect(error(Self.header(width: 100_000, height: 100_000))?.kind == .tooLarge)
        #expect(error(Self.header(width: 8192, height: 8192))?.kind == .tooLarge, "268 MB over the 64 MiB budget")
        #expect(error(Self.header(width: 100, height: 100), limits: PictureLimits(maximumSide: 99))?.kind == .tooLarge)
        #expect(error(Self.header(width: 0, height: 5))?.kind == .corrupt)
        #expect(error(Self.header(width: 4, height: 4, colorType: 2, depth: 4))?.kind == .corrupt, "RGB at 4 bits")
        #expect(error(Self.header(width: 4, height: 4, colorType: 3))?.detail.contains("PLTE") == true)
        // 2 bytes of image data where 1x1 grey needs 2 (filter byte + sample): decodes.
        #expect(error(Self.header(width: 1, height: 1)) == nil)
        #expect(error(Self.header(width: 2, height: 1))?.kind == .truncated)
    }
}
