import Foundation

/// Lays a `LobbySnapshot` out on a grid of cells: header, today, a rotating panel (the
/// week ahead, the resident directory, the notice board) and a footer.
///
/// The same layout serves the terminal (one cell = one character cell) and the
/// framebuffer (one cell = one console-font glyph; headlines at `headlineScale` 2).
/// Adapts from 80x24 upwards; two columns from 100 columns on (1280x720 on the
/// framebuffer is 106: one column there left too few rows for the day's events).
public struct LobbyLayout: Sendable {
    /// Grid size and what the backend can do.
    public struct Metrics: Sendable, Hashable {
        public var columns: Int
        public var rows: Int
        /// 1 on terminals; 2 on pixel displays, for the venue name and headings.
        public var headlineScale: Int
        /// Columns of horizontal shift (burn-in protection moves static content a little).
        public var shift: Int

        public init(columns: Int, rows: Int, headlineScale: Int = 1, shift: Int = 0) {
            self.columns = columns
            self.rows = rows
            self.headlineScale = headlineScale
            self.shift = shift
        }
    }

    public var panelDuration: TimeInterval
    public var pageDuration: TimeInterval

    public init(panelDuration: TimeInterval = 15, pageDuration: TimeInterval = 10) {
        self.panelDuration = panelDuration
        self.pageDuration = pageDuration
    }

    public init(config: KioskConfig) {
        self.init(panelDuration: config.screen.panelDuration, pageDuration: config.screen.directoryPageDuration)
    }

    /// The regions of the screen for a size (exposed for dirty-area tests and drivers).
    public struct Regions: Sendable, Hashable {
        public var header: CellRect
        /// Where the clock is drawn: the only thing that changes every minute.
        public var clock: CellRect
        public var today: CellRect
        public var panel: CellRect
        public var footer: CellRect
    }

    public func regions(_ m: Metrics) -> Regions {
        let s = max(1, m.headlineScale)
        let headerHeight = s > 1 ? 2 * s : (m.rows >= 40 ? 3 : 1)
        let footerRow = m.rows - 1
        let bodyTop = headerHeight + 1
        let bodyHeight = max(1, footerRow - bodyTop - 1)
        let margin = m.columns >= 100 ? 2 : 1
        let clockWidth = 5 * s
        let clockRow = s > 1 ? 1 : headerHeight / 2
        let clock = CellRect(column: m.columns - margin - clockWidth, row: clockRow, width: clockWidth, height: s)
        let header = CellRect(column: 0, row: 0, width: m.columns, height: headerHeight)
        let footer = CellRect(column: 0, row: footerRow, width: m.columns, height: 1)
        let inner = m.columns - 2 * margin
        if m.columns >= 100 {
            let left = inner * 42 / 100
            let gutter = 3
            return Regions(
                header: header, clock: clock,
                today: CellRect(column: margin, row: bodyTop, width: left, height: bodyHeight),
                panel: CellRect(column: margin + left + gutter, row: bodyTop, width: inner - left - gutter, height: bodyHeight),
                footer: footer)
        }
        let todayHeight = max(3, bodyHeight * 45 / 100)
        return Regions(
            header: header, clock: clock,
            today: CellRect(column: margin, row: bodyTop, width: inner, height: todayHeight),
            panel: CellRect(column: margin, row: bodyTop + todayHeight + 1, width: inner, height: max(1, bodyHeight - todayHeight - 1)),
            footer: footer)
    }

    /// The whole screen at the snapshot's instant.
    public func layout(_ snapshot: LobbySnapshot, metrics m: Metrics) -> ScreenModel {
        layoutWithNextPanelChange(snapshot, metrics: m).screen
    }

