/// A frame in RAM, one `UInt32` per pixel as `0x00RRGGBB` (XRGB8888), rows without padding.
///
/// Everything is drawn here first; only the changed areas are then converted and copied
/// to the framebuffer (`copy(_:into:layout:)`) or encoded as a PNG. A value type: copies
/// are cheap until one of them is written to.
///
/// A canvas may instead be a view of a device's memory (`init(drawingInto:width:height:)`):
/// a scan-out buffer whose format is the canvas's own (XRGB8888, rows of exactly `width`
/// pixels) is then drawn in place, without a second full-size frame in RAM. Such a view
/// has no value semantics (its copies draw into the same memory) and lives only inside
/// the display that owns the buffer, for the time of a drawing.
public struct PixelCanvas: @unchecked Sendable, Equatable {
    // @unchecked: an owned canvas is a plain array. A view's pointer is never handed out
    // of the display that owns its buffer (which the `Lobby` actor owns): what displays
    // give away (`currentCanvas`, the staff page's picture) is an owned copy.
    public let width: Int
    public let height: Int
    /// The pixels of an owned canvas (empty for a view of a device's memory).
    private var owned: [UInt32]
    /// The device memory a view draws into; nil for an owned canvas.
    private let view: UnsafeMutablePointer<UInt32>?

    public init(width: Int, height: Int, color: PixelColor = .black) {
        precondition(width >= 0 && height >= 0, "negative canvas size")
        self.width = width
        self.height = height
        owned = [UInt32](repeating: color.xrgb, count: width * height)
        view = nil
    }

    /// A view of `memory` (at least `width * height * 4` bytes, 4-byte aligned) as the
    /// canvas of a `width` x `height` picture: pixel (x, y) is the `UInt32` at index
    /// `y * width + x`. The memory keeps what it holds; drawing writes `0x00RRGGBB`, the
    /// XRGB8888 pixel whose unused top byte is 0. The caller keeps `memory` mapped while
    /// the view is used.
    public init(drawingInto memory: UnsafeMutableRawBufferPointer, width: Int, height: Int) {
        precondition(width >= 0 && height >= 0 && memory.count >= width * height * 4, "memory too small for the canvas")
        precondition(width * height == 0 || Int(bitPattern: memory.baseAddress) % 4 == 0, "unaligned canvas memory")
        self.width = width
        self.height = height
        owned = []
        view = width * height == 0 ? nil : memory.baseAddress?.assumingMemoryBound(to: UInt32.self)
    }

    /// Whether this canvas draws into a device's memory rather than its own.
    public var isView: Bool { view != nil }

    /// `width * height` pixels, row after row from the top left (a copy, for a view).
    public var pixels: [UInt32] {
        guard let view else { return owned }
        return Array(UnsafeBufferPointer(start: view, count: width * height))
    }

    /// An owned copy of this canvas (itself when it is already owned).
    public var owningCopy: PixelCanvas {
        guard view != nil else { return self }
        var copy = PixelCanvas(width: width, height: height)
        copy.owned = pixels
        return copy
    }

    /// Calls `body` with the pixels (`y * width + x`) to read.
    @inline(__always)
    public func withPixels<R>(_ body: (UnsafeBufferPointer<UInt32>) throws -> R) rethrows -> R {
        if let view { return try body(UnsafeBufferPointer(start: view, count: width * height)) }
        return try owned.withUnsafeBufferPointer(body)
    }

    /// Calls `body` with the pixels (`y * width + x`) to write: the module's drawing code
    /// (fills, console glyphs, outline text, pictures) goes through here.
    @inline(__always)
    mutating func withMutablePixels<R>(_ body: (UnsafeMutableBufferPointer<UInt32>) throws -> R) rethrows -> R {
        if let view { return try body(UnsafeMutableBufferPointer(start: view, count: width * height)) }
        return try owned.withUnsafeMutableBufferPointer { try body($0) }
    }

    public static func == (a: PixelCanvas, b: PixelCanvas) -> Bool {
        a.width == b.width && a.height == b.height && a.withPixels { p in b.withPixels { q in p.elementsEqual(q) } }
    }

    public var bounds: PixelRect { PixelRect(x: 0, y: 0, width: width, height: height) }

    /// The pixel at (`x`, `y`) as `0x00RRGGBB`.
    public subscript(x: Int, y: Int) -> UInt32 {
        get { withPixels { $0[y * width + x] } }
        set {
            let i = y * width + x
            withMutablePixels { $0[i] = newValue }
        }
    }

    public func color(x: Int, y: Int) -> PixelColor { PixelColor(rgb: self[x, y]) }

    /// Paints `rect` (clipped to the canvas) with `color`.
    public mutating func fill(_ rect: PixelRect, _ color: PixelColor) {
        let r = rect.intersection(bounds)
        guard !r.isEmpty else { return }
        let value = color.xrgb, w = width
        withMutablePixels { p in
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
        withMutablePixels { p in
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
                let v = self[x, y]
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
        other.withPixels { source in
            withMutablePixels { p in _ = UnsafeMutableBufferPointer(rebasing: p[range]).update(fromContentsOf: source[range]) }
        }
    }
}
