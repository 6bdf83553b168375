import KioskCore

extension PixelCanvas {
    /// Writes the pixels of `rects` (canvas coordinates, as the visitor sees the picture)
    /// into `destination`, a device buffer shaped by `layout` (the panel's own size and
    /// format), turned by `rotation` on the way: no second full-size buffer, each changed
    /// area is read from the canvas and written once.
    ///
    /// 32- and 24-bit formats get the canvas's exact colours. 16-bit formats are dithered
    /// (`OrderedDither`): the threshold depends only on the pixel's position on the
    /// panel, so a partial update writes what a full redraw would. Bytes outside the areas,
    /// row padding included, are left alone; rows that would end beyond `destination` are
    /// skipped rather than written out of bounds.
    public func present(_ rects: [PixelRect], into destination: UnsafeMutableRawBufferPointer, layout: PixelBufferLayout, rotation: ScreenRotation) {
        let picture = rotation.pictureSize(panelWidth: layout.width, height: layout.height)
        let limit = bounds.intersection(PixelRect(x: 0, y: 0, width: picture.width, height: picture.height))
        let format = layout.format, bpp = format.bytesPerPixel, w = width
        guard layout.xOffset >= 0, layout.yOffset >= 0 else { return }
        withPixels { source in
            for rect in rects {
                let r = rect.intersection(limit)
                guard !r.isEmpty else { continue }
                let device = Self.panelRect(r, pictureWidth: picture.width, pictureHeight: picture.height, rotation: rotation)
                // Walking the panel's rows: where the first pixel of a row comes from in the
                // canvas, and how far the next pixel of the row is.
                for dy in device.y..<device.maxY {
                    let start = layout.byteOffset(x: device.x, y: dy)
                    guard start >= 0, start + device.width * bpp <= destination.count else { continue }
                    let from: Int, step: Int
                    switch rotation {
                    case .upright: from = dy * w + device.x; step = 1
                    case .half: from = (picture.height - 1 - dy) * w + (picture.width - 1 - device.x); step = -1
                    case .quarter: from = (picture.height - 1 - device.x) * w + dy; step = -w
                    case .threeQuarters: from = device.x * w + (picture.width - 1 - dy); step = w
                    }
                    Self.writeRow(source, from: from, step: step, count: device.width, into: destination, at: start, format: format, x: device.x, y: dy)
                }
            }
        }
    }

    /// Converts `count` canvas pixels, from index `from` by `step`, into the panel's format
    /// at byte `offset` of `destination`: the panel row `y` from column `x`. The format is
    /// decided once per row, not per pixel.
    @inline(__always)
    static func writeRow(
        _ source: UnsafeBufferPointer<UInt32>, from: Int, step: Int, count: Int, into destination: UnsafeMutableRawBufferPointer,
        at offset: Int, format: PixelFormat, x: Int, y: Int
    ) {
        var from = from, offset = offset
        switch format {
        case .xrgb8888:
            for _ in 0..<count {
                destination.storeBytes(of: (0xFF00_0000 | source[from]).littleEndian, toByteOffset: offset, as: UInt32.self)
                offset += 4
                from += step
            }
        case .xbgr8888:
            for _ in 0..<count {
                let v = source[from]
                destination.storeBytes(of: (0xFF00_0000 | (v & 0xFF) << 16 | v & 0xFF00 | (v >> 16) & 0xFF).littleEndian, toByteOffset: offset, as: UInt32.self)
                offset += 4
                from += step
            }
        case .rgb888, .bgr888:
            for _ in 0..<count {
                let value = format.encode(source[from])
                destination[offset] = UInt8(truncatingIfNeeded: value)
                destination[offset + 1] = UInt8(truncatingIfNeeded: value >> 8)
                destination[offset + 2] = UInt8(truncatingIfNeeded: value >> 16)
                offset += 3
                from += step
            }
        case .rgb565, .bgr565:
            for dx in x..<(x + count) {
                let value = OrderedDither.encode565(source[from], format: format, x: dx, y: y)
                destination.storeBytes(of: UInt16(truncatingIfNeeded: value).littleEndian, toByteOffset: offset, as: UInt16.self)
                offset += 2
                from += step
            }
        }
    }

    /// `present(_:into:layout:rotation:)` into a byte array (tests, off-screen buffers).
    public func present(_ rects: [PixelRect], into destination: inout [UInt8], layout: PixelBufferLayout, rotation: ScreenRotation) {
        destination.withUnsafeMutableBytes { present(rects, into: $0, layout: layout, rotation: rotation) }
    }

    /// The panel's rectangle that a rectangle of a `pictureWidth` x `pictureHeight` picture
    /// lands on when the picture is turned by `rotation`.
    public static func panelRect(_ r: PixelRect, pictureWidth: Int, pictureHeight: Int, rotation: ScreenRotation) -> PixelRect {
        switch rotation {
        case .upright: return r
        case .half: return PixelRect(x: pictureWidth - r.maxX, y: pictureHeight - r.maxY, width: r.width, height: r.height)
        // The picture's left column becomes the panel's top row, read from the right.
        case .quarter: return PixelRect(x: pictureHeight - r.maxY, y: r.x, width: r.height, height: r.width)
        case .threeQuarters: return PixelRect(x: r.y, y: pictureWidth - r.maxX, width: r.height, height: r.width)
        }
    }

