import Foundation
import KioskCore

/// Attendance for funders as a bar chart drawn in SVG by the kiosk itself (no script, no
/// library), with the same numbers as a table and as CSV: people per day or per ISO week
/// over a period, in total or by role (stacked bars), or people per event (one bar each).
///
/// Built from the API's attendance rows (`AttendanceBody.Row`): `day` rows for the totals,
/// `day-role` rows for roles, `event` rows for events, so the staff page, kioskctl on the
/// board and kioskctl through the API draw the same chart. Every bar carries its numbers
/// (`data-key`, `data-series`, `data-value` and a `<title>`), which the tests compare with
/// the CSV. Pure: no clock, no store.
public struct AttendanceChart: Sendable {
    public enum Step: String, Sendable, CaseIterable { case day, week }
    public enum Split: String, Sendable, CaseIterable { case total, role, event }

    /// One bar: a day or week (or an event), and its parts.
    public struct Bar: Sendable, Hashable {
        /// `2026-11-24`, `2026-W48`, or an event's UID.
        public var key: String
        /// What is written under (or beside) the bar.
        public var label: String
        /// (series, people): one part in total, one per role, one for an event.
        public var parts: [Part]
        public var total: Int { parts.reduce(0) { $0 + $1.value } }
    }

    public struct Part: Sendable, Hashable {
        public var series: String
        public var value: Int
    }

    public let from: CivilDate
    public let to: CivilDate
    public let step: Step
    public let split: Split
    public let language: Language
    public private(set) var bars: [Bar] = []
    /// The series in the order of the legend.
    public private(set) var series: [String] = []

    /// The grouping of the rows the chart needs from the API.
    public static func grouping(for split: Split) -> AttendanceQuery.Grouping {
        switch split {
        case .total: .day
        case .role: .dayRole
        case .event: .event
        }
    }

    public init(rows: [AttendanceBody.Row], from: CivilDate, to: CivilDate, step: Step, split: Split, language: Language) {
        self.from = from
        self.to = to
        self.step = step
        self.split = split
        self.language = language
        switch split {
        case .event:
            var byEvent: [String: (title: String, first: String, value: Int)] = [:]
            for row in rows {
                guard let uid = row.eventUID else { continue }
                var entry = byEvent[uid] ?? (row.eventTitle ?? uid, row.day ?? "", 0)
                entry.value += row.count
                if let day = row.day, day < entry.first { entry.first = day }
                byEvent[uid] = entry
            }
            bars = byEvent.sorted { ($0.value.first, $0.value.title, $0.key) < ($1.value.first, $1.value.title, $1.key) }.map { uid, entry in
                Bar(key: uid, label: entry.title, parts: [Part(series: Self.word("people", language), value: entry.value)])
            }
            series = [Self.word("people", language)]
        case .total, .role:
            // Every day or week of the period, empty ones included.
            var keys: [String] = []
            var labels: [String: String] = [:]
            var day = from
            while day <= to {
                let key = step == .day ? day.description : day.isoWeek
                if labels[key] == nil {
                    keys.append(key)
                    labels[key] = step == .day ? Self.shortDay(day) : Self.weekLabel(day.isoWeekMonday, language)
                }
                day = day.adding(days: 1)
            }
            var values: [String: [String: Int]] = [:]
            let roleOrder = Person.Role.allCases.map(\.rawValue)
            var seen = Set<String>()
            for row in rows {
                guard let text = row.day, let date = CivilDate(iso: text), date >= from, date <= to else { continue }
                let key = step == .day ? date.description : date.isoWeek
                let name = split == .role ? (row.role ?? "?") : Self.word("people", language)
                values[key, default: [:]][name, default: 0] += row.count
                seen.insert(name)
            }
            series = split == .role
                ? roleOrder.filter(seen.contains) + seen.subtracting(roleOrder).sorted()
                : [Self.word("people", language)]
            bars = keys.map { key in
                Bar(key: key, label: labels[key]!, parts: series.map { Part(series: $0, value: values[key]?[$0] ?? 0) })
            }
        }
    }

    // MARK: Table and CSV

    /// The header of the table and the CSV: the bucket (or event), one column per series,
    /// and the total when split by role.
    public var columns: [String] {
        var columns = [split == .event ? Self.word("event", language) : (step == .day ? Self.word("day", language) : Self.word("week", language))]
        columns += split == .role ? series.map { Self.roleName($0, language) } + [Self.word("total", language)] : series
        return columns
    }

    /// One row per bar, in the order of `columns`: keys as the CSV has them (ISO days,
    /// ISO weeks `2026-W48`, event titles).
    public var tableRows: [[String]] {
        bars.map { bar in
            var row = [split == .event ? bar.label : bar.key]
            row += bar.parts.map { String($0.value) }
            if split == .role { row.append(String(bar.total)) }
            return row
        }
    }

