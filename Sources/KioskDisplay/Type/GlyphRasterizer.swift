/// Turns a glyph outline into antialiased coverage at an exact pixel size: no hinting, no
/// scaled bitmaps, the area of each pixel inside the outline computed exactly.
///
/// The method of font-rs and stb_truetype's second rasterizer: quadratic curves are
/// flattened into line segments (adaptively: a curve is cut into enough pieces that no
/// piece strays more than `tolerance` pixels from the curve), then each segment adds, to
/// every pixel it crosses, the signed share of that pixel's area lying to its right; a
/// running sum along each row turns those differences into coverage. The winding is
/// accumulated as a real number and its magnitude, capped at 1, is the coverage, which is
/// the non-zero rule on the inside and exact area on the edges.
///
/// For one row slab of height `h` crossed by an edge going from x = a to x = b (a ≤ b), the
/// share of column j is the mean over that span of clamp(j + 1 - x, 0, 1), which has a
/// closed form with G(u) = ∫ clamp(u, 0, 1) du: (G(j + 1 - a) - G(j + 1 - b)) / (b - a).
public enum GlyphRasterizer {
    /// Largest bitmap side and area, pixels (a 1,024 px glyph fits): a font cannot make the
    /// engine allocate more.
    public static let maxSide = 4096
    public static let maxArea = 4 * 1024 * 1024
    /// Flattening tolerance, pixels.
    static let tolerance: Float = 1.0 / 128

    /// The coverage of `outline` (font units, y up) scaled by `scale` pixels per unit, with
    /// the pen `shiftX` pixels (0 ≤ shiftX < 1) right of a whole pixel. Nil when the scale
    /// is not a positive finite number or the bitmap would exceed the limits.
    public static func rasterize(_ outline: GlyphOutline, scale: Float, shiftX: Float = 0) -> GlyphBitmap? {
        guard scale.isFinite, scale > 0, shiftX.isFinite else { return nil }
        guard !outline.isEmpty else { return .empty }
        let box = outline.bounds
        let left = (box.xMin * scale + shiftX).rounded(.down), right = (box.xMax * scale + shiftX).rounded(.up)
        let top = (-box.yMax * scale).rounded(.down), bottom = (-box.yMin * scale).rounded(.up)
        guard left.isFinite, right.isFinite, top.isFinite, bottom.isFinite,
              right - left <= Float(maxSide), bottom - top <= Float(maxSide) else { return nil }
        let width = Int(right - left), height = Int(bottom - top)
        guard width > 0, height > 0, width * height <= maxArea else { return .empty }

        var accumulator = CoverageAccumulator(width: width, height: height)
        // Pixel coordinates inside the bitmap, y down.
        let mapped = outline.points.map { (x: $0.x * scale + shiftX - left, y: -$0.y * scale - top, onCurve: $0.onCurve) }
        var start = 0
        for end in outline.contourEnds {
            guard end >= start, end < mapped.count else { break }
            walkContour(mapped[start...end], into: &accumulator)
            start = end + 1
        }
        return GlyphBitmap(offsetX: Int(left), offsetY: Int(top), width: width, height: height,
                           coverage: accumulator.coverage())
    }

    typealias MappedPoint = (x: Float, y: Float, onCurve: Bool)

    /// Feeds one closed contour to the accumulator, with TrueType's implied on-curve point
    /// between two off-curve points. It starts from its first on-curve point (or, when all
    /// are off the curve, from the midpoint of the last and the first) and ends there.
    private static func walkContour(_ points: ArraySlice<MappedPoint>, into acc: inout CoverageAccumulator) {
        let count = points.count, base = points.startIndex
        guard count > 0 else { return }
        let begin: (x: Float, y: Float)
        let firstIndex: Int, steps: Int
        if let on = points.firstIndex(where: { $0.onCurve }) {
            begin = (points[on].x, points[on].y)
            firstIndex = on - base + 1
            steps = count
        } else {
            let last = points[base + count - 1], first = points[base]
            begin = ((last.x + first.x) / 2, (last.y + first.y) / 2)
            firstIndex = 0
            steps = count
        }
        var current = begin
        var control: (x: Float, y: Float)? = nil
        for step in 0..<steps {
            let p = points[base + (firstIndex + step) % count]
            let xy = (x: p.x, y: p.y)
            if p.onCurve {
                if let c = control { acc.quadratic(current, c, xy) } else { acc.line(current, xy) }
                current = xy
                control = nil
            } else if let c = control {
                let middle = (x: (c.x + xy.x) / 2, y: (c.y + xy.y) / 2)
                acc.quadratic(current, c, middle)
                current = middle
                control = xy
            } else {
                control = xy
            }
        }
        if let c = control { acc.quadratic(current, c, begin) } else { acc.line(current, begin) }
    }
}

