/// Horizontal kerning between two glyphs: `GPOS` pair adjustment (lookup type 2, formats
/// 1 and 2, also behind extension lookups, type 9) of the `kern` feature, or, for fonts
/// without it, the `kern` table's format 0 pairs.
///
/// As a shaper does: the feature's lookups apply in order and their adjustments add up;
/// within a lookup the first subtable whose coverage holds the left glyph decides when it
/// has a value for the pair (format 1: the pair is listed; format 2: always, class 0
/// included), else the next one covering it is tried. Only the advance adjustments
/// (`XAdvance` of both value records) are read: they are what Latin kerning uses;
/// placement and device-table adjustments are ignored.
///
/// Speed: measuring asks for every neighbouring pair of every string the layout tries, so
/// the coverage tables are inverted once, when the face is made, into an index from each
/// left glyph to the subtables covering it (with its coverage index); a pair then costs a
/// binary search in a pair set or two class lookups. Subtables are kept as plain offsets
/// into the one `GPOS` view, so looking one up copies no references.
struct PairKerning: Sendable {
    private struct PairSubtable: Sendable {
        var format: UInt16
        /// Offsets from the start of the `GPOS` view.
        var start: Int
        var classDef1 = 0
        var classDef2 = 0
        /// Byte offsets of XAdvance inside each value record, -1 when absent.
        var advance1: Int
        var advance2: Int
        /// Bytes of the two value records.
        var size1: Int
        var size2: Int
        var pairSetCount = 0
        var class1Count = 0
        var class2Count = 0
    }

    /// One subtable covering a left glyph: which lookup, which subtable, and the glyph's
    /// coverage index (format 1: its pair set) or class (format 2: its row).
    private struct Entry: Sendable {
        var lookup: UInt16
        var subtable: UInt16
        var coverageIndex: UInt16
    }

    private enum Source: Sendable {
        case none
        /// The GPOS view, its pair subtables, and per left glyph (CSR layout: entries
        /// `firstEntry[g]..<firstEntry[g + 1]`) the subtables covering it, in lookup order.
        case gpos(FontTable, [PairSubtable], firstEntry: [UInt32], entries: [Entry])
        /// Format 0 subtables: the pairs (6 bytes each) and how many.
        case kern([(pairs: FontTable, count: Int)])
    }

    private let source: Source

    /// How many (left glyph, subtable) entries the index may hold: real fonts list a few
    /// thousand (Lato: 2,266); a hostile coverage table repeating 65,535-glyph ranges
    /// would otherwise ask for billions.
    static let maxEntries = 1_000_000

    /// No kerning.
    init() { source = .none }

