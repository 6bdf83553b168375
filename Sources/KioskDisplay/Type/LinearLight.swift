import Foundation

/// sRGB ↔ linear light, by table, for blending antialiased coverage: mixing in linear
/// light keeps the apparent weight of text the same on dark and on light backgrounds.
///
/// Linear values are 12-bit (0…4095): enough that every sRGB byte survives the round trip
/// (`encode[decode[v]] == v`, tested) and that dark tones keep their steps.
enum LinearLight {
    static let levels = 4096

    /// sRGB byte → linear (0…4095), IEC 61966-2-1's transfer function.
    static let decode: [UInt16] = (0..<256).map { value in
        let c = Double(value) / 255
        let linear = c <= 0.04045 ? c / 12.92 : pow((c + 0.055) / 1.055, 2.4)
        return UInt16((linear * Double(levels - 1)).rounded())
    }

    /// Linear (0…4095) → sRGB byte.
    static let encode: [UInt8] = (0..<levels).map { value in
        let linear = Double(value) / Double(levels - 1)
        let c = linear <= 0.0031308 ? linear * 12.92 : 1.055 * pow(linear, 1 / 2.4) - 0.055
        return UInt8(max(0, min(255, (c * 255).rounded())))
    }

    /// `foreground` over `background` (both `0x00RRGGBB`) at `coverage` (0…255), mixed in
    /// linear light.
    @inline(__always)
    static func blend(_ background: UInt32, foregroundLinear fg: (UInt16, UInt16, UInt16), coverage: UInt32,
                      decode: UnsafeBufferPointer<UInt16>, encode: UnsafeBufferPointer<UInt8>) -> UInt32 {
        @inline(__always) func mix(_ shift: UInt32, _ f: UInt16) -> UInt32 {
            let b = Int32(decode[Int((background >> shift) & 0xFF)])
            let value = b + (Int32(f) - b) * Int32(coverage) / 255
            return UInt32(encode[Int(value)]) << shift
        }
        return mix(16, fg.0) | mix(8, fg.1) | mix(0, fg.2)
    }
}