    /// A canvas from a panel buffer: what a screen of `layout` shows, turned back by
    /// `rotation` into the picture the visitor sees, 16-bit channels widened as displays
    /// and QEMU's screendump do (`r << 3 | r >> 2`). `kioskctl render --bpp 16` and the
    /// 16 bpp golden show the dithered frame this way.
    public static func fromPanel(_ bytes: [UInt8], layout: PixelBufferLayout, rotation: ScreenRotation) -> PixelCanvas {
        let picture = rotation.pictureSize(panelWidth: layout.width, height: layout.height)
        var canvas = PixelCanvas(width: picture.width, height: picture.height)
        let bpp = layout.format.bytesPerPixel
        for y in 0..<picture.height {
            for x in 0..<picture.width {
                let p = panelRect(PixelRect(x: x, y: y, width: 1, height: 1), pictureWidth: picture.width, pictureHeight: picture.height, rotation: rotation)
                let offset = layout.byteOffset(x: p.x, y: p.y)
                guard offset >= 0, offset + bpp <= bytes.count else { continue }
                var value: UInt32 = 0
                for i in 0..<bpp { value |= UInt32(bytes[offset + i]) << (8 * UInt32(i)) }
                canvas[x, y] = layout.format.decode(value)
            }
        }
        return canvas
    }
}

extension PixelFormat {
    /// The canvas colour `0x00RRGGBB` of a pixel value, channels narrower than 8 bits
    /// widened by repeating their top bits.
    public func decode(_ value: UInt32) -> UInt32 {
        func channel(_ field: PixelBitfield) -> UInt32 {
            let v = (value >> UInt32(field.offset)) & ((1 << UInt32(field.length)) - 1)
            return field.length >= 8 ? v & 0xFF : (v << (8 - UInt32(field.length))) | (v >> (2 * UInt32(field.length) - 8))
        }
        return channel(red) << 16 | channel(green) << 8 | channel(blue)
    }
}

/// Ordered dithering to 16-bit colour (5 bits of red and blue, 6 of green) with a 4x4
/// Bayer matrix. A channel value lies between two levels the panel can show (levels as
/// the panel widens them: `q << 3 | q >> 2`); it takes the upper one where its distance
/// past the lower exceeds the pixel's threshold, so a 4x4 block shows the value on
/// average instead of a band, and a value the panel can show exactly stays flat. The
/// threshold depends only on the pixel's position, so a pixel's value never depends on
/// what was drawn around it or when.
public enum OrderedDither {
    /// The 4x4 Bayer matrix, thresholds 0…15 by (y % 4, x % 4), scaled to 0…255 at the
    /// middle of each sixteenth: (2t + 1) × 255 / 32.
    static let thresholds: [UInt8] = [0, 8, 2, 10, 12, 4, 14, 6, 3, 11, 1, 9, 15, 7, 13, 5].map { UInt8((2 * $0 + 1) * 255 / 32) }

    /// For each byte, the level below or at it and how far past that level it lies
    /// (0…255 of the step to the next level): `bits` 5 or 6.
    static func table(bits: Int) -> [(level: UInt8, past: UInt8)] {
        let top = (1 << bits) - 1
        func widened(_ q: Int) -> Int { q << (8 - bits) | q >> (2 * bits - 8) }
        return (0..<256).map { v in
            var q = 0
            while q < top && widened(q + 1) <= v { q += 1 }
            guard q < top else { return (UInt8(q), 0) }
            let low = widened(q), high = widened(q + 1)
            return (UInt8(q), UInt8((v - low) * 255 / (high - low)))
        }
    }

    static let five = table(bits: 5)
    static let six = table(bits: 6)

    @inline(__always)
    static func quantize(_ value: UInt32, _ table: [(level: UInt8, past: UInt8)], threshold: UInt8) -> UInt32 {
        let entry = table[Int(value & 0xFF)]
        return UInt32(entry.level) + (entry.past > threshold ? 1 : 0)
    }

    /// The 16-bit pixel value of canvas colour `xrgb` at panel position (`x`, `y`).
    @inline(__always)
    public static func encode565(_ xrgb: UInt32, format: PixelFormat, x: Int, y: Int) -> UInt32 {
        let t = thresholds[(y & 3) << 2 | (x & 3)]
        let r = quantize(xrgb >> 16, five, threshold: t)
        let g = quantize(xrgb >> 8, six, threshold: t)
        let b = quantize(xrgb, five, threshold: t)
        return format == .bgr565 ? b << 11 | g << 5 | r : r << 11 | g << 5 | b
    }
}
