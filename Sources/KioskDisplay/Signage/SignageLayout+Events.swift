import Foundation
import KioskCore

extension SignageLayout {
    // MARK: Blocks

    /// A section heading ("Aujourd'hui", "À venir"), with a page marker on the right.
    func headingBlock(_ text: String, trailing: String = "", x: Int, width: Int, g: Geometry, setter: Typesetter) -> SceneBlock {
        let s = g.scale
        var block = SceneBlock()
        let trailingStyle = setter.style(s.footer, role: .muted)
        let trailingFit = trailing.isEmpty ? nil : setter.set(trailing, trailingStyle, width: Double(width) * 0.45)
        let trailingWidth = trailingFit.map { $0.maxWidth + Double(s.px(1.5)) } ?? 0
        let style = setter.styles(s.heading, s.heading * 0.8, .bold, role: .heading)
        let fitted = setter.set(text, style, width: Double(width) - trailingWidth, maxLines: 1)
        let texts = setter.place(fitted, role: .heading, x: Double(x), width: Double(width) - trailingWidth, top: 0)
        block.add(texts)
        if let trailingFit, let baseline = texts.first?.baseline {
            let w = trailingFit.maxWidth
            block.add(setter.place(trailingFit, role: .muted, x: Double(x + width) - w, width: w, baseline: Int(baseline)))
        }
        block.height = setter.height(fitted) + s.px(0.9)
        return block
    }

    /// A subheading: "Maintenant", "Plus tard aujourd'hui", a day of the week ahead.
    func subheadingBlock(_ text: String, role: ScreenRole, x: Int, width: Int, g: Geometry, setter: Typesetter) -> SceneBlock {
        let s = g.scale
        var block = SceneBlock()
        let fitted = setter.set(text, setter.styles(s.subheading, s.detailMinimum, .bold, role: role), width: Double(width), maxLines: 1)
        block.add(setter.place(fitted, role: role, x: Double(x), width: Double(width), top: 0))
        block.height = setter.height(fitted) + s.px(0.5)
        return block
    }

    /// A muted line ("Rien de prévu pour l'instant", "+ 3 autres événements").
    func noteBlock(_ text: String, role: ScreenRole = .muted, x: Int, width: Int, g: Geometry, setter: Typesetter) -> SceneBlock {
        var block = SceneBlock()
        let fitted = setter.set(text, setter.styles(g.scale.detail, g.scale.detailMinimum, role: role), width: Double(width), maxLines: 2)
        block.add(setter.place(fitted, role: role, x: Double(x), width: Double(width), top: 0))
        block.height = setter.height(fitted)
        return block
    }

    /// The width of the time column for `events`: the widest label in tabular figures; nil
    /// when that would take more than 36 % of the column (times then go above titles).
    func timeColumnWidth(_ events: [LobbySnapshot.EventLine], width: Int, g: Geometry, setter: Typesetter) -> Int? {
        let style = setter.style(g.scale.time, role: .time, tabular: true)
        let widest = events.map { setter.type.width(of: setter.prepare($0.when), style: style) }.max() ?? 0
        let column = Int(widest.rounded(.up))
        return Double(column) <= Double(width) * 0.36 ? column : nil
    }

    /// An event: its time on the left in tabular figures (or above the title when the
    /// column is too narrow for a time column: `timeWidth` nil); its title (bold, up to two
    /// lines, shrinking to the minimum before any "…"); under it the room with the category
    /// and the status ("Annulé · Grande halle · Concert"), up to two lines.
    func eventBlock(_ e: LobbySnapshot.EventLine, section: String, x: Int, width: Int, timeWidth: Int?, g: Geometry, setter: Typesetter) -> SceneBlock {
        let s = g.scale
        var block = SceneBlock()
        let timeRole: ScreenRole = e.status == .cancelled ? .cancelled : .time
        let timeStyles = setter.styles(s.time, s.time * 0.85, role: timeRole, tabular: true)
        var titleTop = 0
        let titleX: Int
        if let timeWidth {
            titleX = x + timeWidth + s.px(1.8)
        } else {
            titleX = x
            let time = setter.set(e.when, timeStyles, width: Double(width), maxLines: 2)
            block.add(setter.place(time, role: timeRole, x: Double(x), width: Double(width), top: 0) { _ in .eventTime(uid: e.uid, section: section) })
            titleTop = setter.height(time)
        }
        let titleWidth = Double(max(0, x + width - titleX))
        let titleRole: ScreenRole = e.status == .cancelled ? .cancelled : (e.isRunning ? .running : .title)
        let title = setter.set(e.title, setter.styles(s.title, s.titleMinimum, .bold, role: titleRole), width: titleWidth, maxLines: 2)
        let titleTexts = setter.place(title, role: titleRole, x: Double(titleX), width: titleWidth, top: titleTop) {
            .eventTitle(uid: e.uid, section: section, line: $0)
        }
        block.add(titleTexts)
        var bottom = titleTop + setter.height(title)

        let roomText = [e.statusLabel ?? "", e.room, e.category].filter { !$0.isEmpty }.joined(separator: " · ")
        if !roomText.isEmpty {
            let roomRole: ScreenRole = e.statusLabel == nil ? .detail : (e.status == .cancelled ? .cancelled : .tag)
            let room = setter.set(roomText, setter.styles(s.detail, s.detailMinimum, role: roomRole), width: titleWidth, maxLines: 2)
            let top = bottom + s.px(0.2)
            block.add(setter.place(room, role: roomRole, x: Double(titleX), width: titleWidth, top: top) {
                .eventRoom(uid: e.uid, section: section, line: $0)
            })
            bottom = top + setter.height(room)
        }

        // In a time column, the time sits on the title's first baseline.
        if let timeWidth, let firstBaseline = titleTexts.first?.baseline {
            let time = setter.set(e.when, timeStyles, width: Double(timeWidth), maxLines: 2)
            let top = Int(firstBaseline) - setter.lineBox(time.style).ascent
            block.add(setter.place(time, role: timeRole, x: Double(x), width: Double(timeWidth), top: top) { _ in
                .eventTime(uid: e.uid, section: section)
            })
            bottom = max(bottom, top + setter.height(time))
        }
        block.height = bottom
        return block
    }

