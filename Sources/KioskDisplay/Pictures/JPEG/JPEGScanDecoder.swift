/// Decodes the entropy-coded data of one scan into the frame's coefficients: sequential
/// Huffman (T.81 F.2) and the four kinds of progressive scan (G.1.2: DC first and
/// refinement, AC first and refinement with end-of-band runs), with restart intervals.
struct JPEGScanDecoder {
    /// Indexes into `frame.components`, in scan order.
    var components: [Int]
    /// The DC and AC table numbers of each scan component.
    var tables: [(dc: Int, ac: Int)]
    var spectralStart: Int, spectralEnd: Int
    var approximationHigh: Int, approximationLow: Int
    var restartInterval: Int
    var dcTables: [JPEGHuffmanTable?]
    var acTables: [JPEGHuffmanTable?]

    init(components: [Int], tables: [(dc: Int, ac: Int)], spectralStart: Int, spectralEnd: Int, approximationHigh: Int, approximationLow: Int,
         restartInterval: Int, dcTables: [JPEGHuffmanTable?], acTables: [JPEGHuffmanTable?]) {
        self.components = components
        self.tables = tables
        self.spectralStart = spectralStart
        self.spectralEnd = spectralEnd
        self.approximationHigh = approximationHigh
        self.approximationLow = approximationLow
        self.restartInterval = restartInterval
        self.dcTables = dcTables
        self.acTables = acTables
    }

    private func table(_ tables: [JPEGHuffmanTable?], _ index: Int, _ kind: String) throws -> JPEGHuffmanTable {
        guard let t = tables[index] else { throw PictureError(.jpeg, .corrupt, "a scan uses the undefined \(kind) Huffman table \(index)") }
        return t
    }

    /// Decodes the scan whose data starts at `reader`'s position; returns with the reader
    /// at the marker after the data. A progressive scan adds to the frame's coefficients;
    /// a sequential one turns each block into samples at once (`quantization`: the tables
    /// in force now, as libjpeg latches them at a component's scan).
    func decode(_ frame: inout JPEGFrame, _ reader: inout JPEGBitReader, quantization: [[Int]?]) throws {
        let progressive = frame.progressive
        let isDC = spectralStart == 0
        // The tables each component needs, fetched (and checked) once.
        var dc: [JPEGHuffmanTable?] = [], ac: [JPEGHuffmanTable?] = []
        for (n, _) in components.enumerated() {
            let needsDC = !progressive || (isDC && approximationHigh == 0)
            let needsAC = !progressive || !isDC
            dc.append(needsDC ? try table(dcTables, tables[n].dc, "DC") : nil)
            ac.append(needsAC ? try table(acTables, tables[n].ac, "AC") : nil)
        }
        var predictors = components.map { _ in 0 }
        if progressive {
            let offsets = components.map { (frame.components[$0].storedAcross, frame.components[$0].coefficientOffset) }
            var coefficients = frame.coefficients
            frame.coefficients = []  // uniquely referenced while the scan fills it
            defer { frame.coefficients = coefficients }
            // Blocks left in the current end-of-band run (G.1.2.2), cleared at each restart.
            var endOfBandRun = 0
            try coefficients.withUnsafeMutableBufferPointer { all in
                try walk(frame, &reader, &predictors) { n, blockX, blockY, restarted, reader, predictor in
                    if restarted { endOfBandRun = 0 }
                    let (storedAcross, start) = offsets[n]
                    let block = all.baseAddress! + start + (blockY * storedAcross + blockX) * 64
                    if isDC {
                        try decodeDC(block, &predictor, dc[n], &reader)
                    } else if approximationHigh == 0 {
                        try decodeACFirst(block, ac[n]!, &reader, &endOfBandRun)
                    } else {
                        try decodeACRefine(block, ac[n]!, &reader, &endOfBandRun)
                    }
                }
            }
        } else {
            var tables: [[Int]] = []
            for c in components {
                let component = frame.components[c]
                guard let table = quantization[component.quantizationTable] else {
                    throw PictureError(.jpeg, .corrupt, "component \(component.id) uses the undefined quantization table \(component.quantizationTable)")
                }
                tables.append(table)
            }
            let shapes = components.map { frame.components[$0] }
            let strides = components.map { frame.planeStride($0) }
            let rows = components.map { frame.planeRows($0) }
            var planes = frame.planes
            frame.planes = []  // uniquely referenced while the scan fills them
            defer { frame.planes = planes }
            var block = [Int16](repeating: 0, count: 64)
            var workspace = [Int](repeating: 0, count: 64)
            var scratch = [UInt8](repeating: 0, count: 64)
            try block.withUnsafeMutableBufferPointer { block in
                try workspace.withUnsafeMutableBufferPointer { ws in
                    try scratch.withUnsafeMutableBufferPointer { tmp in
                        try walk(frame, &reader, &predictors) { n, blockX, blockY, _, reader, predictor in
                            block.update(repeating: 0)
                            try decodeSequential(block.baseAddress!, &predictor, dc[n]!, ac[n]!, &reader)
                            let c = components[n], stride = strides[n], shape = shapes[n]
                            let needed = min((blockY + 1) * shape.blockHeight, rows[n]) * stride
                            if planes[c].count < needed { planes[c].append(contentsOf: repeatElement(0, count: needed - planes[c].count)) }
                            tables[n].withUnsafeBufferPointer { q in
                                planes[c].withUnsafeMutableBufferPointer { out in
                                    JPEGInverseDCT.transform(block.baseAddress!, q.baseAddress!, out.baseAddress! + blockY * shape.blockHeight * stride + blockX * shape.blockWidth,
                                                             stride: stride, scaleAcross: shape.scaleAcross, scaleDown: shape.scaleDown, workspace: ws.baseAddress!, scratch: tmp.baseAddress!)
                                }
                            }
                        }
                    }
                }
            }
        }
        _ = reader.nextMarker()
    }

