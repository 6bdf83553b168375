/// The parts of OpenType's common layout tables that `GPOS` kerning and `GSUB` tabular
/// figures share: the script → language system → feature → lookup chain, extension
/// lookups, coverage tables and class definitions (OpenType 1.9, "OpenType Layout
/// Common Table Formats").
///
/// Offsets are followed only after the range they point into is checked (`FontTable`);
/// `coverageIndex` and `glyphClass` answer "not covered" / class 0 when a table is cut
/// short, so a lookup at drawing time never throws.
enum OpenTypeLayout {
    /// One subtable of a lookup, with the lookup's type after extension lookups are
    /// followed.
    struct Subtable {
        var type: UInt16
        var table: FontTable
    }

    /// The subtables, in order, of the lookups of `feature` for the Latin script (`latn`,
    /// else `DFLT`, else the first script), default language system; lookups in list
    /// order, as a shaper applies them. `extensionType` is 9 for `GPOS`, 7 for `GSUB`.
    /// A table without the feature gives no lookups.
    static func lookups(of table: FontTable, feature: String, extensionType: UInt16) throws(FontError) -> [[Subtable]] {
        let major = try table.u16(0)
        guard major == 1 else { throw table.error(.unsupported("\(table.tag) version \(major)")) }
        guard let scripts = try table.subtable(atOffset16: 4),
              let features = try table.subtable(atOffset16: 6),
              let lookupList = try table.subtable(atOffset16: 8) else { return [] }

        // Script: latn, DFLT, or the first.
        let scriptCount = Int(try scripts.u16(0))
        try scripts.need(2, scriptCount * 6)
        var chosen: FontTable? = nil
        for wanted in ["latn", "DFLT", nil] as [String?] {
            for i in 0..<scriptCount {
                let tag = tagString(try scripts.u32(2 + i * 6))
                if wanted == nil || tag == wanted {
                    chosen = try scripts.subtable(atOffset16: 2 + i * 6 + 4)
                    break
                }
            }
            if chosen != nil { break }
        }
        guard let script = chosen, let langSys = try script.subtable(atOffset16: 0) else { return [] }

        // The language system's features named `feature`, and their lookups.
        let featureCount = Int(try features.u16(0))
        try features.need(2, featureCount * 6)
        var indices = Set<Int>()
        let required = Int(try langSys.u16(2))
        let count = Int(try langSys.u16(4))
        try langSys.need(6, count * 2)
        var featureIndices = (0..<count).map { i in Int((try? langSys.u16(6 + i * 2)) ?? 0xFFFF) }
        if required != 0xFFFF { featureIndices.append(required) }
        for index in featureIndices where index < featureCount {
            guard tagString(try features.u32(2 + index * 6)) == feature,
                  let record = try features.subtable(atOffset16: 2 + index * 6 + 4) else { continue }
            let lookupCount = Int(try record.u16(2))
            try record.need(4, lookupCount * 2)
            for j in 0..<lookupCount { indices.insert(Int(try record.u16(4 + j * 2))) }
        }

        let lookupCount = Int(try lookupList.u16(0))
        try lookupList.need(2, lookupCount * 2)
        var result: [[Subtable]] = []
        for index in indices.sorted() {
            guard index < lookupCount else {
                throw lookupList.error(.invalid("lookup index \(index) of \(lookupCount)"))
            }
            guard let lookup = try lookupList.subtable(atOffset16: 2 + index * 2) else { continue }
            let type = try lookup.u16(0)
            let subtableCount = Int(try lookup.u16(4))
            try lookup.need(6, subtableCount * 2)
            var subtables: [Subtable] = []
            for k in 0..<subtableCount {
                guard var sub = try lookup.subtable(atOffset16: 6 + k * 2) else { continue }
                var subType = type
                if type == extensionType {
                    // ExtensionPosFormat1 / ExtensionSubstFormat1: format, type, Offset32.
                    guard try sub.u16(0) == 1 else { throw sub.error(.invalid("extension format")) }
                    subType = try sub.u16(2)
                    guard subType != extensionType else { throw sub.error(.invalid("extension of an extension")) }
                    sub = try sub.slice(from: Int(try sub.u32(4)))
                }
                subtables.append(Subtable(type: subType, table: sub))
            }
            result.append(subtables)
        }
        return result
    }

