import Foundation
import KioskCore
import KioskDisplay

extension Lobby {
    /// The grid to lay out at `now`: the display's, shifted against burn-in on a
    /// `PoweredScreen` (the shift depends only on `now`, so `kioskctl render --at` agrees).
    func screenMetrics(at now: Date) -> LobbyLayout.Metrics {
        var metrics = display.metrics
        if display is any PoweredScreen { metrics.shift = ScreenSchedule.burnInShift(at: now) }
        return metrics
    }

    /// Applies the `ScreenSchedule` to a `PoweredScreen`: powers it down (logged as "off on
    /// purpose") or wakes it (the next frame is drawn whole). True when the screen is lit
    /// and a frame should be drawn; always true on other displays.
    func screenIsLit() throws -> Bool {
        guard let screen = display as? any PoweredScreen, screen.followsSchedule else { return true }
        let now = clock.now()
        let state = ScreenSchedule(config: config).state(at: now, occurrences: inputs(at: now).occurrences, days: venueDays)
        switch state {
        case .on:
            if screen.isBlanked {
                try screen.setBlanked(false)
                lastModel = nil
                logger.notice("screen on: \(config.venue.hours.isOpen(at: now, timeZone: config.venue.timeZone) ? "opening hours" : "an event is near")")
            }
            return true
        case .off(let reason):
            if !screen.isBlanked {
                do { try screen.setBlanked(true) } catch {
                    // A driver without FBIOBLANK: keep showing the lobby rather than nothing.
                    logger.warning("screen should be off on purpose but cannot be powered down: \(error)")
                    return true
                }
                logger.notice("screen off on purpose: \(reason == .closed ? "the building is closed" : "the last event of the day has ended")")
            }
            return false
        }
    }
}

/// What an `OffscreenPixelDisplay` holds, copied out of the lobby actor.
public struct OffscreenFrame: Sendable {
    public var canvas: PixelCanvas
    public var counts: OffscreenPixelDisplay.FlushCounts
    public var lastFlushed: [PixelRect]
    public var isBlanked: Bool
}

extension Lobby {
    /// The frame on an `OffscreenPixelDisplay` (nil on any other display).
    public func offscreenFrame() -> OffscreenFrame? {
        guard let d = display as? OffscreenPixelDisplay else { return nil }
        return OffscreenFrame(canvas: d.canvas, counts: d.counts, lastFlushed: d.lastFlushed, isBlanked: d.isBlanked)
    }
}

extension Lobby {
    /// What the `ScreenSchedule` says for now.
    public func screenState() -> ScreenSchedule.State {
        let now = clock.now()
        return ScreenSchedule(config: config).state(at: now, occurrences: inputs(at: now).occurrences, days: venueDays)
    }
}
