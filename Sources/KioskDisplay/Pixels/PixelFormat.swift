/// Where one colour channel sits in a pixel value: `offset` bits from the least
/// significant bit, `length` bits wide (the kernel's `struct fb_bitfield`).
public struct PixelBitfield: Sendable, Hashable, CustomStringConvertible {
    public var offset: Int
    public var length: Int

    public init(offset: Int, length: Int) {
        self.offset = offset
        self.length = length
    }

    public var description: String { "\(length)@\(offset)" }
}

/// How a framebuffer stores a pixel, named like the DRM formats: the channels are listed
/// from the most significant bit of the pixel value, which is stored little-endian.
///
/// So `xrgb8888` is the bytes B, G, R, X in memory, `rgb888` (the VESA 24-bit mode) is
/// B, G, R, and `bgr888` is R, G, B. The format is chosen from the bits per pixel **and**
/// the channel offsets (`init(bitsPerPixel:red:green:blue:)`): two 32-bit framebuffers
/// may differ only in where red is. 32-bit formats are written with the top byte set to
/// 0xFF, which is right for an alpha channel and ignored as padding.
public enum PixelFormat: String, Sendable, Hashable, CaseIterable, CustomStringConvertible {
    /// 16 bits: red 5 bits at 11, green 6 at 5, blue 5 at 0.
    case rgb565
    /// 16 bits: blue 5 bits at 11, green 6 at 5, red 5 at 0.
    case bgr565
    /// 24 bits packed: red at 16, green at 8, blue at 0 (bytes B, G, R).
    case rgb888
    /// 24 bits packed: blue at 16, green at 8, red at 0 (bytes R, G, B).
    case bgr888
    /// 32 bits: red at 16, green at 8, blue at 0 (bytes B, G, R, X).
    case xrgb8888
    /// 32 bits: blue at 16, green at 8, red at 0 (bytes R, G, B, X).
    case xbgr8888

    /// The format whose size and channel positions match, or nil when we cannot draw it
    /// (8-bit palettes, 30-bit colour, grey scales, ...).
    public init?(bitsPerPixel: Int, red: PixelBitfield, green: PixelBitfield, blue: PixelBitfield) {
        guard let format = Self.allCases.first(where: {
            $0.bitsPerPixel == bitsPerPixel && $0.red == red && $0.green == green && $0.blue == blue
        }) else { return nil }
        self = format
    }

    public var bitsPerPixel: Int {
        switch self {
        case .rgb565, .bgr565: return 16
        case .rgb888, .bgr888: return 24
        case .xrgb8888, .xbgr8888: return 32
        }
    }

    public var bytesPerPixel: Int { bitsPerPixel / 8 }

    public var red: PixelBitfield {
        switch self {
        case .rgb565: return PixelBitfield(offset: 11, length: 5)
        case .bgr565: return PixelBitfield(offset: 0, length: 5)
        case .rgb888, .xrgb8888: return PixelBitfield(offset: 16, length: 8)
        case .bgr888, .xbgr8888: return PixelBitfield(offset: 0, length: 8)
        }
    }

    public var green: PixelBitfield {
        bitsPerPixel == 16 ? PixelBitfield(offset: 5, length: 6) : PixelBitfield(offset: 8, length: 8)
    }

    public var blue: PixelBitfield {
        switch self {
        case .rgb565: return PixelBitfield(offset: 0, length: 5)
        case .bgr565: return PixelBitfield(offset: 11, length: 5)
        case .rgb888, .xrgb8888: return PixelBitfield(offset: 0, length: 8)
        case .bgr888, .xbgr8888: return PixelBitfield(offset: 16, length: 8)
        }
    }

    /// The pixel value for a canvas pixel `0x00RRGGBB` (channels cut to their width by
    /// dropping low bits).
    @inline(__always)
    public func encode(_ xrgb: UInt32) -> UInt32 {
        let r = (xrgb >> 16) & 0xFF, g = (xrgb >> 8) & 0xFF, b = xrgb & 0xFF
        switch self {
        case .rgb565: return (r >> 3) << 11 | (g >> 2) << 5 | b >> 3
        case .bgr565: return (b >> 3) << 11 | (g >> 2) << 5 | r >> 3
        case .rgb888: return r << 16 | g << 8 | b
        case .bgr888: return b << 16 | g << 8 | r
        case .xrgb8888: return 0xFF00_0000 | r << 16 | g << 8 | b
        case .xbgr8888: return 0xFF00_0000 | b << 16 | g << 8 | r
        }
    }

    public var description: String { rawValue.uppercased() }
}
