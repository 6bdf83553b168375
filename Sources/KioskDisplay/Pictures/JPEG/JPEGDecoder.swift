/// Decodes a JPEG file (ITU-T T.81, JFIF, EXIF) into an upright `Picture`.
///
/// Baseline and extended sequential Huffman (SOF0, SOF1) and progressive (SOF2), 8-bit
/// samples, restart intervals, greyscale, YCbCr with any integral chroma subsampling
/// (4:4:4, 4:2:2, 4:2:0, 4:4:0, 4:1:1...), Adobe RGB, CMYK and YCCK (converted to RGB
/// without a colour profile). The EXIF orientation is applied. Lossless, hierarchical,
/// arithmetic-coded and 12-bit files are refused with the reason. The size is checked
/// against `PictureLimits` before the coefficients are allocated; a file that ends before
/// its EOI marker is `.truncated`.
public enum JPEGDecoder {
    /// At most this many scans (a progressive file has about ten): each scan walks every
    /// block, so a file of empty scans would otherwise cost time without bound.
    static let maximumScans = 100

    /// The picture in `bytes`, reduced by DCT scaling as `reduction` allows (see
    /// `PictureReduction`): a sequential file is then never held at full size, not even
    /// as coefficients; a progressive one keeps its coefficients (2 bytes a sample) until
    /// its last scan.
    public static func decode(_ bytes: [UInt8], limits: PictureLimits = .standard, reduction: PictureReduction = .none) throws -> Picture {
        guard bytes.count >= 2, bytes[0] == 0xFF, bytes[1] == 0xD8 else { throw PictureError(.jpeg, .notAPicture, "no SOI marker") }
        var frame: JPEGFrame?
        var quantization = [[Int]?](repeating: nil, count: 4)
        var dcTables = [JPEGHuffmanTable?](repeating: nil, count: 4)
        var acTables = [JPEGHuffmanTable?](repeating: nil, count: 4)
        var restartInterval = 0
        var adobeTransform: Int?
        var orientation = PictureOrientation.up
        var scans = 0
        var position = 2
        return try bytes.withUnsafeBufferPointer { data in
            while true {
                // A marker: FF, any number of fill FFs, then its code.
                guard position < data.count else { throw PictureError(.jpeg, .truncated, "the file ends before the EOI marker") }
                guard data[position] == 0xFF else { throw PictureError(.jpeg, .corrupt, "no marker at byte \(position)") }
                while position < data.count, data[position] == 0xFF { position += 1 }
                guard position < data.count else { throw PictureError(.jpeg, .truncated, "the file ends before the EOI marker") }
                let marker = data[position]
                position += 1
                switch marker {
                case 0xD9:
                    guard var current = frame, scans > 0 else { throw PictureError(.jpeg, .corrupt, "EOI before any image data") }
                    let transform = try JPEGColorTransform(components: current.components.count, adobeTransform: adobeTransform)
                    frame = nil  // the assembler owns the coefficients now, and frees them as it goes
                    try current.completePlanes(quantization: quantization)
                    var assembler = JPEGPictureAssembler(frame: current, transform: transform)
                    return assembler.assemble().oriented(orientation)
                case 0xD0...0xD7, 0x01, 0xD8:
                    continue  // stray RSTn, TEM, repeated SOI: no length, nothing to do
                default:
                    break
                }
                guard position + 2 <= data.count else { throw PictureError(.jpeg, .truncated, "the file ends in a marker segment") }
                let length = Int(data[position]) << 8 | Int(data[position + 1])
                guard length >= 2 else { throw PictureError(.jpeg, .corrupt, "a segment length of \(length) at byte \(position)") }
                guard position + length <= data.count else { throw PictureError(.jpeg, .truncated, "the file ends in a marker segment") }
                let body = bytes[(position + 2)..<(position + length)]
                position += length
                switch marker {
                case 0xC0, 0xC1, 0xC2:
                    guard frame == nil else { throw PictureError(.jpeg, .corrupt, "a second frame header") }
                    frame = try JPEGFrame(body, progressive: marker == 0xC2, limits: limits, reduction: reduction, orientation: orientation)
                case 0xC3, 0xC5, 0xC6, 0xC7, 0xCB, 0xCD, 0xCE, 0xCF:
                    throw PictureError(.jpeg, .unsupported, "a lossless or hierarchical JPEG (SOF\(marker - 0xC0))")
                case 0xC9, 0xCA, 0xCC:
                    throw PictureError(.jpeg, .unsupported, "arithmetic coding")
                case 0xC4:
                    try readHuffmanTables(body, dc: &dcTables, ac: &acTables)
                case 0xDB:
                    try readQuantizationTables(body, into: &quantization)
                case 0xDD:
                    guard body.count >= 2 else { throw PictureError(.jpeg, .corrupt, "a short DRI segment") }
                    restartInterval = Int(body[body.startIndex]) << 8 | Int(body[body.startIndex + 1])
                case 0xDA:
                    guard var current = frame else { throw PictureError(.jpeg, .corrupt, "a scan before the frame header") }
                    scans += 1
                    guard scans <= maximumScans else { throw PictureError(.jpeg, .unsupported, "more than \(maximumScans) scans") }
                    let scan = try scanHeader(body, frame: current, restartInterval: restartInterval, dc: dcTables, ac: acTables)
                    frame = nil  // keep the coefficients and planes uniquely referenced while the scan fills them
                    var reader = JPEGBitReader(data: data, position: position)
                    try scan.decode(&current, &reader, quantization: quantization)
                    position = reader.position
                    frame = current
                case 0xE1:
                    if let o = PictureOrientation(exif: body) { orientation = o }
                case 0xEE:
                    // "Adobe", version, flags0, flags1, transform.
                    if body.count >= 12, body.prefix(5).elementsEqual(Array("Adobe".utf8)) { adobeTransform = Int(body[body.startIndex + 11]) }
                default:
                    break  // APPn, COM, DNL and others: skipped
                }
            }
        }
    }

