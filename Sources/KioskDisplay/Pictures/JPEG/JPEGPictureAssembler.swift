/// Turns a decoded frame's sample planes (one per component, at the decoding scale) into a
/// `Picture`: chroma upsampling to the luma's size, colour conversion.
///
/// Upsampling is libjpeg's "fancy" (triangle) filter for the common factors: 2x1 (4:2:2)
/// weights the nearer sample 3/4 and the farther 1/4, 1x2 (4:4:0) the same vertically, 2x2
/// (4:2:0) both (9/16, 3/16, 3/16, 1/16); samples are centred between their full-size
/// pixels. Other integral factors (4:1:1...) replicate samples. Edges repeat the last
/// real sample.
struct JPEGPictureAssembler {
    /// A frame whose planes are whole (`JPEGFrame.completePlanes`).
    var frame: JPEGFrame
    var transform: JPEGColorTransform
    /// The four YCbCr tables one after the other, fetched once per picture.
    let ycc: [Int] = JPEGYCbCr.crToR + JPEGYCbCr.cbToB + JPEGYCbCr.cbToG + JPEGYCbCr.crToG

    /// One component's samples at the decoding scale: `stride` bytes a row.
    struct Plane {
        var samples: [UInt8]
        var stride: Int
        var width: Int, height: Int
        /// The upsampling left to do across and down (`JPEGFrame.Component.hUp`, `vUp`).
        var hUp: Int, vUp: Int
    }

    /// The picture at the frame's scale; the planes are freed as it is made.
    mutating func assemble() -> Picture {
        var planes: [Plane] = []
        for (i, c) in frame.components.enumerated() {
            planes.append(Plane(samples: frame.planes[i], stride: frame.planeStride(i), width: (c.sampleWidth + c.scaleAcross - 1) / c.scaleAcross,
                                height: (c.sampleHeight + c.scaleDown - 1) / c.scaleDown, hUp: c.hUp, vUp: c.vUp))
        }
        frame.planes = []
        let width = frame.outputWidth, height = frame.outputHeight
        var pixels = [UInt32](repeating: 0, count: width * height)
        let hMax = frame.hMax, vMax = frame.vMax
        var rows = planes.map { _ in [UInt8](repeating: 0, count: width + 2 * hMax) }
        var columnSums = [Int](repeating: 0, count: width + 2)
        pixels.withUnsafeMutableBufferPointer { out in
            for y in 0..<height {
                for (i, plane) in planes.enumerated() {
                    upsampleRow(plane, y: y, hFactor: plane.hUp, vFactor: plane.vUp, into: &rows[i], sums: &columnSums)
                }
                convert(rows, into: out.baseAddress! + y * width, count: width)
            }
        }
        return Picture(width: width, height: height, pixels: pixels, isOpaque: true)
    }

    /// The full-size samples of output row `y` from `plane`, in `row` (at least the image
    /// width, plus room for a rounded-up last pair).
    private func upsampleRow(_ plane: Plane, y: Int, hFactor: Int, vFactor: Int, into row: inout [UInt8], sums: inout [Int]) {
        let w = plane.width
        plane.samples.withUnsafeBufferPointer { s in
            row.withUnsafeMutableBufferPointer { out in
                let sy = y / vFactor
                let here = s.baseAddress! + sy * plane.stride
                switch (hFactor, vFactor) {
                case (1, 1):
                    out.baseAddress!.update(from: here, count: w)
                case (2, 1):
                    Self.fancyAcross(here, w, out.baseAddress!)
                case (1, 2), (2, 2):
                    // The nearer neighbouring row: above for the upper output row, below for the lower.
                    let upper = y % 2 == 0
                    let ny = upper ? max(sy - 1, 0) : min(sy + 1, plane.height - 1)
                    let near = s.baseAddress! + ny * plane.stride
                    if hFactor == 1 {
                        let bias = upper ? 1 : 2
                        for x in 0..<w { out[x] = UInt8(truncatingIfNeeded: (3 * Int(here[x]) + Int(near[x]) + bias) >> 2) }
                    } else {
                        sums.withUnsafeMutableBufferPointer { sum in
                            for x in 0..<w { sum[x] = 3 * Int(here[x]) + Int(near[x]) }
                            Self.fancyAcrossSums(sum.baseAddress!, w, out.baseAddress!)
                        }
                    }
                default:
                    for x in 0..<(w * hFactor) { out[x] = here[x / hFactor] }
                }
            }
        }
    }

    /// 2x horizontal triangle filter: each sample gives two pixels, 3/4 itself and 1/4 its
    /// neighbour on that side.
    private static func fancyAcross(_ s: UnsafePointer<UInt8>, _ w: Int, _ out: UnsafeMutablePointer<UInt8>) {
        if w == 1 {
            out[0] = s[0]
            out[1] = s[0]
            return
        }
        out[0] = s[0]
        out[1] = UInt8((3 * Int(s[0]) + Int(s[1]) + 2) >> 2)
        for x in 1..<(w - 1) {
            let v = 3 * Int(s[x])
            out[2 * x] = UInt8((v + Int(s[x - 1]) + 1) >> 2)
            out[2 * x + 1] = UInt8((v + Int(s[x + 1]) + 2) >> 2)
        }
        out[2 * w - 2] = UInt8((3 * Int(s[w - 1]) + Int(s[w - 2]) + 1) >> 2)
        out[2 * w - 1] = s[w - 1]
    }

