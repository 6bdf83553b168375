import Testing
import KioskCore
@testable import KioskDisplay

/// Copying changed areas of the canvas to a panel: turned by each rotation, partial
/// areas writing exactly what a full copy writes there and nothing else, 16-bit panels
/// dithered the same way whatever is copied with them, 24 and 32 bits exact.
@Suite struct PixelsPresentTests {
    /// A canvas where every pixel differs: its colour encodes its position.
    static func numbered(width: Int, height: Int) -> PixelCanvas {
        var canvas = PixelCanvas(width: width, height: height)
        for y in 0..<height { for x in 0..<width { canvas[x, y] = UInt32(y) << 12 | UInt32(x) } }
        return canvas
    }

    /// Where the picture's pixel (x, y) lands on the panel: the rule of `ScreenRotation`,
    /// written out corner by corner.
    static func panelPoint(x: Int, y: Int, width w: Int, height h: Int, rotation: ScreenRotation) -> (Int, Int) {
        switch rotation {
        case .upright: return (x, y)
        case .quarter: return (h - 1 - y, x)          // top-left → top-right
        case .half: return (w - 1 - x, h - 1 - y)
        case .threeQuarters: return (y, w - 1 - x)    // top-left → bottom-left
        }
    }

    static func read32(_ bytes: [UInt8], _ layout: PixelBufferLayout, _ x: Int, _ y: Int) -> UInt32 {
        let o = layout.byteOffset(x: x, y: y)
        return UInt32(bytes[o]) | UInt32(bytes[o + 1]) << 8 | UInt32(bytes[o + 2]) << 16
    }