    /// From `GPOS`: nil when the table has no `kern` feature for Latin (fall back to `kern`).
    init?(gpos: FontTable, glyphCount: Int) throws(FontError) {
        let lookups = try OpenTypeLayout.lookups(of: gpos, feature: "kern", extensionType: 9)
        var subtables: [PairSubtable] = []
        var covering = [[Entry]](repeating: [], count: glyphCount)
        var lookupNumber: UInt16 = 0
        var entryCount = 0
        for lookup in lookups {
            var any = false
            for sub in lookup where sub.type == 2 {
                let (subtable, coverage) = try Self.pairSubtable(sub.table, in: gpos)
                guard subtables.count < Int(UInt16.max) else { throw gpos.error(.limitExceeded("more than 65,535 pair subtables")) }
                let number = UInt16(subtables.count)
                subtables.append(subtable)
                let classes = subtable.format == 2 ? try gpos.slice(from: subtable.classDef1) : nil
                try OpenTypeLayout.forEachCovered(coverage, glyphCount: glyphCount) { (glyph, index) throws(FontError) in
                    entryCount += 1
                    guard entryCount <= Self.maxEntries else {
                        throw coverage.error(.limitExceeded("kerning coverage lists more than \(Self.maxEntries) glyphs"))
                    }
                    let key = classes.map { OpenTypeLayout.glyphClass($0, glyph) } ?? index
                    if key <= Int(UInt16.max) {
                        covering[Int(glyph)].append(Entry(lookup: lookupNumber, subtable: number, coverageIndex: UInt16(key)))
                    }
                }
                any = true
            }
            if any { lookupNumber &+= 1 }
        }
        guard !subtables.isEmpty else { return nil }
        var firstEntry: [UInt32] = []
        firstEntry.reserveCapacity(glyphCount + 1)
        var entries: [Entry] = []
        for list in covering {
            firstEntry.append(UInt32(entries.count))
            entries += list
        }
        firstEntry.append(UInt32(entries.count))
        source = .gpos(gpos, subtables, firstEntry: firstEntry, entries: entries)
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

    /// Reads and checks one PairPos subtable; returns it with its coverage table.
    private static func pairSubtable(_ t: FontTable, in gpos: FontTable) throws(FontError) -> (PairSubtable, FontTable) {
        let format = try t.u16(0)
        guard let coverage = try t.subtable(atOffset16: 2) else { throw t.error(.invalid("pair adjustment without coverage")) }
        try OpenTypeLayout.checkCoverage(coverage)
        let vf1 = try t.u16(4), vf2 = try t.u16(6)
        func advanceOffset(_ vf: UInt16) -> Int { vf & 0x4 != 0 ? (vf & 0x3).nonzeroBitCount * 2 : -1 }
        var sub = PairSubtable(format: format, start: t.start - gpos.start,
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
            sub.classDef1 = c1.start - gpos.start
            sub.classDef2 = c2.start - gpos.start
            sub.class1Count = Int(try t.u16(12))
            sub.class2Count = Int(try t.u16(14))
            try t.need(16, sub.class1Count * sub.class2Count * (sub.size1 + sub.size2))
        default:
            throw t.error(.invalid("pair adjustment format \(format)"))
        }
        return (sub, coverage)
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
        case .gpos(let gpos, let subtables, let firstEntry, let entries):
            let g = Int(left)
            guard g + 1 < firstEntry.count else { return 0 }
            var total = 0
            var decided: UInt16? = nil // the lookup that has already decided
            for i in Int(firstEntry[g])..<Int(firstEntry[g + 1]) {
                let entry = entries[i]
                if entry.lookup == decided { continue }
                if let value = Self.apply(subtables[Int(entry.subtable)], coverageIndex: Int(entry.coverageIndex), right, gpos) {
                    total += value
                    decided = entry.lookup
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

    /// The subtable's adjustment for a left glyph it covers at `coverageIndex`, or nil when
    /// it has nothing for the pair (so the next subtable of the lookup is tried).
    private static func apply(_ sub: PairSubtable, coverageIndex index: Int, _ right: UInt16, _ gpos: FontTable) -> Int? {
        if sub.format == 1 {
            guard index < sub.pairSetCount, let offset = try? gpos.u16(sub.start + 10 + index * 2),
                  let count = try? gpos.u16(sub.start + Int(offset)) else { return nil }
            let set = sub.start + Int(offset)
            let recordSize = 2 + sub.size1 + sub.size2
            var low = 0, high = Int(count)
            while low < high {
                let mid = (low + high) / 2, record = set + 2 + mid * recordSize
                guard let second = try? gpos.u16(record) else { return nil }
                if second < right { low = mid + 1 } else if second > right { high = mid } else {
                    return value(gpos, record + 2, sub)
                }
            }
            return nil
        }
        // Format 2: `index` holds the left glyph's class (found when the index was built).
        guard let classes = try? gpos.slice(from: sub.classDef2) else { return nil }
        let class2 = OpenTypeLayout.glyphClass(classes, right)
        guard index < sub.class1Count, class2 < sub.class2Count else { return nil }
        return value(gpos, sub.start + 16 + (index * sub.class2Count + class2) * (sub.size1 + sub.size2), sub)
    }

    /// XAdvance of the first value record plus that of the second, at `record`.
    private static func value(_ t: FontTable, _ record: Int, _ sub: PairSubtable) -> Int {
        var total = 0
        if sub.advance1 >= 0 { total += Int((try? t.i16(record + sub.advance1)) ?? 0) }
        if sub.advance2 >= 0 { total += Int((try? t.i16(record + sub.size1 + sub.advance2)) ?? 0) }
        return total
    }
}
