import Dispatch
import Foundation
import KioskCore
import KioskDisplay
import Synchronization

/// The picture of the lobby on the staff page: the frame the screen shows now, made
/// phone-sized (`phoneWidth` pixels wide: 390 CSS pixels at twice the density) and
/// written as a compressed PNG (tens of kilobytes, where the uncompressed frame was 1.5 MB).
///
/// On a pixel display (framebuffer, DRM, the in-memory framebuffer) it is that display's
/// own frame. On a terminal (or before a first frame) it is the lobby now (its alert and
/// welcome included) laid out by the pixel layout and drawn by the renderer of
/// `kioskctl render` on a 960x540 panel (540x960 when `[screen] rotation` turns it);
/// without the shipped fonts there is no picture then. A picture is reused for `reuseFor`
/// seconds so that a phone reloading the page does not make the board redraw and
/// compress each time.
public final class StaffScreenImage: Sendable {
    /// The panel a terminal kiosk's screen is drawn on.
    public static let pixelWidth = 960
    public static let pixelHeight = 540
    /// The width of the picture sent.
    public static let phoneWidth = 780

    /// One per process: the fonts and the last picture are shared by every session.
    public static let shared = StaffScreenImage(assets: PixelAssets.locate())

    let assets: String?
    let reuseFor: TimeInterval
    private struct Cache {
        var engine: TypeEngine?
        var theme: (key: String, value: PixelTheme)?
        var last: (at: Date, png: [UInt8], size: (Int, Int))?
    }
    private let cache = Mutex(Cache())

    public init(assets: String?, reuseFor: TimeInterval = 5) {
        self.assets = assets
        self.reuseFor = reuseFor
    }

    /// True when a terminal kiosk's screen can be pictured (the fonts were found).
    public var isAvailable: Bool { assets != nil }

    /// The picture's PNG and its size; nil when the lobby must be laid out and the fonts
    /// are missing. `picture` gives the lobby's frame or its snapshot.
    public func png(
        now: Date, config: KioskConfig, picture: @Sendable () async throws -> LobbyPicture
    ) async throws -> (png: [UInt8], width: Int, height: Int)? {
        if let last = cache.withLock({ $0.last }), now.timeIntervalSince(last.at) >= 0, now.timeIntervalSince(last.at) < reuseFor {
            return (last.png, last.size.0, last.size.1)
        }
        let drawn = try await picture()
        if case .snapshot = drawn, assets == nil { return nil }
        // Laying out, drawing, scaling and compressing take tens of milliseconds on the
        // board: on a queue of their own, never on the two threads of the cooperative pool.
        let result = try await Self.offPool { () -> (png: [UInt8], width: Int, height: Int) in
            let canvas: PixelCanvas
            switch drawn {
            case .canvas(let frame):
                canvas = frame
            case .snapshot(let snapshot, let checkIn):
                canvas = try self.draw(snapshot, checkIn: checkIn, config: config)
            }
            let small = canvas.scaledDown(toWidth: Self.phoneWidth)
            return (PNGEncoder.encode(small, compression: .deflate), small.width, small.height)
        }
        cache.withLock { $0.last = (now, result.png, (result.width, result.height)) }
        return result
    }

    /// The lobby as a pixel display of `pixelWidth` x `pixelHeight` would draw it.
    private func draw(_ snapshot: LobbySnapshot, checkIn: CheckInOverlay, config: KioskConfig) throws -> PixelCanvas {
        guard let assets else { throw HTTPError(.notFound, "no fonts to draw the screen with") }
        let (engine, theme) = try resources(assets: assets, config: config)
        let size = config.screen.rotation.pictureSize(panelWidth: Self.pixelWidth, height: Self.pixelHeight)
        let layout = SignageLayout(config: config, type: engine, emphasis: theme.boldRoles)
        let metrics = SignageLayout.Metrics(width: size.width, height: size.height)
        var scene = layout.layout(snapshot, metrics: metrics)
        layout.addCheckIn(checkIn, to: &scene, metrics: metrics, strings: snapshot.strings)
        var renderer = SceneRenderer(width: size.width, height: size.height, theme: theme, type: engine)
        _ = renderer.render(scene)
        return renderer.canvas
    }

    private static let drawing = DispatchQueue(label: "kioskd.staff-screen-image", qos: .utility)

    private static func offPool<T: Sendable>(_ body: @escaping @Sendable () throws -> T) async throws -> T {
        try await withCheckedThrowingContinuation { continuation in
            drawing.async { continuation.resume(with: Result { try body() }) }
        }
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

extension StaffDesk {
    /// The lobby now as the staff page pictures it (staff role): a phone-sized PNG and its
    /// size; nil when it cannot be drawn.
    public func screenPicture(as principal: Principal, images: StaffScreenImage = .shared) async throws -> (png: [UInt8], width: Int, height: Int)? {
        try require(.staff, principal)
        let config = self.config, now = clock.now()
        let lobby = self.lobby
        return try await images.png(now: now, config: config) {
            if let lobby { return await lobby.picture() }
            let snapshot = try await self.onQueue { store in try LobbySnapshotReader.snapshot(at: now, store: store, config: config) }
            return .snapshot(snapshot, CheckInOverlay())
        }
    }

    /// When the programme last changed (a fetch or a push) and which source did it.
    public func lastProgrammeChange(as principal: Principal) async throws -> (at: Date, source: String)? {
        try require(.staff, principal)
        return try await onQueue { store in
            try store.programme.sourceStatuses().compactMap { s in s.lastSuccess.map { ($0, s.id) } }.max { $0.0 < $1.0 }
        }
    }
}
