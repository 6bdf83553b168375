/// Turns a PNG's inflated image data into pixels: undoes each row's filter (section 9)
/// in place, pass by pass for Adam7, and expands the samples to `0xAARRGGBB`.
struct PNGRowDecoder {
    let header: PNGHeader
    /// 256 entries (`0xAARRGGBB`) for palette images, alpha from `tRNS` applied.
    var palette: [UInt32]
    /// The `tRNS` key of grey and RGB images, in samples at the image's bit depth.
    var key: (Int, Int, Int)?

    init(header: PNGHeader, palette: [UInt32], paletteCount: Int, transparency: [UInt8]?) {
        self.header = header
        self.palette = palette
        guard let t = transparency else { return }
        switch header.colorType {
        case .palette:
            for (i, alpha) in t.prefix(paletteCount).enumerated() {
                self.palette[i] = self.palette[i] & 0x00FF_FFFF | UInt32(alpha) << 24
            }
        case .grey where t.count >= 2:
            let v = Int(t[0]) << 8 | Int(t[1])
            key = (v, v, v)
        case .rgb where t.count >= 6:
            key = (Int(t[0]) << 8 | Int(t[1]), Int(t[2]) << 8 | Int(t[3]), Int(t[4]) << 8 | Int(t[5]))
        default:
            break  // tRNS is not allowed with an alpha channel: ignored, as libpng does
        }
    }

    mutating func decode(_ raw: [UInt8]) throws -> Picture {
        var raw = raw
        let width = header.width, height = header.height
        var pixels = [UInt32](repeating: 0, count: width * height)
        let stride = header.filterStride
        try raw.withUnsafeMutableBufferPointer { data in
            try pixels.withUnsafeMutableBufferPointer { out in
                var offset = 0
                for pass in header.passes {
                    let (w, h) = header.size(of: pass)
                    guard w > 0, h > 0 else { continue }
                    let rowBytes = header.rowBytes(w)
                    var previous: Int?  // offset of the previous row's bytes in this pass
                    for row in 0..<h {
                        let filter = data[offset]
                        let start = offset + 1
                        try Self.unfilter(filter, data.baseAddress! + start, previous: previous.map { data.baseAddress! + $0 }, count: rowBytes, stride: stride)
                        expand(UnsafeBufferPointer(rebasing: data[start..<(start + rowBytes)]), pixels: w,
                               into: out.baseAddress! + (pass.y + row * pass.dy) * width + pass.x, step: pass.dx)
                        previous = start
                        offset = start + rowBytes
                    }
                }
            }
        }
        let opaque: Bool
        switch header.colorType {
        case .grey, .rgb: opaque = key == nil
        case .palette, .greyAlpha, .rgba: opaque = pixels.allSatisfy { $0 >= 0xFF00_0000 }
        }
        return Picture(width: width, height: height, pixels: pixels, isOpaque: opaque)
    }

    /// Undoes filter type `filter` on `count` bytes at `row`; `previous` is the row above in
    /// the same pass (nil on its first row: zeros).
    static func unfilter(_ filter: UInt8, _ row: UnsafeMutablePointer<UInt8>, previous: UnsafeMutablePointer<UInt8>?, count: Int, stride: Int) throws {
        switch filter {
        case 0: break
        case 1:
            if count > stride { for i in stride..<count { row[i] &+= row[i - stride] } }
        case 2:
            if let up = previous { for i in 0..<count { row[i] &+= up[i] } }
        case 3:
            if let up = previous {
                for i in 0..<min(stride, count) { row[i] &+= up[i] >> 1 }
                if count > stride { for i in stride..<count { row[i] &+= UInt8((Int(row[i - stride]) + Int(up[i])) >> 1) } }
            } else if count > stride {
                for i in stride..<count { row[i] &+= row[i - stride] >> 1 }
            }
        case 4:
            if let up = previous {
                for i in 0..<min(stride, count) { row[i] &+= up[i] }  // Paeth(0, b, 0) = b
                if count > stride {
                    for i in stride..<count {
                        let a = Int(row[i - stride]), b = Int(up[i]), c = Int(up[i - stride])
                        let p = a + b - c
                        let pa = abs(p - a), pb = abs(p - b), pc = abs(p - c)
                        row[i] &+= UInt8(pa <= pb && pa <= pc ? a : pb <= pc ? b : c)
                    }
                }
            } else if count > stride {
                for i in stride..<count { row[i] &+= row[i - stride] }  // Paeth(a, 0, 0) = a
            }
        default:
            throw PictureError(.png, .corrupt, "filter type \(filter)")
        }
    }

