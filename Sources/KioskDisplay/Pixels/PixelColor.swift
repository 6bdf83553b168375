/// A 24-bit sRGB colour, 8 bits per channel.
public struct PixelColor: Sendable, Hashable, CustomStringConvertible {
    public var red: UInt8
    public var green: UInt8
    public var blue: UInt8

    public init(red: UInt8, green: UInt8, blue: UInt8) {
        self.red = red
        self.green = green
        self.blue = blue
    }

    /// From `0xRRGGBB` (the upper byte is ignored).
    public init(rgb: UInt32) {
        self.init(red: UInt8(truncatingIfNeeded: rgb >> 16), green: UInt8(truncatingIfNeeded: rgb >> 8), blue: UInt8(truncatingIfNeeded: rgb))
    }

    /// From `#RRGGBB` (six hex digits, either case). Nil for anything else.
    public init?(hex: some StringProtocol) {
        guard hex.count == 7, hex.first == "#", let value = UInt32(hex.dropFirst(), radix: 16) else { return nil }
        self.init(rgb: value)
    }

    /// The colour as stored in a `PixelCanvas`: `0x00RRGGBB`.
    public var xrgb: UInt32 { UInt32(red) << 16 | UInt32(green) << 8 | UInt32(blue) }

    /// `#RRGGBB`, upper case.
    public var description: String {
        let digits = String(xrgb, radix: 16, uppercase: true)
        return "#" + String(repeating: "0", count: 6 - digits.count) + digits
    }

    public static let black = PixelColor(rgb: 0x000000)
    public static let white = PixelColor(rgb: 0xFFFFFF)
}
