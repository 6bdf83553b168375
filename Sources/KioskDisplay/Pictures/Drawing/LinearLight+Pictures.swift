extension LinearLight {
    /// Linear light of each sRGB byte as a fraction (0...1): scaling and compositing of
    /// pictures mix in `Float`, on the same 12-bit levels as text.
    static let unitFromSRGB: [Float] = decode.map { Float($0) / Float(levels - 1) }

    /// The sRGB byte of linear light `l` (a fraction, clamped to 0...1).
    @inline(__always)
    static func sRGB(fromUnit l: Float) -> UInt8 {
        let i = Int(l * Float(levels - 1) + 0.5)
        return encode[i < 0 ? 0 : i >= levels ? levels - 1 : i]
    }
}