    /// The whole screen at the snapshot's instant, and when the rotating panel next shows
    /// another panel or page (nil: it never changes). Until then the same snapshot lays out
    /// to the same screen, which lets the lobby reuse it (a badge scan adds only its welcome).
    public func layoutWithNextPanelChange(_ snapshot: LobbySnapshot, metrics m: Metrics) -> (screen: ScreenModel, nextPanelChange: Date?) {
        var screen = ScreenModel(columns: m.columns, rows: m.rows)
        guard m.columns >= 20, m.rows >= 8 else {
            screen.runs.append(TextRun(column: 0, row: 0, width: m.columns, text: snapshot.venueName, role: .headerText))
            return (screen, nil)
        }
        // A staff alert takes the whole screen, over everything else.
        if let alert = snapshot.alert { return (layoutAlert(alert, metrics: m), nil) }
        let r = regions(m)
        let s = max(1, m.headlineScale)
        let strings = snapshot.strings
        screen.fills.append(Fill(CellRect(column: 0, row: 0, width: m.columns, height: m.rows), .background))
        screen.fills.append(Fill(r.header, .header))
        screen.fills.append(Fill(r.footer, .footer))

        // Header: name (and tagline), date, clock.
        let margin = r.today.column
        let nameRow = s > 1 ? 1 : r.header.height / 2
        let dateWidth = displayWidth(snapshot.dateLine) * s
        let rightBlock = (snapshot.clockLine.isEmpty ? 0 : r.clock.width + 2) + (dateWidth > 0 ? dateWidth + 2 : 0)
        var nameWidth = max(4, r.clock.column - margin - rightBlock + (snapshot.clockLine.isEmpty ? r.clock.width : 0))
        if !snapshot.isOpen { nameWidth = max(4, nameWidth - (displayWidth(strings.closed) + 3) * s) }
        screen.runs.append(TextRun(column: margin + m.shift, row: nameRow, width: nameWidth, text: snapshot.venueName, role: .headerText, scale: s, bold: true))
        if !snapshot.isOpen {
            let used = min(nameWidth, displayWidth(snapshot.venueName) * s)
            screen.runs.append(TextRun(column: margin + m.shift + used + 2 * s, row: nameRow, width: (displayWidth(strings.closed) + 1) * s, text: strings.closed, role: .warning, scale: s))
        }
        if !snapshot.tagline.isEmpty, r.header.height >= 3, s == 1 {
            // Terminal with a 3-row header: tagline on the row below the name.
            screen.runs.append(TextRun(column: margin + m.shift, row: nameRow + 1, width: nameWidth, text: snapshot.tagline, role: .headerText))
        }
        if snapshot.clockTrusted {
            screen.runs.append(TextRun(column: r.clock.column - 2 - dateWidth, row: r.clock.row, width: dateWidth, text: snapshot.dateLine, role: .headerText, scale: s))
            screen.runs.append(TextRun(column: r.clock.column, row: r.clock.row, width: r.clock.width, text: snapshot.clockLine, role: .clock, scale: s, bold: true))
        } else {
            let w = min(displayWidth(strings.clockUnsure) * s, r.clock.maxColumn - margin - nameWidth - 2)
            screen.runs.append(TextRun(column: r.clock.maxColumn - w, row: r.clock.row, width: w, text: strings.clockUnsure, role: .warning, scale: s))
        }

        var rotationPanels: [PanelRotation.Panel: Int] = [:]
        var writer = ColumnWriter(rect: r.today, shift: m.shift, scale: s)
        if snapshot.clockTrusted {
            layoutToday(snapshot, into: &writer)
        } else {
            writer.heading(snapshot.strings.programmeHeading)
            layoutDays(snapshot.upcoming, strings: strings, into: &writer)
        }
        screen.runs += writer.runs
        screen.fills += writer.fills

        // The rotating panel.
        let residentPages = paginateResidents(snapshot.residents, rect: r.panel, scale: s)
        let noticePages = paginateNotices(snapshot.notices, rect: r.panel, scale: s)
        if snapshot.clockTrusted { rotationPanels[.upcoming] = 1 }
        rotationPanels[.residents] = residentPages.count
        rotationPanels[.notices] = noticePages.count
        rotationPanels[.featured] = snapshot.featured.count
        rotationPanels[.posters] = snapshot.posters.count
        let rotation = PanelRotation(pages: rotationPanels, panelDuration: panelDuration, pageDuration: pageDuration)
        let slot = rotation.slot(at: snapshot.instant)
        var panel = ColumnWriter(rect: r.panel, shift: m.shift, scale: s)
        switch slot?.panel {
        case .upcoming?, nil:
            panel.heading(strings.upcoming)
            if snapshot.upcoming.isEmpty { panel.line(strings.nothingUpcoming, role: .muted) }
            layoutDays(snapshot.upcoming, strings: strings, into: &panel)
        case .residents?:
            let page = residentPages[slot!.page]
            let first = page.first?.initial ?? "", last = page.last?.initial ?? ""
            let range = first == last ? first : "\(first) – \(last)"
            panel.heading(strings.residents, trailing: "\(range)   \(slot!.page + 1)/\(slot!.pageCount)")
            layoutResidents(page, into: &panel)
        case .notices?:
            panel.heading(strings.notices, trailing: slot!.pageCount > 1 ? "\(slot!.page + 1)/\(slot!.pageCount)" : "")
            for notice in noticePages[slot!.page] { layoutNotice(notice, into: &panel) }
        case .featured?:
            // A terminal shows no pictures: the featured event as a detailed line.
            let featured = snapshot.featured[slot!.page]
            panel.heading(strings.featured, trailing: slot!.pageCount > 1 ? "\(slot!.page + 1)/\(slot!.pageCount)" : "")
            panel.subheading(featured.day, role: .tag)
            panel.fitTimeColumn(to: [featured.event])
            panel.event(featured.event, detailed: true)
        case .posters?:
            // A terminal shows no pictures: the poster's title.
            panel.heading(strings.poster, trailing: slot!.pageCount > 1 ? "\(slot!.page + 1)/\(slot!.pageCount)" : "")
            panel.line(snapshot.posters[slot!.page].title, role: .title, bold: true)
        }
        screen.runs += panel.runs
        screen.fills += panel.fills

        // Footer: freshness on the left, where we are in the rotation on the right.
        if let freshness = snapshot.freshness {
            screen.runs.append(TextRun(column: margin, row: r.footer.row, width: m.columns / 2, text: freshness, role: snapshot.isOffline ? .warning : .muted))
        }
        if rotation.slots.count > 1, let slot {
            let names: [PanelRotation.Panel: String] = [.upcoming: strings.upcoming, .residents: strings.residents, .notices: strings.notices,
                                                         .featured: strings.featured, .posters: strings.poster]
            let dots = PanelRotation.Panel.allCases.filter { (rotationPanels[$0] ?? 0) > 0 }.map { $0 == slot.panel ? "●" : "○" }.joined(separator: " ")
            let text = "\(names[slot.panel]!)  \(dots)"
            let w = displayWidth(text)
            screen.runs.append(TextRun(column: m.columns - margin - w, row: r.footer.row, width: w, text: text, role: .muted))
        }
        return (screen, rotation.nextChange(after: snapshot.instant))
    }

