/// A `GSUB` feature made of single substitutions (lookup type 1, formats 1 and 2, also
/// behind extension lookups, type 7): one glyph for another, as `tnum` (tabular figures)
/// does. Lookups of other types in the feature are ignored.
struct SingleSubstitution: Sendable {
    private struct Rule: Sendable {
        var format: UInt16
        var table: FontTable
        var coverage: FontTable
    }

    /// Lookups in order, each a list of subtables.
    private let lookups: [[Rule]]

    /// No substitution.
    init() { lookups = [] }

    init(gsub: FontTable, feature: String) throws(FontError) {
        var result: [[Rule]] = []
        for lookup in try OpenTypeLayout.lookups(of: gsub, feature: feature, extensionType: 7) {
            var rules: [Rule] = []
            for sub in lookup where sub.type == 1 {
                let t = sub.table
                let format = try t.u16(0)
                guard format == 1 || format == 2 else { throw t.error(.invalid("single substitution format \(format)")) }
                guard let coverage = try t.subtable(atOffset16: 2) else { throw t.error(.invalid("substitution without coverage")) }
                try OpenTypeLayout.checkCoverage(coverage)
                if format == 2 { try t.need(6, Int(try t.u16(4)) * 2) }
                rules.append(Rule(format: format, table: t, coverage: coverage))
            }
            if !rules.isEmpty { result.append(rules) }
        }
        lookups = result
    }

    var isEmpty: Bool { lookups.isEmpty }

    /// `glyph` after every lookup of the feature (itself when none applies).
    func substitute(_ glyph: UInt16) -> UInt16 {
        var current = glyph
        for lookup in lookups {
            for rule in lookup {
                guard let index = OpenTypeLayout.coverageIndex(rule.coverage, current) else { continue }
                if rule.format == 1 {
                    current = current &+ ((try? rule.table.u16(4)) ?? 0)
                } else if let count = try? rule.table.u16(4), index < Int(count), let id = try? rule.table.u16(6 + index * 2) {
                    current = id
                }
                break
            }
        }
        return current
    }
}
