import Foundation
import KioskCore

/// A display that is a physical screen left on for months: the lobby powers it down when
/// the `ScreenSchedule` says so and shifts its static content against burn-in
/// (`ScreenSchedule.burnInShift`). Terminals are not: they keep their metrics unshifted.
public protocol PoweredScreen: LobbyDisplay {
    /// Whether the screen is powered down.
    var isBlanked: Bool { get }
    /// Powers the screen down or back on; after waking, the next frame is drawn whole.
    func setBlanked(_ blanked: Bool) throws
    /// False to keep drawing whatever the schedule says (a render of a night-time
    /// instant); the burn-in shift still applies.
    var followsSchedule: Bool { get }
}

extension PoweredScreen {
    public var followsSchedule: Bool { true }
}

extension FramebufferDisplay: PoweredScreen {}
