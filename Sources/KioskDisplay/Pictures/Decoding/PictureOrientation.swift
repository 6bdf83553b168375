/// The EXIF orientation of a photo (TIFF tag 0x0112): how the stored pixels must be turned
/// to show the scene upright. 1 is upright; 3 needs 180°; 6 needs 90° clockwise; 8 needs
/// 90° counter-clockwise; 2, 4, 5 and 7 are the mirrored versions.
public enum PictureOrientation: Int, Sendable, CaseIterable {
    case up = 1, upMirrored, down, downMirrored, leftMirrored, right, rightMirrored, left

    /// Reads the orientation from the body of an `APP1` segment (`Exif\0\0`, then a TIFF
    /// header and IFD0). Nil when absent or unreadable: a broken EXIF block never fails
    /// the picture.
    public init?(exif: ArraySlice<UInt8>) {
        let d = Array(exif)
        guard d.count >= 14, d[0..<6].elementsEqual([0x45, 0x78, 0x69, 0x66, 0, 0]) else { return nil }
        let tiff = 6
        let little: Bool
        switch (d[tiff], d[tiff + 1]) {
        case (0x49, 0x49): little = true
        case (0x4D, 0x4D): little = false
        default: return nil
        }
        func u16(_ at: Int) -> Int? {
            guard at >= 0, at + 2 <= d.count else { return nil }
            return little ? Int(d[at]) | Int(d[at + 1]) << 8 : Int(d[at]) << 8 | Int(d[at + 1])
        }
        func u32(_ at: Int) -> Int? {
            guard let a = u16(at), let b = u16(at + 2) else { return nil }
            return little ? a | b << 16 : a << 16 | b
        }
        guard u16(tiff + 2) == 42, let ifd = u32(tiff + 4), let entries = u16(tiff + ifd) else { return nil }
        for i in 0..<min(entries, 1000) {
            let entry = tiff + ifd + 2 + 12 * i
            guard let tag = u16(entry) else { return nil }
            if tag == 0x0112 {
                // Type SHORT (3), count 1: the value sits in the first two bytes of the field.
                guard u16(entry + 2) == 3, let value = u16(entry + 8), let orientation = PictureOrientation(rawValue: value) else { return nil }
                self = orientation
                return
            }
        }
        return nil
    }

    /// Whether the width and height trade places.
    public var swapsSides: Bool { rawValue >= 5 }
}

extension Picture {
    /// The picture turned so that `orientation`'s scene is upright.
    public func oriented(_ orientation: PictureOrientation) -> Picture {
        guard orientation != .up else { return self }
        let w = width, h = height
        let (ow, oh) = orientation.swapsSides ? (h, w) : (w, h)
        var out = [UInt32](repeating: 0, count: pixels.count)
        pixels.withUnsafeBufferPointer { src in
            out.withUnsafeMutableBufferPointer { dst in
                for y in 0..<oh {
                    for x in 0..<ow {
                        let (sx, sy): (Int, Int)
                        switch orientation {
                        case .up: (sx, sy) = (x, y)
                        case .upMirrored: (sx, sy) = (w - 1 - x, y)
                        case .down: (sx, sy) = (w - 1 - x, h - 1 - y)
                        case .downMirrored: (sx, sy) = (x, h - 1 - y)
                        case .leftMirrored: (sx, sy) = (y, x)
                        case .right: (sx, sy) = (y, h - 1 - x)
                        case .rightMirrored: (sx, sy) = (w - 1 - y, h - 1 - x)
                        case .left: (sx, sy) = (w - 1 - y, x)
                        }
                        dst[y * ow + x] = src[sy * w + sx]
                    }
                }
            }
        }
        return Picture(width: ow, height: oh, pixels: out, isOpaque: isOpaque)
    }
}
