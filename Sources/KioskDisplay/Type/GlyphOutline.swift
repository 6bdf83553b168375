/// The outline of one glyph in font units (y up): quadratic TrueType contours as points,
/// each on or off the curve, with composite glyphs already assembled (components placed,
/// transformed and concatenated).
public struct GlyphOutline: Sendable, Equatable {
    /// One outline point, font units.
    public struct Point: Sendable, Equatable {
        public var x: Float
        public var y: Float
        public var onCurve: Bool

        public init(x: Float, y: Float, onCurve: Bool) {
            self.x = x
            self.y = y
            self.onCurve = onCurve
        }
    }

    /// What one glyph may cost before it is refused (a hostile font can nest composites and
    /// repeat components to ask for millions of points). Real Latin glyphs use a few
    /// hundred points, one or two levels of nesting and a handful of components.
    public struct Limits: Sendable {
        public var maxPoints = 16_384
        public var maxComponents = 256
        public var maxDepth = 8

        public init() {}
    }

    public var points: [Point] = []
    /// The index of the last point of each contour (increasing).
    public var contourEnds: [Int] = []

    public init(points: [Point] = [], contourEnds: [Int] = []) {
        self.points = points
        self.contourEnds = contourEnds
    }

    public var isEmpty: Bool { points.isEmpty }

    /// The smallest box holding every point (on and off the curve, so it holds the curve):
    /// (xMin, yMin, xMax, yMax), font units; zeros for an empty outline.
    public var bounds: (xMin: Float, yMin: Float, xMax: Float, yMax: Float) {
        guard let first = points.first else { return (0, 0, 0, 0) }
        var box = (xMin: first.x, yMin: first.y, xMax: first.x, yMax: first.y)
        for p in points {
            box.xMin = min(box.xMin, p.x); box.xMax = max(box.xMax, p.x)
            box.yMin = min(box.yMin, p.y); box.yMax = max(box.yMax, p.y)
        }
        return box
    }
}

extension FontFace {
    /// The outline of `glyph`, composites assembled. Throws for a glyph whose `glyf` data is
    /// broken or beyond `limits`; an empty outline for glyphs without one (spaces).
    public func outline(of glyph: UInt16, limits: GlyphOutline.Limits = .init()) throws(FontError) -> GlyphOutline {
        var outline = GlyphOutline()
        var components = 0
        try appendOutline(of: glyph, to: &outline, depth: 0, components: &components, limits: limits)
        return outline
    }

    private func appendOutline(of glyph: UInt16, to outline: inout GlyphOutline, depth: Int, components: inout Int, limits: GlyphOutline.Limits) throws(FontError) {
        guard let range = try glyphRange(glyph) else { return }
        let data = try glyf.slice(from: range.lowerBound, length: range.count)
        let contours = Int(try data.i16(0))
        if contours >= 0 {
            try appendSimple(data, contours: contours, to: &outline, limits: limits)
        } else {
            guard depth < limits.maxDepth else {
                throw data.error(.limitExceeded("composite glyphs nested deeper than \(limits.maxDepth)"))
            }
            try appendComposite(data, to: &outline, depth: depth, components: &components, limits: limits)
        }
    }

    /// A simple glyph: endPtsOfContours, instructions (skipped), flags, x and y deltas.
    private func appendSimple(_ data: FontTable, contours: Int, to outline: inout GlyphOutline, limits: GlyphOutline.Limits) throws(FontError) {
        guard contours > 0 else { return }
        try data.need(10, contours * 2 + 2)
        var ends: [Int] = []
        ends.reserveCapacity(contours)
        var previous = -1
        for i in 0..<contours {
            let end = Int(try data.u16(10 + i * 2))
            guard end > previous else { throw data.error(.invalid("contour ends not increasing"), at: 10 + i * 2) }
            ends.append(end)
            previous = end
        }
        let count = previous + 1
        guard outline.points.count + count <= limits.maxPoints else {
            throw data.error(.limitExceeded("more than \(limits.maxPoints) points"))
        }
        let instructionLength = Int(try data.u16(10 + contours * 2))
        var offset = 12 + contours * 2 + instructionLength

        // Flags, with repeats.
        var flags = [UInt8](repeating: 0, count: count)
        var i = 0
        while i < count {
            let flag = try data.u8(offset)
            offset += 1
            flags[i] = flag
            i += 1
            if flag & 0x08 != 0 {
                let repeats = Int(try data.u8(offset))
                offset += 1
                guard repeats <= count - i else { throw data.error(.invalid("flag repeat past the last point"), at: offset - 1) }
                for _ in 0..<repeats { flags[i] = flag; i += 1 }
            }
        }
        // Coordinates: short (1 byte, sign in the "same" bit), same as before, or 2 bytes.
        var xs = [Int32](repeating: 0, count: count)
        var value: Int32 = 0
        for p in 0..<count {
            let flag = flags[p]
            if flag & 0x02 != 0 {
                let delta = Int32(try data.u8(offset)); offset += 1
                value += flag & 0x10 != 0 ? delta : -delta
            } else if flag & 0x10 == 0 {
                value += Int32(try data.i16(offset)); offset += 2
            }
            xs[p] = value
        }
        value = 0
        let base = outline.points.count
        outline.points.reserveCapacity(base + count)
        for p in 0..<count {
            let flag = flags[p]
            if flag & 0x04 != 0 {
                let delta = Int32(try data.u8(offset)); offset += 1
                value += flag & 0x20 != 0 ? delta : -delta
            } else if flag & 0x20 == 0 {
                value += Int32(try data.i16(offset)); offset += 2
            }
            outline.points.append(.init(x: Float(xs[p]), y: Float(value), onCurve: flag & 0x01 != 0))
        }
        outline.contourEnds.append(contentsOf: ends.map { $0 + base })
    }

