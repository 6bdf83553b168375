import Foundation  // pow (libm)

/// The sRGB transfer function as tables: 8-bit sRGB to linear light (0...1) and back.
/// Scaling and compositing mix linear light, so that a thin bright line scaled down or a
/// half-transparent edge keeps its brightness (mixing sRGB values darkens them).
enum LinearLight {
    /// Linear light of each 8-bit sRGB value (IEC 61966-2-1).
    static let fromSRGB: [Float] = (0..<256).map { i in
        let c = Double(i) / 255
        return Float(c <= 0.04045 ? c / 12.92 : pow((c + 0.055) / 1.055, 2.4))
    }

    static let steps = 4096
    /// The nearest 8-bit sRGB value of each of `steps` linear levels (0...1).
    static let toSRGB: [UInt8] = (0..<steps).map { i in
        let l = Double(i) / Double(steps - 1)
        let c = l <= 0.0031308 ? l * 12.92 : 1.055 * pow(l, 1 / 2.4) - 0.055
        return UInt8(max(0, min(255, (c * 255).rounded())))
    }

    /// The sRGB byte of linear light `l` (clamped to 0...1).
    @inline(__always)
    static func encode(_ l: Float) -> UInt8 {
        let i = Int(l * Float(steps - 1) + 0.5)
        return toSRGB[i < 0 ? 0 : i >= steps ? steps - 1 : i]
    }

}
