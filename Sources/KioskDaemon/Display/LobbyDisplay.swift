import Foundation
import KioskCore

/// A display driver: something the lobby can be drawn on.
///
/// Drivers receive the whole backend-free `ScreenModel` and flush only what changed
/// (changed terminal cells; changed framebuffer areas). Owned by the `Lobby` actor.
public protocol LobbyDisplay: AnyObject {
    /// The grid the layout should fill, re-read after a resize.
    var metrics: LobbyLayout.Metrics { get }
    /// Re-reads the size of the output; true when it changed.
    func refreshSize() -> Bool
    /// Draws `model`, sending only the differences with what is on the output.
    func show(_ model: ScreenModel) throws
    /// Puts the output back as it was found (terminal modes, console mode).
    func restore()
}

/// A display that keeps the last model in memory: the test seam for the daemon, and
/// the driver of headless runs (benchmarks, `kioskctl today`).
///
/// Sendable so that a test can read what the lobby actor drew.
public final class MemoryDisplay: LobbyDisplay, @unchecked Sendable {
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
