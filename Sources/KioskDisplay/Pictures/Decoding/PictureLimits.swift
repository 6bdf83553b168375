/// What a decoder may accept, checked against the file's header **before** any pixel
/// memory is allocated.
///
/// `maximumSide` bounds each dimension; `maximumBytes` bounds the decoded picture
/// (`width * height * 4`) and, separately, each working buffer the decoder needs (the
/// PNG's inflated rows, the JPEG's coefficients or sample planes), so a decode holds at
/// most a small multiple of `maximumBytes` at once. The default (64 MiB) takes a
/// 12-megapixel phone photo (4032x3024: 48.8 MB) and refuses a 5000x5000 poster.
public struct PictureLimits: Sendable, Hashable {
    public var maximumSide: Int
    public var maximumBytes: Int

    public init(maximumSide: Int = 8192, maximumBytes: Int = 64 << 20) {
        self.maximumSide = maximumSide
        self.maximumBytes = maximumBytes
    }

    public static let standard = PictureLimits()

    /// Checks a declared size against the limits; returns the decoded byte count.
    func check(width: Int, height: Int, format: PictureFormat) throws -> Int {
        try checkSides(width: width, height: height, format: format)
        let bytes = width * height * 4  // at most 8192 * 8192 * 4 with the default: no overflow
        try checkWorking(bytes: bytes, what: "\(width)x\(height) pixels", format: format)
        return bytes
    }

    /// Checks the sides a header declares (not empty, at most `maximumSide` each).
    func checkSides(width: Int, height: Int, format: PictureFormat) throws {
        guard width > 0, height > 0 else {
            throw PictureError(format, .corrupt, "the header declares an empty picture (\(width)x\(height))")
        }
        guard width <= maximumSide, height <= maximumSide else {
            throw PictureError(format, .tooLarge, "\(width)x\(height) pixels: each side may be at most \(maximumSide)")
        }
    }

    /// Checks one working buffer of `bytes` against `maximumBytes`.
    func checkWorking(bytes: Int, what: String, format: PictureFormat) throws {
        guard bytes <= maximumBytes else {
            throw PictureError(format, .tooLarge, "\(what) need \(bytes) bytes, over the budget of \(maximumBytes)")
        }
    }
}

/// The picture formats we decode, recognised by their first bytes.
public enum PictureFormat: String, Sendable, Hashable {
    case png = "PNG"
    case jpeg = "JPEG"
    case unknown = "picture"

    /// The format whose signature starts `bytes`, or `.unknown`.
    public init(sniffing bytes: some Collection<UInt8>) {
        let head = Array(bytes.prefix(8))
        if head == [0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A] {
            self = .png
        } else if head.count >= 3, head[0] == 0xFF, head[1] == 0xD8, head[2] == 0xFF {
            self = .jpeg
        } else {
            self = .unknown
        }
    }
}

/// How small a decoder may make a picture while decoding it (JPEG's DCT scaling: each
/// 8x8 block decoded to 4x4, 2x2 or one sample), which is what keeps a phone photo's
/// decode small: a 12-megapixel JPEG shown in a 1000-pixel box is decoded at a quarter of
/// its width, 3 MB instead of 48. PNG has no such scaling and is always decoded whole.
public enum PictureReduction: Sendable, Hashable {
    /// Every pixel; a picture over `PictureLimits.maximumBytes` is refused.
    case none
    /// As small as possible while the (upright) picture stays at least `width` x `height`,
    /// then smaller still if that is what it takes to stay within `maximumBytes`.
    case toAtLeast(width: Int, height: Int)
    /// The smallest the format allows: checking that a file decodes (every byte of it is
    /// still read and checked) without paying for its pixels.
    case most
}
