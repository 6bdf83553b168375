/// Builders of the byte strings the tests feed, from the reference's own notation.
enum BadgeTestBytes {
    /// `"02 36 32"` -> `[0x02, 0x36, 0x32]`.
    static func hex(_ spaced: String) -> [UInt8] {
        spaced.split(separator: " ").map { UInt8($0, radix: 16)! }
    }

    /// `02`, the ASCII characters, `03`: how the reference writes RDM6300 frames.
    static func stxETX(_ ascii: String) -> [UInt8] {
        [0x02] + Array(ascii.utf8) + [0x03]
    }
}
