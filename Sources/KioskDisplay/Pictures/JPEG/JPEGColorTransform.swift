/// How a JPEG's components map to colour, from the number of components and the Adobe
/// `APP14` segment's transform flag (as libjpeg decides it).
enum JPEGColorTransform: Sendable, Equatable {
    case grey
    /// JFIF's YCbCr (three components without an Adobe segment saying otherwise).
    case yCbCr
    /// Three components stored as RGB (Adobe transform 0).
    case rgb
    /// Four components, CMYK; `inverted` when written by Adobe software (an APP14 segment),
    /// which stores 255 - ink.
    case cmyk(inverted: Bool)
    /// Four components, YCbCr of the inverted CMY plus K (Adobe transform 2).
    case yCCK

    init(components: Int, adobeTransform: Int?) throws {
        switch (components, adobeTransform) {
        case (1, _): self = .grey
        case (3, 0): self = .rgb
        case (3, _): self = .yCbCr
        case (4, 2): self = .yCCK
        case (4, let t): self = .cmyk(inverted: t != nil)
        default: throw PictureError(.jpeg, .unsupported, "\(components) colour components")
        }
    }
}

/// Fixed-point YCbCr to RGB as JFIF defines it, with 16-bit constants (libjpeg's tables).
enum JPEGYCbCr {
    static let crToR: [Int] = (0..<256).map { (91881 * ($0 - 128) + 32768) >> 16 }
    static let cbToB: [Int] = (0..<256).map { (116130 * ($0 - 128) + 32768) >> 16 }
    static let cbToG: [Int] = (0..<256).map { -22554 * ($0 - 128) }
    static let crToG: [Int] = (0..<256).map { -46802 * ($0 - 128) + 32768 }

    @inline(__always)
    static func clamp(_ v: Int) -> UInt32 { UInt32(truncatingIfNeeded: v < 0 ? 0 : v > 255 ? 255 : v) }
}
