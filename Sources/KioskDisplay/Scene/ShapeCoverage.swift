/// Antialiased shapes of the scene (rounded cards, page dots): the share of each pixel a
/// shape covers, blended over what the canvas holds in linear light. Pixels wholly inside
/// are filled; edge pixels are sampled on a 4x4 grid. A pixel's value depends only on its
/// position, the shape and what lies under it, so partial redraws match full ones.
enum ShapeCoverage {
    /// A rectangle with corners of `radius` pixels.
    static func roundedRectangle(_ frame: PixelRect, radius: Int, color: PixelColor, clip: PixelRect, into canvas: inout PixelCanvas) {
        let r = max(0, min(radius, frame.width / 2, frame.height / 2))
        let area = frame.intersection(clip).intersection(canvas.bounds)
        guard !area.isEmpty else { return }
        guard r > 0 else { canvas.fill(area, color); return }
        // The cross without corners is solid.
        canvas.fill(PixelRect(x: frame.x + r, y: frame.y, width: frame.width - 2 * r, height: frame.height).intersection(area), color)
        canvas.fill(PixelRect(x: frame.x, y: frame.y + r, width: r, height: frame.height - 2 * r).intersection(area), color)
        canvas.fill(PixelRect(x: frame.maxX - r, y: frame.y + r, width: r, height: frame.height - 2 * r).intersection(area), color)
        let radius = Double(r)
        let corners = [
            (PixelRect(x: frame.x, y: frame.y, width: r, height: r), Double(frame.x + r), Double(frame.y + r)),
            (PixelRect(x: frame.maxX - r, y: frame.y, width: r, height: r), Double(frame.maxX - r), Double(frame.y + r)),
            (PixelRect(x: frame.x, y: frame.maxY - r, width: r, height: r), Double(frame.x + r), Double(frame.maxY - r)),
            (PixelRect(x: frame.maxX - r, y: frame.maxY - r, width: r, height: r), Double(frame.maxX - r), Double(frame.maxY - r)),
        ]
        for (square, cx, cy) in corners {
            let part = square.intersection(area)
            guard !part.isEmpty else { continue }
            for y in part.y..<part.maxY {
                for x in part.x..<part.maxX {
                    blend(color, coverage: circleCoverage(x: x, y: y, cx: cx, cy: cy, radius: radius), at: x, y, into: &canvas)
                }
            }
        }
    }

    /// The largest disc `frame` holds, or its outline `thickness` pixels wide.
    static func disc(in frame: PixelRect, thickness: Int?, color: PixelColor, clip: PixelRect, into canvas: inout PixelCanvas) {
        let area = frame.intersection(clip).intersection(canvas.bounds)
        guard !area.isEmpty else { return }
        let radius = Double(min(frame.width, frame.height)) / 2
        let cx = Double(frame.x) + Double(frame.width) / 2, cy = Double(frame.y) + Double(frame.height) / 2
        let inner = thickness.map { max(0, radius - Double($0)) }
        for y in area.y..<area.maxY {
            for x in area.x..<area.maxX {
                var coverage = circleCoverage(x: x, y: y, cx: cx, cy: cy, radius: radius)
                if let inner, inner > 0 { coverage -= circleCoverage(x: x, y: y, cx: cx, cy: cy, radius: inner) }
                blend(color, coverage: coverage, at: x, y, into: &canvas)
            }
        }
    }

    /// The share of pixel (`x`, `y`) inside the circle of centre (`cx`, `cy`).
    static func circleCoverage(x: Int, y: Int, cx: Double, cy: Double, radius: Double) -> Double {
        let px = Double(x), py = Double(y)
        // Nearest and farthest points of the pixel square from the centre.
        let nx = max(px, min(cx, px + 1)) - cx, ny = max(py, min(cy, py + 1)) - cy
        if nx * nx + ny * ny >= radius * radius { return 0 }
        let fx = max(abs(px - cx), abs(px + 1 - cx)), fy = max(abs(py - cy), abs(py + 1 - cy))
        if fx * fx + fy * fy <= radius * radius { return 1 }
        var inside = 0
        for sy in 0..<4 {
            let dy = py + (Double(sy) + 0.5) / 4 - cy
            for sx in 0..<4 {
                let dx = px + (Double(sx) + 0.5) / 4 - cx
                if dx * dx + dy * dy < radius * radius { inside += 1 }
            }
        }
        return Double(inside) / 16
    }

    static func blend(_ color: PixelColor, coverage: Double, at x: Int, _ y: Int, into canvas: inout PixelCanvas) {
        if coverage <= 0 { return }
        if coverage >= 1 { canvas[x, y] = color.xrgb; return }
        canvas[x, y] = LinearLight.mix(canvas[x, y], color.xrgb, coverage: coverage)
    }
}

extension LinearLight {
    /// `over` laid on `under` (both `0x00RRGGBB`) with `coverage` from 0 to 1, mixed in
    /// linear light like text.
    static func mix(_ under: UInt32, _ over: UInt32, coverage: Double) -> UInt32 {
        let c = Int32((coverage * 255).rounded())
        var out: UInt32 = 0
        for shift in [16, 8, 0] as [UInt32] {
            let a = Int32(decode[Int((under >> shift) & 0xFF)]), b = Int32(decode[Int((over >> shift) & 0xFF)])
            out |= UInt32(encode[Int(a + (b - a) * c / 255)]) << shift
        }
        return out
    }
}
