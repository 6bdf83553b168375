import Foundation
import KioskCore

extension SignageLayout {
    // MARK: Body

    /// The body of the screen: the left (or top) column and every page of the panels.
    struct BodyPlan: Sendable {
        var left: ColumnResult
        var leftRegion: PixelRect
        var panelRegion: PixelRect
        var upcoming: PanelPages
        var residents: PanelPages
        var notices: PanelPages
        var featured: PanelPages
        var posters: PanelPages
    }

    /// Splits the body between the day and the rotating panel by what they hold: on a
    /// landscape screen the split (30 % to 62 % for the day) that cuts and leaves out the
    /// least, then needs the fewest pages for the week ahead, then leaves the two columns
    /// the most evenly filled; on a portrait screen the day takes the height it needs, up
    /// to half the body, and the panel the rest.
    func planBody(_ snapshot: LobbySnapshot, body: PixelRect, g: Geometry, setter: Typesetter) -> BodyPlan {
        let s = g.scale
        let pad = g.columnPad
        func region(_ r: PixelRect) -> PixelRect { PixelRect(x: r.x - pad, y: r.y, width: r.width + 2 * pad, height: r.height) }
        func upcoming(_ rect: PixelRect) -> PanelPages {
            guard snapshot.clockTrusted else { return PanelPages() }
            return layoutDays(snapshot.upcoming, heading: snapshot.strings.upcoming, empty: snapshot.strings.nothingUpcoming, strings: snapshot.strings, rect: rect, g: g, setter: setter)
        }

        var leftRect: PixelRect, panelRect: PixelRect
        var left: ColumnResult, week: PanelPages
        if g.twoColumns {
            let gutter = s.px(4.0)
            var best: (score: [Int], left: ColumnResult, week: PanelPages, leftRect: PixelRect, panelRect: PixelRect)?
            for share in stride(from: 0.30, through: 0.62, by: 0.04) {
                let leftWidth = Int(Double(body.width - gutter) * share)
                let l = PixelRect(x: body.x, y: body.y, width: leftWidth, height: body.height)
                let p = PixelRect(x: body.x + leftWidth + gutter, y: body.y, width: body.width - leftWidth - gutter, height: body.height)
                let column = leftColumn(snapshot, rect: l, g: g, setter: setter)
                let pages = upcoming(p)
                let lost = column.hidden + column.truncatedLines + pages.hidden + pages.truncatedLines
                let fills = (Double(column.usedHeight) - Double(pages.firstPageHeight)) / Double(max(1, body.height))
                let score = [lost, pages.pageCount, Int((abs(fills) * 10).rounded()), Int((abs(share - 0.42) * 100).rounded())]
                if best == nil || score.lexicographicallyPrecedes(best!.score) {
                    best = (score, column, pages, l, p)
                }
            }
            (left, week, leftRect, panelRect) = (best!.left, best!.week, best!.leftRect, best!.panelRect)
        } else {
            let natural = leftColumn(snapshot, rect: body, g: g, setter: setter)
            let cap = body.height / 2
            if natural.hidden == 0 && natural.usedHeight <= cap {
                left = natural
                leftRect = PixelRect(x: body.x, y: body.y, width: body.width, height: natural.usedHeight)
            } else {
                leftRect = PixelRect(x: body.x, y: body.y, width: body.width, height: cap)
                left = leftColumn(snapshot, rect: leftRect, g: g, setter: setter)
            }
            let gap = s.px(3.6)
            panelRect = PixelRect(x: body.x, y: leftRect.maxY + gap, width: body.width, height: max(0, body.maxY - leftRect.maxY - gap))
            week = upcoming(panelRect)
        }
        return BodyPlan(
            left: left, leftRegion: region(leftRect), panelRegion: region(panelRect), upcoming: week,
            residents: layoutResidents(snapshot.residents, strings: snapshot.strings, rect: panelRect, g: g, setter: setter),
            notices: layoutNotices(snapshot.notices, strings: snapshot.strings, rect: panelRect, g: g, setter: setter),
            featured: layoutFeatured(snapshot.featured, strings: snapshot.strings, rect: panelRect, g: g, setter: setter),
            posters: layoutPosters(snapshot.posters, rect: panelRect, g: g, setter: setter))
    }

