import Testing
import KioskDisplay

@Suite("Pixel formats and copies to framebuffer memory")
struct PixelsFormatTests {
    /// The bytes of #123456 in each format, worked out by hand from the bitfields:
    /// 565: r = 0x12 >> 3 = 2, g = 0x34 >> 2 = 13, b = 0x56 >> 3 = 10.
    static let expected: [(PixelFormat, [UInt8])] = [
        (.xrgb8888, [0x56, 0x34, 0x12, 0xFF]),
        (.xbgr8888, [0x12, 0x34, 0x56, 0xFF]),
        (.rgb888, [0x56, 0x34, 0x12]),
        (.bgr888, [0x12, 0x34, 0x56]),
        (.rgb565, [0xAA, 0x11]),  // 2 << 11 | 13 << 5 | 10 = 0x11AA
        (.bgr565, [0xA2, 0x51]),  // 10 << 11 | 13 << 5 | 2 = 0x51A2
    ]

    @Test func formatFromBitsPerPixelAndOffsets() {
        func f(_ bpp: Int, _ r: (Int, Int), _ g: (Int, Int), _ b: (Int, Int)) -> PixelFormat? {
            PixelFormat(bitsPerPixel: bpp, red: PixelBitfield(offset: r.0, length: r.1),
                        green: PixelBitfield(offset: g.0, length: g.1), blue: PixelBitfield(offset: b.0, length: b.1))
        }
        #expect(f(16, (11, 5), (5, 6), (0, 5)) == .rgb565)  // Raspberry Pi default, many SPI panels
        #expect(f(16, (0, 5), (5, 6), (11, 5)) == .bgr565)
        #expect(f(24, (16, 8), (8, 8), (0, 8)) == .rgb888)  // vesafb / efifb in 24-bit modes
        #expect(f(24, (0, 8), (8, 8), (16, 8)) == .bgr888)
        #expect(f(32, (16, 8), (8, 8), (0, 8)) == .xrgb8888)  // efifb, simplefb, most KMS emulation
        #expect(f(32, (0, 8), (8, 8), (16, 8)) == .xbgr8888)
        #expect(f(32, (20, 10), (10, 10), (0, 10)) == nil)  // 30-bit colour
        #expect(f(8, (0, 8), (0, 8), (0, 8)) == nil)  // palette
        #expect(f(16, (10, 5), (5, 5), (0, 5)) == nil)  // RGB555
    }

    @Test(arguments: expected.map(\.0))
    func conversionWithPaddingAndOffsets(format: PixelFormat) {
        let bytes = Self.expected.first { $0.0 == format }!.1
        let bpp = bytes.count
        #expect(format.bytesPerPixel == bpp)
        var canvas = PixelCanvas(width: 3, height: 2, color: .black)
        canvas[1, 0] = 0x123456
        canvas[2, 1] = 0x123456
        // Rows padded by 5 bytes; the visible area starts at (1, 1) of the memory.
        let layout = PixelBufferLayout(format: format, width: 3, height: 2, lineLength: 4 * bpp + 5, xOffset: 1, yOffset: 1)
        var memory = [UInt8](repeating: 0xEE, count: layout.lineLength * 3)
        canvas.copy([canvas.bounds], into: &memory, layout: layout)

        func pixel(_ x: Int, _ y: Int) -> [UInt8] {
            let start = (y + 1) * layout.lineLength + (x + 1) * bpp
            return Array(memory[start..<(start + bpp)])
        }
        #expect(pixel(1, 0) == bytes)
        #expect(pixel(2, 1) == bytes)
        let black = format.bitsPerPixel == 32 ? [0, 0, 0, 0xFF] : [UInt8](repeating: 0, count: bpp)
        #expect(pixel(0, 0) == black)
        #expect(pixel(0, 1) == black)
        // Row 0 of memory (above yoffset), the column left of xoffset, and the padding stay.
        #expect(memory[0..<layout.lineLength].allSatisfy { $0 == 0xEE })
        for y in 1...2 {
            let row = y * layout.lineLength
            #expect(memory[row..<(row + bpp)].allSatisfy { $0 == 0xEE })
            #expect(memory[(row + 4 * bpp)..<(row + layout.lineLength)].allSatisfy { $0 == 0xEE })
        }
    }

    @Test func onlyTheGivenRectanglesAreCopied() {
        var canvas = PixelCanvas(width: 8, height: 6, color: PixelColor(rgb: 0x0000FF))
        canvas.fill(PixelRect(x: 0, y: 0, width: 8, height: 6), PixelColor(rgb: 0xFF0000))
        let layout = PixelBufferLayout(format: .xrgb8888, width: 8, height: 6, lineLength: 8 * 4 + 8)
        var memory = [UInt8](repeating: 0, count: layout.lineLength * 6)
        let dirty = [PixelRect(x: 2, y: 1, width: 3, height: 2), PixelRect(x: 6, y: 5, width: 5, height: 5)]
        canvas.copy(dirty, into: &memory, layout: layout)
        for y in 0..<6 {
            for x in 0..<8 {
                let o = y * layout.lineLength + x * 4
                let inside = dirty.contains { $0.intersection(PixelRect(x: x, y: y, width: 1, height: 1)).area == 1 }
                #expect(Array(memory[o..<(o + 4)]) == (inside ? [0, 0, 0xFF, 0xFF] : [0, 0, 0, 0]), "pixel \(x),\(y)")
            }
        }
    }

    @Test func aTooSmallDestinationIsNotOverrun() {
        let canvas = PixelCanvas(width: 4, height: 4, color: .white)
        let layout = PixelBufferLayout(format: .rgb565, width: 4, height: 4)
        #expect(layout.requiredByteCount == 32)
        var memory = [UInt8](repeating: 0, count: 20)  // two and a half rows
        canvas.copy([canvas.bounds], into: &memory, layout: layout)
        #expect(memory[0..<16].allSatisfy { $0 == 0xFF })
        #expect(memory[16..<20].allSatisfy { $0 == 0 })
    }

    @Test func colours() {
        #expect(PixelColor(hex: "#1c1C1c") == PixelColor(red: 0x1C, green: 0x1C, blue: 0x1C))
        #expect(PixelColor(hex: "1C1C1C") == nil)
        #expect(PixelColor(hex: "#1C1C1") == nil)
        #expect(PixelColor(hex: "#GGGGGG") == nil)
        #expect(PixelColor(rgb: 0x00A0FF).description == "#00A0FF")
    }
}
