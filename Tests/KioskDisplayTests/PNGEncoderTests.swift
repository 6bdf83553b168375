import Foundation
import KioskTestSupport
import Testing
import KioskDisplay

@Suite("PNG writer, CRC-32 and Adler-32")
struct PNGEncoderTests {
    @Test func checkValues() {
        // The standard check values for the nine ASCII digits.
        let digits = Array("123456789".utf8)
        #expect(CRC32.checksum(digits) == 0xCBF4_3926)
        #expect(Adler32.checksum(digits) == 0x091E_01DE)
        // RFC 1950: Adler-32 of no data is 1.
        #expect(Adler32.checksum([UInt8]()) == 1)
        // Incremental updates give the same values.
        var crc = CRC32()
        crc.update(digits[0..<4])
        crc.update(digits[4...])
        #expect(crc.value == 0xCBF4_3926)
        // Wikipedia's example: Adler-32 of "Wikipedia" is 0x11E60398.
        #expect(Adler32.checksum(Array("Wikipedia".utf8)) == 0x11E6_0398)
        // Long input crosses the modulo reduction (a = 1 + 255 * n, b = sum of a).
        let n = 100_000
        let ones = [UInt8](repeating: 0xFF, count: n)
        let a = (1 + 255 * n) % 65521
        let b = (n + 255 * (n * (n + 1) / 2)) % 65521
        #expect(Adler32.checksum(ones) == UInt32(b << 16 | a))
    }

    /// Chunks of a PNG file: (type, data), checking each CRC.
    func chunks(_ png: [UInt8]) throws -> [(String, [UInt8])] {
        try #require(Array(png.prefix(8)) == PNGEncoder.signature)
        var result: [(String, [UInt8])] = []
        var i = 8
        func u32(_ at: Int) -> Int { Int(png[at]) << 24 | Int(png[at + 1]) << 16 | Int(png[at + 2]) << 8 | Int(png[at + 3]) }
        while i < png.count {
            let length = u32(i)
            let type = String(decoding: png[(i + 4)..<(i + 8)], as: UTF8.self)
            let data = Array(png[(i + 8)..<(i + 8 + length)])
            #expect(UInt32(u32(i + 8 + length)) == CRC32.checksum(png[(i + 4)..<(i + 8 + length)]), "CRC of \(type)")
            result.append((type, data))
            i += 12 + length
        }
        return result
    }

    /// Reads back a zlib stream of stored blocks.
    func inflateStored(_ stream: [UInt8]) throws -> [UInt8] {
        try #require(stream.count >= 6)
        #expect((Int(stream[0]) * 256 + Int(stream[1])) % 31 == 0)
        var out: [UInt8] = []
        var i = 2
        while true {
            let header = stream[i]
            #expect(header & 0x06 == 0, "not a stored block")
            let len = Int(stream[i + 1]) | Int(stream[i + 2]) << 8
            let nlen = Int(stream[i + 3]) | Int(stream[i + 4]) << 8
            #expect(len ^ nlen == 0xFFFF)
            #expect(len <= 65535)
            out += stream[(i + 5)..<(i + 5 + len)]
            i += 5 + len
            if header & 1 == 1 { break }
        }
        let adler = UInt32(stream[i]) << 24 | UInt32(stream[i + 1]) << 16 | UInt32(stream[i + 2]) << 8 | UInt32(stream[i + 3])
        #expect(adler == Adler32.checksum(out))
        #expect(i + 4 == stream.count)
        return out
    }

    @Test func structureAndPixelsReadBack() throws {
        // 200 x 120 RGB is 72,120 bytes of image data: two stored blocks.
        var canvas = PixelCanvas(width: 200, height: 120, color: PixelColor(rgb: 0x102030))
        canvas.fill(PixelRect(x: 10, y: 20, width: 30, height: 40), PixelColor(rgb: 0xFF8000))
        let png = PNGEncoder.encode(canvas)
        let parts = try chunks(png)
        #expect(parts.map(\.0) == ["IHDR", "IDAT", "IEND"])
        #expect(parts[0].1 == [0, 0, 0, 200, 0, 0, 0, 120, 8, 2, 0, 0, 0])
        let raw = try inflateStored(parts[1].1)
        #expect(raw.count == 120 * (1 + 200 * 3))
        for y in [0, 25, 119] {
            let row = y * 601
            #expect(raw[row] == 0)
            for x in [0, 15, 199] {
                let p = row + 1 + 3 * x
                let inside = x >= 10 && x < 40 && y >= 20 && y < 60
                #expect(Array(raw[p..<(p + 3)]) == (inside ? [0xFF, 0x80, 0x00] : [0x10, 0x20, 0x30]))
            }
        }
    }

    @Test func zlibStreamBoundaries() throws {
        #expect(try inflateStored(PNGEncoder.zlibStored([])) == [])
        let exact = [UInt8](repeating: 7, count: 65535)
        #expect(try inflateStored(PNGEncoder.zlibStored(exact)) == exact)
        #expect(PNGEncoder.zlibStored(exact).count == 2 + 5 + 65535 + 4)
        let more = (0..<140_000).map { UInt8(truncatingIfNeeded: $0 * 7) }
        #expect(try inflateStored(PNGEncoder.zlibStored(more)) == more)
    }

    static let python = ["/usr/bin/python3", "/usr/local/bin/python3"].first { FileManager.default.isExecutableFile(atPath: $0) }

    /// An independent reader: Python's zlib checks the stream and Adler-32, binascii the CRCs.
    @Test(.enabled(if: python != nil, "needs python3"))
    func pythonZlibDecodesIt() async throws {
        var canvas = PixelCanvas(width: 300, height: 250, color: PixelColor(rgb: 0x1C1C1C))
        canvas.fill(PixelRect(x: 0, y: 0, width: 300, height: 20), PixelColor(rgb: 0x005F87))
        let file = FileManager.default.temporaryDirectory.appendingPathComponent("kiosk-png-\(getpid()).png")
        try Data(PNGEncoder.encode(canvas)).write(to: file)
        defer { try? FileManager.default.removeItem(at: file) }
        let script = """
        import struct, sys, zlib
        d = open(sys.argv[1], 'rb').read()
        assert d[:8] == b'\\x89PNG\\r\\n\\x1a\\n'
        i, idat = 8, b''
        while i < len(d):
            n, = struct.unpack('>I', d[i:i+4]); t = d[i+4:i+8]; body = d[i+8:i+8+n]
            crc, = struct.unpack('>I', d[i+8+n:i+12+n])
            assert zlib.crc32(t + body) == crc, t
            if t == b'IHDR': w, h = struct.unpack('>II', body[:8])
            if t == b'IDAT': idat += body
            i += 12 + n
        raw = zlib.decompress(idat)
        assert len(raw) == h * (1 + 3 * w)
        print(w, h, raw[1:4].hex(), raw[(30 * (1 + 3 * w)) + 1:(30 * (1 + 3 * w)) + 4].hex())
        """
        let (status, output) = try await runToEnd(Self.python!, ["-c", script, file.path])
        #expect(status == 0)
        #expect(output.trimmingCharacters(in: .whitespacesAndNewlines) == "300 250 005f87 1c1c1c")
    }
}