    /// Today, or, when the clock cannot be believed, the programme after the last good
    /// fetch with full dates and no "today".
    func leftColumn(_ snapshot: LobbySnapshot, rect: PixelRect, g: Geometry, setter: Typesetter) -> ColumnResult {
        if snapshot.clockTrusted { return layoutToday(snapshot, rect: rect, g: g, setter: setter) }
        let title = snapshot.strings.programmeHeading
        let pages = layoutDays(snapshot.upcoming, heading: title, empty: snapshot.strings.nothingUpcoming, strings: snapshot.strings, rect: rect, g: g, setter: setter, maximumPages: 1)
        return ColumnResult(layer: pages.page(0), hidden: pages.hidden, truncatedLines: pages.truncatedLines, usedHeight: pages.firstPageHeight)
    }

    // MARK: Pages

    /// Items of `heights` (in order, `gap` apart) on as few pages of `capacity` as hold
    /// them, filled evenly: the smallest page height that needs no more pages than filling
    /// each page to the brim, so that the last page is not a lone item under a heading.
    /// An item taller than a page is left out.
    static func balancedPages(_ heights: [Int], gap: Int, capacity: Int) -> [[Int]] {
        func pages(limit: Int) -> [[Int]] {
            var pages: [[Int]] = [[]]
            var used = 0
            for (i, h) in heights.enumerated() where h <= capacity {
                let needed = h + (pages[pages.count - 1].isEmpty ? 0 : gap)
                if used + needed > limit, !pages[pages.count - 1].isEmpty {
                    pages.append([])
                    used = 0
                }
                used += h + (pages[pages.count - 1].isEmpty ? 0 : gap)
                pages[pages.count - 1].append(i)
            }
            return pages.filter { !$0.isEmpty }
        }
        let full = pages(limit: capacity)
        guard full.count > 1 else { return full }
        var low = heights.filter { $0 <= capacity }.max() ?? 0, high = capacity
        while low < high {
            let mid = (low + high) / 2
            if pages(limit: mid).count <= full.count { high = mid } else { low = mid + 1 }
        }
        return pages(limit: low)
    }

    // MARK: Residents

    /// The directory in a grid of cards (name, activity, where in the building), as many
    /// columns as cards of 30 units fit (at most three), page after page. When any
    /// resident has a logo, every card starts with a square tile (`residentTileUnits`):
    /// the logo fitted inside on a light plate, or the name's first letter on a quiet
    /// one, so that names stay aligned down each column.
    func layoutResidents(_ residents: [LobbySnapshot.ResidentLine], strings: LobbyStrings, rect: PixelRect, g: Geometry, setter: Typesetter) -> PanelPages {
        guard !residents.isEmpty else { return PanelPages() }
        let s = g.scale
        let tiles = residents.contains { $0.logo != nil }
        let gap = s.px(3.0), rowGap = s.px(2.0)
        let columns = max(1, min(3, (rect.width + gap) / (s.px(30) + gap)))
        let cardWidth = (rect.width - (columns - 1) * gap) / columns
        let headingHeight = headingBlock(strings.residents, trailing: "A – Z   0/0", x: rect.x, width: rect.width, g: g, setter: setter).height
        let capacity = rect.height - headingHeight - s.px(0.6)

        // Rows of cards, each as tall as its tallest card.
        var rows: [(cards: [SceneBlock], residents: [LobbySnapshot.ResidentLine], height: Int)] = []
        for start in stride(from: 0, to: residents.count, by: columns) {
            let group = Array(residents[start..<min(start + columns, residents.count)])
            let cards = group.enumerated().map { i, r in
                residentCard(r, x: rect.x + i * (cardWidth + gap), width: cardWidth, tile: tiles, g: g, setter: setter)
            }
            rows.append((cards, group, cards.map(\.height).max() ?? 0))
        }
        let pages = Self.balancedPages(rows.map(\.height), gap: rowGap, capacity: capacity)
        var result = PanelPages()
        for (index, page) in pages.enumerated() {
            let shown = page.flatMap { rows[$0].residents }
            let first = shown.first?.initial ?? "", last = shown.last?.initial ?? ""
            var trailing = first == last ? first : "\(first) – \(last)"
            if pages.count > 1 { trailing += " · \(index + 1)/\(pages.count)" }
            var column = ColumnStack(rect: rect)
            column.add(headingBlock(strings.residents, trailing: trailing, x: rect.x, width: rect.width, g: g, setter: setter))
            for (k, i) in page.enumerated() {
                var row = SceneBlock()
                for card in rows[i].cards {
                    row.boxes += card.boxes
                    row.add(card.texts)
                }
                row.height = rows[i].height
                column.add(row, gap: k == 0 ? s.px(0.6) : rowGap)
            }
            result.pages.append(column.items)
            result.truncatedLines += column.truncatedLines
            if index == 0 { result.firstPageHeight = column.used }
        }
        result.hidden = residents.count - pages.reduce(0) { $0 + $1.reduce(0) { $0 + rows[$1].residents.count } }
        return result
    }

