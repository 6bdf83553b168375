/// The shape of a destination pixel buffer (a mapped framebuffer): its format, its visible
/// size, the bytes from one row to the next, and where the visible area starts.
///
/// Pixel (x, y) starts at byte `(y + yOffset) * lineLength + (x + xOffset) * bytesPerPixel`
/// (the fbdev rule; `lineLength` may be more than `width * bytesPerPixel`: rows are padded).
public struct PixelBufferLayout: Sendable, Hashable {
    public var format: PixelFormat
    /// Visible size in pixels.
    public var width: Int
    public var height: Int
    /// Bytes from the start of one row to the start of the next (`line_length`).
    public var lineLength: Int
    /// First visible pixel (`xoffset`, `yoffset`; `yOffset` also selects the page when panning).
    public var xOffset: Int
    public var yOffset: Int

    public init(format: PixelFormat, width: Int, height: Int, lineLength: Int, xOffset: Int = 0, yOffset: Int = 0) {
        self.format = format
        self.width = width
        self.height = height
        self.lineLength = lineLength
        self.xOffset = xOffset
        self.yOffset = yOffset
    }

    /// Row stride with no padding, for a buffer of exactly `width` pixels per row.
    public init(format: PixelFormat, width: Int, height: Int) {
        self.init(format: format, width: width, height: height, lineLength: width * format.bytesPerPixel)
    }

    public func byteOffset(x: Int, y: Int) -> Int {
        (y + yOffset) * lineLength + (x + xOffset) * format.bytesPerPixel
    }

    /// Bytes a buffer needs to hold the whole visible area.
    public var requiredByteCount: Int {
        guard width > 0, height > 0 else { return 0 }
        return byteOffset(x: width, y: height - 1)
    }
}

extension PixelCanvas {
    /// Converts the pixels of `rects` (clipped to the canvas and the layout's visible size)
    /// to the layout's format and writes them into `destination`. Bytes outside the
    /// rectangles, including row padding, are left alone. Rows that would end beyond
    /// `destination` are skipped rather than written out of bounds.
    public func copy(_ rects: [PixelRect], into destination: UnsafeMutableRawBufferPointer, layout: PixelBufferLayout) {
        let limit = bounds.intersection(PixelRect(x: 0, y: 0, width: layout.width, height: layout.height))
        let format = layout.format, bpp = format.bytesPerPixel, w = width
        withPixels { source in
            for rect in rects {
                let r = rect.intersection(limit)
                guard !r.isEmpty, layout.xOffset >= 0, layout.yOffset >= 0 else { continue }
                for y in r.y..<r.maxY {
                    var offset = layout.byteOffset(x: r.x, y: y)
                    guard offset >= 0, offset + r.width * bpp <= destination.count else { continue }
                    let row = y * w
                    for x in r.x..<r.maxX {
                        let value = format.encode(source[row + x])
                        switch bpp {
                        case 2:
                            destination.storeBytes(of: UInt16(truncatingIfNeeded: value).littleEndian, toByteOffset: offset, as: UInt16.self)
                        case 3:
                            destination[offset] = UInt8(truncatingIfNeeded: value)
                            destination[offset + 1] = UInt8(truncatingIfNeeded: value >> 8)
                            destination[offset + 2] = UInt8(truncatingIfNeeded: value >> 16)
                        default:
                            destination.storeBytes(of: value.littleEndian, toByteOffset: offset, as: UInt32.self)
                        }
                        offset += bpp
                    }
                }
            }
        }
    }

    /// `copy(_:into:layout:)` into a byte array (tests, off-screen buffers).
    public func copy(_ rects: [PixelRect], into destination: inout [UInt8], layout: PixelBufferLayout) {
        destination.withUnsafeMutableBytes { copy(rects, into: $0, layout: layout) }
    }
}
