import Foundation

extension LobbyLayout {
    /// A staff alert over the whole screen (`LobbySnapshot.alert`): one fill of the level's
    /// role, and centred lines in its text role: the heading, the title at the headline
    /// scale (three lines at most), the text (six), the assembly point of an evacuation,
    /// the other language's version, and the footer on the last row. Lines that do not fit
    /// are left out from the bottom of the list up (the footer and the title stay).
    func layoutAlert(_ alert: LobbySnapshot.Alert, metrics m: Metrics) -> ScreenModel {
        var screen = ScreenModel(columns: m.columns, rows: m.rows)
        let whole = CellRect(column: 0, row: 0, width: m.columns, height: m.rows)
        screen.fills.append(Fill(whole, alert.level.fillRole))
        let role = alert.level.textRole
        let s = max(1, m.headlineScale)
        let margin = m.columns >= 60 ? 4 : 1
        let width = max(1, m.columns - 2 * margin)
        // Big lines take `scale` rows; every block is followed by a blank row.
        struct Line { var text: String; var scale: Int; var bold: Bool }
        var blocks: [[Line]] = []
        blocks.append([Line(text: alert.heading, scale: s, bold: true)])
        blocks.append(wrap(alert.title, width: max(1, width / s)).prefix(3).map { Line(text: $0, scale: s, bold: true) })
        if !alert.text.isEmpty { blocks.append(wrap(alert.text, width: width).prefix(6).map { Line(text: $0, scale: 1, bold: false) }) }
        if let place = alert.assemblyPoint {
            let big = displayWidth(place) * s <= width
            blocks.append(wrap(place, width: big ? width / s : width).prefix(2).map { Line(text: $0, scale: big ? s : 1, bold: true) })
        }
        var other: [Line] = []
        if let title = alert.otherTitle { other += wrap(title, width: width).prefix(2).map { Line(text: $0, scale: 1, bold: true) } }
        if let text = alert.otherText, !text.isEmpty { other += wrap(text, width: width).prefix(3).map { Line(text: $0, scale: 1, bold: false) } }
        if !other.isEmpty { blocks.append(other) }
        // Keep the heading and the title; drop other blocks from the end until it fits
        // above the footer row (and the welcome line above it).
        func height(_ blocks: [[Line]]) -> Int { blocks.reduce(0) { $0 + $1.reduce(0) { $0 + $1.scale } + 1 } - 1 }
        let available = m.rows - 3
        while blocks.count > 2 && height(blocks) > available { blocks.removeLast() }
        var row = max(0, (available - height(blocks)) / 2)
        for block in blocks {
            for line in block where row + line.scale <= m.rows - 2 {
                screen.runs.append(TextRun(
                    column: margin + m.shift, row: row, width: width, text: line.text, role: role, scale: line.scale,
                    alignment: .center, bold: line.bold))
                row += line.scale
            }
            row += 1
        }
        screen.runs.append(TextRun(column: margin, row: m.rows - 1, width: width, text: alert.footer, role: role, alignment: .center))
        return screen
    }
}
