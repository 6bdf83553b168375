import Foundation
import KioskCore
import KioskDisplay
import Synchronization

/// A picture of the lobby for the staff page: the frame the framebuffer driver would draw
/// now on a 960x540 screen (`LobbyRender`, the code path of `kioskctl render`), as PNG.
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
        var fonts: ConsoleFontSet?
        var theme: (name: String, value: PixelTheme)?
        var last: (at: Date, png: [UInt8])?
    }
    private let cache = Mutex(Cache())

    public init(assets: String?, reuseFor: TimeInterval = 5) {
        self.assets = assets
        self.reuseFor = reuseFor
    }

    /// True when pictures can be drawn (the fonts were found).
    public var isAvailable: Bool { assets != nil }

    /// The PNG of the lobby at `now`, laid out by `layout` for the picture's grid; nil
    /// without fonts. `layout` gets the grid's metrics and returns the model to draw.
    public func png(
        now: Date, themeName: String, layout: @Sendable (LobbyLayout.Metrics) async throws -> ScreenModel
    ) async throws -> [UInt8]? {
        guard let assets else { return nil }
        if let last = cache.withLock({ $0.last }), now.timeIntervalSince(last.at) >= 0, now.timeIntervalSince(last.at) < reuseFor {
            return last.png
        }
        let (fonts, theme) = try resources(assets: assets, themeName: themeName)
        let metrics = LobbyRender.metrics(forPixelWidth: Self.pixelWidth, height: Self.pixelHeight, fonts: fonts)
        let model = try await layout(metrics)
        let png = LobbyRender.png(model: model, pixelWidth: Self.pixelWidth, pixelHeight: Self.pixelHeight, theme: theme, fonts: fonts)
        cache.withLock { $0.last = (now, png) }
        return png
    }

    private func resources(assets: String, themeName: String) throws -> (ConsoleFontSet, PixelTheme) {
        if let cached = cache.withLock({ c -> (ConsoleFontSet, PixelTheme)? in
            guard let fonts = c.fonts, let theme = c.theme, theme.name == themeName else { return nil }
            return (fonts, theme.value)
        }) {
            return cached
        }
        let fonts = try ShippedFonts.load(
            forPixelWidth: Self.pixelWidth, height: Self.pixelHeight, fromDirectory: PixelAssets.fontDirectory(assets))
        let theme = try PixelTheme.load(named: themeName, directory: PixelAssets.themeDirectory(assets))
        cache.withLock {
            $0.fonts = fonts
            $0.theme = (themeName, theme)
        }
        return (fonts, theme)
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
        return try await StaffScreenImage.shared.png(now: now, themeName: config.screen.theme) { metrics in
            try await desk.onQueue { store in
                let snapshot = try LobbySnapshotReader.snapshot(at: now, store: store, config: config)
                return LobbyLayout(config: config).layout(snapshot, metrics: metrics)
            }
        }
    }
}
