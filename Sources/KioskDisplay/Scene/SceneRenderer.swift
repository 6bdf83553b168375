import KioskCore

/// Draws successive `PixelScene`s into one RAM canvas and says which areas changed since
/// the previous frame: the code path behind every pixel display (framebuffer, DRM,
/// `kioskctl render`, the staff preview).
///
/// The areas come from the scenes, not from the pixels: an item (box or line of text)
/// that appeared, went away or changed marks its frame, overlapping areas are merged,
/// and only they are painted again, every item that meets them repainted from the bottom
/// layer up (background, boxes, texts) clipped to them. Since no item paints outside its
/// frame and texts of a layer do not overlap, a partial redraw gives exactly the pixels
/// of a full one. A clock tick is the clock's box; the first frame (and the one after
/// `invalidate()`) is the whole screen.
///
/// Memory: the canvas (4 bytes a pixel: 8.3 MB at 1920x1080), the previous scene, and
/// the pictures' cache (`ScenePictureShelf`, bounded in bytes). A display that draws into
/// its own scan-out buffers uses `advance(to:)` and `drawCurrent(into:areas:)` instead of
/// `render(_:)`, with a renderer of size 0 that holds no canvas.
public struct SceneRenderer: Sendable {
    public let theme: PixelTheme
    public let type: any TextDrawing
    /// Where picture boxes get their pictures; nil: their placeholders are drawn.
    public var pictures: ScenePictureShelf?
    /// The frame last rendered: what the display should show.
    public private(set) var canvas: PixelCanvas
    private var previous: PixelScene?
    /// The scene last rendered or advanced to (kept by `invalidate()`).
    public private(set) var current: PixelScene?

    public init(width: Int, height: Int, theme: PixelTheme, type: any TextDrawing) {
        self.theme = theme
        self.type = type
        canvas = PixelCanvas(width: max(0, width), height: max(0, height), color: theme.style(.background).background)
    }

    /// Forgets what is on screen: the next `render(_:)` draws and reports everything (after
    /// the console drew over the framebuffer, or after the screen woke up).
    public mutating func invalidate() { previous = nil }

    /// Draws `scene` and returns the areas that differ from the previous frame.
    public mutating func render(_ scene: PixelScene) -> [PixelRect] {
        defer { previous = scene; current = scene }
        if scene.width != canvas.width || scene.height != canvas.height {
            canvas = PixelCanvas(width: max(0, scene.width), height: max(0, scene.height), color: theme.style(.background).background)
            previous = nil
        }
        // Drawn through a static function: a method of `self` would hold a second reference
        // to the canvas's pixels while they are written, and copy all of them.
        let (theme, type) = (self.theme, self.type)
        // Taken out while drawing, for the same reason (the cache is written as it is used).
        var shelf = pictures
        pictures = nil
        defer { pictures = shelf }
        guard let previous else {
            Self.draw(scene, theme: theme, type: type, pictures: &shelf, into: &canvas, within: canvas.bounds)
            return canvas.bounds.isEmpty ? [] : [canvas.bounds]
        }
        let areas = Self.changedAreas(from: previous, to: scene, bounds: canvas.bounds)
        for area in areas { Self.draw(scene, theme: theme, type: type, pictures: &shelf, into: &canvas, within: area) }
        return areas
    }

    // MARK: Drawing into a display's buffers

    /// Takes `scene` as the frame now wanted and returns the areas that differ from the
    /// previous one (all of `bounds` first and after `invalidate()`), drawing nothing: the
    /// display then brings each of its buffers up to date with `drawCurrent(into:areas:)`.
    public mutating func advance(to scene: PixelScene, bounds: PixelRect) -> [PixelRect] {
        defer { previous = scene; current = scene }
        guard let previous, previous.width == scene.width, previous.height == scene.height else {
            return bounds.isEmpty ? [] : [bounds]
        }
        return Self.changedAreas(from: previous, to: scene, bounds: bounds)
    }

    /// Paints every pixel of `areas` of `target` from the current scene (the background
    /// before any), as `render(_:)` would have painted them on its canvas; pictures go
    /// through the cache.
    public mutating func drawCurrent(into target: inout PixelCanvas, areas: [PixelRect]) {
        let scene = current ?? PixelScene(width: target.width, height: target.height)
        let (theme, type) = (self.theme, self.type)
        var shelf = pictures
        pictures = nil
        defer { pictures = shelf }
        for area in areas { Self.draw(scene, theme: theme, type: type, pictures: &shelf, into: &target, within: area) }
    }

    // MARK: Changed areas

