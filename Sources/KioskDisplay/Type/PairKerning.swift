/// Horizontal kerning between two glyphs: `GPOS` pair adjustment (lookup type 2, formats
/// 1 and 2, also behind extension lookups, type 9) of the `kern` feature, or, for fonts
/// without it, the `kern` table's format 0 pairs.
///
/// As a shaper does: the feature's lookups apply in order and their adjustments add up;
/// within a lookup the first subtable whose coverage holds the left glyph decides (a
/// format 2 subtable decides even when the right glyph's class has no value). Only the
/// advance adjustments (`XAdvance` of both value records) are read: they are what Latin
/// kerning uses; placement and device-table adjustments are ignored.
struct PairKerning: Sendable {
    private struct PairSubtable: Sendable {
        var format: UInt16
        var table: FontTable
        var coverage: FontTable
        /// Byte offsets of XAdvance inside each value record, nil when absent.
        var advance1: Int?
        var advance2: Int?
        /// Bytes of the two value records.
        var size1: Int
        var size2: Int
        var pairSetCount = 0
        var classDef1: FontTable? = nil
        var classDef2: FontTable? = nil
        var class1Count = 0
        var class2Count = 0
    }

    private enum Source: Sendable {
        case none
        case gpos([[PairSubtable]])
        /// Format 0 subtables: the pairs (6 bytes each) and how many.
        case kern([(pairs: FontTable, count: Int)])
    }

    private let source: Source

    /// No kerning.
    init() { source = .none }

    /// From `GPOS`: nil when the table has no `kern` feature for Latin (fall back to `kern`).
    init?(gpos: FontTable) throws(FontError) {
        let lookups = try OpenTypeLayout.lookups(of: gpos, feature: "kern", extensionType: 9)
        var result: [[PairSubtable]] = []
        for lookup in lookups {
            var subtables: [PairSubtable] = []
            for sub in lookup where sub.type == 2 {
                subtables.append(try Self.pairSubtable(sub.table))
            }
            if !subtables.isEmpty { result.append(subtables) }
        }
        guard !result.isEmpty else { return nil }
        source = .gpos(result)
    }

    /// From the `kern` table (Microsoft's version 0; horizontal format 0 subtables).
    /// Apple's version 1 table is not read (no kerning).
    init(kern: FontTable) throws(FontError) {
        guard try kern.u16(0) == 0 else { source = .none; return }
        let count = Int(try kern.u16(2))
        var offset = 4
        var tables: [(pairs: FontTable, count: Int)] = []
        for _ in 0..<count {
            let length = Int(try kern.u16(offset + 2))
            let coverage = try kern.u16(offset + 4)
            // Format 0 (high byte), horizontal (bit 0), not minimum (bit 1) nor cross-stream (bit 2).
            if coverage >> 8 == 0, coverage & 0x7 == 0x1 {
                let pairs = Int(try kern.u16(offset + 6))
                tables.append((try kern.slice(from: offset + 14, length: pairs * 6), pairs))
            }
            // A subtable's 16-bit length overflows for large ones: the last may run to the end.
            offset += length >= 14 ? length : 14
            if offset >= kern.count { break }
        }
        source = tables.isEmpty ? .none : .kern(tables)
    }

