import Foundation
import KioskCore

extension SignageLayout {
    // MARK: Header

    /// The band at the top: the venue's logo (when there is one) and name (and tagline) on
    /// the left, the date and the clock on the right, on one baseline; the date goes under the clock when the name
    /// needs the room (portrait screens, long names). The clock's box is as wide as
    /// "00:00" in tabular figures, so a tick repaints that box only.
    func layoutHeader(_ snapshot: LobbySnapshot, g: Geometry, setter: Typesetter) -> LaidOutPart {
        let s = g.scale
        let pad = s.px(2.0), gap = s.px(2.6)
        let strings = snapshot.strings
        var part = LaidOutPart()

        // The right block: clock and date.
        let clockStyle = setter.style(s.clock, .bold, role: .clock, tabular: true)
        let clockBox = setter.lineBox(clockStyle)
        let hasClock = snapshot.clockTrusted && !snapshot.clockLine.isEmpty
        let clockWidth = hasClock ? Int(max(setter.type.width(of: "00:00", style: clockStyle), setter.type.width(of: snapshot.clockLine, style: clockStyle)).rounded(.up)) : 0
        let dateStyle = setter.style(s.date, role: .headerText)
        let date = setter.set(snapshot.dateLine, dateStyle, width: Double(g.contentWidth) * 0.45)
        let dateWidth = Int(date.maxWidth.rounded(.up))

        // The left block: name, closed label, tagline.
        let nameStyles = setter.styles(s.venue, s.venue * 0.7, .bold, role: .headerText)
        let closedStyle = setter.style(s.date, .bold, role: .warning)
        let closed = snapshot.isOpen ? nil : setter.set(strings.closed, closedStyle, width: Double(g.contentWidth) / 4)
        let closedWidth = closed.map { Int($0.maxWidth.rounded(.up)) + 2 * s.px(1.0) + gap } ?? 0
        // The logo: as tall as a line of the name at its largest, as wide as its shape asks,
        // at most a quarter of the width.
        let logoHeight = setter.lineBox(nameStyles[0]).pitch
        let logoWidth = snapshot.logo.map { min(g.contentWidth / 4, Int((Double(logoHeight) * $0.aspect).rounded())) } ?? 0
        let logoRoom = logoWidth > 0 ? logoWidth + gap : 0
        let oneRowRight = (hasClock ? clockWidth : 0) + (dateWidth > 0 ? dateWidth + (hasClock ? gap : 0) : 0)
        let oneRowLeft = g.contentWidth - oneRowRight - gap - closedWidth - logoRoom
        let nameWidestLine = setter.type.width(of: setter.prepare(snapshot.venueName), style: nameStyles[nameStyles.count - 1])
        let stacked = hasClock && dateWidth > 0 && Double(oneRowLeft) < min(nameWidestLine, Double(g.contentWidth) * 0.4)
        let rightWidth = stacked ? max(clockWidth, dateWidth) : oneRowRight
        let leftWidth = Double(max(0, g.contentWidth - rightWidth - (rightWidth > 0 ? gap : 0) - closedWidth - logoRoom))
        let name = setter.set(snapshot.venueName, nameStyles, width: leftWidth, maxLines: 2)
        let tagline = setter.set(snapshot.tagline, setter.styles(s.tagline, s.tagline * 0.85, role: .headerText), width: leftWidth + Double(closedWidth), maxLines: 1)
        let taglineGap = tagline.isEmpty ? 0 : s.px(0.4)
        let leftHeight = setter.height(name) + taglineGap + setter.height(tagline)
        let rightHeight = (hasClock ? clockBox.pitch : setter.height(date)) + (stacked ? setter.height(date) : 0)
        let height = max(leftHeight, rightHeight, logoWidth > 0 ? logoHeight : 0) + 2 * pad
        part.layer.boxes.append(SceneBox(PixelRect(x: 0, y: 0, width: g.width, height: height), .background(.header)))
        part.regions.append(SceneRegion(.header, PixelRect(x: 0, y: 0, width: g.width, height: height)))

        // Right block: the clock's baseline shared with the date (one row) or the date under it.
        let right = Double(g.contentRight)
        var rowBaseline: Int
        if hasClock {
            let clockTop = (height - rightHeight) / 2
            rowBaseline = clockTop + clockBox.ascent
            let boxes = clockTexts(snapshot.clockLine, style: clockStyle, right: g.contentRight, width: clockWidth, baseline: rowBaseline, setter: setter)
            part.layer.texts += boxes
            part.regions.append(SceneRegion(.clock, boxes.map(\.frame).reduce(boxes[0].frame) { $0.union($1) }))
            if stacked {
                part.layer.texts += setter.place(date, role: .headerText, x: right - Double(rightWidth), width: Double(rightWidth), top: clockTop + clockBox.pitch, alignment: .trailing)
            } else {
                part.layer.texts += setter.place(date, role: .headerText, x: right - Double(clockWidth + gap + dateWidth), width: Double(dateWidth), baseline: rowBaseline)
            }
        } else {
            let dateTop = (height - setter.height(date)) / 2
            rowBaseline = dateTop + setter.lineBox(dateStyle).ascent
            part.layer.texts += setter.place(date, role: .headerText, x: right - Double(dateWidth), width: Double(dateWidth), top: dateTop)
        }

        if let logo = snapshot.logo, logoWidth > 0 {
            let frame = PixelRect(x: g.contentLeft, y: (height - logoHeight) / 2, width: logoWidth, height: logoHeight)
            part.layer.boxes.append(SceneBox(frame, .picture(ScenePicture(key: logo.key, fit: .inside), placeholder: .header)))
        }

        // Left block, centred; a one-line name without tagline sits on the clock's baseline.
        let x = Double(g.contentLeft + logoRoom)
        var nameTop = (height - leftHeight) / 2
        if tagline.isEmpty && name.lines.count == 1 && (hasClock || !date.isEmpty) {
            nameTop = rowBaseline - setter.lineBox(name.style).ascent
        }
        let nameTexts = setter.place(name, role: .headerText, x: x, width: leftWidth, top: nameTop, tag: { .venueName(line: $0) })
        part.layer.texts += nameTexts
        if let closed, let first = nameTexts.first {
            let pill = s.px(1.0)
            let box = setter.lineBox(closed.style)
            let left = first.x + first.width + Double(gap)
            let baseline = Int(first.baseline)
            let texts = setter.place(closed, role: .warning, x: left + Double(pill), width: closed.maxWidth, baseline: baseline)
            if let t = texts.first {
                let frame = PixelRect(x: t.frame.x - pill, y: baseline - box.ascent - pill / 2, width: t.frame.width + 2 * pill, height: box.pitch + pill)
                part.layer.boxes.append(SceneBox(frame, .background(.warning), shape: .rounded(radius: pill)))
                part.layer.texts += texts
            }
        }
        part.layer.texts += setter.place(tagline, role: .headerText, x: x, width: leftWidth + Double(closedWidth), top: nameTop + setter.height(name) + taglineGap)
        part.bottom = height
        return part
    }

