import Foundation

/// Builds small TrueType files for tests: the tables the engine reads, laid out as the
/// OpenType specification says, so that composites with transforms, point matching,
/// nesting, both cmap formats and hostile values can be tried without a real font.
struct TestFontBuilder {
    struct Point {
        var x: Int, y: Int, on: Bool = true
    }

    enum Transform {
        case none, scale(Double), xyScale(Double, Double), twoByTwo(Double, Double, Double, Double)
    }

    struct Component {
        var glyph: Int
        var dx = 0, dy = 0
        var transform = Transform.none
        /// Point matching (parent point, child point) instead of an offset.
        var match: (Int, Int)? = nil
        /// SCALED_COMPONENT_OFFSET.
        var scaledOffset = false
    }

    enum Glyph {
        case empty
        case simple([[Point]])
        case composite([Component])
        /// Raw glyf bytes, as they are.
        case raw([UInt8])
    }

    var unitsPerEm = 1000
    var glyphs: [Glyph] = [.empty]
    var advances: [Int] = [500]
    var characters: [UInt32: Int] = [:]
    /// 4 or 12.
    var cmapFormat = 4
    /// Format 4 only: map through glyphIdArray (idRangeOffset) instead of idDelta.
    var useGlyphIdArray = false
    /// `loca` with 16-bit offsets (halved) instead of 32-bit ones.
    var shortLoca = false
    var kernPairs: [(left: Int, right: Int, value: Int)] = []
    var typoMetrics: (ascender: Int, descender: Int, gap: Int)? = (800, -200, 100)
    /// GPOS `kern` feature: one lookup whose subtables are these, in order.
    var gposSubtables: [PairSubtable] = []
    /// Wraps each GPOS subtable in an extension lookup (type 9).
    var gposExtension = false
    /// GSUB `tnum`: single substitutions (format 2).
    var tabularFigures: [Int: Int] = [:]

    enum PairSubtable {
        /// Format 1: explicit pairs (XAdvance of the first glyph).
        case pairs([(left: Int, right: Int, value: Int)])
        /// Format 2: classes of left (covered) and right glyphs, and a class1 x class2 matrix.
        case classes(left: [Int: Int], right: [Int: Int], values: [[Int]])
    }

    /// Adds a glyph with its advance and returns its id.
    @discardableResult
    mutating func add(_ glyph: Glyph, advance: Int = 600, for character: Character? = nil) -> Int {
        glyphs.append(glyph)
        advances.append(advance)
        if let character { characters[character.unicodeScalars.first!.value] = glyphs.count - 1 }
        return glyphs.count - 1
    }

    /// The file, also written to `$KIOSK_WRITE_TEST_FONTS/NAME.ttf` when that is set (to
    /// check a built font with other tools, or to seed the font fuzzer's corpus).
    func bytes(named name: String) -> [UInt8] {
        let file = bytes()
        if let directory = ProcessInfo.processInfo.environment["KIOSK_WRITE_TEST_FONTS"] {
            _ = FileManager.default.createFile(atPath: "\(directory)/\(name).ttf", contents: Data(file))
        }
        return file
    }

