import Foundation
import KioskCore
import KioskDisplay

/// The lobby laid out for a display of either kind.
enum LaidOutScreen: Equatable, Sendable {
    case cells(ScreenModel)
    case pixels(PixelScene)
}

/// What a layout depends on besides the snapshot: the grid, or the picture and its type.
enum LayoutKey: Equatable, Sendable {
    case cells(LobbyLayout.Metrics)
    case pixels(SignageLayout.Metrics, PixelSurface)

    static func == (a: LayoutKey, b: LayoutKey) -> Bool {
        switch (a, b) {
        // A display's type does not change while it runs: the picture's metrics decide.
        case (.cells(let x), .cells(let y)): return x == y
        case (.pixels(let x, _), .pixels(let y, _)): return x == y
        default: return false
        }
    }
}

extension Lobby {
    /// What to lay out for at `now`: the display's grid or picture, shifted against burn-in
    /// on a `PoweredScreen` (the shift depends only on `now`, so `kioskctl render --at`
    /// agrees).
    func layoutKey(at now: Date) -> LayoutKey {
        let shift = display is any PoweredScreen ? ScreenSchedule.burnInShift(at: now) : 0
        if let pixels = display as? any PixelDisplay {
            let surface = pixels.surface
            return .pixels(surface.metrics(shift: shift), surface)
        }
        var metrics = (display as? any CellDisplay)?.metrics ?? LobbyLayout.Metrics(columns: 80, rows: 24)
        metrics.shift = shift
        return .cells(metrics)
    }

    /// Applies the `ScreenSchedule` to a `PoweredScreen`: powers it down (logged as "off on
    /// purpose") or wakes it (the next frame is drawn whole). True when the screen is lit
    /// and a frame should be drawn; always true on other displays.
    func screenIsLit() throws -> Bool {
        guard let screen = display as? any PoweredScreen, screen.followsSchedule else { return true }
        let now = clock.now()
        // A staff alert is shown whatever the hour: it wakes a screen powered down.
        if let alert, alert.isInForce(at: now) {
            if screen.isBlanked {
                try screen.setBlanked(false)
                lastShown = nil
                logger.notice("screen on: a staff alert is raised")
            }
            return true
        }
        let state = ScreenSchedule(config: config).state(at: now, occurrences: inputs(at: now).occurrences, days: venueDays)
        switch state {
        case .on:
            if screen.isBlanked {
                try screen.setBlanked(false)
                lastShown = nil
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

/// A pixel display whose frame is a canvas in RAM before it is copied out (the
/// framebuffer, DRM/KMS, the in-memory framebuffer, the offscreen display): the staff
/// page's picture of the screen is a copy of that canvas.
public protocol PixelCanvasDisplay: PixelDisplay {
    /// The frame drawn last, as the visitor sees it (after rotation).
    var currentCanvas: PixelCanvas { get }
}

/// What the staff page pictures: the frame of a pixel display, or (a terminal, or no
/// frame yet) the snapshot to lay out in pixels as a pixel display would.
public enum LobbyPicture: Sendable {
    case canvas(PixelCanvas)
    /// The lobby now, with the check-in on top, laid out by the caller.
    case snapshot(LobbySnapshot, CheckInOverlay)
}

extension Lobby {
    /// The screen as a picture: a pixel display's frame as drawn; otherwise the lobby now
    /// (its alert and welcome included), for the caller to lay out in pixels.
    public func picture() -> LobbyPicture {
        if let display = display as? any PixelCanvasDisplay, lastShown != nil { return .canvas(display.currentCanvas) }
        let now = clock.now()
        let snapshot = LobbySnapshot.make(at: now, inputs: inputs(at: now), config: config)
        return .snapshot(snapshot, checkInOverlay(snapshot))
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

extension Lobby {
    /// The pixel at (`x`, `y`) in a `MemoryFramebufferDisplay`'s memory (nil on any other
    /// display): what a device would hold, for tests and benchmarks.
    public func memoryFramebufferPixel(x: Int, y: Int) -> UInt32? {
        guard let display = display as? MemoryFramebufferDisplay else { return nil }
        return display.memoryPixel(x: x, y: y)
    }
}