    /// A composite glyph: components, each another glyph placed by an offset (or by matching
    /// points) and an optional scale or 2x2 transform.
    private func appendComposite(_ data: FontTable, to outline: inout GlyphOutline, depth: Int, components: inout Int, limits: GlyphOutline.Limits) throws(FontError) {
        var offset = 10
        var more = true
        while more {
            let flags = try data.u16(offset)
            let child = try data.u16(offset + 2)
            offset += 4
            components += 1
            guard components <= limits.maxComponents else {
                throw data.error(.limitExceeded("more than \(limits.maxComponents) components"))
            }
            let words = flags & 0x0001 != 0, xyValues = flags & 0x0002 != 0
            let arg1: Int, arg2: Int
            if words {
                arg1 = xyValues ? Int(try data.i16(offset)) : Int(try data.u16(offset))
                arg2 = xyValues ? Int(try data.i16(offset + 2)) : Int(try data.u16(offset + 2))
                offset += 4
            } else {
                let a = try data.u8(offset), b = try data.u8(offset + 1)
                arg1 = xyValues ? Int(Int8(bitPattern: a)) : Int(a)
                arg2 = xyValues ? Int(Int8(bitPattern: b)) : Int(b)
                offset += 2
            }
            // x' = a x + c y, y' = b x + d y (the order of the file's four F2DOT14 values).
            var a: Float = 1, b: Float = 0, c: Float = 0, d: Float = 1
            if flags & 0x0008 != 0 {
                a = try data.f2dot14(offset); d = a; offset += 2
            } else if flags & 0x0040 != 0 {
                a = try data.f2dot14(offset); d = try data.f2dot14(offset + 2); offset += 4
            } else if flags & 0x0080 != 0 {
                a = try data.f2dot14(offset); b = try data.f2dot14(offset + 2)
                c = try data.f2dot14(offset + 4); d = try data.f2dot14(offset + 6); offset += 8
            }
            more = flags & 0x0020 != 0

            var part = GlyphOutline()
            var partLimits = limits
            partLimits.maxPoints = limits.maxPoints - outline.points.count
            try appendOutline(of: child, to: &part, depth: depth + 1, components: &components, limits: partLimits)
            for i in part.points.indices {
                let p = part.points[i]
                part.points[i].x = a * p.x + c * p.y
                part.points[i].y = b * p.x + d * p.y
            }
            var dx: Float, dy: Float
            if xyValues {
                dx = Float(arg1); dy = Float(arg2)
                // SCALED_COMPONENT_OFFSET without UNSCALED_COMPONENT_OFFSET: the offset is transformed too.
                if flags & 0x0800 != 0, flags & 0x1000 == 0 {
                    (dx, dy) = (a * dx + c * dy, b * dx + d * dy)
                }
            } else {
                // Point matching: the child's point arg2 lands on the assembled point arg1.
                guard arg1 < outline.points.count, arg2 < part.points.count else {
                    throw data.error(.invalid("component anchor points \(arg1), \(arg2) out of range"), at: offset)
                }
                dx = outline.points[arg1].x - part.points[arg2].x
                dy = outline.points[arg1].y - part.points[arg2].y
            }
            let base = outline.points.count
            guard base + part.points.count <= limits.maxPoints else {
                throw data.error(.limitExceeded("more than \(limits.maxPoints) points"))
            }
            outline.points.append(contentsOf: part.points.map { .init(x: $0.x + dx, y: $0.y + dy, onCurve: $0.onCurve) })
            outline.contourEnds.append(contentsOf: part.contourEnds.map { $0 + base })
        }
    }
}