    // MARK: Today

    /// A column's content and how well it fits.
    struct ColumnResult: Sendable {
        var layer = SceneLayer()
        /// Events left out for want of room.
        var hidden = 0
        var truncatedLines = 0
        var usedHeight = 0
    }

    /// What is on now and later today, in `rect`: heading, "Maintenant", "Plus tard
    /// aujourd'hui"; events that do not fit are counted in a last line.
    func layoutToday(_ snapshot: LobbySnapshot, rect: PixelRect, g: Geometry, setter: Typesetter) -> ColumnResult {
        let strings = snapshot.strings
        var sections: [(title: String, role: ScreenRole, events: [LobbySnapshot.EventLine])] = []
        if !snapshot.happeningNow.isEmpty { sections.append((strings.now, .running, snapshot.happeningNow)) }
        if !snapshot.laterToday.isEmpty { sections.append((strings.laterToday, .heading, snapshot.laterToday)) }
        let heading = headingBlock(strings.today, x: rect.x, width: rect.width, g: g, setter: setter)
        return layoutEventSections(sections, heading: heading, empty: strings.nothingToday, strings: strings, rect: rect, g: g, setter: setter)
    }

    /// Sections of events under a heading, in one column; what does not fit is counted
    /// in a "+ N autres événements" line.
    func layoutEventSections(
        _ sections: [(title: String, role: ScreenRole, events: [LobbySnapshot.EventLine])], heading: SceneBlock, empty: String,
        strings: LobbyStrings, rect: PixelRect, g: Geometry, setter: Typesetter
    ) -> ColumnResult {
        let s = g.scale
        var column = ColumnStack(rect: rect)
        var result = ColumnResult()
        guard column.add(heading) else { return result }
        let total = sections.reduce(0) { $0 + $1.events.count }
        if total == 0 {
            column.add(noteBlock(empty, x: rect.x, width: rect.width, g: g, setter: setter), gap: s.px(0.6))
            result.layer = column.items
            result.usedHeight = column.used
            return result
        }
        let timeWidth = timeColumnWidth(sections.flatMap(\.events), width: rect.width, g: g, setter: setter)
        // Kinds of the blocks placed, to take back a subheading left alone at the bottom.
        var kinds: [Bool] = [false]  // true: an event
        var shown = 0
        var full = false
        for (index, section) in sections.enumerated() where !full {
            let sub = subheadingBlock(section.title, role: section.role, x: rect.x, width: rect.width, g: g, setter: setter)
            let subGap = index == 0 ? s.px(0.6) : s.px(2.2)
            var first = true
            for e in section.events {
                let block = eventBlock(e, section: section.title, x: rect.x, width: rect.width, timeWidth: timeWidth, g: g, setter: setter)
                if first {
                    // The subheading only with its first event under it.
                    guard column.fits(sub, gap: subGap), sub.height + subGap + s.px(1.2) + block.height <= column.remaining else { full = true; break }
                    column.add(sub, gap: subGap)
                    kinds.append(false)
                    first = false
                }
                guard column.add(block, gap: s.px(1.2)) else { full = true; break }
                kinds.append(true)
                shown += 1
            }
        }
        if shown < total {
            // Room for the count of what is left out, taking back events if needed.
            var more = noteBlock(strings.moreEvents(total - shown), x: rect.x, width: rect.width, g: g, setter: setter)
            while !column.fits(more, gap: s.px(1.2)), kinds.count > 1 {
                if kinds.removeLast() { shown -= 1 }
                column.removeLast()
                while kinds.count > 1, kinds.last == false {
                    kinds.removeLast()
                    column.removeLast()
                }
                more = noteBlock(strings.moreEvents(total - shown), x: rect.x, width: rect.width, g: g, setter: setter)
            }
            column.add(more, gap: s.px(1.2))
        }
        result.hidden = total - shown
        result.layer = column.items
        result.truncatedLines = column.truncatedLines
        result.usedHeight = column.used
        return result
    }