    static func readQuantizationTables(_ body: ArraySlice<UInt8>, into tables: inout [[Int]?]) throws {
        var i = body.startIndex
        while i < body.endIndex {
            let precision = Int(body[i] >> 4), id = Int(body[i] & 15)
            guard precision <= 1, id <= 3 else { throw PictureError(.jpeg, .corrupt, "quantization table \(id) of precision \(precision)") }
            let size = 64 * (precision + 1)
            guard i + 1 + size <= body.endIndex else { throw PictureError(.jpeg, .corrupt, "a short DQT segment") }
            var table = [Int](repeating: 0, count: 64)
            for k in 0..<64 {
                table[jpegZigZag[k]] = precision == 0 ? Int(body[i + 1 + k]) : Int(body[i + 1 + 2 * k]) << 8 | Int(body[i + 2 + 2 * k])
            }
            tables[id] = table
            i += 1 + size
        }
    }

    static func readHuffmanTables(_ body: ArraySlice<UInt8>, dc: inout [JPEGHuffmanTable?], ac: inout [JPEGHuffmanTable?]) throws {
        var i = body.startIndex
        while i < body.endIndex {
            guard i + 17 <= body.endIndex else { throw PictureError(.jpeg, .corrupt, "a short DHT segment") }
            let kind = Int(body[i] >> 4), id = Int(body[i] & 15)
            guard kind <= 1, id <= 3 else { throw PictureError(.jpeg, .corrupt, "Huffman table \(id) of class \(kind)") }
            let counts = (0..<16).map { Int(body[i + 1 + $0]) }
            let total = counts.reduce(0, +)
            guard total <= 256, i + 17 + total <= body.endIndex else { throw PictureError(.jpeg, .corrupt, "a short DHT segment") }
            let table = try JPEGHuffmanTable(counts: counts, symbols: Array(body[(i + 17)..<(i + 17 + total)]))
            if kind == 0 { dc[id] = table } else { ac[id] = table }
            i += 17 + total
        }
    }

    static func scanHeader(_ body: ArraySlice<UInt8>, frame: JPEGFrame, restartInterval: Int,
                           dc: [JPEGHuffmanTable?], ac: [JPEGHuffmanTable?]) throws -> JPEGScanDecoder {
        let s = Array(body)
        guard let n = s.first, (1...4).contains(n), s.count >= 1 + 2 * Int(n) + 3 else { throw PictureError(.jpeg, .corrupt, "a bad scan header") }
        var components: [Int] = []
        var choices: [(dc: Int, ac: Int)] = []
        for k in 0..<Int(n) {
            guard let index = frame.components.firstIndex(where: { $0.id == s[1 + 2 * k] }), !components.contains(index) else {
                throw PictureError(.jpeg, .corrupt, "a scan of an unknown component \(s[1 + 2 * k])")
            }
            let td = Int(s[2 + 2 * k] >> 4), ta = Int(s[2 + 2 * k] & 15)
            guard td <= 3, ta <= 3 else { throw PictureError(.jpeg, .corrupt, "Huffman table numbers \(td), \(ta)") }
            choices.append((td, ta))
            components.append(index)
        }
        let at = 1 + 2 * Int(n)
        let ss = Int(s[at]), se = Int(s[at + 1]), ah = Int(s[at + 2] >> 4), al = Int(s[at + 2] & 15)
        if frame.progressive {
            guard ss <= se, se <= 63, ah <= 13, al <= 13, (ss == 0) == (se == 0), ss == 0 || n == 1 else {
                throw PictureError(.jpeg, .corrupt, "progressive scan parameters Ss \(ss), Se \(se), Ah \(ah), Al \(al)")
            }
        }
        var blocks = 0
        for c in components { blocks += frame.components[c].h * frame.components[c].v }
        guard n == 1 || blocks <= 10 else { throw PictureError(.jpeg, .corrupt, "\(blocks) blocks in an MCU (at most 10)") }
        return JPEGScanDecoder(components: components, tables: choices, spectralStart: frame.progressive ? ss : 0, spectralEnd: frame.progressive ? se : 63,
                               approximationHigh: frame.progressive ? ah : 0, approximationLow: frame.progressive ? al : 0,
                               restartInterval: restartInterval, dcTables: dc, acTables: ac)
    }
}