/// The signed-area buffer of one glyph: per row, `width + 2` cells of differences whose
/// running sum is the winding-weighted coverage of each pixel.
struct CoverageAccumulator {
    let width: Int
    let height: Int
    private let stride: Int
    private var cells: [Float]

    init(width: Int, height: Int) {
        self.width = width
        self.height = height
        stride = width + 2
        cells = [Float](repeating: 0, count: stride * height)
    }

    /// A quadratic Bézier curve, cut into straight pieces.
    mutating func quadratic(_ p0: (x: Float, y: Float), _ p1: (x: Float, y: Float), _ p2: (x: Float, y: Float)) {
        let ddx = p0.x - 2 * p1.x + p2.x, ddy = p0.y - 2 * p1.y + p2.y
        let deviation = (ddx * ddx + ddy * ddy).squareRoot()
        // A piece of parameter length 1/n strays at most deviation / (4 n²) from the curve.
        let pieces = deviation.isFinite ? min(64, max(1, Int((deviation / (4 * GlyphRasterizer.tolerance)).squareRoot().rounded(.up)))) : 1
        var previous = p0
        let step = 1 / Float(pieces)
        for i in 1...pieces {
            let t = Float(i) * step, u = 1 - t
            let next = i == pieces ? p2 : (u * u * p0.x + 2 * u * t * p1.x + t * t * p2.x,
                                           u * u * p0.y + 2 * u * t * p1.y + t * t * p2.y)
            line(previous, next)
            previous = next
        }
    }

    /// A straight edge, in bitmap pixels (y down).
    mutating func line(_ p0: (x: Float, y: Float), _ p1: (x: Float, y: Float)) {
        guard p0.y != p1.y, p0.x.isFinite, p0.y.isFinite, p1.x.isFinite, p1.y.isFinite else { return }
        let (upper, lower, sign): ((x: Float, y: Float), (x: Float, y: Float), Float) = p0.y < p1.y ? (p0, p1, 1) : (p1, p0, -1)
        let slope = (lower.x - upper.x) / (lower.y - upper.y)
        let yStart = max(0, upper.y), yEnd = min(Float(height), lower.y)
        guard yStart < yEnd else { return }
        var row = Int(yStart)
        while row < height, Float(row) < yEnd {
            let top = max(yStart, Float(row)), bottom = min(yEnd, Float(row + 1))
            if bottom > top {
                let xTop = upper.x + (top - upper.y) * slope, xBottom = upper.x + (bottom - upper.y) * slope
                span(row: row, xTop, xBottom, sign * (bottom - top))
            }
            row += 1
        }
    }

    /// The part of an edge within one row: from `xa` to `xb` over a height `value` (signed).
    private mutating func span(row: Int, _ xa: Float, _ xb: Float, _ value: Float) {
        let limit = Float(width)
        let low = min(max(min(xa, xb), 0), limit), high = min(max(max(xa, xb), 0), limit)
        let rowStart = row * stride
        let first = Int(low), last = Int(high)
        if first == last || high - low < 1e-6 {
            let share = Float(first + 1) - (low + high) / 2
            cells[rowStart + first] += value * share
            cells[rowStart + first + 1] += value * (1 - share)
            return
        }
        let inverse = 1 / (high - low)
        var previous: Float = 0
        for column in first...last {
            let edge = Float(column + 1)
            let covered = value * (Self.integral(edge - low) - Self.integral(edge - high)) * inverse
            cells[rowStart + column] += covered - previous
            previous = covered
        }
        cells[rowStart + last + 1] += value - previous
    }

    /// G(u) = ∫₀ᵘ clamp(t, 0, 1) dt.
    @inline(__always)
    private static func integral(_ u: Float) -> Float {
        u <= 0 ? 0 : (u < 1 ? u * u / 2 : u - 0.5)
    }

    /// The coverage bytes: per row, the running sum's magnitude capped at 1, times 255.
    func coverage() -> [UInt8] {
        var out = [UInt8](repeating: 0, count: width * height)
        out.withUnsafeMutableBufferPointer { o in
            cells.withUnsafeBufferPointer { c in
                for y in 0..<height {
                    var sum: Float = 0
                    let rowIn = y * stride, rowOut = y * width
                    for x in 0..<width {
                        sum += c[rowIn + x]
                        let a = min(1, abs(sum))
                        o[rowOut + x] = UInt8(a * 255 + 0.5)
                    }
                }
            }
        }
        return out
    }
}