    // MARK: Sections

    private func layoutToday(_ snapshot: LobbySnapshot, into w: inout ColumnWriter) {
        let strings = snapshot.strings
        w.fitTimeColumn(to: snapshot.happeningNow + snapshot.laterToday)
        w.heading(strings.today)
        if snapshot.happeningNow.isEmpty && snapshot.laterToday.isEmpty {
            w.line(strings.nothingToday, role: .muted)
            return
        }
        // Two lines per event (room and category below) when everything fits, else one.
        let both = !snapshot.happeningNow.isEmpty && !snapshot.laterToday.isEmpty
        let headings = (snapshot.happeningNow.isEmpty ? 0 : 1) + (snapshot.laterToday.isEmpty ? 0 : 1) + (both ? 1 : 0)
        let count = snapshot.happeningNow.count + snapshot.laterToday.count
        let detailed = headings + 2 * count <= w.remaining
        if !snapshot.happeningNow.isEmpty {
            w.subheading(strings.now, role: .running)
            for e in snapshot.happeningNow { w.event(e, detailed: detailed) }
        }
        if !snapshot.laterToday.isEmpty {
            if both { w.gap() }
            w.subheading(strings.laterToday, role: .heading)
            for e in snapshot.laterToday { w.event(e, detailed: detailed) }
        }
    }

