import Foundation
import Testing
@testable import KioskDisplay

@Suite("zlib inflate")
struct InflaterTests {
    /// zlib.compress(..., Z_FIXED) of "Le Mixeur, tiers-lieu des industries creatives. " x 20
    /// (Python's zlib): one fixed-Huffman block.
    static let fixed = "eAHzSVXwzaxILS3SUSjJTC0q1s3JTC1VSEktVsjMSyktLinKBDKTi1ITSzLLUov1FHxG1Y+qH1U/aNQDAKIxX6A="
    static let fixedText = Array(String(repeating: "Le Mixeur, tiers-lieu des industries creatives. ", count: 20).utf8)
    /// zlib.compress(text, 9) of `dynamicText`: one dynamic-Huffman block.
    static let dynamic = "eNrt0rcRg0AUANGWDu+9Fx4OQf+ViHBLUPDTnXnZKi9tptPws3bWZlx99sdN6vFQXtqvXzsqh+123qzNIO+WywqLN5MEJA3JTmKT5CQTyUMSkXQkJ4lLUpIsJAZJQjKQXCQ+SU2ykVgkGclIcpOEJC3JQeKQFCQziSKJSXoSTeKRVCSrkilkCplCppApZAqZQqaQKf5tih9swB0H"
    static let dynamicText: [UInt8] = (0..<3000).map { (i: Int) -> UInt8 in
        let value: Int = (i * 7 + (i / 13) * 3) % 41 + 48
        return UInt8(value)
    }

    static func bytes(_ base64: String) -> [UInt8] { [UInt8](Data(base64Encoded: base64)!) }

    @Test func fixedAndDynamicBlocksFromZlib() throws {
        let fixed = Self.bytes(Self.fixed)
        #expect(fixed[2] & 0x07 == 0x03, "BFINAL and BTYPE 01: a fixed block")
        #expect(try Inflater.zlib(fixed, capacity: 4096) == Self.fixedText)
        let dynamic = Self.bytes(Self.dynamic)
        #expect((dynamic[2] >> 1) & 0x03 == 2, "BTYPE 10: a dynamic block")
        #expect(try Inflater.zlib(dynamic, capacity: Self.dynamicText.count, exact: true) == Self.dynamicText)
    }

    @Test func storedBlocksFromOurEncoder() throws {
        // More than one stored block (65535 bytes each), and an empty stream.
        let data: [UInt8] = (0..<150_000).map { (i: Int) -> UInt8 in UInt8(truncatingIfNeeded: (i &* 31) >> 3) }
        #expect(try Inflater.zlib(PNGEncoder.zlibStored(data), capacity: data.count, exact: true) == data)
        #expect(try Inflater.zlib(PNGEncoder.zlibStored([]), capacity: 0, exact: true) == [])
    }

    func error(_ input: [UInt8], capacity: Int, exact: Bool = false) -> PictureError? {
        thrownPictureError { _ = try Inflater.zlib(input, capacity: capacity, exact: exact) }
    }

    @Test func aStreamThatInflatesPastItsBufferIsRefused() {
        // 1 MB of zeros compresses to about 1 KB: with a 1000-byte buffer it is a bomb.
        let zeros = PNGEncoder.zlibStored([UInt8](repeating: 0, count: 1_000))
        #expect(error(zeros, capacity: 999)?.kind == .tooLarge)
        #expect(error(Self.bytes(Self.dynamic), capacity: 2999)?.kind == .tooLarge)
        #expect(error(Self.bytes(Self.fixed), capacity: 100)?.kind == .tooLarge)
        // Fewer bytes than an exact buffer wants.
        #expect(error(Self.bytes(Self.fixed), capacity: Self.fixedText.count + 1, exact: true)?.kind == .truncated)
    }

    @Test func truncatedAtEveryByteIsAnErrorNeverACrash() {
        for stream in [Self.bytes(Self.fixed), Self.bytes(Self.dynamic), PNGEncoder.zlibStored(Array(repeating: 7, count: 300))] {
            for end in 0..<stream.count {
                let kind = error(Array(stream[..<end]), capacity: 4096)?.kind
                #expect(kind == .truncated || kind == .corrupt, "cut at \(end) of \(stream.count): \(String(describing: kind))")
            }
        }
    }

    @Test func corruptStreams() {
        var stream = Self.bytes(Self.dynamic)
        stream[stream.count - 1] ^= 1
        #expect(error(stream, capacity: 4096)?.detail.contains("Adler-32") == true)
        #expect(error([0x78, 0x9C ^ 1, 0x03, 0x00], capacity: 16)?.detail.contains("check bits") == true)
        #expect(error([0x79, 0x9C, 0x03, 0x00], capacity: 16)?.kind == .corrupt)   // CM 9
        #expect(error([0x78, 0xBB, 0, 0, 0, 0, 0], capacity: 16)?.kind == .unsupported)  // FDICT
        // Block type 3.
        #expect(error([0x78, 0x9C, 0x07, 0, 0, 0, 0], capacity: 16)?.detail.contains("type 3") == true)
        // A stored block whose length and complement disagree.
        #expect(error([0x78, 0x01, 0x01, 0x05, 0x00, 0xFA, 0xFE, 1, 2, 3, 4, 5, 0, 0, 0, 0], capacity: 16)?.kind == .corrupt)
        // Fixed block: literal 'a' then a match at distance 2 with only one byte before it.
        // Bits (LSB first): 1 (final), 10 (fixed), 'a' = 0x91 as 8 bits 10010001, length
        // code 257 = 0000001 (7 bits), distance code 1 = 00001 (5 bits).
        var bits: [Int] = [1, 1, 0]
        bits += [1, 0, 0, 1, 0, 0, 0, 1]
        bits += [0, 0, 0, 0, 0, 0, 1]
        bits += [0, 0, 0, 0, 1]
        bits += [0, 0, 0, 0, 0, 0, 0]  // end of block
        var packed = [UInt8](repeating: 0, count: (bits.count + 7) / 8)
        for (i, b) in bits.enumerated() where b == 1 { packed[i / 8] |= 1 << (i % 8) }
        #expect(error([0x78, 0x01] + packed + [0, 0, 0, 0], capacity: 16)?.detail.contains("before the start") == true)
    }
}