    /// The same across column sums already weighted vertically (x4): weights 3/16 and 1/16.
    private static func fancyAcrossSums(_ s: UnsafePointer<Int>, _ w: Int, _ out: UnsafeMutablePointer<UInt8>) {
        if w == 1 {
            out[0] = UInt8((s[0] * 4 + 8) >> 4)
            out[1] = UInt8((s[0] * 4 + 7) >> 4)
            return
        }
        out[0] = UInt8((s[0] * 4 + 8) >> 4)
        out[1] = UInt8((s[0] * 3 + s[1] + 7) >> 4)
        for x in 1..<(w - 1) {
            let v = 3 * s[x]
            out[2 * x] = UInt8((v + s[x - 1] + 8) >> 4)
            out[2 * x + 1] = UInt8((v + s[x + 1] + 7) >> 4)
        }
        out[2 * w - 2] = UInt8((3 * s[w - 1] + s[w - 2] + 8) >> 4)
        out[2 * w - 1] = UInt8((s[w - 1] * 4 + 7) >> 4)
    }

    /// One row of full-size component samples to `0xFFRRGGBB`.
    private func convert(_ rows: [[UInt8]], into out: UnsafeMutablePointer<UInt32>, count: Int) {
        switch transform {
        case .grey:
            rows[0].withUnsafeBufferPointer { g in
                for x in 0..<count { let v = UInt32(g[x]); out[x] = 0xFF00_0000 | v << 16 | v << 8 | v }
            }
        case .rgb:
            for x in 0..<count { out[x] = 0xFF00_0000 | UInt32(rows[0][x]) << 16 | UInt32(rows[1][x]) << 8 | UInt32(rows[2][x]) }
        case .yCbCr:
            rows[0].withUnsafeBufferPointer { yy in
                rows[1].withUnsafeBufferPointer { cb in
                    rows[2].withUnsafeBufferPointer { cr in
                        ycc.withUnsafeBufferPointer { t in
                            // t: Cr to R, Cb to B, Cb to G, Cr to G, 256 entries each.
                            let crR = t.baseAddress!, cbB = crR + 256, cbG = crR + 512, crG = crR + 768
                            for x in 0..<count {
                                let y = Int(yy[x]), b = Int(cb[x]), r = Int(cr[x])
                                let red = JPEGYCbCr.clamp(y + crR[r])
                                let green = JPEGYCbCr.clamp(y + ((cbG[b] + crG[r]) >> 16))
                                let blue = JPEGYCbCr.clamp(y + cbB[b])
                                out[x] = 0xFF00_0000 | red << 16 | green << 8 | blue
                            }
                        }
                    }
                }
            }
        case .cmyk(let inverted):
            for x in 0..<count {
                let k = Int(rows[3][x])
                out[x] = Self.fromCMYK(Int(rows[0][x]), Int(rows[1][x]), Int(rows[2][x]), k, inverted: inverted)
            }
        case .yCCK:
            for x in 0..<count {
                // 255 - R, G, B are the stored (inverted, Adobe) C, M, Y; K is stored as it is.
                let (r, g, b) = Self.rgb(Int(rows[0][x]), Int(rows[1][x]), Int(rows[2][x]))
                out[x] = Self.fromCMYK(255 - Int(r), 255 - Int(g), 255 - Int(b), Int(rows[3][x]), inverted: true)
            }
        }
    }

    @inline(__always)
    static func rgb(_ y: Int, _ cb: Int, _ cr: Int) -> (UInt32, UInt32, UInt32) {
        (JPEGYCbCr.clamp(y + JPEGYCbCr.crToR[cr]),
         JPEGYCbCr.clamp(y + ((JPEGYCbCr.cbToG[cb] + JPEGYCbCr.crToG[cr]) >> 16)),
         JPEGYCbCr.clamp(y + JPEGYCbCr.cbToB[cb]))
    }

    /// CMYK inks (0 = none) to RGB by the naive subtractive rule Pillow uses:
    /// R = (255 - C)(255 - K) / 255, rounded. Colour-managed printing profiles are ignored.
    @inline(__always)
    static func fromCMYK(_ c: Int, _ m: Int, _ y: Int, _ k: Int, inverted: Bool) -> UInt32 {
        let (c, m, y, k) = inverted ? (255 - c, 255 - m, 255 - y, 255 - k) : (c, m, y, k)
        let nk = 255 - k
        @inline(__always) func channel(_ ink: Int) -> UInt32 {
            let t = ink * nk + 128
            let v = nk - (((t >> 8) + t) >> 8)
            return UInt32(truncatingIfNeeded: max(0, v))
        }
        return 0xFF00_0000 | channel(c) << 16 | channel(m) << 8 | channel(y)
    }
}