    /// The clock as two texts, the hours with the colon and the minutes, each painting a
    /// box as tall as the figures (tabular: every time takes the same room): a tick repaints
    /// the minutes' box, and the hours' only on the hour.
    func clockTexts(_ line: String, style: TextStyle, right: Int, width: Int, baseline: Int, setter: Typesetter) -> [SceneText] {
        let type = setter.type
        let parts: [String]
        if let colon = line.lastIndex(of: ":") {
            parts = [String(line[...colon]), String(line[line.index(after: colon)...])]
        } else {
            parts = [line]
        }
        // Figures stand on the baseline and reach the cap height (0.72 em in Lato); round
        // ones overshoot a little either way.
        let top = baseline - Int((0.78 * style.pixelSize).rounded(.up)), bottom = baseline + Int((0.04 * style.pixelSize).rounded(.up))
        // The minutes start on a whole pixel, where the hours' box ends.
        var texts: [SceneText] = []
        var edge = right + 1
        var x = Double(right)
        for (index, part) in parts.enumerated().reversed() {
            let w = type.width(of: part, style: style)
            x -= w
            if index > 0 { x = x.rounded(.down) }
            let left = index == 0 ? right - width - 1 : Int(x)
            let frame = PixelRect(x: left, y: top, width: edge - left, height: bottom - top)
            texts.insert(SceneText(text: part, style: style, role: .clock, x: x, baseline: Double(baseline), width: w, frame: frame, tag: .clock), at: 0)
            edge = left
        }
        return texts
    }

    // MARK: Banners

