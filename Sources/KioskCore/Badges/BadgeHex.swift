/// ASCII hex helpers shared by the badge decoders (internal: raw bytes stop here).
enum BadgeHex {
    /// The value of one ASCII hex digit (either case), or nil.
    static func nibble(_ byte: UInt8) -> UInt8? {
        switch byte {
        case UInt8(ascii: "0")...UInt8(ascii: "9"): byte - UInt8(ascii: "0")
        case UInt8(ascii: "A")...UInt8(ascii: "F"): byte - UInt8(ascii: "A") + 10
        case UInt8(ascii: "a")...UInt8(ascii: "f"): byte - UInt8(ascii: "a") + 10
        default: nil
        }
    }

    static func isDigit(_ byte: UInt8) -> Bool {
        (UInt8(ascii: "0")...UInt8(ascii: "9")).contains(byte)
    }

    /// Decodes pairs of ASCII hex digits into bytes; nil if any is not a hex digit or the count is odd.
    static func bytes(fromASCII ascii: some Collection<UInt8>) -> [UInt8]? {
        guard ascii.count % 2 == 0 else { return nil }
        var result: [UInt8] = []
        result.reserveCapacity(ascii.count / 2)
        var iterator = ascii.makeIterator()
        while let high = iterator.next(), let low = iterator.next() {
            guard let h = nibble(high), let l = nibble(low) else { return nil }
            result.append(h << 4 | l)
        }
        return result
    }

    /// Upper-case hex, two digits per byte, no separators: `[0xB0, 0x86]` -> `"B086"`.
    static func string(_ bytes: some Sequence<UInt8>) -> String {
        let digits = Array("0123456789ABCDEF".utf8)
        var out: [UInt8] = []
        for byte in bytes {
            out.append(digits[Int(byte >> 4)])
            out.append(digits[Int(byte & 0x0F)])
        }
        return String(decoding: out, as: UTF8.self)
    }

    /// XOR of all the bytes (the EM4100 reader checksum).
    static func xor(_ bytes: some Sequence<UInt8>) -> UInt8 {
        bytes.reduce(0, ^)
    }
}