    private static func pairSubtable(_ t: FontTable) throws(FontError) -> PairSubtable {
        let format = try t.u16(0)
        guard let coverage = try t.subtable(atOffset16: 2) else { throw t.error(.invalid("pair adjustment without coverage")) }
        try OpenTypeLayout.checkCoverage(coverage)
        let vf1 = try t.u16(4), vf2 = try t.u16(6)
        func advanceOffset(_ vf: UInt16) -> Int? { vf & 0x4 != 0 ? (vf & 0x3).nonzeroBitCount * 2 : nil }
        var sub = PairSubtable(format: format, table: t, coverage: coverage,
                               advance1: advanceOffset(vf1), advance2: advanceOffset(vf2),
                               size1: vf1.nonzeroBitCount * 2, size2: vf2.nonzeroBitCount * 2)
        switch format {
        case 1:
            sub.pairSetCount = Int(try t.u16(8))
            try t.need(10, sub.pairSetCount * 2)
        case 2:
            guard let c1 = try t.subtable(atOffset16: 8), let c2 = try t.subtable(atOffset16: 10) else {
                throw t.error(.invalid("pair adjustment format 2 without class definitions"))
            }
            try OpenTypeLayout.checkClassDef(c1)
            try OpenTypeLayout.checkClassDef(c2)
            sub.classDef1 = c1
            sub.classDef2 = c2
            sub.class1Count = Int(try t.u16(12))
            sub.class2Count = Int(try t.u16(14))
            try t.need(16, sub.class1Count * sub.class2Count * (sub.size1 + sub.size2))
        default:
            throw t.error(.invalid("pair adjustment format \(format)"))
        }
        return sub
    }

    /// Whether the font kerns at all.
    var isEmpty: Bool {
        if case .none = source { return true }
        return false
    }

    /// The adjustment of the advance between `left` and `right`, font units.
    func adjustment(_ left: UInt16, _ right: UInt16) -> Int {
        switch source {
        case .none:
            return 0
        case .kern(let tables):
            var total = 0
            let key = UInt32(left) << 16 | UInt32(right)
            for (pairs, count) in tables { total += Self.kernPair(pairs, count: count, key) }
            return total
        case .gpos(let lookups):
            var total = 0
            for lookup in lookups {
                for sub in lookup {
                    if let value = Self.apply(sub, left, right) { total += value; break }
                }
            }
            return total
        }
    }

    private static func kernPair(_ pairs: FontTable, count: Int, _ key: UInt32) -> Int {
        var low = 0, high = count
        while low < high {
            let mid = (low + high) / 2
            guard let value = try? pairs.u32(mid * 6) else { return 0 }
            if value < key { low = mid + 1 } else if value > key { high = mid } else {
                return Int((try? pairs.i16(mid * 6 + 4)) ?? 0)
            }
        }
        return 0
    }

    /// The subtable's adjustment, or nil when it does not apply to the pair (so the next
    /// subtable of the lookup is tried).
    private static func apply(_ sub: PairSubtable, _ left: UInt16, _ right: UInt16) -> Int? {
        guard let index = OpenTypeLayout.coverageIndex(sub.coverage, left) else { return nil }
        let t = sub.table
        if sub.format == 1 {
            guard index < sub.pairSetCount, let offset = try? t.u16(10 + index * 2),
                  let set = try? t.slice(from: Int(offset)), let count = try? set.u16(0) else { return nil }
            let recordSize = 2 + sub.size1 + sub.size2
            var low = 0, high = Int(count)
            while low < high {
                let mid = (low + high) / 2, record = 2 + mid * recordSize
                guard let second = try? set.u16(record) else { return nil }
                if second < right { low = mid + 1 } else if second > right { high = mid } else {
                    return value(set, record + 2, sub)
                }
            }
            return nil
        }
        guard let c1 = sub.classDef1, let c2 = sub.classDef2 else { return nil }
        let class1 = OpenTypeLayout.glyphClass(c1, left), class2 = OpenTypeLayout.glyphClass(c2, right)
        guard class1 < sub.class1Count, class2 < sub.class2Count else { return nil }
        let record = 16 + (class1 * sub.class2Count + class2) * (sub.size1 + sub.size2)
        return value(t, record, sub)
    }

    /// XAdvance of the first value record plus that of the second, at `record`.
    private static func value(_ t: FontTable, _ record: Int, _ sub: PairSubtable) -> Int {
        var total = 0
        if let a = sub.advance1 { total += Int((try? t.i16(record + a)) ?? 0) }
        if let a = sub.advance2 { total += Int((try? t.i16(record + sub.size1 + a)) ?? 0) }
        return total
    }
}
