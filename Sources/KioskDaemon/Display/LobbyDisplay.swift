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
/// the driver of headless runs.
public final class MemoryDisplay: LobbyDisplay {
    public var metrics: LobbyLayout.Metrics
    public private(set) var lastModel: ScreenModel?
    public private(set) var frames = 0
    public private(set) var restored = false
    /// Called after each frame (tests wait on it).
    public var onFrame: ((ScreenModel) -> Void)?

    public init(columns: Int, rows: Int, headlineScale: Int = 1) {
        metrics = LobbyLayout.Metrics(columns: columns, rows: rows, headlineScale: headlineScale)
    }

    public func refreshSize() -> Bool { false }

    public func show(_ model: ScreenModel) throws {
        guard model != lastModel else { return }
        lastModel = model
        frames += 1
        onFrame?(model)
    }

    public func restore() { restored = true }
}