    /// Writes `pixels` pixels of one unfiltered row to `out`, `step` pixels apart.
    func expand(_ row: UnsafeBufferPointer<UInt8>, pixels count: Int, into out: UnsafeMutablePointer<UInt32>, step: Int) {
        let depth = header.bitDepth
        func opaque(_ r: UInt32, _ g: UInt32, _ b: UInt32) -> UInt32 { 0xFF00_0000 | r << 16 | g << 8 | b }
        switch (header.colorType, depth) {
        case (.rgb, 8):
            for i in 0..<count {
                let r = Int(row[3 * i]), g = Int(row[3 * i + 1]), b = Int(row[3 * i + 2])
                var v = opaque(UInt32(r), UInt32(g), UInt32(b))
                if let key, key == (r, g, b) { v &= 0x00FF_FFFF }
                out[i * step] = v
            }
        case (.rgba, 8):
            for i in 0..<count {
                out[i * step] = UInt32(row[4 * i + 3]) << 24 | UInt32(row[4 * i]) << 16 | UInt32(row[4 * i + 1]) << 8 | UInt32(row[4 * i + 2])
            }
        case (.rgb, _):
            for i in 0..<count {
                let r = Int(row[6 * i]) << 8 | Int(row[6 * i + 1]), g = Int(row[6 * i + 2]) << 8 | Int(row[6 * i + 3]), b = Int(row[6 * i + 4]) << 8 | Int(row[6 * i + 5])
                var v = opaque(UInt32(r >> 8), UInt32(g >> 8), UInt32(b >> 8))
                if let key, key == (r, g, b) { v &= 0x00FF_FFFF }
                out[i * step] = v
            }
        case (.rgba, _):
            for i in 0..<count {
                out[i * step] = UInt32(row[8 * i + 6]) << 24 | UInt32(row[8 * i]) << 16 | UInt32(row[8 * i + 2]) << 8 | UInt32(row[8 * i + 4])
            }
        case (.greyAlpha, 8):
            for i in 0..<count {
                let g = UInt32(row[2 * i])
                out[i * step] = UInt32(row[2 * i + 1]) << 24 | g << 16 | g << 8 | g
            }
        case (.greyAlpha, _):
            for i in 0..<count {
                let g = UInt32(row[4 * i])
                out[i * step] = UInt32(row[4 * i + 2]) << 24 | g << 16 | g << 8 | g
            }
        case (.grey, 16):
            for i in 0..<count {
                let v = Int(row[2 * i]) << 8 | Int(row[2 * i + 1])
                let g = UInt32(v >> 8)
                var p = opaque(g, g, g)
                if let key, key.0 == v { p &= 0x00FF_FFFF }
                out[i * step] = p
            }
        case (.grey, _):
            // 1, 2, 4 or 8 bits, scaled to 0...255 by repeating the bits (x255, x85, x17, x1).
            let scale = 255 / ((1 << depth) - 1), mask = (1 << depth) - 1
            for i in 0..<count {
                let bit = i * depth
                let v = Int(row[bit >> 3]) >> (8 - depth - bit & 7) & mask
                let g = UInt32(v * scale)
                var p = opaque(g, g, g)
                if let key, key.0 == v { p &= 0x00FF_FFFF }
                out[i * step] = p
            }
        case (.palette, _):
            let mask = (1 << depth) - 1
            palette.withUnsafeBufferPointer { entries in
                for i in 0..<count {
                    let bit = i * depth
                    out[i * step] = entries[Int(row[bit >> 3]) >> (8 - depth - bit & 7) & mask]
                }
            }
        }
    }
}
