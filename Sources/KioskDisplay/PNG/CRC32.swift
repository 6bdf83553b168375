/// CRC-32 as PNG (ISO/IEC 15948 annex D), zlib and Ethernet use it: polynomial 0x04C11DB7
/// reflected (0xEDB88320), initial value and final XOR 0xFFFFFFFF. Check value:
/// "123456789" gives 0xCBF43926.
public struct CRC32: Sendable {
    public private(set) var value: UInt32 = 0

    public init() {}

    /// The CRC of `bytes` in one go.
    public static func checksum(_ bytes: some Sequence<UInt8>) -> UInt32 {
        var crc = CRC32()
        crc.update(bytes)
        return crc.value
    }

    /// Continues the CRC over more bytes.
    public mutating func update(_ bytes: some Sequence<UInt8>) {
        var c = ~value
        for byte in bytes {
            c = Self.table[Int((c ^ UInt32(byte)) & 0xFF)] ^ (c >> 8)
        }
        value = ~c
    }

    static let table: [UInt32] = (0..<256).map { n in
        var c = UInt32(n)
        for _ in 0..<8 { c = c & 1 != 0 ? 0xEDB8_8320 ^ (c >> 1) : c >> 1 }
        return c
    }
}

/// Adler-32 (RFC 1950 section 8.2), the checksum that ends a zlib stream. Check value:
/// "123456789" gives 0x091E01DE.
public struct Adler32: Sendable {
    private var a: UInt32 = 1
    private var b: UInt32 = 0

    public init() {}

    public var value: UInt32 { b << 16 | a }

    public static func checksum(_ bytes: some Sequence<UInt8>) -> UInt32 {
        var adler = Adler32()
        adler.update(bytes)
        return adler.value
    }

    public mutating func update(_ bytes: some Sequence<UInt8>) {
        // 5552 is the most bytes before b can overflow 32 bits (zlib's NMAX).
        var pending = 0
        for byte in bytes {
            a &+= UInt32(byte)
            b &+= a
            pending += 1
            if pending == 5552 {
                a %= 65521
                b %= 65521
                pending = 0
            }
        }
        a %= 65521
        b %= 65521
    }
}