    // MARK: Days (the week ahead, or the programme when the clock is not believed)

    /// Pages of a panel: the heading with "2/3", then its content.
    struct PanelPages: Sendable {
        var pages: [SceneLayer] = []
        var truncatedLines = 0
        /// Events (or entries) that no page shows.
        var hidden = 0
        /// Height used on the first page.
        var firstPageHeight = 0

        var pageCount: Int { pages.count }

        func page(_ index: Int) -> SceneLayer {
            pages.indices.contains(index) ? pages[index] : SceneLayer()
        }
    }

    /// The most pages a panel rotates through; what is beyond is counted on the last one.
    static let maximumPages = 6

    /// Days of events paginated into `rect`: each page starts with the heading; a day's
    /// heading is repeated when its events continue on the next page and never left alone
    /// at the bottom of one.
    func layoutDays(
        _ days: [LobbySnapshot.Day], heading: String, empty: String, strings: LobbyStrings, rect: PixelRect, g: Geometry, setter: Typesetter,
        maximumPages: Int = Self.maximumPages
    ) -> PanelPages {
        let s = g.scale
        let timeWidth = timeColumnWidth(days.flatMap(\.events), width: rect.width, g: g, setter: setter)
        let headingHeight = headingBlock(heading, trailing: "0/0", x: rect.x, width: rect.width, g: g, setter: setter).height
        var pages: [[(block: SceneBlock, gap: Int, isEvent: Bool)]] = [[]]
        var result = PanelPages()
        let capacity = rect.height - headingHeight
        var used = 0
        var hidden = 0
        let total = days.reduce(0) { $0 + $1.events.count }
        var placed = 0
        func startPage() -> Bool {
            guard pages.count < maximumPages else { return false }
            pages.append([])
            used = 0
            return true
        }
        daysLoop: for (d, day) in days.enumerated() {
            let sub = subheadingBlock(day.heading, role: .tag, x: rect.x, width: rect.width, g: g, setter: setter)
            var needsHeading = true
            for e in day.events {
                let block = eventBlock(e, section: "day\(d)", x: rect.x, width: rect.width, timeWidth: timeWidth, g: g, setter: setter)
                let subGap = pages[pages.count - 1].isEmpty ? s.px(0.6) : s.px(2.2)
                var needed = block.height + (needsHeading ? sub.height + subGap + s.px(0.9) : s.px(1.2))
                if used + needed > capacity {
                    guard startPage() else { hidden = total - placed; break daysLoop }
                    needsHeading = true
                    needed = block.height + sub.height + s.px(0.6) + s.px(0.9)
                    if needed > capacity { hidden = total - placed; break daysLoop }
                }
                if needsHeading {
                    let gap = pages[pages.count - 1].isEmpty ? s.px(0.6) : s.px(2.2)
                    pages[pages.count - 1].append((sub, gap, false))
                    used += gap + sub.height
                    needsHeading = false
                    pages[pages.count - 1].append((block, s.px(0.9), true))
                    used += s.px(0.9) + block.height
                } else {
                    pages[pages.count - 1].append((block, s.px(1.2), true))
                    used += s.px(1.2) + block.height
                }
                placed += 1
            }
        }
        if pages.count > 1, pages[pages.count - 1].isEmpty { pages.removeLast() }
        if hidden > 0 {
            // Room on the last page for the count of what is left out.
            var last = pages[pages.count - 1]
            var more = noteBlock(strings.moreEvents(hidden), x: rect.x, width: rect.width, g: g, setter: setter)
            var lastUsed = last.reduce(0) { $0 + $1.gap + $1.block.height }
            while lastUsed + s.px(1.2) + more.height > capacity, !last.isEmpty {
                let removed = last.removeLast()
                lastUsed -= removed.gap + removed.block.height
                if removed.isEvent { hidden += 1 }
                while let tail = last.last, !tail.isEvent {
                    last.removeLast()
                    lastUsed -= tail.gap + tail.block.height
                }
                more = noteBlock(strings.moreEvents(hidden), x: rect.x, width: rect.width, g: g, setter: setter)
            }
            last.append((more, s.px(1.2), false))
            pages[pages.count - 1] = last
        }
        if total == 0 { pages = [[(noteBlock(empty, x: rect.x, width: rect.width, g: g, setter: setter), s.px(0.6), false)]] }
        let count = pages.count
        for (index, content) in pages.enumerated() {
            var column = ColumnStack(rect: rect)
            column.add(headingBlock(heading, trailing: count > 1 ? "\(index + 1)/\(count)" : "", x: rect.x, width: rect.width, g: g, setter: setter))
            for item in content { column.add(item.block, gap: item.gap) }
            result.pages.append(column.items)
            result.truncatedLines += column.truncatedLines
            if index == 0 { result.firstPageHeight = column.used }
        }
        result.hidden = hidden
        return result
    }
}