    /// Walks the scan's blocks in order (MCU by MCU when interleaved, block by block for a
    /// single component), handling restart intervals; `body` gets the scan component's
    /// number, the block's position among its component's blocks, whether a restart
    /// interval begins with it, and its predictor.
    private func walk(_ frame: JPEGFrame, _ reader: inout JPEGBitReader, _ predictors: inout [Int],
                      _ body: (Int, Int, Int, Bool, inout JPEGBitReader, inout Int) throws -> Void) throws {
        let shapes = components.map { (frame.components[$0].h, frame.components[$0].v) }
        let single = components.count == 1
        let first = frame.components[components[0]]
        let unitsAcross = single ? first.blocksAcross : frame.mcusAcross
        let unitsDown = single ? first.blocksDown : frame.mcusDown
        let total = unitsAcross * unitsDown
        var untilRestart = restartInterval
        var restarted = true
        for unit in 0..<total {
            if restartInterval > 0 {
                if untilRestart == 0 {
                    _ = reader.restart()
                    untilRestart = restartInterval
                    restarted = true
                    for n in predictors.indices { predictors[n] = 0 }
                }
                untilRestart -= 1
            }
            let ux = unit % unitsAcross, uy = unit / unitsAcross
            for n in components.indices {
                let (h, v) = shapes[n]
                let (bw, bh) = single ? (1, 1) : (h, v)
                for by in 0..<bh {
                    for bx in 0..<bw {
                        try body(n, single ? ux : ux * h + bx, single ? uy : uy * v + by, restarted, &reader, &predictors[n])
                        restarted = false
                    }
                }
            }
            if reader.hitEnd { throw PictureError(.jpeg, .truncated, "the file ends inside a scan") }
        }
    }

    @inline(__always)
    private func decodeDifference(_ table: JPEGHuffmanTable, _ reader: inout JPEGBitReader) throws -> Int {
        let s = try reader.decode(table)
        guard s <= 11 else { throw PictureError(.jpeg, .corrupt, "a DC difference of category \(s)") }
        return reader.signed(s)
    }