    private func layoutDays(_ days: [LobbySnapshot.Day], strings: LobbyStrings, into w: inout ColumnWriter) {
        w.fitTimeColumn(to: days.flatMap(\.events))
        for (i, day) in days.enumerated() {
            if i > 0 { w.gap() }
            w.subheading(day.heading, role: .tag)
            for e in day.events { w.event(e, detailed: false) }
        }
    }

    private func layoutResidents(_ page: [LobbySnapshot.ResidentLine], into w: inout ColumnWriter) {
        let twoColumns = w.rect.width >= 70
        if twoColumns {
            let half = (w.rect.width - 2) / 2
            let perColumn = (page.count + 1) / 2
            var left = ColumnWriter(rect: CellRect(column: w.rect.column, row: w.row, width: half, height: w.rect.maxRow - w.row), shift: w.shift, scale: w.scale)
            var right = ColumnWriter(rect: CellRect(column: w.rect.column + half + 2, row: w.row, width: half, height: w.rect.maxRow - w.row), shift: w.shift, scale: w.scale)
            for (i, r) in page.enumerated() { i < perColumn ? left.resident(r) : right.resident(r) }
            w.runs += left.runs + right.runs
        } else {
            for r in page { w.resident(r) }
        }
    }

    private func layoutNotice(_ n: LobbySnapshot.NoticeLine, into w: inout ColumnWriter) {
        for line in noticeLines(n, width: w.rect.width) { w.line(line.text, role: line.role, bold: line.bold, indent: line.indent) }
        w.gap()
    }

    // MARK: Pagination

    /// Residents take two rows each (name + activity, location), in two columns when wide.
    func paginateResidents(_ residents: [LobbySnapshot.ResidentLine], rect: CellRect, scale: Int) -> [[LobbySnapshot.ResidentLine]] {
        guard !residents.isEmpty else { return [] }
        let available = rect.height - headingHeight(scale)
        let perColumn = max(1, available / 2)
        let perPage = rect.width >= 70 ? perColumn * 2 : perColumn
        return stride(from: 0, to: residents.count, by: perPage).map { Array(residents[$0..<min($0 + perPage, residents.count)]) }
    }

    func paginateNotices(_ notices: [LobbySnapshot.NoticeLine], rect: CellRect, scale: Int) -> [[LobbySnapshot.NoticeLine]] {
        guard !notices.isEmpty else { return [] }
        let available = rect.height - headingHeight(scale)
        var pages: [[LobbySnapshot.NoticeLine]] = [[]]
        var used = 0
        for n in notices {
            let h = noticeLines(n, width: rect.width).count + 1
            if used + h > available + 1, !pages[pages.count - 1].isEmpty {
                pages.append([])
                used = 0
            }
            pages[pages.count - 1].append(n)
            used += h
        }
        return pages
    }

    private func headingHeight(_ scale: Int) -> Int { scale + 1 }

    private struct NoticeText { var text: String; var role: ScreenRole; var bold: Bool; var indent: Int }

    private func noticeLines(_ n: LobbySnapshot.NoticeLine, width: Int) -> [NoticeText] {
        var lines = [NoticeText(text: n.tag.uppercased() + "  " + n.title, role: n.urgent ? .urgent : .title, bold: true, indent: 0)]
        if !n.body.isEmpty {
            for l in wrap(n.body, width: width - 2).prefix(2) { lines.append(NoticeText(text: l, role: .detail, bold: false, indent: 2)) }
        }
        if !n.detail.isEmpty { lines.append(NoticeText(text: n.detail, role: n.deadlineIsNear ? .cancelled : .muted, bold: false, indent: 2)) }
        return lines
    }
}

