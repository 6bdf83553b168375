import Foundation
import KioskCore

/// Lays a `LobbySnapshot` out in pixels for a pixel display: the lobby as signage.
///
/// A header band (the venue, the date, a clock for the far end of the lobby), banners when
/// the programme is offline or the clock cannot be believed, the day on the left and a
/// rotating panel on the right (the week ahead, the resident directory page by page, the
/// notice board, the next events with a picture, the posters; `PanelRotation` as on the
/// terminal), a footer (freshness, where the
/// rotation is, the badge reader's state). A portrait screen (narrower than 1.2 times its
/// height: a 1080x1920 totem) stacks the day above the panel in one column.
///
/// Type is measured with the font's real advances (`TextMeasuring`) at sizes derived from
/// the screen (`TypeScale`); titles and rooms take up to two lines and shrink to a minimum
/// size before anything is cut with "…"; the split between the two columns follows what
/// they hold. Pure: the same snapshot, metrics and type give the same scene.
public struct SignageLayout: Sendable {
    /// The screen to fill.
    public struct Metrics: Sendable, Hashable {
        /// The size as the visitor sees it (after rotation).
        public var width: Int
        public var height: Int
        /// Burn-in shift step, 0, 1 or 2 (`ScreenSchedule.burnInShift`): static content
        /// moves right by that many steps of a third of a type unit.
        public var shift: Int

        public init(width: Int, height: Int, shift: Int = 0) {
            self.width = width
            self.height = height
            self.shift = shift
        }
    }

    public var panelDuration: TimeInterval
    public var pageDuration: TimeInterval
    public let type: any TextMeasuring
    /// Roles the theme wants bold (`PixelStyle.bold`): their text is set bold.
    public var emphasis: Set<ScreenRole>

    public init(panelDuration: TimeInterval = 15, pageDuration: TimeInterval = 10, type: any TextMeasuring, emphasis: Set<ScreenRole> = []) {
        self.panelDuration = panelDuration
        self.pageDuration = pageDuration
        self.type = type
        self.emphasis = emphasis
    }

    public init(config: KioskConfig, type: any TextMeasuring, emphasis: Set<ScreenRole> = []) {
        self.init(panelDuration: config.screen.panelDuration, pageDuration: config.screen.directoryPageDuration, type: type, emphasis: emphasis)
    }

    /// Screens whose short side is below this get only the venue's name and the clock.
    public static let minimumShortSide = 240

    /// The whole screen at the snapshot's instant.
    public func layout(_ snapshot: LobbySnapshot, metrics: Metrics) -> PixelScene {
        layoutWithNextPanelChange(snapshot, metrics: metrics).scene
    }

    /// The whole screen, and when the rotating panel next shows another panel or page (nil:
    /// never). Until then the same snapshot lays out to the same scene, which lets the
    /// lobby reuse it (a badge scan adds only its overlay).
    public func layoutWithNextPanelChange(_ snapshot: LobbySnapshot, metrics m: Metrics) -> (scene: PixelScene, nextPanelChange: Date?) {
        let g = Geometry(metrics: m)
        let setter = typesetter(g, snapshot.strings)
        // A staff alert takes the whole screen, over everything else.
        if let alert = snapshot.alert { return (layoutAlert(alert, g: g, setter: setter), nil) }
        var scene = PixelScene(width: m.width, height: m.height)
        guard min(m.width, m.height) >= Self.minimumShortSide else {
            minimalLayout(snapshot, g: g, setter: setter, into: &scene)
            return (scene, nil)
        }

        let header = layoutHeader(snapshot, g: g, setter: setter)
        scene.add(header.layer)
        scene.regions += header.regions
        let banner = layoutBanners(snapshot, g: g, setter: setter, top: header.bottom)
        scene.add(banner.layer)
        scene.regions += banner.regions
        let footerHeight = self.footerHeight(g, setter: setter)
        let footerTop = m.height - footerHeight

        let body = bodyRect(g, top: banner.bottom, footerTop: footerTop)
        let plan = planBody(snapshot, body: body, g: g, setter: setter)

        let (rotation, pages) = self.rotation(plan, snapshot: snapshot)
        let slot = rotation.slot(at: snapshot.instant)

        scene.add(plan.left.layer)
        let panel: PanelPages
        switch slot?.panel {
        case .upcoming?, nil: panel = snapshot.clockTrusted ? plan.upcoming : plan.residents
        case .residents?: panel = plan.residents
        case .notices?: panel = plan.notices
        case .featured?: panel = plan.featured
        case .posters?: panel = plan.posters
        }
        let page = min(slot?.page ?? 0, max(0, panel.pageCount - 1))
        scene.add(panel.page(page))
        scene.regions.append(SceneRegion(.today, plan.leftRegion))
        scene.regions.append(SceneRegion(.panel, plan.panelRegion))

        let footer = layoutFooter(snapshot, g: g, setter: setter, top: footerTop, rotation: rotation, slot: slot, pages: pages)
        scene.add(footer.layer)
        scene.regions.append(SceneRegion(.footer, footer.frame))
        return (scene, rotation.nextChange(after: snapshot.instant))
    }