    /// The side of a directory card's tile, in type units: about two lines of a name.
    static let residentTileUnits = 7.0

    /// One card of the directory: with `tile`, the logo's (or the monogram's) square
    /// first, the words beside it; the card is at least as tall as the tile.
    func residentCard(_ r: LobbySnapshot.ResidentLine, x: Int, width: Int, tile: Bool = false, g: Geometry, setter: Typesetter) -> SceneBlock {
        let s = g.scale
        var block = SceneBlock()
        var left = x, minimumHeight = 0
        if tile {
            let side = s.px(Self.residentTileUnits), gap = s.px(1.4)
            let boxes = residentTile(r, x: x, side: side, g: g, setter: setter, texts: &block)
            block.boxes += boxes
            left += side + gap
            minimumHeight = side
        }
        let w = Double(x + width - left)
        let name = setter.set(r.name, setter.styles(s.title, s.titleMinimum, .bold, role: .title), width: w, maxLines: 2)
        block.add(setter.place(name, role: .title, x: Double(left), width: w, top: 0))
        var y = setter.height(name)
        for (text, role) in [(r.what, ScreenRole.detail), (r.location, ScreenRole.time)] where !text.isEmpty {
            let fitted = setter.set(text, setter.styles(s.detail, s.detailMinimum, role: role), width: w, maxLines: 2)
            block.add(setter.place(fitted, role: role, x: Double(left), width: w, top: y))
            y += setter.height(fitted)
        }
        block.height = max(y, minimumHeight)
        return block
    }

    /// A card's tile at (`x`, 0), `side` pixels square: the logo fitted inside a light
    /// plate (the title's text colour: light on the dark themes, where a logo drawn for
    /// paper would vanish), with a margin; without a logo, the name's first letter or
    /// digit on a quiet plate (the footer's band).
    func residentTile(_ r: LobbySnapshot.ResidentLine, x: Int, side: Int, g: Geometry, setter: Typesetter, texts: inout SceneBlock) -> [SceneBox] {
        let s = g.scale
        let radius = max(1, side / 10)
        let plate = PixelRect(x: x, y: 0, width: side, height: side)
        guard let logo = r.logo else {
            let letter = r.name.first { $0.isLetter || $0.isNumber }.map { String($0).uppercased() } ?? "·"
            let fitted = setter.set(letter, setter.style(s.heading, .bold, role: .detail), width: Double(side))
            texts.add(setter.place(fitted, role: .detail, x: Double(x), width: Double(side), top: (side - setter.height(fitted)) / 2, alignment: .center))
            return [SceneBox(plate, .background(.footer), shape: .rounded(radius: radius))]
        }
        let margin = max(1, side / 12)
        let box = Self.fitted(aspect: logo.aspect, width: side - 2 * margin, height: side - 2 * margin)
        let frame = PixelRect(x: x + (side - box.width) / 2, y: (side - box.height) / 2, width: box.width, height: box.height)
        return [
            SceneBox(plate, .foreground(.title), shape: .rounded(radius: radius)),
            SceneBox(frame, .picture(ScenePicture(key: logo.key, fit: .inside, plate: .title), placeholder: .footer)),
        ]
    }