    /// The table's rows as the page shows them: short days (`05/12`), weeks by their Monday.
    public var displayRows: [[String]] {
        zip(bars, tableRows).map { bar, row in [split == .event ? row[0] : bar.label] + row.dropFirst() }
    }

    /// RFC 4180 CSV of the table, with its header line.
    public func csv() -> String {
        var rows = [columns] + tableRows
        if split == .event {
            rows = [["event_uid"] + columns] + zip(bars, tableRows).map { [$0.key] + $1 }
        }
        return CSV.format(rows)
    }

    // MARK: SVG

    /// The chart as an SVG document (`standalone`: with the XML namespace, to save as a
    /// file; otherwise to put inside an HTML page).
    public func svg(standalone: Bool = true) -> String {
        split == .event ? horizontalSVG(standalone: standalone) : verticalSVG(standalone: standalone)
    }

    static let palette = ["#0b4f8a", "#1d6b2f", "#b36b00", "#7a2e8a", "#b00020", "#4a4a4a"]

    private func colour(_ series: String) -> String {
        Self.palette[(self.series.firstIndex(of: series) ?? 0) % Self.palette.count]
    }

    /// A round top for the axis: 1, 2 or 5 times a power of ten, at least 4.
    static func axisTop(_ maximum: Int) -> Int {
        var unit = 1
        while true {
            for m in [1, 2, 5] where m * unit >= max(4, maximum) { return m * unit }
            unit *= 10
        }
    }

    /// Up to this many bars the chart is drawn to fit a phone's width; beyond, at a fixed
    /// pitch, wider than the screen.
    static let fittingBars = 62

    private func verticalSVG(standalone: Bool) -> String {
        // Room for the labels at a size that stays legible once scaled to a phone.
        let pitch = bars.count <= Self.fittingBars ? max(9, min(24, 520 / max(1, bars.count))) : 9
        let barWidth = max(5, pitch * 7 / 10), left = 48, top = standalone ? 56 : 16, plotHeight = 220, bottom = 70
        let legendHeight = split == .role ? 26 * ((series.count + 1) / 2) : 0
        let width = max(360, left + bars.count * pitch + 24)
        let height = top + plotHeight + bottom + legendHeight
        let axis = Self.axisTop(bars.map(\.total).max() ?? 0)
        func y(_ value: Int) -> Double { Double(top + plotHeight) - Double(value) * Double(plotHeight) / Double(axis) }
        var out = header(width: width, height: height, standalone: standalone)
        for tick in 0...4 {
            let value = axis * tick / 4
            let ty = Self.number(y(value))
            out += "<line x1=\"\(left)\" y1=\"\(ty)\" x2=\"\(width - 8)\" y2=\"\(ty)\" stroke=\"#ccc\" stroke-width=\"1\"/>"
            out += "<text x=\"\(left - 6)\" y=\"\(Self.number(y(value) + 5))\" font-size=\"15\" text-anchor=\"end\">\(value)</text>\n"
        }
        // One label in as many as keep them apart (about 34 units each).
        let labelEvery = max(1, Int((34.0 / Double(pitch)).rounded(.up)))
        for (index, bar) in bars.enumerated() {
            let bx = left + 8 + index * pitch
            var base = 0
            for part in bar.parts where part.value > 0 {
                let y0 = y(base + part.value), h = y(base) - y0
                out += "<rect class=\"bar\" x=\"\(bx)\" y=\"\(Self.number(y0))\" width=\"\(barWidth)\" height=\"\(Self.number(h))\" fill=\"\(colour(part.series))\""
                    + " data-key=\"\(x(bar.key))\" data-series=\"\(x(part.series))\" data-value=\"\(part.value)\">"
                    + "<title>\(x(bar.label)) · \(x(Self.roleName(part.series, language))) : \(part.value)</title></rect>\n"
                base += part.value
            }
            if (bars.count - 1 - index) % labelEvery == 0 {
                let lx = bx + barWidth / 2, ly = top + plotHeight + 14
                out += "<text x=\"\(lx)\" y=\"\(ly)\" font-size=\"15\" text-anchor=\"end\" transform=\"rotate(-45 \(lx) \(ly))\">\(x(bar.label))</text>\n"
            }
        }
        if split == .role {
            for (index, name) in series.enumerated() {
                let lx = left + (index % 2) * 150, ly = top + plotHeight + bottom + 26 * (index / 2)
                out += "<rect x=\"\(lx)\" y=\"\(ly)\" width=\"16\" height=\"16\" fill=\"\(colour(name))\"/>"
                out += "<text x=\"\(lx + 22)\" y=\"\(ly + 14)\" font-size=\"16\">\(x(Self.roleName(name, language)))</text>\n"
            }
        }
        return out + "</svg>\n"
    }

