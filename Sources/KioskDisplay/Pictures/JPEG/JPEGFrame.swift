/// The frame of a JPEG (its `SOF` segment, T.81 B.2.2), the scale it is decoded at, and
/// what the scans fill in: the coefficients of a progressive frame (refined scan after
/// scan, so all of them are kept), or, for a sequential frame, each component's samples,
/// every block turned into samples as soon as its scan has decoded it.
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
        /// This component's own DCT scaling across and down (1, 2, 4 or 8): the frame's,
        /// divided by as much of its subsampling as divides it, so that a 4:2:0 picture at
        /// 1/2 keeps its chroma whole instead of halving it again (libjpeg does the same).
        var scaleAcross = 1, scaleDown = 1
        /// What is left to upsample across and down after that (1 when the scale absorbed it).
        var hUp = 1, vUp = 1
        /// Samples a decoded block gives across and down.
        var blockWidth: Int { 8 / scaleAcross }
        var blockHeight: Int { 8 / scaleDown }
    }

    var width: Int
    var height: Int
    var progressive: Bool
    var components: [Component]
    var hMax: Int, vMax: Int
    var mcusAcross: Int, mcusDown: Int
    /// The DCT scaling of the picture: 1, 2, 4 or 8 (each component's own in `Component.scaleAcross`, `scaleDown`).
    var scale = 1
    /// Progressive frames only: 64 quantized coefficients per stored block of every
    /// component, in natural (not zig-zag) order, one component after the other.
    var coefficients: [Int16] = []
    /// Each component's samples at the decoding scale, `planeStride(c)` bytes a row, grown
    /// block row by block row as the scans reach them (so a file cut short never costs
    /// the memory its header announced); whole before assembly.
    var planes: [[UInt8]] = []

    /// The decoded picture's size (before the EXIF orientation).
    var outputWidth: Int { (width + scale - 1) / scale }
    var outputHeight: Int { (height + scale - 1) / scale }
    func planeStride(_ c: Int) -> Int { components[c].storedAcross * components[c].blockWidth }
    func planeRows(_ c: Int) -> Int { components[c].storedDown * components[c].blockHeight }

    /// Parses a SOF segment's body, chooses the scale (`reduction`, the upright size being
    /// the other way round when `orientation` swaps the sides) and checks every buffer
    /// against `limits` before allocating any.
    init(_ d: ArraySlice<UInt8>, progressive: Bool, limits: PictureLimits, reduction: PictureReduction = .none,
         orientation: PictureOrientation = .up) throws {
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
        try limits.checkSides(width: width, height: height, format: .jpeg)
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
        // The scale asked, then smaller still (when a reduction is allowed) while the planes,
        // which hold the padding of whole MCUs, would not fit the budget.
        scale = Self.scale(width: width, height: height, reduction: reduction, swapsSides: orientation.swapsSides, limits: limits)
        var planeBytes = Self.setScale(scale, of: &components, hMax: hMax, vMax: vMax)
        while reduction != .none, scale < 8, planeBytes > limits.maximumBytes {
            scale *= 2
            planeBytes = Self.setScale(scale, of: &components, hMax: hMax, vMax: vMax)
        }
        let (outW, outH) = ((width + scale - 1) / scale, (height + scale - 1) / scale)
        try limits.checkWorking(bytes: outW * outH * 4, what: scale == 1 ? "\(width)x\(height) pixels" : "\(width)x\(height) pixels decoded at 1/\(scale) (\(outW)x\(outH))", format: .jpeg)
        try limits.checkWorking(bytes: planeBytes, what: "the sample planes", format: .jpeg)
        self.components = components
        if progressive {
            try limits.checkWorking(bytes: coefficientBytes, what: "the DCT coefficients", format: .jpeg)
            var total = 0
            for i in components.indices {
                self.components[i].coefficientOffset = total
                total += components[i].storedAcross * components[i].storedDown * 64
            }
            coefficients = [Int16](repeating: 0, count: total)
        } else {
            // Reserved, not written: the pages are touched only as block rows arrive.
            planes = components.map { c in
                var plane: [UInt8] = []
                plane.reserveCapacity(c.storedAcross * c.blockWidth * c.storedDown * c.blockHeight)
                return plane
            }
        }
    }

    /// The DCT scale for `reduction`: the largest of 8, 4, 2 that keeps the upright picture
    /// at least the size asked, then larger if the decoded pixels would exceed the budget.
    static func scale(width: Int, height: Int, reduction: PictureReduction, swapsSides: Bool, limits: PictureLimits) -> Int {
        var scale: Int
        switch reduction {
        case .none:
            return 1
        case .most:
            scale = 8
        case .toAtLeast(let w, let h):
            let (needAcross, needDown) = swapsSides ? (h, w) : (w, h)
            scale = [8, 4, 2].first { (width + $0 - 1) / $0 >= needAcross && (height + $0 - 1) / $0 >= needDown } ?? 1
        }
        while scale < 8, ((width + scale - 1) / scale) * ((height + scale - 1) / scale) * 4 > limits.maximumBytes { scale *= 2 }
        return scale
    }

    /// Gives each component its own scale for the frame's `scale` (see `Component.scaleAcross`);
    /// returns the bytes of all the sample planes at that scale.
    static func setScale(_ scale: Int, of components: inout [Component], hMax: Int, vMax: Int) -> Int {
        var planeBytes = 0
        for i in components.indices {
            let (across, down) = (hMax / components[i].h, vMax / components[i].v)
            let absorbedAcross = [8, 4, 2, 1].first { $0 <= scale && across % $0 == 0 }!
            let absorbedDown = [8, 4, 2, 1].first { $0 <= scale && down % $0 == 0 }!
            (components[i].scaleAcross, components[i].scaleDown) = (scale / absorbedAcross, scale / absorbedDown)
            (components[i].hUp, components[i].vUp) = (across / absorbedAcross, down / absorbedDown)
            planeBytes += components[i].storedAcross * components[i].blockWidth * components[i].storedDown * components[i].blockHeight
        }
        return planeBytes
    }

    /// Makes plane `c` hold at least `rows` rows (zeros), as a scan reaches them.
    mutating func growPlane(_ c: Int, toRows rows: Int) {
        let needed = min(rows, planeRows(c)) * planeStride(c)
        if planes[c].count < needed { planes[c].append(contentsOf: repeatElement(0, count: needed - planes[c].count)) }
    }

    /// Every plane whole (a component a truncated or odd file left short stays grey),
    /// progressive coefficients turned into samples first (with the tables in force at
    /// the end of the file) and then freed.
    mutating func completePlanes(quantization: [[Int]?]) throws {
        if progressive {
            planes = components.indices.map { _ in [] }
            var workspace = [Int](repeating: 0, count: 64)
            var scratch = [UInt8](repeating: 0, count: 64)
            for index in components.indices {
                let c = components[index]
                guard let table = quantization[c.quantizationTable] else {
                    throw PictureError(.jpeg, .corrupt, "component \(c.id) uses the undefined quantization table \(c.quantizationTable)")
                }
                let stride = planeStride(index)
                var samples = [UInt8](repeating: 0, count: stride * planeRows(index))
                coefficients.withUnsafeBufferPointer { all in
                    let coefficients = UnsafeBufferPointer(rebasing: all[c.coefficientOffset...])
                    table.withUnsafeBufferPointer { q in
                        samples.withUnsafeMutableBufferPointer { out in
                            workspace.withUnsafeMutableBufferPointer { ws in
                                scratch.withUnsafeMutableBufferPointer { tmp in
                                    // Only blocks that hold samples: the padding of whole MCUs is never shown.
                                    for by in 0..<min(c.blocksDown + 1, c.storedDown) {
                                        for bx in 0..<min(c.blocksAcross + 1, c.storedAcross) {
                                            JPEGInverseDCT.transform(coefficients.baseAddress! + (by * c.storedAcross + bx) * 64, q.baseAddress!,
                                                                     out.baseAddress! + by * c.blockHeight * stride + bx * c.blockWidth, stride: stride,
                                                                     scaleAcross: c.scaleAcross, scaleDown: c.scaleDown,
                                                                     workspace: ws.baseAddress!, scratch: tmp.baseAddress!)
                                        }
                                    }
                                }
                            }
                        }
                    }
                }
                planes[index] = samples
            }
            coefficients = []
        } else {
            for c in components.indices { growPlane(c, toRows: planeRows(c)) }
        }
    }
}

/// The zig-zag order of T.81 figure A.6: `zigZag[k]` is the natural index of the k-th
/// coefficient sent. Padded with 63s so a corrupt run past 63 lands on a harmless index.
let jpegZigZag: [Int] = [
    0, 1, 8, 16, 9, 2, 3, 10, 17, 24, 32, 25, 18, 11, 4, 5, 12, 19, 26, 33, 40, 48, 41, 34, 27, 20, 13, 6, 7, 14, 21, 28,
    35, 42, 49, 56, 57, 50, 43, 36, 29, 22, 15, 23, 30, 37, 44, 51, 58, 59, 52, 45, 38, 31, 39, 46, 53, 60, 61, 54, 47, 55, 62, 63,
    63, 63, 63, 63, 63, 63, 63, 63, 63, 63, 63, 63, 63, 63, 63, 63,
]
