extension PixelCanvas {
    /// Draws `picture` unscaled with its top-left corner at (`x`, `y`), clipped to `clip`
    /// and the canvas. Opaque pixels are copied; others are mixed with what the canvas
    /// holds in linear light by their alpha.
    public mutating func draw(_ picture: Picture, x: Int, y: Int, clip: PixelRect? = nil) {
        let area = PixelRect(x: x, y: y, width: picture.width, height: picture.height)
            .intersection(clip.map { $0.intersection(bounds) } ?? bounds)
        guard !area.isEmpty else { return }
        let w = width, lin = LinearLight.unitFromSRGB
        picture.pixels.withUnsafeBufferPointer { src in
            withMutablePixels { dst in
                for py in area.y..<area.maxY {
                    let srcRow = (py - y) * picture.width - x, dstRow = py * w
                    if picture.isOpaque {
                        for px in area.x..<area.maxX { dst[dstRow + px] = src[srcRow + px] & 0x00FF_FFFF }
                        continue
                    }
                    for px in area.x..<area.maxX {
                        let s = src[srcRow + px]
                        let alpha = s >> 24
                        if alpha == 255 {
                            dst[dstRow + px] = s & 0x00FF_FFFF
                        } else if alpha > 0 {
                            let d = dst[dstRow + px]
                            let a = Float(alpha) / 255, keep = 1 - a
                            @inline(__always) func mix(_ shift: UInt32) -> UInt32 {
                                UInt32(LinearLight.sRGB(fromUnit: lin[Int(s >> shift & 0xFF)] * a + lin[Int(d >> shift & 0xFF)] * keep)) << shift
                            }
                            dst[dstRow + px] = mix(16) | mix(8) | mix(0)
                        }
                    }
                }
            }
        }
    }

    /// Scales `picture` into `box` with `fit` and draws it (clipped to `box`). For pictures
    /// shown often, keep the scaled picture (`PictureCache`) and draw it unscaled.
    public mutating func draw(_ picture: Picture, in box: PixelRect, fit: PictureFit) {
        let (scaled, placement) = PictureScaler.scale(picture, toFit: box, fit: fit)
        draw(scaled, x: placement.destination.x, y: placement.destination.y, clip: box)
    }
}