    func bytes() -> [UInt8] {
        var tables: [(String, [UInt8])] = []
        var glyf: [UInt8] = [], loca: [UInt8] = []
        func locate(_ offset: Int) { if shortLoca { loca.be16(offset / 2) } else { loca.be32(offset) } }
        for glyph in glyphs {
            locate(glyf.count)
            glyf += encode(glyph)
            while glyf.count % 4 != 0 { glyf.append(0) }
        }
        locate(glyf.count)

        var head: [UInt8] = []
        head.be32(0x0001_0000); head.be32(0x0001_0000); head.be32(0); head.be32(0x5F0F_3CF5)
        head.be16(0); head.be16(unitsPerEm)
        head += [UInt8](repeating: 0, count: 16) // created, modified
        head.be16(0); head.be16(0); head.be16(1000); head.be16(1000) // bbox
        head.be16(0); head.be16(8); head.be16(2) // macStyle, lowestRecPPEM, fontDirectionHint
        head.be16(shortLoca ? 0 : 1); head.be16(0) // indexToLocFormat, glyphDataFormat

        var hhea: [UInt8] = []
        hhea.be32(0x0001_0000); hhea.be16(900); hhea.be16(-300 & 0xFFFF); hhea.be16(0)
        hhea += [UInt8](repeating: 0, count: 24)
        hhea.be16(glyphs.count)

        var maxp: [UInt8] = []
        maxp.be32(0x0000_5000); maxp.be16(glyphs.count)

        var hmtx: [UInt8] = []
        for advance in advances { hmtx.be16(advance); hmtx.be16(0) }

        tables = [("head", head), ("hhea", hhea), ("maxp", maxp), ("hmtx", hmtx), ("loca", loca), ("glyf", glyf), ("cmap", cmap())]
        if let typo = typoMetrics {
            var os2 = [UInt8](repeating: 0, count: 96)
            os2.put16(0, 4); os2.put16(4, 400); os2.put16(62, 0x80)
            os2.put16(68, typo.ascender & 0xFFFF); os2.put16(70, typo.descender & 0xFFFF); os2.put16(72, typo.gap)
            os2.put16(74, 900); os2.put16(76, 300); os2.put16(86, 500); os2.put16(88, 700)
            tables.append(("OS/2", os2))
        }
        if !kernPairs.isEmpty {
            var kern: [UInt8] = []
            kern.be16(0); kern.be16(1)
            kern.be16(0); kern.be16(14 + kernPairs.count * 6); kern.be16(0x0001)
            kern.be16(kernPairs.count); kern.be16(0); kern.be16(0); kern.be16(0)
            for pair in kernPairs.sorted(by: { ($0.left, $0.right) < ($1.left, $1.right) }) {
                kern.be16(pair.left); kern.be16(pair.right); kern.be16(pair.value & 0xFFFF)
            }
            tables.append(("kern", kern))
        }
        if !gposSubtables.isEmpty {
            let subtables = gposSubtables.map(encodePairSubtable)
            tables.append(("GPOS", layoutTable(feature: "kern", lookupType: 2, extensionType: gposExtension ? 9 : nil, subtables: subtables)))
        }
        if !tabularFigures.isEmpty {
            let from = tabularFigures.keys.sorted()
            var sub: [UInt8] = []
            sub.be16(2); sub.be16(6 + from.count * 2); sub.be16(from.count)
            for glyph in from { sub.be16(tabularFigures[glyph]!) }
            sub += coverage(from)
            tables.append(("GSUB", layoutTable(feature: "tnum", lookupType: 1, extensionType: nil, subtables: [sub])))
        }
        tables.sort { $0.0 < $1.0 }
        var file: [UInt8] = []
        file.be32(0x0001_0000); file.be16(tables.count); file.be16(0); file.be16(0); file.be16(0)
        var offset = 12 + tables.count * 16
        var body: [UInt8] = []
        for (tag, data) in tables {
            file += Array(tag.utf8)
            file.be32(0); file.be32(offset); file.be32(data.count)
            body += data
            while body.count % 4 != 0 { body.append(0) }
            offset = 12 + tables.count * 16 + body.count
        }
        return file + body
    }