    /// Checks a coverage table's header and array length (done once, at load).
    static func checkCoverage(_ coverage: FontTable) throws(FontError) {
        let format = try coverage.u16(0)
        let count = Int(try coverage.u16(2))
        switch format {
        case 1: try coverage.need(4, count * 2)
        case 2: try coverage.need(4, count * 6)
        default: throw coverage.error(.invalid("coverage format \(format)"))
        }
    }

    /// Checks a class definition's header and array length (done once, at load).
    static func checkClassDef(_ classDef: FontTable) throws(FontError) {
        let format = try classDef.u16(0)
        switch format {
        case 1: try classDef.need(6, Int(try classDef.u16(4)) * 2)
        case 2: try classDef.need(4, Int(try classDef.u16(2)) * 6)
        default: throw classDef.error(.invalid("class definition format \(format)"))
        }
    }

    /// Calls `body` with every glyph (below `glyphCount`) the coverage table lists and its
    /// coverage index. Ranges are clipped to the glyph count, so a hostile range costs at
    /// most one call per glyph of the font.
    static func forEachCovered(_ coverage: FontTable, glyphCount: Int, _ body: (UInt16, Int) throws(FontError) -> Void) throws(FontError) {
        let format = try coverage.u16(0), count = Int(try coverage.u16(2))
        if format == 1 {
            for i in 0..<count {
                let glyph = try coverage.u16(4 + i * 2)
                if Int(glyph) < glyphCount { try body(glyph, i) }
            }
        } else if format == 2 {
            for i in 0..<count {
                let record = 4 + i * 6
                let start = Int(try coverage.u16(record)), end = min(Int(try coverage.u16(record + 2)), glyphCount - 1)
                let first = Int(try coverage.u16(record + 4))
                guard start <= end else { continue }
                for glyph in start...end { try body(UInt16(glyph), first + glyph - start) }
            }
        }
    }

    /// The coverage index of `glyph`, or nil when the table does not cover it.
    static func coverageIndex(_ coverage: FontTable, _ glyph: UInt16) -> Int? {
        try? coverageIndexThrowing(coverage, glyph)
    }

    private static func coverageIndexThrowing(_ coverage: FontTable, _ glyph: UInt16) throws(FontError) -> Int? {
        let format = try coverage.u16(0), count = Int(try coverage.u16(2))
        var low = 0, high = count
        if format == 1 {
            while low < high {
                let mid = (low + high) / 2, value = try coverage.u16(4 + mid * 2)
                if value < glyph { low = mid + 1 } else if value > glyph { high = mid } else { return mid }
            }
        } else if format == 2 {
            while low < high {
                let mid = (low + high) / 2, record = 4 + mid * 6
                let start = try coverage.u16(record), end = try coverage.u16(record + 2)
                if end < glyph { low = mid + 1 } else if start > glyph { high = mid } else {
                    return Int(try coverage.u16(record + 4)) + Int(glyph - start)
                }
            }
        }
        return nil
    }

    /// The class of `glyph` (0 when the table does not list it).
    static func glyphClass(_ classDef: FontTable, _ glyph: UInt16) -> Int {
        (try? glyphClassThrowing(classDef, glyph)) ?? 0
    }

    private static func glyphClassThrowing(_ classDef: FontTable, _ glyph: UInt16) throws(FontError) -> Int {
        let format = try classDef.u16(0)
        if format == 1 {
            let start = try classDef.u16(2), count = Int(try classDef.u16(4))
            guard glyph >= start, Int(glyph - start) < count else { return 0 }
            return Int(try classDef.u16(6 + Int(glyph - start) * 2))
        }
        guard format == 2 else { return 0 }
        var low = 0, high = Int(try classDef.u16(2))
        while low < high {
            let mid = (low + high) / 2, record = 4 + mid * 6
            let start = try classDef.u16(record), end = try classDef.u16(record + 2)
            if end < glyph { low = mid + 1 } else if start > glyph { high = mid } else {
                return Int(try classDef.u16(record + 4))
            }
        }
        return 0
    }

    static func tagString(_ value: UInt32) -> String {
        String(decoding: [24, 16, 8, 0].map { UInt8(truncatingIfNeeded: value >> $0) }, as: UTF8.self)
    }
}