    @Test(arguments: ScreenRotation.allCases)
    func eachRotationPutsEveryPixelWhereTheRuleSays(rotation: ScreenRotation) {
        let (pw, ph) = (7, 5)  // the panel
        let picture = rotation.pictureSize(panelWidth: pw, height: ph)
        let canvas = Self.numbered(width: picture.width, height: picture.height)
        let layout = PixelBufferLayout(format: .xrgb8888, width: pw, height: ph, lineLength: pw * 4 + 8)
        var panel = [UInt8](repeating: 0xEE, count: layout.lineLength * ph)
        canvas.present([canvas.bounds], into: &panel, layout: layout, rotation: rotation)
        for y in 0..<picture.height {
            for x in 0..<picture.width {
                let (px, py) = Self.panelPoint(x: x, y: y, width: picture.width, height: picture.height, rotation: rotation)
                #expect(Self.read32(panel, layout, px, py) == canvas[x, y], "\(rotation): (\(x), \(y)) → (\(px), \(py))")
            }
        }
        // Row padding untouched.
        for y in 0..<ph { #expect(panel[(y * layout.lineLength + pw * 4)..<((y + 1) * layout.lineLength)].allSatisfy { $0 == 0xEE }) }
        #expect(PixelCanvas.fromPanel(panel, layout: layout, rotation: rotation) == canvas)
    }

    @Test(arguments: ScreenRotation.allCases)
    func aPartialCopyWritesItsAreaOnlyAndAsAFullCopyDoes(rotation: ScreenRotation) {
        let (pw, ph) = (40, 24)
        let picture = rotation.pictureSize(panelWidth: pw, height: ph)
        let canvas = Self.numbered(width: picture.width, height: picture.height)
        for format in [PixelFormat.xrgb8888, .rgb888, .rgb565, .bgr565] {
            let layout = PixelBufferLayout(format: format, width: pw, height: ph, lineLength: pw * format.bytesPerPixel + 6, xOffset: 0, yOffset: 1)
            let size = layout.lineLength * (ph + 2)
            var full = [UInt8](repeating: 0, count: size)
            canvas.present([canvas.bounds], into: &full, layout: layout, rotation: rotation)
            let rects = [PixelRect(x: 3, y: 2, width: 5, height: 4), PixelRect(x: picture.width - 6, y: picture.height - 3, width: 9, height: 9)]
            var partial = [UInt8](repeating: 0x5A, count: size)
            canvas.present(rects, into: &partial, layout: layout, rotation: rotation)
            let bpp = format.bytesPerPixel
            let panelAreas = rects.map { PixelCanvas.panelRect($0.intersection(canvas.bounds), pictureWidth: picture.width, pictureHeight: picture.height, rotation: rotation) }
            for y in 0..<ph {
                for x in 0..<pw {
                    let o = layout.byteOffset(x: x, y: y)
                    let inside = panelAreas.contains { $0.contains(PixelRect(x: x, y: y, width: 1, height: 1)) }
                    let written = Array(partial[o..<(o + bpp)])
                    if inside {
                        #expect(written == Array(full[o..<(o + bpp)]), "\(format) \(rotation) (\(x), \(y))")
                    } else {
                        #expect(written.allSatisfy { $0 == 0x5A }, "\(format) \(rotation) (\(x), \(y)) written outside the areas")
                    }
                }
            }
        }
    }

    @Test func thirtyTwoAndTwentyFourBitsAreExact() {
        var canvas = PixelCanvas(width: 64, height: 32)
        var seed: UInt32 = 12345
        for y in 0..<32 { for x in 0..<64 { seed = seed &* 1103515245 &+ 12345; canvas[x, y] = seed & 0xFFFFFF } }
        for format in [PixelFormat.xrgb8888, .xbgr8888, .rgb888, .bgr888] {
            for rotation in ScreenRotation.allCases {
                let panelSize = rotation.pictureSize(panelWidth: 64, height: 32)  // a panel whose picture is the canvas
                let layout = PixelBufferLayout(format: format, width: panelSize.width, height: panelSize.height)
                var panel = [UInt8](repeating: 0, count: layout.requiredByteCount)
                canvas.present([canvas.bounds], into: &panel, layout: layout, rotation: rotation)
                #expect(PixelCanvas.fromPanel(panel, layout: layout, rotation: rotation) == canvas, "\(format) \(rotation)")
            }
        }
    }

    @Test func ditheringDependsOnThePanelPositionOnly() {
        // A gradient with antialiased-looking steps, copied whole, then in strips and
        // single pixels in another order: every pixel comes out the same.
        var canvas = PixelCanvas(width: 37, height: 23)
        for y in 0..<23 { for x in 0..<37 { canvas[x, y] = UInt32(x * 7 % 256) << 16 | UInt32(y * 11 % 256) << 8 | UInt32((x + y) * 5 % 256) } }
        for format in [PixelFormat.rgb565, .bgr565] {
            let layout = PixelBufferLayout(format: format, width: 37, height: 23)
            var whole = [UInt8](repeating: 0, count: layout.requiredByteCount)
            canvas.present([canvas.bounds], into: &whole, layout: layout, rotation: .upright)
            var pieces = [UInt8](repeating: 0, count: layout.requiredByteCount)
            // Strips from the bottom up (the first one hangs over the top edge: clipped).
            for y in stride(from: 20, through: -1, by: -3) { canvas.present([PixelRect(x: 0, y: y, width: 37, height: 3)], into: &pieces, layout: layout, rotation: .upright) }
            canvas.present([PixelRect(x: 5, y: 5, width: 1, height: 1), PixelRect(x: 30, y: 2, width: 2, height: 2)], into: &pieces, layout: layout, rotation: .upright)
            let same = pieces == whole  // a Bool: printing both buffers would drown the log
            #expect(same, "\(format)")
        }
    }

    @Test func ditheringKeepsFlatColoursAndAveragesTheRest() {
        // Every value of a channel, as a flat 4x4 block: the panel's levels stay flat; the
        // others average to within a sixteenth of a step, where truncation would be off by
        // up to a whole step (8 values for 5 bits).
        for value in 0..<256 {
            var canvas = PixelCanvas(width: 4, height: 4, color: PixelColor(red: UInt8(value), green: UInt8(value), blue: UInt8(value)))
            let layout = PixelBufferLayout(format: .rgb565, width: 4, height: 4)
            var panel = [UInt8](repeating: 0, count: layout.requiredByteCount)
            canvas.present([canvas.bounds], into: &panel, layout: layout, rotation: .upright)
            canvas = PixelCanvas.fromPanel(panel, layout: layout, rotation: .upright)
            let reds = canvas.pixels.map { Int($0 >> 16 & 0xFF) }, greens = canvas.pixels.map { Int($0 >> 8 & 0xFF) }
            let representable5 = (0..<32).contains { ($0 << 3 | $0 >> 2) == value }
            if representable5 { #expect(Set(reds) == [value], "red \(value) is a panel level: flat") }
            #expect(Set(reds).count <= 2 && Set(greens).count <= 2)
            let meanRed = Double(reds.reduce(0, +)) / 16, meanGreen = Double(greens.reduce(0, +)) / 16
            #expect(abs(meanRed - Double(value)) <= 8.5 / 16 + 0.5, "red \(value): mean \(meanRed)")
            #expect(abs(meanGreen - Double(value)) <= 4.1 / 16 + 0.5, "green \(value): mean \(meanGreen)")
        }
    }

    @Test func aGradientDoesNotBandOnSixteenBits() {
        // A dark gradient over 256 columns: truncated to 5 bits it would show 8 wide bands of
        // one colour; dithered, the mean of each 4x4 block follows the gradient closely.
        var canvas = PixelCanvas(width: 256, height: 4)
        for y in 0..<4 { for x in 0..<256 { canvas[x, y] = UInt32(x / 4) << 16 } }
        let layout = PixelBufferLayout(format: .rgb565, width: 256, height: 4)
        var panel = [UInt8](repeating: 0, count: layout.requiredByteCount)
        canvas.present([canvas.bounds], into: &panel, layout: layout, rotation: .upright)
        let shown = PixelCanvas.fromPanel(panel, layout: layout, rotation: .upright)
        var worst = 0.0
        for block in 0..<64 {
            var sum = 0
            for y in 0..<4 { for x in (block * 4)..<(block * 4 + 4) { sum += Int(shown[x, y] >> 16) } }
            worst = max(worst, abs(Double(sum) / 16 - Double(block)))
        }
        #expect(worst < 1.0, "worst block error \(worst)")
        var truncated = [UInt8](repeating: 0, count: layout.requiredByteCount)
        canvas.copy([canvas.bounds], into: &truncated, layout: layout)
        let flat = PixelCanvas.fromPanel(truncated, layout: layout, rotation: .upright)
        let truncationWorst = (0..<64).map { b in abs(Double(flat[b * 4, 0] >> 16) - Double(b)) }.max()!
        #expect(truncationWorst >= 3, "the truncating copy bands (worst \(truncationWorst))")
    }
}