    private func encode(_ glyph: Glyph) -> [UInt8] {
        var out: [UInt8] = []
        switch glyph {
        case .empty:
            return []
        case .raw(let bytes):
            return bytes
        case .simple(let contours):
            let points = contours.flatMap { $0 }
            out.be16(contours.count)
            out.be16(points.map(\.x).min() ?? 0); out.be16(points.map(\.y).min() ?? 0)
            out.be16(points.map(\.x).max() ?? 0); out.be16(points.map(\.y).max() ?? 0)
            var end = -1
            for contour in contours { end += contour.count; out.be16(end) }
            out.be16(0) // no instructions
            for p in points { out.append(p.on ? 1 : 0) }
            var last = 0
            for p in points { out.be16((p.x - last) & 0xFFFF); last = p.x }
            last = 0
            for p in points { out.be16((p.y - last) & 0xFFFF); last = p.y }
        case .composite(let components):
            out.be16(0xFFFF); out += [0, 0, 0, 0, 0, 0, 0, 0]
            for (i, c) in components.enumerated() {
                var flags = 0x0001 // ARG_1_AND_2_ARE_WORDS
                if c.match == nil { flags |= 0x0002 }
                switch c.transform {
                case .none: break
                case .scale: flags |= 0x0008
                case .xyScale: flags |= 0x0040
                case .twoByTwo: flags |= 0x0080
                }
                if i < components.count - 1 { flags |= 0x0020 }
                if c.scaledOffset { flags |= 0x0800 }
                out.be16(flags); out.be16(c.glyph)
                if let (a, b) = c.match { out.be16(a); out.be16(b) } else { out.be16(c.dx & 0xFFFF); out.be16(c.dy & 0xFFFF) }
                func f2(_ v: Double) { out.be16(Int((v * 16384).rounded()) & 0xFFFF) }
                switch c.transform {
                case .none: break
                case .scale(let s): f2(s)
                case .xyScale(let x, let y): f2(x); f2(y)
                case .twoByTwo(let a, let b, let cc, let d): f2(a); f2(b); f2(cc); f2(d)
                }
            }
        }
        return out
    }

    private func coverage(_ glyphs: [Int]) -> [UInt8] {
        var out: [UInt8] = []
        out.be16(1); out.be16(glyphs.count)
        for glyph in glyphs.sorted() { out.be16(glyph) }
        return out
    }

    private func encodePairSubtable(_ subtable: PairSubtable) -> [UInt8] {
        var out: [UInt8] = []
        switch subtable {
        case .pairs(let pairs):
            let firsts = Array(Set(pairs.map(\.left))).sorted()
            var sets: [[UInt8]] = []
            for first in firsts {
                let mine = pairs.filter { $0.left == first }.sorted { $0.right < $1.right }
                var set: [UInt8] = []
                set.be16(mine.count)
                for pair in mine { set.be16(pair.right); set.be16(pair.value & 0xFFFF) }
                sets.append(set)
            }
            let offset = 10 + firsts.count * 2
            var body: [UInt8] = []
            var offsets: [Int] = []
            for set in sets { offsets.append(offset + body.count); body += set }
            out.be16(1); out.be16(offset + body.count); out.be16(4); out.be16(0); out.be16(firsts.count)
            for o in offsets { out.be16(o) }
            out += body
            out += coverage(firsts)
        case .classes(let left, let right, let values):
            let class1Count = values.count, class2Count = values.first?.count ?? 0
            let header = 16 + class1Count * class2Count * 2
            let cov = coverage(Array(left.keys))
            // classDef1 in format 2 (ranges), classDef2 in format 1 (an array from the first glyph).
            var cd1: [UInt8] = []
            let lefts = left.filter { $0.value > 0 }.keys.sorted()
            cd1.be16(2); cd1.be16(lefts.count)
            for glyph in lefts { cd1.be16(glyph); cd1.be16(glyph); cd1.be16(left[glyph]!) }
            var cd2: [UInt8] = []
            let first = right.keys.min() ?? 0, last = right.keys.max() ?? 0
            cd2.be16(1); cd2.be16(first); cd2.be16(right.isEmpty ? 0 : last - first + 1)
            if !right.isEmpty { for glyph in first...last { cd2.be16(right[glyph] ?? 0) } }
            out.be16(2); out.be16(header); out.be16(4); out.be16(0)
            out.be16(header + cov.count); out.be16(header + cov.count + cd1.count)
            out.be16(class1Count); out.be16(class2Count)
            for row in values { for v in row { out.be16(v & 0xFFFF) } }
            out += cov + cd1 + cd2
        }
        return out
    }

