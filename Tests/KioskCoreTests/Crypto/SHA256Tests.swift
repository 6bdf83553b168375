import Foundation
import KioskTestSupport
import Testing

@testable import KioskCore

/// SHA-256 against the FIPS 180-4 / NIST CSRC example values.
@Suite("SHA-256")
struct SHA256Tests {
    static let examples: [(message: String, hex: String)] = [
        ("abc", "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad"),
        ("", "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855"),
        (
            "abcdbcdecdefdefgefghfghighijhijkijkljklmklmnlmnomnopnopq",
            "248d6a61d20638b8e5c026930c3e6039a33ce45964ff2167f6ecedd419db06c1"
        ),
        (
            "abcdefghbcdefghicdefghijdefghijkefghijklfghijklmghijklmnhijklmnoijklmnopjklmnopqklmnopqrlmnopqrsmnopqrstnopqrstu",
            "cf5b16a778af8380036ce59e7b0492370b249b11e8f07a51afac45037afee9d1"
        ),
    ]

    @Test("FIPS 180-4 one-block, empty, two-block and 896-bit examples", arguments: 0..<4)
    func fipsExamples(index: Int) {
        let (message, hex) = Self.examples[index]
        #expect(SHA256.hash(message).hex == hex)
    }

    @Test("one million 'a' fed in uneven chunks")
    func millionA() {
        var hasher = SHA256()
        let chunk = [UInt8](repeating: UInt8(ascii: "a"), count: 997)
        var left = 1_000_000
        while left > 0 {
            let n = min(left, chunk.count)
            hasher.update(chunk[0..<n])
            left -= n
        }
        #expect(hasher.finalize().hex == "cdc76e5c9914fb9281a1c7e284d73e67f1809a48a497200e046d39ccc7112cd0")
    }

    @Test("every split of the 448-bit message into two updates gives the same digest")
    func chunkedAcrossBoundaries() {
        let message = Array(Self.examples[3].message.utf8)  // 112 bytes: crosses a block boundary
        for split in 0...message.count {
            var hasher = SHA256()
            hasher.update(message[0..<split])
            hasher.update(message[split...])
            #expect(hasher.finalize().hex == Self.examples[3].hex, "split at \(split)")
        }
    }

    @Test("lengths around the padding boundary (55, 56, 63, 64, 65 bytes) agree with sha256sum")
    func paddingBoundaries() async throws {
        let tool = "/usr/bin/sha256sum"
        try #require(FileManager.default.isExecutableFile(atPath: tool))
        for length in [1, 55, 56, 57, 63, 64, 65, 119, 120, 128, 1000] {
            let bytes = (0..<length).map { UInt8(truncatingIfNeeded: $0 &* 31 &+ 7) }
            let text = try await runToEnd(tool, input: Data(bytes)).output
            let expected = String(text.prefix(64))
            #expect(SHA256.hash(bytes).hex == expected, "length \(length)")
        }
    }

    @Test("hex round trip and constant-time comparison")
    func digestComparison() throws {
        let a = SHA256.hash("abc")
        let parsed = try #require(SHA256Digest(hex: a.hex.uppercased()))
        #expect(parsed.constantTimeEquals(a))
        #expect(!SHA256.hash("abd").constantTimeEquals(a))
        var flipped = a.bytes
        flipped[31] ^= 1
        #expect(!SHA256Digest(bytes: flipped)!.constantTimeEquals(a))
        #expect(SHA256Digest(hex: "zz") == nil)
        #expect(SHA256Digest(hex: String(repeating: "g", count: 64)) == nil)
        #expect(!ConstantTime.equals([1, 2], [1, 2, 3]))
    }
}

@Suite("API tokens")
struct APITokenTests {
    @Test("generated tokens are distinct, prefixed, and verify against their stored digest")
    func generateAndVerify() throws {
        let a = APIToken.generate(), b = APIToken.generate()
        #expect(a != b)
        #expect(a.text.hasPrefix(APIToken.prefix))
        #expect(a.text.count == APIToken.prefix.count + 64)
        let stored = a.digest.description
        #expect(stored.hasPrefix("sha256:"))
        let parsed = try #require(TokenDigest(parsing: stored))
        #expect(parsed.matches(a.text))
        #expect(!parsed.matches(b.text))
        #expect(!parsed.matches(""))
    }

    @Test("the stored digest is the SHA-256 of the token text")
    func digestIsSHA256OfText() {
        let token = APIToken(text: "abc")
        #expect(token.digest.description == "sha256:ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad")
    }

    @Test("a seeded generator gives a reproducible token")
    func seeded() {
        struct Counter: RandomNumberGenerator {
            var n: UInt64 = 0
            mutating func next() -> UInt64 { n += 1; return n }
        }
        var g1 = Counter(), g2 = Counter()
        let t = APIToken.generate(using: &g1)
        #expect(t == APIToken.generate(using: &g2))
        // Little-endian bytes of 1, 2, 3, 4.
        #expect(t.text == "kiosk_" + "0100000000000000" + "0200000000000000" + "0300000000000000" + "0400000000000000")
    }

    @Test("malformed stored digests are refused", arguments: ["", "sha256:", "md5:" + String(repeating: "0", count: 32), "sha256:xyz", String(repeating: "a", count: 64)])
    func malformed(text: String) {
        #expect(TokenDigest(parsing: text) == nil)
    }
}
