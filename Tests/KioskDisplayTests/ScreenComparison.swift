import Testing
import KioskDisplay

/// Compares two grids and reports the first differing cells readably (a whole `CellGrid`
/// dump is thousands of lines).
func expectSameScreen(
    _ actual: CellGrid, _ expected: CellGrid, _ context: String = "",
    sourceLocation: SourceLocation = #_sourceLocation
) {
    guard actual.width == expected.width, actual.height == expected.height else {
        Issue.record("size \(actual.width)x\(actual.height) != \(expected.width)x\(expected.height) \(context)",
                     sourceLocation: sourceLocation)
        return
    }
    var differences: [String] = []
    for row in 0..<actual.height {
        for column in 0..<actual.width where actual[column, row] != expected[column, row] {
            let a = actual[column, row], e = expected[column, row]
            differences.append("(\(column),\(row)): \(a.text.debugDescription)/\(a.width) \(a.style) != \(e.text.debugDescription)/\(e.width) \(e.style)")
        }
    }
    if !differences.isEmpty {
        Issue.record("\(differences.count) cells differ \(context): \(differences.prefix(3).joined(separator: "; "))",
                     sourceLocation: sourceLocation)
    }
}