    /// A GPOS or GSUB table with one script (latn), one feature and one lookup.
    private func layoutTable(feature: String, lookupType: Int, extensionType: Int?, subtables: [[UInt8]]) -> [UInt8] {
        var scripts: [UInt8] = []
        scripts.be16(1); scripts += Array("latn".utf8); scripts.be16(8)
        scripts.be16(4); scripts.be16(0)                       // Script: defaultLangSys at 4
        scripts.be16(0); scripts.be16(0xFFFF); scripts.be16(1); scripts.be16(0) // LangSys
        var features: [UInt8] = []
        features.be16(1); features += Array(feature.utf8); features.be16(8)
        features.be16(0); features.be16(1); features.be16(0)
        var lookup: [UInt8] = []
        lookup.be16(extensionType ?? lookupType); lookup.be16(0); lookup.be16(subtables.count)
        var body: [UInt8] = []
        let start = 6 + subtables.count * 2
        for sub in subtables {
            lookup.be16(start + body.count)
            if extensionType != nil {
                body.be16(1); body.be16(lookupType); body.be32(8)
            }
            body += sub
        }
        lookup += body
        var lookups: [UInt8] = []
        lookups.be16(1); lookups.be16(4)
        lookups += lookup
        var table: [UInt8] = []
        table.be32(0x0001_0000)
        table.be16(10); table.be16(10 + scripts.count); table.be16(10 + scripts.count + features.count)
        return table + scripts + features + lookups
    }

    private func cmap() -> [UInt8] {
        var sub: [UInt8] = []
        let codes = characters.keys.sorted()
        if cmapFormat == 12 {
            sub.be16(12); sub.be16(0); sub.be32(16 + codes.count * 12); sub.be32(0); sub.be32(codes.count)
            for code in codes { sub.be32(Int(code)); sub.be32(Int(code)); sub.be32(characters[code]!) }
        } else {
            let bmp = codes.filter { $0 < 0xFFFF }
            let segCount = bmp.count + 1
            var ends: [UInt8] = [], starts: [UInt8] = [], deltas: [UInt8] = [], ranges: [UInt8] = [], ids: [UInt8] = []
            for (i, code) in bmp.enumerated() {
                ends.be16(Int(code)); starts.be16(Int(code))
                if useGlyphIdArray {
                    deltas.be16(0)
                    // From this idRangeOffset entry to glyphIdArray[i].
                    ranges.be16((segCount - i) * 2 + i * 2)
                    ids.be16(characters[code]!)
                } else {
                    deltas.be16((characters[code]! - Int(code)) & 0xFFFF)
                    ranges.be16(0)
                }
            }
            ends.be16(0xFFFF); starts.be16(0xFFFF); deltas.be16(1); ranges.be16(0)
            sub.be16(4); sub.be16(16 + segCount * 8 + ids.count); sub.be16(0)
            sub.be16(segCount * 2); sub.be16(0); sub.be16(0); sub.be16(0)
            sub += ends; sub.be16(0); sub += starts; sub += deltas; sub += ranges; sub += ids
        }
        var table: [UInt8] = []
        table.be16(0); table.be16(1)
        table.be16(3); table.be16(cmapFormat == 12 ? 10 : 1); table.be32(12)
        return table + sub
    }
}

extension Array where Element == UInt8 {
    mutating func be16(_ v: Int) { append(UInt8((v >> 8) & 0xFF)); append(UInt8(v & 0xFF)) }
    mutating func be32(_ v: Int) { be16((v >> 16) & 0xFFFF); be16(v & 0xFFFF) }
    mutating func put16(_ at: Int, _ v: Int) { self[at] = UInt8((v >> 8) & 0xFF); self[at + 1] = UInt8(v & 0xFF) }
}
