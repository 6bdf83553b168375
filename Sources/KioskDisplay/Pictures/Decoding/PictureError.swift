/// Why a picture could not be decoded: the format, a kind a caller can act on, and a
/// sentence for the journal (English; the staff page says it in French from `kind`).
public struct PictureError: Error, Sendable, Equatable, CustomStringConvertible {
    public enum Kind: String, Sendable, Equatable {
        /// Neither a PNG nor a JPEG.
        case notAPicture
        /// The bytes end before the picture does.
        case truncated
        /// Bytes that break the format's rules (bad checksum, impossible header, bad code).
        case corrupt
        /// Valid, but a feature we do not decode (arithmetic coding, 12-bit JPEG, ...).
        case unsupported
        /// Larger than `PictureLimits` allow (side, decoded bytes, or a decompression bomb).
        case tooLarge
    }

    public var format: PictureFormat
    public var kind: Kind
    public var detail: String

    public init(_ format: PictureFormat, _ kind: Kind, _ detail: String) {
        self.format = format
        self.kind = kind
        self.detail = detail
    }

    public var description: String {
        switch kind {
        case .notAPicture: return "not a PNG or JPEG file"
        case .truncated: return "\(format.rawValue) truncated: \(detail)"
        case .corrupt: return "corrupt \(format.rawValue): \(detail)"
        case .unsupported: return "unsupported \(format.rawValue): \(detail)"
        case .tooLarge: return "\(format.rawValue) too large: \(detail)"
        }
    }
}