    private func decodeSequential(_ block: UnsafeMutablePointer<Int16>, _ predictor: inout Int, _ dc: JPEGHuffmanTable, _ ac: JPEGHuffmanTable, _ reader: inout JPEGBitReader) throws {
        predictor &+= try decodeDifference(dc, &reader)
        block[0] = Int16(truncatingIfNeeded: predictor)
        var k = 1
        while k < 64 {
            let rs = try reader.decode(ac)
            let r = rs >> 4, s = rs & 15
            if s == 0 {
                if r != 15 { break }
                k += 16
                continue
            }
            k += r
            guard k < 64 else { throw PictureError(.jpeg, .corrupt, "AC coefficients past the 64th") }
            block[jpegZigZag[k]] = Int16(truncatingIfNeeded: reader.signed(s))
            k += 1
        }
    }

    private func decodeDC(_ block: UnsafeMutablePointer<Int16>, _ predictor: inout Int, _ dc: JPEGHuffmanTable?, _ reader: inout JPEGBitReader) throws {
        if approximationHigh == 0 {
            predictor &+= try decodeDifference(dc!, &reader)
            block[0] = Int16(truncatingIfNeeded: predictor << approximationLow)
        } else if reader.bit() {
            block[0] |= Int16(truncatingIfNeeded: 1 << approximationLow)
        }
    }

    private func decodeACFirst(_ block: UnsafeMutablePointer<Int16>, _ ac: JPEGHuffmanTable, _ reader: inout JPEGBitReader, _ endOfBandRun: inout Int) throws {
        if endOfBandRun > 0 {
            endOfBandRun -= 1
            return
        }
        var k = spectralStart
        while k <= spectralEnd {
            let rs = try reader.decode(ac)
            let r = rs >> 4, s = rs & 15
            if s == 0 {
                if r < 15 {
                    endOfBandRun = (1 << r) - 1 + reader.bits(r)
                    break
                }
                k += 16
                continue
            }
            k += r
            guard k <= spectralEnd else { throw PictureError(.jpeg, .corrupt, "AC coefficients past the end of the band") }
            block[jpegZigZag[k]] = Int16(truncatingIfNeeded: reader.signed(s) * (1 << approximationLow))
            k += 1
        }
    }

    private func decodeACRefine(_ block: UnsafeMutablePointer<Int16>, _ ac: JPEGHuffmanTable, _ reader: inout JPEGBitReader, _ endOfBandRun: inout Int) throws {
        let plus = Int16(1 << approximationLow), minus = Int16(-1 << approximationLow)
        var k = spectralStart
        @inline(__always) func refine(_ index: Int, _ reader: inout JPEGBitReader) {
            let c = block[index]
            if reader.bit(), c & plus == 0 { block[index] = c >= 0 ? c &+ plus : c &+ minus }
        }
        if endOfBandRun == 0 {
            while k <= spectralEnd {
                let rs = try reader.decode(ac)
                var r = rs >> 4
                let s = rs & 15
                var value: Int16 = 0
                if s != 0 {
                    guard s == 1 else { throw PictureError(.jpeg, .corrupt, "a refinement of category \(s)") }
                    value = reader.bit() ? plus : minus
                } else if r != 15 {
                    endOfBandRun = (1 << r) + reader.bits(r)
                    break
                }
                while k <= spectralEnd {
                    let index = jpegZigZag[k]
                    if block[index] != 0 {
                        refine(index, &reader)
                    } else {
                        if r == 0 { break }
                        r -= 1
                    }
                    k += 1
                }
                if value != 0 {
                    guard k <= spectralEnd else { throw PictureError(.jpeg, .corrupt, "a refinement past the end of the band") }
                    block[jpegZigZag[k]] = value
                }
                k += 1
            }
        }
        if endOfBandRun > 0 {
            while k <= spectralEnd {
                let index = jpegZigZag[k]
                if block[index] != 0 { refine(index, &reader) }
                k += 1
            }
            endOfBandRun -= 1
        }
    }
}
