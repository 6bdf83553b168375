extension PixelCanvas {
    /// The canvas made smaller to `width` pixels wide (height in proportion, at least 1):
    /// each new pixel is the average of the old pixels it covers (a box filter: text stays
    /// legible at half size, no ringing). A canvas already that narrow is returned as is.
    public func scaledDown(toWidth target: Int) -> PixelCanvas {
        guard target > 0, target < width, height > 0 else { return self }
        let targetHeight = max(1, (height * target + width / 2) / width)
        var out = PixelCanvas(width: target, height: targetHeight)
        withPixels { source in
            for y in 0..<targetHeight {
                let y0 = y * height / targetHeight, y1 = max(y0 + 1, (y + 1) * height / targetHeight)
                for x in 0..<target {
                    let x0 = x * width / target, x1 = max(x0 + 1, (x + 1) * width / target)
                    var r = 0, g = 0, b = 0
                    for sy in y0..<y1 {
                        let row = sy * width
                        for sx in x0..<x1 {
                            let v = source[row + sx]
                            r += Int(v >> 16 & 0xFF)
                            g += Int(v >> 8 & 0xFF)
                            b += Int(v & 0xFF)
                        }
                    }
                    let n = (y1 - y0) * (x1 - x0)
                    out[x, y] = UInt32((r + n / 2) / n) << 16 | UInt32((g + n / 2) / n) << 8 | UInt32((b + n / 2) / n)
                }
            }
        }
        return out
    }
}
