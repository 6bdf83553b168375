import Foundation

/// One measured figure of a benchmark section, named for machines (`feeds.time.median_ms`)
/// and for people ("parse + expand, median").
struct BenchFigure {
    var key: String
    var label: String
    var value: Double
    var unit: String

    var formattedValue: String {
        if value == value.rounded(), abs(value) < 1e15 { return String(Int(value)) }
        return String(format: "%.3f", value)
    }
}

/// How figures are printed: a Markdown table for people, `key=value` lines for scripts
/// (`scripts/bench-feeds` reads those).
enum BenchOutputFormat: String {
    case table, kv

    func render(title: String, _ figures: [BenchFigure]) -> String {
        switch self {
        case .kv:
            return figures.map { "\($0.key)=\($0.formattedValue)" }.joined(separator: "\n")
        case .table:
            var lines = ["## \(title)", "", "| measure | value | unit |", "| --- | ---: | --- |"]
            for figure in figures { lines.append("| \(figure.label) | \(figure.formattedValue) | \(figure.unit) |") }
            return lines.joined(separator: "\n")
        }
    }
}