/// Writes lines downwards in a rectangle, dropping what does not fit.
struct ColumnWriter {
    let rect: CellRect
    let shift: Int
    let scale: Int
    var row: Int
    var runs: [TextRun] = []
    var fills: [Fill] = []
    /// Width of the time column: "10:00 – 12:00" (13), widened for "Toute la journée".
    var timeColumn = 13

    init(rect: CellRect, shift: Int, scale: Int) {
        self.rect = rect
        self.shift = shift
        self.scale = scale
        self.row = rect.row
    }

    var column: Int { rect.column + shift }
    var remaining: Int { rect.maxRow - row }

    mutating func heading(_ text: String, trailing: String = "") {
        guard remaining >= scale else { return }
        let trailingWidth = displayWidth(trailing)
        runs.append(TextRun(column: column, row: row, width: rect.width - (trailingWidth > 0 ? trailingWidth + 2 : 0), text: text, role: .heading, scale: scale, bold: true))
        if trailingWidth > 0 {
            runs.append(TextRun(column: rect.maxColumn - trailingWidth + shift, row: row + scale - 1, width: trailingWidth, text: trailing, role: .muted))
        }
        row += scale + 1
    }

    mutating func subheading(_ text: String, role: ScreenRole) {
        // A heading alone at the bottom, with nothing under it, says nothing.
        guard remaining >= 2 else { row = rect.maxRow; return }
        runs.append(TextRun(column: column, row: row, width: rect.width, text: text, role: role, bold: true))
        row += 1
    }

    mutating func line(_ text: String, role: ScreenRole, bold: Bool = false, indent: Int = 0) {
        guard remaining >= 1 else { return }
        runs.append(TextRun(column: column + indent, row: row, width: rect.width - indent, text: text, role: role, bold: bold))
        row += 1
    }

    mutating func gap() { if remaining > 0 { row += 1 } }

    /// Widens the time column to the widest label, within 13 to 17 columns and a third of
    /// the width.
    mutating func fitTimeColumn(to events: [LobbySnapshot.EventLine]) {
        let widest = events.map { displayWidth($0.when) }.max() ?? 13
        timeColumn = max(13, min(widest, 17, rect.width / 3))
    }

    /// An event: time, then title (and on a second line the room and status when detailed).
    mutating func event(_ e: LobbySnapshot.EventLine, detailed: Bool) {
        guard remaining >= 1 else { return }
        let timeWidth = timeColumn
        let titleRole: ScreenRole = e.status == .cancelled ? .cancelled : (e.isRunning ? .running : .title)
        var title = e.title
        if let label = e.statusLabel { title = "\(label.uppercased()) · \(title)" }
        runs.append(TextRun(column: column, row: row, width: timeWidth, text: e.when, role: e.status == .cancelled ? .cancelled : .time))
        let titleColumn = column + timeWidth + 1
        let titleWidth = rect.maxColumn + shift - titleColumn
        if detailed {
            runs.append(TextRun(column: titleColumn, row: row, width: titleWidth, text: title, role: titleRole, bold: true))
            row += 1
            let details = [e.room, e.category].filter { !$0.isEmpty }.joined(separator: " · ")
            if !details.isEmpty, remaining >= 1 {
                runs.append(TextRun(column: titleColumn, row: row, width: titleWidth, text: details, role: .detail))
                row += 1
            }
        } else {
            var text = title
            if !e.room.isEmpty { text += " — " + e.room }
            runs.append(TextRun(column: titleColumn, row: row, width: titleWidth, text: text, role: titleRole))
            row += 1
        }
    }

    mutating func resident(_ r: LobbySnapshot.ResidentLine) {
        guard remaining >= 2 else { return }
        runs.append(TextRun(column: column, row: row, width: rect.width, text: r.name, role: .title, bold: true))
        let detail = [r.location, r.what].filter { !$0.isEmpty }.joined(separator: " — ")
        runs.append(TextRun(column: column + 2, row: row + 1, width: rect.width - 2, text: detail, role: .detail))
        row += 2
    }
}
