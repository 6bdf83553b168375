/// A frame in RAM, one `UInt32` per pixel as `0x00RRGGBB` (XRGB8888), rows without padding.
///
/// Everything is drawn here first; only the changed areas are then converted and copied
/// to the framebuffer (`copy(_:into:layout:)`) or encoded as a PNG. A value type: copies
/// are cheap until one of them is written to.
public struct PixelCanvas: Sendable, Equatable {
    public let width: Int
    public let height: Int
    /// `width * height` pixels, row after row from the top left. Written by the module's
    /// drawing code (fills, console glyphs, outline text, pictures).
    public internal(set) var pixels: [UInt32]

    public init(width: Int, height: Int, color: PixelColor = .black) {
        precondition(width >= 0 && height >= 0, "negative canvas size")
        self.width = width
        self.height = height
        pixels = [UInt32](repeating: color.xrgb, count: width * height)
    }

    public var bounds: PixelRect { PixelRect(x: 0, y: 0, width: width, height: height) }

    /// The pixel at (`x`, `y`) as `0x00RRGGBB`.
    public subscript(x: Int, y: Int) -> UInt32 {
        get { pixels[y * width + x] }
        set { pixels[y * width + x] = newValue }
    }

    public func color(x: Int, y: Int) -> PixelColor { PixelColor(rgb: self[x, y]) }

    /// Paints `rect` (clipped to the canvas) with `color`.
    public mutating func fill(_ rect: PixelRect, _ color: PixelColor) {
        let r = rect.intersection(bounds)
        guard !r.isEmpty else { return }
        let value = color.xrgb, w = width
        pixels.withUnsafeMutableBufferPointer { p in
            for y in r.y..<r.maxY {
                let row = y * w
                for x in r.x..<r.maxX { p[row + x] = value }
            }
        }
    }

    /// Draws the set pixels of `glyph` with its top-left corner at (`x`, `y`), each font pixel
    /// as a `scale` x `scale` square, clipped to `clip` and the canvas. Unset pixels are
    /// left as they are (fill the background first).
    public mutating func draw(_ glyph: PSFFont.Glyph, of font: PSFFont, x: Int, y: Int, scale: Int = 1, color: PixelColor, clip: PixelRect? = nil) {
        let scale = max(1, scale)
        let area = PixelRect(x: x, y: y, width: font.width * scale, height: font.height * scale)
            .intersection(clip.map { $0.intersection(bounds) } ?? bounds)
        guard !area.isEmpty else { return }
        let value = color.xrgb, w = width
        pixels.withUnsafeMutableBufferPointer { p in
            for py in area.y..<area.maxY {
                let mask = font.rowMask(glyph, (py - y) / scale)
                if mask == 0 { continue }
                let row = py * w
                for px in area.x..<area.maxX where mask & (1 << UInt64((px - x) / scale)) != 0 {
                    p[row + px] = value
                }
            }
        }
    }

    /// The pixels of `rect` (clipped) as packed R, G, B bytes, row after row.
    public func rgbBytes(_ rect: PixelRect? = nil) -> [UInt8] {
        let r = (rect ?? bounds).intersection(bounds)
        var bytes = [UInt8]()
        bytes.reserveCapacity(r.area * 3)
        for y in r.y..<max(r.y, r.maxY) {
            for x in r.x..<r.maxX {
                let v = pixels[y * width + x]
                bytes.append(UInt8(truncatingIfNeeded: v >> 16))
                bytes.append(UInt8(truncatingIfNeeded: v >> 8))
                bytes.append(UInt8(truncatingIfNeeded: v))
            }
        }
        return bytes
    }

    /// Copies whole pixel rows from a canvas of the same size.
    public mutating func copyRows(_ rows: Range<Int>, from other: PixelCanvas) {
        precondition(other.width == width && other.height == height, "canvases of different sizes")
        let range = (max(0, rows.lowerBound) * width)..<(min(height, rows.upperBound) * width)
        guard !range.isEmpty else { return }
        pixels.replaceSubrange(range, with: other.pixels[range])
    }
}
