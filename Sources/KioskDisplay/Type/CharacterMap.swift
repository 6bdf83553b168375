/// A font's `cmap`: from Unicode scalar values to glyph ids.
///
/// The engine reads the Unicode subtable of format 12 (segmented coverage, every plane)
/// when the font has one, else format 4 (segment mapping, the BMP); platform 3 encodings
/// 10 and 1 and platform 0 are accepted. The chosen subtable's header and arrays are
/// checked against the table's length when the font is loaded; a lookup that would still
/// read outside (a `glyphIdArray` index computed from hostile offsets) answers "no glyph".
/// Glyph ids at or past the font's glyph count are "no glyph" too.
struct CharacterMap: Sendable {
    private enum Subtable: Sendable {
        /// segCount and the offsets (from the subtable's start) of its four arrays.
        case format4(FontTable, segCount: Int)
        /// The groups (12 bytes each) and how many.
        case format12(FontTable, groups: Int)
    }

    private let subtable: Subtable
    private let glyphCount: Int
    /// Glyph ids of U+0000…U+024F (Latin), read once: the characters of nearly every
    /// lookup. 0 = none.
    private var latin: [UInt16] = []

    static let latinRange = 0..<0x250

    init(_ cmap: FontTable, glyphCount: Int) throws(FontError) {
        self.glyphCount = glyphCount
        let version = try cmap.u16(0)
        guard version == 0 else { throw cmap.error(.invalid("cmap version \(version)")) }
        let count = Int(try cmap.u16(2))
        try cmap.need(4, count * 8)
        // Rank: format 12 on a Unicode encoding first, then format 4.
        var best: (rank: Int, offset: Int)? = nil
        for i in 0..<count {
            let record = 4 + i * 8
            let platform = try cmap.u16(record), encoding = try cmap.u16(record + 2)
            let offset = Int(try cmap.u32(record + 4))
            let unicode = platform == 0 || (platform == 3 && (encoding == 1 || encoding == 10))
            guard unicode, offset < cmap.count, offset + 2 <= cmap.count else { continue }
            let format = try cmap.u16(offset)
            let rank: Int
            switch format {
            case 12: rank = 2
            case 4: rank = 1
            default: continue
            }
            if best == nil || rank > best!.rank { best = (rank, offset) }
        }
        guard let best else {
            throw cmap.error(.unsupported("no Unicode subtable of format 4 or 12"))
        }
        let table = try cmap.slice(from: best.offset)
        if try table.u16(0) == 12 {
            let groups = Int(try table.u32(12))
            guard groups <= (table.count - 16) / 12 else {
                throw table.error(.truncated(needed: 16 &+ groups &* 12, available: table.count))
            }
            subtable = .format12(try table.slice(from: 0, length: 16 + groups * 12), groups: groups)
        } else {
            let length = Int(try table.u16(2))
            let segCountX2 = Int(try table.u16(6))
            guard segCountX2 % 2 == 0, segCountX2 > 0 else {
                throw table.error(.invalid("format 4 segCountX2 \(segCountX2)"), at: 6)
            }
            let segCount = segCountX2 / 2
            // endCode, reservedPad, startCode, idDelta, idRangeOffset; glyphIdArray follows.
            try table.need(14, segCount * 8 + 2)
            // Some fonts state a length shorter than their arrays; read up to the table's end.
            let end = min(table.count, max(length, 16 + segCount * 8))
            subtable = .format4(try table.slice(from: 0, length: end), segCount: segCount)
        }
        var latin = [UInt16](repeating: 0, count: Self.latinRange.count)
        for code in Self.latinRange { latin[code] = slowGlyph(for: UInt32(code)) }
        self.latin = latin
    }

    /// The glyph id of `scalar`, or nil when the font has none (glyph 0, `.notdef`, is nil).
    func glyph(for scalar: UInt32) -> UInt16? {
        let id = scalar < UInt32(Self.latinRange.upperBound) ? latin[Int(scalar)] : slowGlyph(for: scalar)
        return id == 0 ? nil : id
    }

    private func slowGlyph(for scalar: UInt32) -> UInt16 {
        let id: UInt16?
        switch subtable {
        case .format12(let table, let groups): id = try? Self.lookup12(table, groups: groups, scalar)
        case .format4(let table, let segCount): id = try? Self.lookup4(table, segCount: segCount, scalar)
        }
        guard let id, Int(id) < glyphCount else { return 0 }
        return id
    }

    private static func lookup12(_ t: FontTable, groups: Int, _ scalar: UInt32) throws(FontError) -> UInt16 {
        var low = 0, high = groups
        while low < high {
            let mid = (low + high) / 2, record = 16 + mid * 12
            let first = try t.u32(record), last = try t.u32(record + 4)
            if scalar < first {
                high = mid
            } else if scalar > last {
                low = mid + 1
            } else {
                let id = UInt64(try t.u32(record + 8)) + UInt64(scalar - first)
                return id <= UInt64(UInt16.max) ? UInt16(id) : 0
            }
        }
        return 0
    }

    private static func lookup4(_ t: FontTable, segCount: Int, _ scalar: UInt32) throws(FontError) -> UInt16 {
        guard scalar <= 0xFFFF else { return 0 }
        let code = UInt16(scalar)
        let ends = 14, starts = 16 + segCount * 2, deltas = starts + segCount * 2, ranges = deltas + segCount * 2
        // The first segment whose endCode >= code (endCodes are sorted).
        var low = 0, high = segCount
        while low < high {
            let mid = (low + high) / 2
            if try t.u16(ends + mid * 2) < code { low = mid + 1 } else { high = mid }
        }
        guard low < segCount else { return 0 }
        let segment = low
        let start = try t.u16(starts + segment * 2)
        guard code >= start else { return 0 }
        let delta = try t.u16(deltas + segment * 2)
        let rangeOffset = Int(try t.u16(ranges + segment * 2))
        if rangeOffset == 0 { return code &+ delta }
        // idRangeOffset counts bytes from its own position in the array.
        let at = ranges + segment * 2 + rangeOffset + Int(code - start) * 2
        let id = try t.u16(at)
        return id == 0 ? 0 : id &+ delta
    }
}
