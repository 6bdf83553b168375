import Foundation
import KioskCore

extension Lobby {
    /// Whether the lobby draws through DRM/KMS (the display watch is then started).
    public var drawsThroughDRM: Bool { display is DRMDisplay }

    /// A hot-plug uevent came or the low-rate poll fired: the DRM display looks at its
    /// connector again; a screen found again is lit and redrawn, laid out anew when its
    /// size changed.
    public func displayOutputMayHaveChanged(_ trigger: DRMDisplay.OutputCheck) throws {
        guard let drm = display as? DRMDisplay else { return }
        switch try drm.checkOutput(trigger) {
        case .unchanged, .lost: break
        case .lit:
            lastShown = nil
            try redraw()
        }
    }

    /// Our VT is being switched away (`away`) or came back.
    public func consoleSwitched(away: Bool) throws {
        guard let drm = display as? DRMDisplay else { return }
        if away {
            drm.consoleReleased()
        } else {
            _ = try drm.consoleAcquired()
            lastShown = nil
            try redraw()
        }
    }

    /// Asks the DRM display to take VT switches in hand (see `DRMDisplay.enableConsoleSwitching`).
    public func enableConsoleSwitching() throws -> Bool {
        guard let drm = display as? DRMDisplay else { return false }
        return try drm.enableConsoleSwitching()
    }

    /// What the screen is doing, for the service status (DRM only: the other drivers have
    /// nothing to add).
    var displayStatus: String? { (display as? DRMDisplay)?.statusSummary }
}
