extension PixelCanvas {
    /// Paints `color` through the coverage of `bitmap` placed with its top-left pixel at
    /// (`x`, `y`), blended in linear light over what the canvas holds, clipped to `clip` and
    /// the canvas. Full coverage writes the colour itself; zero leaves the pixel.
    public mutating func blend(_ bitmap: GlyphBitmap, x: Int, y: Int, color: PixelColor, clip: PixelRect) {
        let area = PixelRect(x: x, y: y, width: bitmap.width, height: bitmap.height)
            .intersection(clip).intersection(bounds)
        guard !area.isEmpty else { return }
        let solid = color.xrgb, w = width
        LinearLight.decode.withUnsafeBufferPointer { decode in
            LinearLight.encode.withUnsafeBufferPointer { encode in
                let fg = (decode[Int(color.red)], decode[Int(color.green)], decode[Int(color.blue)])
                bitmap.coverage.withUnsafeBufferPointer { coverage in
                    withMutablePixels { p in
                        for py in area.y..<area.maxY {
                            let row = py * w, source = (py - y) * bitmap.width - x
                            for px in area.x..<area.maxX {
                                let a = UInt32(coverage[source + px])
                                if a == 0 { continue }
                                p[row + px] = a == 255 ? solid
                                    : LinearLight.blend(p[row + px], foregroundLinear: fg, coverage: a, decode: decode, encode: encode)
                            }
                        }
                    }
                }
            }
        }
    }
}
