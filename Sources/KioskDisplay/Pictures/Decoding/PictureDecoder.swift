/// Decodes a PNG or a JPEG (throwing only `PictureError`), chosen by the file's signature (never by a name or a MIME type).
///
/// A pure function of bytes: limits are checked against the header before allocating,
/// every failure is a `PictureError` with a reason, and the JPEG's EXIF orientation is
/// applied so that the picture comes out upright.
public enum PictureDecoder {
    /// `reduction` lets a JPEG be decoded smaller (DCT scaling); a PNG always comes whole.
    public static func decode(_ bytes: [UInt8], limits: PictureLimits = .standard, reduction: PictureReduction = .none) throws -> Picture {
        switch PictureFormat(sniffing: bytes) {
        case .png: return try PNGDecoder.decode(bytes, limits: limits)
        case .jpeg: return try JPEGDecoder.decode(bytes, limits: limits, reduction: reduction)
        case .unknown: throw PictureError(.unknown, .notAPicture, "unknown signature")
        }
    }
}
