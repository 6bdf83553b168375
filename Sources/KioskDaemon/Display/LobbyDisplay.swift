import Foundation
import KioskCore
import KioskDisplay

/// A display driver: something the lobby can be drawn on. Either a `CellDisplay` (a
/// terminal: the cell layout, `LobbyLayout`) or a `PixelDisplay` (a framebuffer, DRM,
/// a picture: the pixel layout, `SignageLayout`); the lobby asks which and lays out for
/// it. Drivers flush only what changed. Owned by the `Lobby` actor.
public protocol LobbyDisplay: AnyObject {
    /// Re-reads the size of the output; true when it changed.
    func refreshSize() -> Bool
    /// Puts the output back as it was found (terminal modes, console mode).
    func restore()
}

/// A display of character cells: it shows the cell layout's `ScreenModel`.
public protocol CellDisplay: LobbyDisplay {
    /// The grid the layout should fill, re-read after a resize.
    var metrics: LobbyLayout.Metrics { get }
    /// Draws `model`, sending only the differences with what is on the output.
    func show(_ model: ScreenModel) throws
}

/// A display of pixels: it shows the pixel layout's `PixelScene`, rendered by a
/// `PixelPipeline` (scene → canvas → changed areas, turned to the panel).
public protocol PixelDisplay: LobbyDisplay {
    /// The picture to lay out: its size (after rotation) and the type it is measured with.
    var surface: PixelSurface { get }
    /// Draws `scene`, copying only the changed areas to the output.
    func show(_ scene: PixelScene) throws
}

/// A display that keeps the last model in memory: the test seam for the daemon, and
/// the driver of headless runs (benchmarks, `kioskctl today`).
///
/// Sendable so that a test can read what the lobby actor drew.
public final class MemoryDisplay: CellDisplay, @unchecked Sendable {
    // @unchecked: every field is guarded by `lock`.
    private let lock = NSLock()
    private var _metrics: LobbyLayout.Metrics
    private var _lastModel: ScreenModel?
    private var _frames = 0
    private var _restored = false

    public init(columns: Int, rows: Int, headlineScale: Int = 1) {
        _metrics = LobbyLayout.Metrics(columns: columns, rows: rows, headlineScale: headlineScale)
    }

    public var metrics: LobbyLayout.Metrics { lock.withLock { _metrics } }
    public var lastModel: ScreenModel? { lock.withLock { _lastModel } }
    public var frames: Int { lock.withLock { _frames } }
    public var restored: Bool { lock.withLock { _restored } }

    /// Changes the size; the next `refreshSize()` reports it.
    public func resize(columns: Int, rows: Int) {
        lock.withLock { _metrics = LobbyLayout.Metrics(columns: columns, rows: rows, headlineScale: _metrics.headlineScale) }
    }

    public func refreshSize() -> Bool { true }

    public func show(_ model: ScreenModel) throws {
        lock.withLock {
            guard model != _lastModel else { return }
            _lastModel = model
            _frames += 1
        }
    }

    public func restore() { lock.withLock { _restored = true } }
}
