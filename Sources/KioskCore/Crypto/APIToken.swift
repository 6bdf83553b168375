/// A bearer token for the staff HTTP API: 32 random bytes written as 64 hex digits with a
/// `kiosk_` prefix (so a token pasted in the wrong place is recognisable, and secret
/// scanners can match it).
///
/// The config never stores a token, only `TokenDigest` (`sha256:HEX`). The token itself is
/// shown once, by `kioskctl token new`.
public struct APIToken: Sendable, Hashable {
    /// The prefix every generated token starts with.
    public static let prefix = "kiosk_"
    /// Random bytes in a token (256 bits).
    public static let randomByteCount = 32

    /// The full token text, prefix included, as the client sends it after `Bearer `.
    public let text: String

    public init(text: String) {
        self.text = text
    }

    /// A fresh token from `generator` (by default the system's CSPRNG, which on Linux reads
    /// `getrandom(2)`, the same source as /dev/urandom).
    public static func generate<G: RandomNumberGenerator>(using generator: inout G) -> APIToken {
        var bytes: [UInt8] = []
        bytes.reserveCapacity(randomByteCount)
        while bytes.count < randomByteCount {
            let word = generator.next() as UInt64
            for shift in stride(from: 0, to: 64, by: 8) where bytes.count < randomByteCount {
                bytes.append(UInt8(truncatingIfNeeded: word >> UInt64(shift)))
            }
        }
        let hex = SHA256Digest(bytes: bytes)!.hex  // 32 bytes: same shape as a digest
        return APIToken(text: prefix + hex)
    }

    /// A fresh token from the system's CSPRNG.
    public static func generate() -> APIToken {
        var generator = SystemRandomNumberGenerator()
        return generate(using: &generator)
    }

    /// What the config stores for this token.
    public var digest: TokenDigest {
        TokenDigest(digest: SHA256.hash(text))
    }
}

/// The stored form of an API token: `sha256:` followed by 64 lowercase hex digits, the
/// SHA-256 of the token's UTF-8 text.
public struct TokenDigest: Sendable, Hashable, CustomStringConvertible {
    /// The scheme name written before the colon.
    public static let scheme = "sha256"

    public let digest: SHA256Digest

    public init(digest: SHA256Digest) {
        self.digest = digest
    }

    /// Reads `sha256:HEX` (scheme case-insensitive, hex either case); nil otherwise.
    public init?(parsing text: some StringProtocol) {
        let trimmed = text.trimmingSpaces
        guard let colon = trimmed.firstIndex(of: ":") else { return nil }
        guard trimmed[..<colon].lowercased() == Self.scheme else { return nil }
        guard let digest = SHA256Digest(hex: trimmed[trimmed.index(after: colon)...]) else { return nil }
        self.digest = digest
    }

    /// `sha256:HEX`, the config form.
    public var description: String { Self.scheme + ":" + digest.hex }

    /// True when `presented` (what a client sent) hashes to this digest; the comparison
    /// takes the same time wherever the digests differ.
    public func matches(_ presented: String) -> Bool {
        SHA256.hash(presented).constantTimeEquals(digest)
    }
}

extension StringProtocol {
    fileprivate var trimmingSpaces: Substring {
        var s = Substring(self)
        while let f = s.first, f == " " || f == "\t" { s.removeFirst() }
        while let l = s.last, l == " " || l == "\t" || l == "\r" || l == "\n" { s.removeLast() }
        return s
    }
}