    /// The frames of the items that differ between two scenes of one size, clipped to
    /// `bounds`, overlapping ones merged.
    public static func changedAreas(from old: PixelScene, to new: PixelScene, bounds: PixelRect) -> [PixelRect] {
        var rects: [PixelRect] = []
        for index in 0..<max(old.layers.count, new.layers.count) {
            let a = old.layers.indices.contains(index) ? old.layers[index] : SceneLayer()
            let b = new.layers.indices.contains(index) ? new.layers[index] : SceneLayer()
            if a.boxes != b.boxes {
                let before = Set(a.boxes), after = Set(b.boxes)
                let changed = before.symmetricDifference(after)
                // Same boxes in another order paint differently: all of them then.
                rects += (changed.isEmpty ? before : changed).map(\.frame)
            }
            if a.texts != b.texts {
                rects += Set(a.texts).symmetricDifference(Set(b.texts)).map(\.frame)
            }
        }
        return merged(rects.map { $0.intersection(bounds) }.filter { !$0.isEmpty })
    }

    /// Unions of the rectangles that overlap, until none do.
    static func merged(_ rects: [PixelRect]) -> [PixelRect] {
        var result: [PixelRect] = []
        for rect in rects.sorted(by: { ($0.y, $0.x) < ($1.y, $1.x) }) {
            var current = rect
            var changed = true
            while changed {
                changed = false
                if let i = result.firstIndex(where: { $0.touches(current) }) {
                    current = current.union(result.remove(at: i))
                    changed = true
                }
            }
            result.append(current)
        }
        return result
    }

    // MARK: Drawing

    /// Paints every pixel of `area` from `scene` (the rest of `canvas` is left alone);
    /// pictures not in the cache are decoded for this call only.
    public func draw(_ scene: PixelScene, into canvas: inout PixelCanvas, within area: PixelRect) {
        var shelf = pictures
        Self.draw(scene, theme: theme, type: type, pictures: &shelf, into: &canvas, within: area)
    }

    static func draw(_ scene: PixelScene, theme: PixelTheme, type: any TextDrawing, pictures: inout ScenePictureShelf?,
                     into canvas: inout PixelCanvas, within area: PixelRect) {
        let area = area.intersection(canvas.bounds)
        guard !area.isEmpty else { return }
        canvas.fill(area, theme.style(.background).background)
        for layer in scene.layers {
            for box in layer.boxes where box.frame.touches(area) {
                paint(box, theme: theme, into: &canvas, clip: area)
                if case .picture(let picture, _) = box.paint, pictures != nil,
                   let (scaled, placement) = pictures!.picture(picture, width: box.frame.width, height: box.frame.height) {
                    canvas.draw(scaled, x: box.frame.x + placement.destination.x, y: box.frame.y + placement.destination.y,
                                clip: box.frame.intersection(area))
                }
            }
            for text in layer.texts {
                let clip = text.frame.intersection(area)
                guard !clip.isEmpty else { continue }
                let style = theme.style(text.role)
                type.draw(text.text, style: text.style, x: text.x, baseline: text.baseline, color: style.foreground, clip: clip, into: &canvas)
                if style.underline {
                    let thickness = max(1, Int((text.style.pixelSize / 16).rounded()))
                    let y = Int(text.baseline.rounded()) + thickness * 2
                    let line = PixelRect(x: Int(text.x.rounded(.down)), y: y, width: Int(text.width.rounded(.up)), height: thickness)
                    canvas.fill(line.intersection(clip), style.foreground)
                }
            }
        }
    }

    private static func paint(_ box: SceneBox, theme: PixelTheme, into canvas: inout PixelCanvas, clip: PixelRect) {
        let color: PixelColor
        switch box.paint {
        case .background(let role): color = theme.style(role).background
        case .foreground(let role): color = theme.style(role).foreground
        case .picture(let picture, let placeholder): color = picture.plate.map { theme.style($0).foreground } ?? theme.style(placeholder).background
        }
        switch box.shape {
        case .rectangle: canvas.fill(box.frame.intersection(clip), color)
        case .rounded(let radius): ShapeCoverage.roundedRectangle(box.frame, radius: radius, color: color, clip: clip, into: &canvas)
        case .disc: ShapeCoverage.disc(in: box.frame, thickness: nil, color: color, clip: clip, into: &canvas)
        case .ring(let thickness): ShapeCoverage.disc(in: box.frame, thickness: thickness, color: color, clip: clip, into: &canvas)
        }
    }
}

extension PixelRect {
    /// Whether the rectangles overlap (sharing an edge is not enough).
    func touches(_ other: PixelRect) -> Bool {
        !isEmpty && !other.isEmpty && x < other.maxX && other.x < maxX && y < other.maxY && other.y < maxY
    }
}
