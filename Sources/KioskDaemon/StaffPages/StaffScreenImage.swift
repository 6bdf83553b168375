import Foundation
import KioskCore
import KioskDisplay
import Synchronization

/// A picture of the lobby for the staff page: the frame a pixel display would draw now on
/// a 960x540 panel (540x960 when `[screen] rotation` turns it), through the pixel layout
/// and the renderer of `kioskctl render`, as PNG.
///
/// Needs the shipped fonts (`PixelAssets.locate`); without them there is no picture and the
/// page shows only the screen's text. The fonts are read once; a picture is reused for
/// `reuseFor` seconds so that a phone reloading the page does not make the board redraw
/// and encode (about 1.5 MB of uncompressed PNG) each time.
public final class StaffScreenImage: Sendable {
    public static let pixelWidth = 960
    public static let pixelHeight = 540

    /// One per process: the fonts and the last picture are shared by every session.
    public static let shared = StaffScreenImage(assets: PixelAssets.locate())

    let assets: String?
    let reuseFor: TimeInterval
    private struct Cache {
        var engine: TypeEngine?
        var theme: (key: String, value: PixelTheme)?
        var last: (at: Date, png: [UInt8])?
    }
    private let cache = Mutex(Cache())

    public init(assets: String?, reuseFor: TimeInterval = 5) {
        self.assets = assets
        self.reuseFor = reuseFor
    }

    /// True when pictures can be drawn (the fonts were found).
    public var isAvailable: Bool { assets != nil }

    /// The PNG of the lobby at `now` for `config` (theme, accent, rotation), from the
    /// snapshot `snapshot` gives; nil without fonts.
    public func png(now: Date, config: KioskConfig, snapshot: @Sendable () async throws -> LobbySnapshot) async throws -> [UInt8]? {
        guard let assets else { return nil }
        if let last = cache.withLock({ $0.last }), now.timeIntervalSince(last.at) >= 0, now.timeIntervalSince(last.at) < reuseFor {
            return last.png
        }
        let (engine, theme) = try resources(assets: assets, config: config)
        let picture = config.screen.rotation.pictureSize(panelWidth: Self.pixelWidth, height: Self.pixelHeight)
        let layout = SignageLayout(config: config, type: engine, emphasis: theme.boldRoles)
        let scene = layout.layout(try await snapshot(), metrics: .init(width: picture.width, height: picture.height))
        var renderer = SceneRenderer(width: picture.width, height: picture.height, theme: theme, type: engine)
        _ = renderer.render(scene)
        let png = PNGEncoder.encode(renderer.canvas)
        cache.withLock { $0.last = (now, png) }
        return png
    }

    private func resources(assets: String, config: KioskConfig) throws -> (TypeEngine, PixelTheme) {
        let key = config.screen.theme + "|" + (config.venue.accent.map { String($0) } ?? "")
        if let cached = cache.withLock({ c -> (TypeEngine, PixelTheme)? in
            guard let engine = c.engine, let theme = c.theme, theme.key == key else { return nil }
            return (engine, theme.value)
        }) {
            return cached
        }
        let engine = try cache.withLock { $0.engine } ?? TypeEngine(fontsDirectory: PixelAssets.fontDirectory(assets), cacheCapacity: PixelPipeline.glyphCacheBytes)
        let theme = try PixelTheme.load(for: config, directory: PixelAssets.themeDirectory(assets))
        cache.withLock {
            $0.engine = engine
            $0.theme = (key, theme)
        }
        return (engine, theme)
    }
}

extension StaffAPIBackend {
    /// The API backend draws pictures when the fonts are installed.
    public func drawsScreenImage() async -> Bool { StaffScreenImage.shared.isAvailable }

    /// The lobby as the framebuffer would show it now, laid out from the database through
    /// the desk's connection (staff role required, as for the screen's text).
    public func screenImage(as principal: StaffPrincipal) async throws -> [UInt8]? {
        let principal = Self.principal(principal)
        try desk.require(.staff, principal)
        let desk = self.desk
        let config = desk.config, now = desk.clock.now()
        return try await StaffScreenImage.shared.png(now: now, config: config) {
            try await desk.onQueue { store in try LobbySnapshotReader.snapshot(at: now, store: store, config: config) }
        }
    }
}