    // MARK: Notices

    /// The notice board: each notice with a coloured bar (red when urgent), its kind, its
    /// title, up to three lines of its text and its deadline or author.
    func layoutNotices(_ notices: [LobbySnapshot.NoticeLine], strings: LobbyStrings, rect: PixelRect, g: Geometry, setter: Typesetter) -> PanelPages {
        guard !notices.isEmpty else { return PanelPages() }
        let s = g.scale
        let gap = s.px(2.4)
        let headingHeight = headingBlock(strings.notices, trailing: "0/0", x: rect.x, width: rect.width, g: g, setter: setter).height
        let capacity = rect.height - headingHeight - s.px(0.6)
        let blocks = notices.map { noticeBlock($0, x: rect.x, width: rect.width, g: g, setter: setter) }
        let pages = Self.balancedPages(blocks.map(\.height), gap: gap, capacity: capacity)
        var result = PanelPages()
        for (index, page) in pages.enumerated() {
            var column = ColumnStack(rect: rect)
            column.add(headingBlock(strings.notices, trailing: pages.count > 1 ? "\(index + 1)/\(pages.count)" : "", x: rect.x, width: rect.width, g: g, setter: setter))
            for (k, i) in page.enumerated() { column.add(blocks[i], gap: k == 0 ? s.px(0.6) : gap) }
            result.pages.append(column.items)
            result.truncatedLines += column.truncatedLines
            if index == 0 { result.firstPageHeight = column.used }
        }
        result.hidden = notices.count - pages.reduce(0) { $0 + $1.count }
        return result
    }

    func noticeBlock(_ n: LobbySnapshot.NoticeLine, x: Int, width: Int, g: Geometry, setter: Typesetter) -> SceneBlock {
        let s = g.scale
        var block = SceneBlock()
        let bar = s.px(0.6)
        let left = x + bar + s.px(1.6)
        let w = Double(x + width - left)
        var y = 0
        // The kind, in a red label when urgent.
        let tagRole: ScreenRole = n.urgent ? .urgent : .tag
        let tag = setter.set(n.tag, setter.style(s.footer, .bold, role: tagRole), width: w - Double(2 * s.px(0.8)))
        if n.urgent {
            let pill = s.px(0.8)
            let texts = setter.place(tag, role: .urgent, x: Double(left + pill), width: tag.maxWidth, top: pill / 2)
            if let t = texts.first {
                block.boxes.append(SceneBox(PixelRect(x: t.frame.x - pill, y: 0, width: t.frame.width + 2 * pill, height: t.frame.height + pill), .background(.urgent), shape: .rounded(radius: pill)))
                block.add(texts)
                y = t.frame.height + pill + s.px(0.4)
            }
        } else {
            block.add(setter.place(tag, role: .tag, x: Double(left), width: w, top: 0))
            y = setter.height(tag) + s.px(0.2)
        }
        let title = setter.set(n.title, setter.styles(s.title, s.titleMinimum, .bold, role: .title), width: w, maxLines: 2)
        block.add(setter.place(title, role: .title, x: Double(left), width: w, top: y))
        y += setter.height(title)
        if !n.body.isEmpty {
            let body = setter.set(n.body, setter.styles(s.detail, s.detailMinimum, role: .detail), width: w, maxLines: 3)
            block.add(setter.place(body, role: .detail, x: Double(left), width: w, top: y + s.px(0.2)))
            y += s.px(0.2) + setter.height(body)
        }
        if !n.detail.isEmpty {
            // Highlighted from the data (a deadline today or tomorrow), never from its words.
            let role: ScreenRole = n.deadlineIsNear ? .cancelled : .muted
            let detail = setter.set(n.detail, setter.styles(s.detail, s.detailMinimum, role: role), width: w, maxLines: 2)
            block.add(setter.place(detail, role: role, x: Double(left), width: w, top: y + s.px(0.3)))
            y += s.px(0.3) + setter.height(detail)
        }
        block.boxes.append(SceneBox(PixelRect(x: x, y: 0, width: bar, height: y), n.urgent ? .background(.urgent) : .foreground(.tag)))
        block.height = y
        return block
    }
}
