/// A 32-byte SHA-256 digest, shown as 64 lowercase hex digits.
///
/// `==` compares every byte (a Hashable convenience); use `constantTimeEquals` wherever one
/// side is a secret or derived from one, so that the time taken does not reveal how many
/// leading bytes matched.
public struct SHA256Digest: Sendable, Hashable, CustomStringConvertible {
    /// Exactly 32 bytes.
    public let bytes: [UInt8]

    /// Nil unless `bytes` holds exactly 32 bytes.
    public init?(bytes: [UInt8]) {
        guard bytes.count == SHA256.digestByteCount else { return nil }
        self.bytes = bytes
    }

    /// Reads 64 hex digits (either case); nil for anything else.
    public init?(hex: some StringProtocol) {
        let utf8 = Array(hex.utf8)
        guard utf8.count == SHA256.digestByteCount * 2 else { return nil }
        var out: [UInt8] = []
        out.reserveCapacity(SHA256.digestByteCount)
        var i = 0
        while i < utf8.count {
            guard let high = Self.nibble(utf8[i]), let low = Self.nibble(utf8[i + 1]) else { return nil }
            out.append(high << 4 | low)
            i += 2
        }
        self.bytes = out
    }

    /// 64 lowercase hex digits.
    public var hex: String {
        let digits = Array("0123456789abcdef".utf8)
        var out: [UInt8] = []
        out.reserveCapacity(bytes.count * 2)
        for b in bytes {
            out.append(digits[Int(b >> 4)])
            out.append(digits[Int(b & 0x0f)])
        }
        return String(decoding: out, as: UTF8.self)
    }

    public var description: String { hex }

    /// True when both digests are equal, in time independent of where they differ.
    public func constantTimeEquals(_ other: SHA256Digest) -> Bool {
        ConstantTime.equals(bytes, other.bytes)
    }

    private static func nibble(_ c: UInt8) -> UInt8? {
        switch c {
        case UInt8(ascii: "0")...UInt8(ascii: "9"): return c - UInt8(ascii: "0")
        case UInt8(ascii: "a")...UInt8(ascii: "f"): return c - UInt8(ascii: "a") + 10
        case UInt8(ascii: "A")...UInt8(ascii: "F"): return c - UInt8(ascii: "A") + 10
        default: return nil
        }
    }
}

/// Comparisons whose running time does not depend on the contents compared.
public enum ConstantTime {
    /// True when `a` and `b` hold the same bytes. Every byte pair is visited whatever the
    /// first difference; only the lengths (public for digests) may end it early.
    public static func equals(_ a: [UInt8], _ b: [UInt8]) -> Bool {
        guard a.count == b.count else { return false }
        var difference: UInt8 = 0
        for i in 0..<a.count {
            difference |= a[i] ^ b[i]
        }
        return difference == 0
    }
}