    private func horizontalSVG(standalone: Bool) -> String {
        let labelWidth = 200, barHeight = 22, gap = 10, top = standalone ? 56 : 12, plotWidth = 150
        let width = labelWidth + plotWidth + 60
        let height = top + max(1, bars.count) * (barHeight + gap) + 16
        let axis = Self.axisTop(bars.map(\.total).max() ?? 0)
        var out = header(width: width, height: height, standalone: standalone)
        for (index, bar) in bars.enumerated() {
            let by = top + index * (barHeight + gap)
            let value = bar.total
            let w = Double(value) * Double(plotWidth) / Double(axis)
            let label = bar.label.count > 22 ? String(bar.label.prefix(21)) + "…" : bar.label
            out += "<text x=\"\(labelWidth - 8)\" y=\"\(by + 16)\" font-size=\"15\" text-anchor=\"end\">\(x(label))</text>"
            out += "<rect class=\"bar\" x=\"\(labelWidth)\" y=\"\(by)\" width=\"\(Self.number(w))\" height=\"\(barHeight)\" fill=\"\(Self.palette[0])\""
                + " data-key=\"\(x(bar.key))\" data-series=\"\(x(series.first ?? ""))\" data-value=\"\(value)\"><title>\(x(bar.label)) : \(value)</title></rect>"
            out += "<text x=\"\(Self.number(Double(labelWidth) + w + 6))\" y=\"\(by + 16)\" font-size=\"15\">\(value)</text>\n"
        }
        return out + "</svg>\n"
    }

    /// The `<svg>` start: a white ground; standalone (a file), the title on two lines at
    /// the top (in a page the heading says it). Fits the page's width unless the chart
    /// has more bars than a phone can show.
    private func header(width: Int, height: Int, standalone: Bool) -> String {
        let namespace = standalone ? " xmlns=\"http://www.w3.org/2000/svg\"" : ""
        let prologue = standalone ? "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n" : ""
        let wide = bars.count > Self.fittingBars ? " wide" : ""
        var out = prologue + "<svg\(namespace) class=\"chart\(wide)\" role=\"img\" aria-label=\"\(x(title))\" width=\"\(width)\" height=\"\(height)\" viewBox=\"0 0 \(width) \(height)\""
            + " font-family=\"system-ui, sans-serif\" fill=\"#1b1b1b\">\n<title>\(x(title))</title>\n"
            + "<rect x=\"0\" y=\"0\" width=\"\(width)\" height=\"\(height)\" fill=\"#ffffff\"/>\n"
        if standalone {
            let parts = title.components(separatedBy: ", ")
            out += "<text x=\"8\" y=\"22\" font-size=\"17\" font-weight=\"bold\">\(x(parts[0]))</text>\n"
            if parts.count > 1 { out += "<text x=\"8\" y=\"44\" font-size=\"15\">\(x(parts.dropFirst().joined(separator: ", ")))</text>\n" }
        }
        return out
    }

    /// "Personnes par jour, du 01/11/2026 au 30/11/2026".
    public var title: String {
        let fr = language == .fr
        let what: String
        switch (split, step) {
        case (.event, _): what = fr ? "Personnes par événement" : "People per event"
        case (.total, .day): what = fr ? "Personnes par jour" : "People per day"
        case (.total, .week): what = fr ? "Personnes par semaine" : "People per week"
        case (.role, .day): what = fr ? "Personnes par jour et type de public" : "People per day and role"
        case (.role, .week): what = fr ? "Personnes par semaine et type de public" : "People per week and role"
        }
        func d(_ c: CivilDate) -> String { "\(Self.two(c.day))/\(Self.two(c.month))/\(c.year)" }
        return fr ? "\(what), du \(d(from)) au \(d(to))" : "\(what), \(d(from)) to \(d(to))"
    }

    // MARK: Words

    private func x(_ text: String) -> String { HTMLText.escape(text) }

    static func two(_ n: Int) -> String { n < 10 ? "0\(n)" : "\(n)" }
    static func shortDay(_ day: CivilDate) -> String { "\(two(day.day))/\(two(day.month))" }
    static func weekLabel(_ monday: CivilDate, _ language: Language) -> String {
        (language == .fr ? "sem. " : "wk ") + shortDay(monday)
    }

    /// One decimal at most, with a dot.
    static func number(_ value: Double) -> String {
        let tenths = Int((value * 10).rounded())
        return tenths % 10 == 0 ? String(tenths / 10) : (tenths < 0 ? "-" : "") + "\(abs(tenths) / 10).\(abs(tenths) % 10)"
    }

    static func word(_ key: String, _ language: Language) -> String {
        let fr = language == .fr
        switch key {
        case "people": return fr ? "personnes" : "people"
        case "event": return fr ? "événement" : "event"
        case "day": return fr ? "jour" : "day"
        case "week": return fr ? "semaine" : "week"
        default: return fr ? "total" : "total"
        }
    }

    static func roleName(_ role: String, _ language: Language) -> String {
        guard language == .fr else { return role }
        switch role {
        case "resident": return "résidents"
        case "member": return "membres"
        case "staff": return "équipe"
        case "volunteer": return "bénévoles"
        case "visitor": return "visiteurs"
        default: return role
        }
    }
}