    /// The rotation of the panels for `snapshot` on this screen: the week ahead, each page
    /// of the directory, each page of the notice board (what `layout` shows when).
    public func panelRotation(_ snapshot: LobbySnapshot, metrics m: Metrics) -> PanelRotation {
        let g = Geometry(metrics: m)
        let setter = typesetter(g, snapshot.strings)
        guard min(m.width, m.height) >= Self.minimumShortSide else { return PanelRotation(pages: [:], panelDuration: panelDuration, pageDuration: pageDuration) }
        let header = layoutHeader(snapshot, g: g, setter: setter)
        let banner = layoutBanners(snapshot, g: g, setter: setter, top: header.bottom)
        let footerTop = m.height - footerHeight(g, setter: setter)
        let body = bodyRect(g, top: banner.bottom, footerTop: footerTop)
        return rotation(planBody(snapshot, body: body, g: g, setter: setter), snapshot: snapshot).rotation
    }

    /// The rotation over the panels' pages, as on the terminal.
    func rotation(_ plan: BodyPlan, snapshot: LobbySnapshot) -> (rotation: PanelRotation, pages: [PanelRotation.Panel: Int]) {
        var pages: [PanelRotation.Panel: Int] = [:]
        if snapshot.clockTrusted { pages[.upcoming] = plan.upcoming.pageCount }
        pages[.residents] = plan.residents.pageCount
        pages[.notices] = plan.notices.pageCount
        pages[.featured] = plan.featured.pageCount
        pages[.posters] = plan.posters.pageCount
        return (PanelRotation(pages: pages, panelDuration: panelDuration, pageDuration: pageDuration), pages)
    }

    /// The body between the header (and banners) and the footer.
    func bodyRect(_ g: Geometry, top: Int, footerTop: Int) -> PixelRect {
        let s = g.scale
        return PixelRect(x: g.contentLeft, y: top + s.px(2.6), width: g.contentWidth, height: max(0, footerTop - s.px(2.0) - top - s.px(2.6)))
    }

    // MARK: Geometry

    /// Where things go on a screen of a size.
    struct Geometry: Sendable {
        let width: Int
        let height: Int
        let scale: TypeScale
        /// Left and right margin of the content.
        let margin: Int
        /// Pixels static content is moved right against burn-in.
        let shift: Int

        init(metrics m: Metrics) {
            width = max(0, m.width)
            height = max(0, m.height)
            scale = TypeScale(width: width, height: height)
            margin = scale.px(3.6)
            shift = max(0, min(2, m.shift)) * max(1, Int((scale.unit / 3).rounded()))
        }

        var bounds: PixelRect { PixelRect(x: 0, y: 0, width: width, height: height) }
        var contentLeft: Int { margin + shift }
        var contentWidth: Int { max(0, width - 2 * margin) }
        var contentRight: Int { contentLeft + contentWidth }
        /// Landscape screens get two columns; portrait ones one.
        var twoColumns: Bool { Double(width) >= 1.2 * Double(height) }
        /// The horizontal room a column's region keeps around its text for overhangs.
        var columnPad: Int { scale.px(0.5) }
    }

    /// The typesetter of one layout: widths remembered while it runs (`WidthMemo`).
    func typesetter(_ g: Geometry, _ strings: LobbyStrings) -> Typesetter {
        Typesetter(fitter: TextFitter(type: WidthMemo(type)), scale: g.scale, emphasis: emphasis, french: strings.language == .fr)
    }

    /// A screen too small for the lobby: the venue's name, and the clock under it.
    private func minimalLayout(_ snapshot: LobbySnapshot, g: Geometry, setter: Typesetter, into scene: inout PixelScene) {
        let size = max(4, Double(min(g.width, g.height)) / 8)
        let width = Double(max(0, g.width - 4))
        let name = setter.set(snapshot.venueName, setter.style(size, .bold, role: .title), width: width)
        var top = max(0, (g.height - 2 * setter.lineBox(name.style).pitch) / 2)
        scene.layers[0].texts += setter.place(name, role: .title, x: 2, width: width, top: top, alignment: .center, tag: { .venueName(line: $0) })
        top += setter.height(name)
        let clock = setter.set(snapshot.clockLine, setter.style(size, .bold, role: .time, tabular: true), width: width)
        scene.layers[0].texts += setter.place(clock, role: .time, x: 2, width: width, top: top, alignment: .center, tag: { _ in .clock })
        scene.layers[0].texts.removeAll { !g.bounds.contains($0.frame) }
    }
}

/// A laid-out part of the screen.
struct LaidOutPart: Sendable {
    var layer = SceneLayer()
    var regions: [SceneRegion] = []
    /// The first row below the part.
    var bottom = 0
    var frame = PixelRect(x: 0, y: 0, width: 0, height: 0)
}

extension PixelScene {
    /// Adds a part's items to the lobby's layer.
    mutating func add(_ part: SceneLayer) {
        layers[0].boxes += part.boxes
        layers[0].texts += part.texts
    }
}
