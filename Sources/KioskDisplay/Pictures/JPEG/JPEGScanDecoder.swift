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
    private var endOfBandRun = 0

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
    /// at the marker after the data.
    mutating func decode(_ frame: inout JPEGFrame, _ reader: inout JPEGBitReader) throws {
        let progressive = frame.progressive
        let isDC = spectralStart == 0
        // The tables each component needs, fetched (and checked) once.
        var dc: [JPEGHuffmanTable?] = [], ac: [JPEGHuffmanTable?] = []
        for (n, c) in components.enumerated() {
            let needsDC = !progressive || (isDC && approximationHigh == 0)
            let needsAC = !progressive || !isDC
            dc.append(needsDC ? try table(dcTables, tables[n].dc, "DC") : nil)
            ac.append(needsAC ? try table(acTables, tables[n].ac, "AC") : nil)
        }
        let shapes = components.map { (frame.components[$0].h, frame.components[$0].v, frame.components[$0].storedAcross, frame.components[$0].coefficientOffset) }
        var predictors = components.map { _ in 0 }
        let single = components.count == 1
        let first = frame.components[components[0]]
        let unitsAcross = single ? first.blocksAcross : frame.mcusAcross
        let unitsDown = single ? first.blocksDown : frame.mcusDown
        let total = unitsAcross * unitsDown
        var untilRestart = restartInterval
        endOfBandRun = 0
        try frame.coefficients.withUnsafeMutableBufferPointer { all in
            for unit in 0..<total {
                if restartInterval > 0 {
                    if untilRestart == 0 {
                        _ = reader.restart()
                        untilRestart = restartInterval
                        endOfBandRun = 0
                        for n in predictors.indices { predictors[n] = 0 }
                    }
                    untilRestart -= 1
                }
                let ux = unit % unitsAcross, uy = unit / unitsAcross
                for n in components.indices {
                    let (h, v, storedAcross, start) = shapes[n]
                    let (bw, bh) = single ? (1, 1) : (h, v)
                    for by in 0..<bh {
                        for bx in 0..<bw {
                            let blockX = single ? ux : ux * h + bx
                            let blockY = single ? uy : uy * v + by
                            let block = all.baseAddress! + start + (blockY * storedAcross + blockX) * 64
                            if !progressive {
                                try decodeSequential(block, &predictors[n], dc[n]!, ac[n]!, &reader)
                            } else if isDC {
                                try decodeDC(block, &predictors[n], dc[n], &reader)
                            } else if approximationHigh == 0 {
                                try decodeACFirst(block, ac[n]!, &reader)
                            } else {
                                try decodeACRefine(block, ac[n]!, &reader)
                            }
                        }
                    }
                }
                if reader.hitEnd { throw PictureError(.jpeg, .truncated, "the file ends inside a scan") }
            }
        }
        _ = reader.nextMarker()
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

    private mutating func decodeACFirst(_ block: UnsafeMutablePointer<Int16>, _ ac: JPEGHuffmanTable, _ reader: inout JPEGBitReader) throws {
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

    private mutating func decodeACRefine(_ block: UnsafeMutablePointer<Int16>, _ ac: JPEGHuffmanTable, _ reader: inout JPEGBitReader) throws {
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