    /// Warning bands under the header: the programme is offline ("Hors ligne depuis 3 h"),
    /// the clock cannot be believed ("Horloge non synchronisée").
    func layoutBanners(_ snapshot: LobbySnapshot, g: Geometry, setter: Typesetter, top: Int) -> LaidOutPart {
        var lines: [String] = []
        if !snapshot.clockTrusted { lines.append(snapshot.strings.clockUnsure) }
        if snapshot.isOffline, let freshness = snapshot.freshness { lines.append(freshness) }
        var part = LaidOutPart()
        part.bottom = top
        guard !lines.isEmpty else { return part }
        let s = g.scale
        let style = setter.style(s.banner, .bold, role: .warning)
        let fitted = setter.set(lines.joined(separator: "  ·  "), [style, setter.style(s.detailMinimum, .bold, role: .warning)], width: Double(g.contentWidth), maxLines: 2)
        let pad = s.px(0.9)
        let height = setter.height(fitted) + 2 * pad
        let frame = PixelRect(x: 0, y: top, width: g.width, height: height)
        part.layer.boxes.append(SceneBox(frame, .background(.warning)))
        part.layer.texts += setter.place(fitted, role: .warning, x: Double(g.contentLeft), width: Double(g.contentWidth), top: top + pad)
        part.regions.append(SceneRegion(.banner, frame))
        part.bottom = top + height
        return part
    }

    // MARK: Footer

    func footerHeight(_ g: Geometry, setter: Typesetter) -> Int {
        setter.lineBox(setter.style(g.scale.footer, role: .footer)).pitch + 2 * g.scale.px(1.1)
    }

    /// The band at the bottom: how fresh the programme is on the left, the rotating
    /// panel's name and a dot per panel on the right. (The badge reader's state goes in
    /// its middle: `addCheckIn`.)
    func layoutFooter(
        _ snapshot: LobbySnapshot, g: Geometry, setter: Typesetter, top: Int, rotation: PanelRotation, slot: PanelRotation.Slot?,
        pages: [PanelRotation.Panel: Int]
    ) -> LaidOutPart {
        let s = g.scale
        var part = LaidOutPart()
        let frame = PixelRect(x: 0, y: top, width: g.width, height: g.height - top)
        part.frame = frame
        part.layer.boxes.append(SceneBox(frame, .background(.footer)))
        let style = setter.style(s.footer, role: .footer)
        let box = setter.lineBox(style)
        let lineTop = top + (frame.height - box.pitch) / 2
        let side = Double(g.contentWidth) * Self.footerSideShare
        if let freshness = snapshot.freshness, !snapshot.isOffline {
            let fitted = setter.set(freshness, style, width: side)
            part.layer.texts += setter.place(fitted, role: .footer, x: Double(g.contentLeft), width: side, top: lineTop)
        }
        if rotation.slots.count > 1, let slot {
            let names: [PanelRotation.Panel: String] = [.upcoming: snapshot.strings.upcoming, .residents: snapshot.strings.residents, .notices: snapshot.strings.notices,
                                                     .featured: snapshot.strings.featured, .posters: snapshot.strings.poster]
            let shown = PanelRotation.Panel.allCases.filter { (pages[$0] ?? 0) > 0 }
            let dot = max(4, Int((s.footer * 0.5).rounded()))
            let dotGap = max(3, dot * 2 / 3)
            let dotsWidth = shown.count * dot + (shown.count - 1) * dotGap
            let dotsTop = lineTop + box.ascent - Int((s.footer * 0.36).rounded()) - dot / 2
            var x = g.contentRight - dotsWidth
            for panel in shown {
                let frame = PixelRect(x: x, y: dotsTop, width: dot, height: dot)
                part.layer.boxes.append(SceneBox(frame, .foreground(.footer), shape: panel == slot.panel ? .disc : .ring(thickness: max(1, dot / 6))))
                x += dot + dotGap
            }
            let nameWidth = side - Double(dotsWidth + dotGap * 2)
            let fitted = setter.set(names[slot.panel] ?? "", style, width: nameWidth)
            part.layer.texts += setter.place(fitted, role: .footer, x: Double(g.contentRight - dotsWidth - dotGap * 2) - nameWidth, width: nameWidth, top: lineTop, alignment: .trailing)
        }
        return part
    }

    /// The share of the footer's width each side may take; the middle is the reader's.
    static let footerSideShare = 0.34
}
