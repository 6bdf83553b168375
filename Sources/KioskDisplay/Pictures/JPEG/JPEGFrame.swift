/// The frame of a JPEG (its `SOF` segment, T.81 B.2.2) and the coefficients of each
/// component, filled in by the scans.
struct JPEGFrame {
    struct Component {
        var id: UInt8
        /// Sampling factors (1...4).
        var h: Int, v: Int
        var quantizationTable: Int
        /// Samples of this component across and down (the image size scaled by h/hMax, v/vMax).
        var sampleWidth: Int, sampleHeight: Int
        /// Blocks that hold samples (a non-interleaved scan covers these).
        var blocksAcross: Int, blocksDown: Int
        /// Blocks stored: whole MCUs, as an interleaved scan covers them.
        var storedAcross: Int, storedDown: Int
        /// Where this component's blocks start in `JPEGFrame.coefficients`.
        var coefficientOffset = 0
    }

    var width: Int
    var height: Int
    var progressive: Bool
    var components: [Component]
    var hMax: Int, vMax: Int
    var mcusAcross: Int, mcusDown: Int
    /// 64 quantized coefficients per stored block of every component, in natural (not
    /// zig-zag) order, one component after the other.
    var coefficients: [Int16] = []

    /// Parses a SOF segment's body and checks the size against `limits` before allocating
    /// the coefficients.
    init(_ d: ArraySlice<UInt8>, progressive: Bool, limits: PictureLimits) throws {
        let s = Array(d)
        guard s.count >= 6 else { throw PictureError(.jpeg, .corrupt, "a frame header of \(s.count) bytes") }
        guard s[0] == 8 else { throw PictureError(.jpeg, .unsupported, "\(s[0])-bit samples (only 8-bit JPEGs are decoded)") }
        height = Int(s[1]) << 8 | Int(s[2])
        width = Int(s[3]) << 8 | Int(s[4])
        guard height > 0 else { throw PictureError(.jpeg, .unsupported, "a height given after the scan (DNL marker)") }
        let count = Int(s[5])
        guard [1, 3, 4].contains(count) else { throw PictureError(.jpeg, .unsupported, "\(count) colour components") }
        guard s.count >= 6 + 3 * count else { throw PictureError(.jpeg, .corrupt, "a frame header shorter than its components") }
        self.progressive = progressive
        _ = try limits.check(width: width, height: height, format: .jpeg)
        var components: [Component] = []
        for i in 0..<count {
            let at = 6 + 3 * i
            let h = Int(s[at + 1] >> 4), v = Int(s[at + 1] & 15), tq = Int(s[at + 2])
            guard (1...4).contains(h), (1...4).contains(v) else { throw PictureError(.jpeg, .corrupt, "sampling factors \(h)x\(v)") }
            guard tq <= 3 else { throw PictureError(.jpeg, .corrupt, "quantization table \(tq)") }
            guard !components.contains(where: { $0.id == s[at] }) else { throw PictureError(.jpeg, .corrupt, "two components with id \(s[at])") }
            components.append(Component(id: s[at], h: h, v: v, quantizationTable: tq, sampleWidth: 0, sampleHeight: 0,
                                        blocksAcross: 0, blocksDown: 0, storedAcross: 0, storedDown: 0))
        }
        hMax = components.map(\.h).max()!
        vMax = components.map(\.v).max()!
        mcusAcross = (width + 8 * hMax - 1) / (8 * hMax)
        mcusDown = (height + 8 * vMax - 1) / (8 * vMax)
        var coefficientBytes = 0
        for i in components.indices {
            let c = components[i]
            guard hMax % c.h == 0, vMax % c.v == 0 else {
                throw PictureError(.jpeg, .unsupported, "sampling factors \(c.h)x\(c.v) that do not divide \(hMax)x\(vMax)")
            }
            components[i].sampleWidth = (width * c.h + hMax - 1) / hMax
            components[i].sampleHeight = (height * c.v + vMax - 1) / vMax
            components[i].blocksAcross = (components[i].sampleWidth + 7) / 8
            components[i].blocksDown = (components[i].sampleHeight + 7) / 8
            components[i].storedAcross = mcusAcross * c.h
            components[i].storedDown = mcusDown * c.v
            coefficientBytes += components[i].storedAcross * components[i].storedDown * 128
        }
        try limits.checkWorking(bytes: coefficientBytes, what: "the DCT coefficients", format: .jpeg)
        var total = 0
        for i in components.indices {
            components[i].coefficientOffset = total
            total += components[i].storedAcross * components[i].storedDown * 64
        }
        coefficients = [Int16](repeating: 0, count: total)
        self.components = components
    }
}

/// The zig-zag order of T.81 figure A.6: `zigZag[k]` is the natural index of the k-th
/// coefficient sent. Padded with 63s so a corrupt run past 63 lands on a harmless index.
let jpegZigZag: [Int] = [
    0, 1, 8, 16, 9, 2, 3, 10, 17, 24, 32, 25, 18, 11, 4, 5, 12, 19, 26, 33, 40, 48, 41, 34, 27, 20, 13, 6, 7, 14, 21, 28,
    35, 42, 49, 56, 57, 50, 43, 36, 29, 22, 15, 23, 30, 37, 44, 51, 58, 59, 52, 45, 38, 31, 39, 46, 53, 60, 61, 54, 47, 55, 62, 63,
    63, 63, 63, 63, 63, 63, 63, 63, 63, 63, 63, 63, 63, 63, 63, 63,
]
