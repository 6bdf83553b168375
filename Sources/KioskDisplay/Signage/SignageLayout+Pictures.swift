import Foundation
import KioskCore

extension SignageLayout {
    // MARK: Featured events

    /// The featured panel: one page per event with a picture (`LobbySnapshot.featured`),
    /// the picture large (covering a 16:9 box, or less on a short panel), then the day,
    /// the time, the title, the room and the status.
    func layoutFeatured(_ featured: [LobbySnapshot.FeaturedEvent], strings: LobbyStrings, rect: PixelRect, g: Geometry, setter: Typesetter) -> PanelPages {
        guard !featured.isEmpty else { return PanelPages() }
        let s = g.scale
        var result = PanelPages()
        for (index, item) in featured.enumerated() {
            var column = ColumnStack(rect: rect)
            column.add(headingBlock(strings.featured, trailing: featured.count > 1 ? "\(index + 1)/\(featured.count)" : "", x: rect.x, width: rect.width, g: g, setter: setter))
            let text = featuredText(item, x: rect.x, width: rect.width, g: g, setter: setter)
            // The picture takes what the text leaves, at most a 16:9 box across the panel.
            let room = column.remaining - text.height - 2 * s.px(1.2)
            let pictureHeight = min(rect.width * 9 / 16, room)
            if pictureHeight >= s.px(8) {
                var picture = SceneBlock()
                let frame = PixelRect(x: rect.x, y: 0, width: rect.width, height: pictureHeight)
                picture.boxes.append(SceneBox(frame, .picture(ScenePicture(key: item.picture.key, fit: .cover), placeholder: .header)))
                picture.height = pictureHeight
                column.add(picture, gap: s.px(0.6))
            }
            column.add(text, gap: s.px(1.2))
            result.pages.append(column.items)
            result.truncatedLines += column.truncatedLines
            if index == 0 { result.firstPageHeight = column.used }
        }
        return result
    }

    /// The words under a featured event's picture.
    func featuredText(_ item: LobbySnapshot.FeaturedEvent, x: Int, width: Int, g: Geometry, setter: Typesetter) -> SceneBlock {
        let s = g.scale
        var block = SceneBlock()
        let w = Double(width), left = Double(x)
        let e = item.event
        var y = 0
        let day = setter.set(item.day + " · " + e.when, setter.styles(s.subheading, s.detailMinimum, .bold, role: .time), width: w, maxLines: 1)
        block.add(setter.place(day, role: .time, x: left, width: w, top: y))
        y += setter.height(day) + s.px(0.3)
        let titleRole: ScreenRole = e.status == .cancelled ? .cancelled : .title
        let title = setter.set(e.title, setter.styles(s.heading, s.titleMinimum, .bold, role: titleRole), width: w, maxLines: 2)
        block.add(setter.place(title, role: titleRole, x: left, width: w, top: y, tag: { .eventTitle(uid: e.uid, section: "featured", line: $0) }))
        y += setter.height(title)
        let where_ = [e.room, e.category].filter { !$0.isEmpty }.joined(separator: " · ")
        if !where_.isEmpty {
            let room = setter.set(where_, setter.styles(s.detail, s.detailMinimum, role: .detail), width: w, maxLines: 1)
            block.add(setter.place(room, role: .detail, x: left, width: w, top: y + s.px(0.2)))
            y += s.px(0.2) + setter.height(room)
        }
        if let label = e.statusLabel {
            let status = setter.set(label, setter.style(s.detail, .bold, role: .cancelled), width: w)
            block.add(setter.place(status, role: .cancelled, x: left, width: w, top: y + s.px(0.3)))
            y += s.px(0.3) + setter.height(status)
        }
        block.height = y
        return block
    }

    // MARK: Posters

    /// The posters: one page each, the title as the heading and the picture filling the
    /// rest of the panel, whole (fitted inside, centred), in a box of its own shape.
    func layoutPosters(_ posters: [LobbySnapshot.PosterLine], rect: PixelRect, g: Geometry, setter: Typesetter) -> PanelPages {
        guard !posters.isEmpty else { return PanelPages() }
        let s = g.scale
        var result = PanelPages()
        for (index, poster) in posters.enumerated() {
            var column = ColumnStack(rect: rect)
            column.add(headingBlock(poster.title, trailing: posters.count > 1 ? "\(index + 1)/\(posters.count)" : "", x: rect.x, width: rect.width, g: g, setter: setter))
            let gap = s.px(0.6)
            let area = (width: rect.width, height: column.remaining - gap)
            if area.height >= s.px(8) {
                let box = Self.fitted(aspect: poster.picture.aspect, width: area.width, height: area.height)
                var picture = SceneBlock()
                picture.boxes.append(SceneBox(PixelRect(x: rect.x + (area.width - box.width) / 2, y: 0, width: box.width, height: box.height),
                                              .picture(ScenePicture(key: poster.picture.key, fit: .inside), placeholder: .background)))
                picture.height = box.height
                column.add(picture, gap: gap)
            }
            result.pages.append(column.items)
            result.truncatedLines += column.truncatedLines
            if index == 0 { result.firstPageHeight = column.used }
        }
        return result
    }

    /// The largest box of `aspect` (width over height) inside `width` x `height`.
    static func fitted(aspect: Double, width: Int, height: Int) -> (width: Int, height: Int) {
        let a = aspect.isFinite && aspect > 0 ? aspect : 1
        if Double(width) / Double(max(1, height)) > a {
            return (max(1, min(width, Int((Double(height) * a).rounded()))), height)
        }
        return (width, max(1, min(height, Int((Double(width) / a).rounded()))))
    }
}
