/// A decoded picture in memory: sRGB, 8 bits per channel, straight (not premultiplied)
/// alpha, one `UInt32` per pixel as `0xAARRGGBB`, rows without padding from the top left.
///
/// What the PNG and JPEG decoders give and what the drawing code scales and composites.
/// A value type: copies are cheap until one is written to. `isOpaque` lets drawing skip
/// blending when every alpha is 255 (every JPEG, most PNGs).
public struct Picture: Sendable, Equatable {
    public let width: Int
    public let height: Int
    /// `width * height` pixels, `0xAARRGGBB`.
    public internal(set) var pixels: [UInt32]
    /// True when every pixel's alpha is 255.
    public let isOpaque: Bool

    public init(width: Int, height: Int, pixels: [UInt32], isOpaque: Bool) {
        precondition(width >= 0 && height >= 0 && pixels.count == width * height, "picture size and pixel count disagree")
        self.width = width
        self.height = height
        self.pixels = pixels
        self.isOpaque = isOpaque
    }

    /// Bytes the pixels take.
    public var byteCount: Int { pixels.count * 4 }

    /// The pixel at (`x`, `y`) as `0xAARRGGBB`.
    public subscript(x: Int, y: Int) -> UInt32 { pixels[y * width + x] }

    /// The pixels as R, G, B, A bytes, row after row (tests and the decoding tool).
    public var rgbaBytes: [UInt8] {
        var bytes = [UInt8](repeating: 0, count: pixels.count * 4)
        for (i, v) in pixels.enumerated() {
            bytes[i * 4] = UInt8(truncatingIfNeeded: v >> 16)
            bytes[i * 4 + 1] = UInt8(truncatingIfNeeded: v >> 8)
            bytes[i * 4 + 2] = UInt8(truncatingIfNeeded: v)
            bytes[i * 4 + 3] = UInt8(truncatingIfNeeded: v >> 24)
        }
        return bytes
    }
}
