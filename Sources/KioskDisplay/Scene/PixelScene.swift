import KioskCore

/// The lobby laid out in pixels for one screen: boxes (bands, cards, dots, pictures) and
/// lines of text, each with the rectangle it may paint. Backend-free like the cell
/// `ScreenModel`, which stays the terminal's: the pixel displays (framebuffer, DRM,
/// `kioskctl render`, the staff preview) draw this one.
///
/// Layers are painted bottom to top, each its boxes in order then its texts: layer 0 is
/// the lobby, later layers are overlays (the welcome after a badge scan, an alert). Colours
/// are named by role only; a `PixelTheme` maps roles to colours.
///
/// Every item's `frame` bounds what it paints, so comparing two scenes item by item gives
/// the areas to redraw (`SceneRenderer`), and tests can check that nothing leaves its box.
public struct PixelScene: Sendable, Hashable {
    /// The size laid out (after rotation: a 1080x1920 totem is 1080 wide).
    public var width: Int
    public var height: Int
    public var layers: [SceneLayer]
    /// Named areas of the layout (header, clock, columns, footer, overlay card…), for
    /// tests and drivers; drawing ignores them.
    public var regions: [SceneRegion]

    public init(width: Int, height: Int, layers: [SceneLayer] = [SceneLayer()], regions: [SceneRegion] = []) {
        self.width = width
        self.height = height
        self.layers = layers
        self.regions = regions
    }

    public var bounds: PixelRect { PixelRect(x: 0, y: 0, width: width, height: height) }

    /// The area of a named region, if the layout made one.
    public func region(_ name: SceneRegion.Name) -> PixelRect? {
        regions.first { $0.name == name }?.frame
    }

    /// Every text of every layer, bottom to top.
    public var allTexts: [SceneText] { layers.flatMap(\.texts) }
}

/// One layer of a scene: boxes painted in order, then texts.
public struct SceneLayer: Sendable, Hashable {
    public var boxes: [SceneBox]
    public var texts: [SceneText]

    public init(boxes: [SceneBox] = [], texts: [SceneText] = []) {
        self.boxes = boxes
        self.texts = texts
    }
}

/// A named area of the layout.
public struct SceneRegion: Sendable, Hashable {
    public enum Name: String, Sendable, Hashable, CaseIterable {
        case header, clock, banner, today, panel, footer, overlay
        /// A staff alert over the whole screen (`LobbySnapshot.alert`).
        case alert
    }

    public var name: Name
    public var frame: PixelRect

    public init(_ name: Name, _ frame: PixelRect) {
        self.name = name
        self.frame = frame
    }
}

/// A painted area: a band, a card, a page dot, a picture.
public struct SceneBox: Sendable, Hashable {
    public enum Shape: Sendable, Hashable {
        case rectangle
        /// Corners rounded with this radius in pixels, antialiased.
        case rounded(radius: Int)
        /// The largest disc the frame holds, antialiased.
        case disc
        /// The outline of that disc, `thickness` pixels wide.
        case ring(thickness: Int)
    }

    /// What fills the shape.
    public enum Paint: Sendable, Hashable {
        /// The background colour of a role (bands, cards, label pills).
        case background(ScreenRole)
        /// The text colour of a role (page dots, rules).
        case foreground(ScreenRole)
        /// A picture, scaled into the frame; where it is missing, the role's background.
        case picture(ScenePicture, placeholder: ScreenRole)
    }

    public var frame: PixelRect
    public var shape: Shape
    public var paint: Paint

    public init(_ frame: PixelRect, _ paint: Paint, shape: Shape = .rectangle) {
        self.frame = frame
        self.paint = paint
        self.shape = shape
    }
}

/// A picture to show in a box (the venue's logo, an event's image, a poster): named by
/// the key its source knows it by, fitted inside or covering the box.
public struct ScenePicture: Sendable, Hashable {
    public enum Fit: Sendable, Hashable { case inside, cover }

    public var key: String
    public var fit: Fit
    /// Drawn on a plate of this role's text colour rather than on its placeholder's
    /// background: a resident's logo (dark on transparent, as most logos are) on the light
    /// card the directory gives it whatever the theme.
    public var plate: ScreenRole?

    public init(key: String, fit: Fit = .inside, plate: ScreenRole? = nil) {
        self.key = key
        self.fit = fit
        self.plate = plate
    }
}

/// One line of text, already typeset: broken, French spacing applied, cut with "…" where
/// it could not be held. Drawn with its baseline's left end at (`x`, `baseline`), clipped
/// to `frame`.
public struct SceneText: Sendable, Hashable {
    public var text: String
    public var style: TextStyle
    public var role: ScreenRole
    /// Left end of the baseline, in pixels (fractional: glyphs are placed to a quarter pixel).
    public var x: Double
    public var baseline: Double
    /// The measured advance of `text` in `style`.
    public var width: Double
    /// Everything this text paints lies here (the renderer clips to it).
    public var frame: PixelRect
    /// What the line shows, so that tests can put a title's lines back together.
    public var tag: SceneTag
    /// Whether this line ends with an ellipsis put there by the layout.
    public var isTruncated: Bool

    public init(text: String, style: TextStyle, role: ScreenRole, x: Double, baseline: Double, width: Double, frame: PixelRect, tag: SceneTag = .other, isTruncated: Bool = false) {
        self.text = text
        self.style = style
        self.role = role
        self.x = x
        self.baseline = baseline
        self.width = width
        self.frame = frame
        self.tag = tag
        self.isTruncated = isTruncated
    }
}

/// What a line of text is part of.
public enum SceneTag: Sendable, Hashable {
    /// A line of an event's title (`uid`, `line` from 0), in the section `section`.
    case eventTitle(uid: String, section: String, line: Int)
    /// A line of an event's room (with its category and status).
    case eventRoom(uid: String, section: String, line: Int)
    case eventTime(uid: String, section: String)
    case venueName(line: Int)
    case clock
    case other
}
