import Foundation

/// What the badge check-in adds to the lobby screen: the welcome after a scan, drawn as
/// a centred box over everything else, and the reader's trouble, said quietly in the
/// footer (never as an error in the visitor's face).
///
/// Pure data; ``LobbyLayout/addCheckIn(_:to:metrics:)`` lays it out on the same
/// ``ScreenModel`` as the rest of the lobby, so the terminal and the framebuffer show it
/// alike (roles `.overlay`, `.overlayTitle`, `.overlayText`; the notice is `.muted`).
public struct CheckInOverlay: Sendable, Hashable {
    /// The welcome of the last committed scan; nil when none is on screen.
    public var welcome: WelcomeMessage?
    /// What is on today, under the welcome ("Aujourd'hui : 14:00 Atelier sérigraphie");
    /// nil for an unknown badge or a day without events.
    public var today: String?
    /// "Lecteur de badges déconnecté" while the reader is away; nil otherwise.
    public var readerNotice: String?

    public init(welcome: WelcomeMessage? = nil, today: String? = nil, readerNotice: String? = nil) {
        self.welcome = welcome
        self.today = today
        self.readerNotice = readerNotice
    }

    /// Nothing to add.
    public var isEmpty: Bool { welcome == nil && readerNotice == nil }
}

extension LobbyLayout {
    /// Adds the check-in's welcome box and footer notice on top of a laid-out lobby.
    ///
    /// The box is centred, two thirds of the width (at least 40 columns when the screen
    /// has them), as tall as its lines: the headline at the headline scale (wrapped on
    /// two lines at most), then the detail and what is on today at scale 1.
    public func addCheckIn(_ checkIn: CheckInOverlay, to screen: inout ScreenModel, metrics m: Metrics) {
        guard m.columns >= 20, m.rows >= 8 else { return }
        if let alertRole = screen.fills.first.flatMap({ ScreenAlert.Level.level(ofFill: $0.role) })?.textRole {
            // Under a staff alert the scan is recorded as usual; its welcome is one line
            // above the alert's footer, never a box over the alert.
            if let welcome = checkIn.welcome {
                let text = [welcome.headline, welcome.detail ?? ""].filter { !$0.isEmpty }.joined(separator: " — ")
                screen.runs.append(TextRun(column: 1, row: m.rows - 2, width: m.columns - 2, text: text, role: alertRole, alignment: .center))
            }
            return
        }
        if let notice = checkIn.readerNotice { addFooterNotice(notice, to: &screen, metrics: m) }
        guard let welcome = checkIn.welcome else { return }
        let s = max(1, m.headlineScale)
        let boxWidth = min(m.columns - 2, max(min(40, m.columns - 2), m.columns * 2 / 3))
        let inner = boxWidth - 4
        let headline = Array(wrap(welcome.headline, width: max(1, inner / s)).prefix(2))
        var smallLines: [String] = []
        if let detail = welcome.detail, !detail.isEmpty { smallLines += wrap(detail, width: inner).prefix(2) }
        if let today = checkIn.today, !today.isEmpty { smallLines += wrap(today, width: inner).prefix(2) }
        // padding, headline rows, a blank row before the small lines, small lines, padding
        var height = 2 + headline.count * s + (smallLines.isEmpty ? 0 : 1 + smallLines.count)
        height = min(height, m.rows)
        let box = CellRect(column: (m.columns - boxWidth) / 2, row: max(0, (m.rows - height) / 2), width: boxWidth, height: height)
        screen.fills.append(Fill(box, .overlay))
        var row = box.row + 1
        for line in headline where row + s <= box.maxRow {
            screen.runs.append(TextRun(column: box.column + 2, row: row, width: inner, text: line, role: .overlayTitle, scale: s, alignment: .center, bold: true))
            row += s
        }
        row += 1
        for line in smallLines where row < box.maxRow {
            screen.runs.append(TextRun(column: box.column + 2, row: row, width: inner, text: line, role: .overlayText, alignment: .center))
            row += 1
        }
    }

    /// The notice goes in the footer's middle when free, else just after the left-hand
    /// text, else in place of the right-hand text (the panel dots matter least).
    private func addFooterNotice(_ notice: String, to screen: inout ScreenModel, metrics m: Metrics) {
        let row = m.rows - 1
        let width = min(displayWidth(notice), m.columns - 2)
        let footerRuns = screen.runs.indices.filter { screen.runs[$0].row == row }
        let spans = footerRuns.map { i -> (Int, Int) in
            let run = screen.runs[i]
            let used = min(run.width, displayWidth(run.text) * run.scale)
            let start = run.alignment == .trailing ? run.column + run.width - used : run.column
            return (start, start + used)
        }
        func isFree(_ column: Int) -> Bool {
            column >= 0 && column + width <= m.columns && spans.allSatisfy { column + width + 2 <= $0.0 || $0.1 + 2 <= column }
        }
        let centred = (m.columns - width) / 2
        let afterLeft = (spans.filter { $0.0 < m.columns / 2 }.map(\.1).max() ?? 0) + 3
        var column: Int
        if isFree(centred) {
            column = centred
        } else if isFree(afterLeft) {
            column = afterLeft
        } else {
            // Drop what sits on the right half of the footer and take its place.
            screen.runs.removeAll { $0.row == row && $0.column >= m.columns / 2 }
            column = max(m.columns / 2, m.columns - 1 - width)
        }
        column = max(0, column)
        screen.runs.append(TextRun(column: column, row: row, width: width, text: notice, role: .muted))
    }
}
