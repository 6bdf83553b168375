/// The bytes that prepare a terminal for the kiosk and the bytes that give it back.
///
/// Start: switch to the alternate screen (`ESC[?1049h`, so the shell's screen comes back
/// untouched afterwards), hide the cursor (`ESC[?25l`), turn off auto-wrap (`ESC[?7l`, so
/// a character in the bottom-right cell never scrolls the screen), reset SGR and clear.
/// Restore: the opposite, in reverse order. Write `restoreBytes` on every exit path: a
/// normal stop, SIGTERM/SIGINT/SIGHUP, and the crash handler (`EmergencyTerminalRestore`
/// in KioskSystem keeps a copy for async-signal-safe use).
public struct TerminalSession: Hashable, Sendable {
    public var usesAlternateScreen: Bool
    public var hidesCursor: Bool
    public var disablesAutowrap: Bool

    public init(usesAlternateScreen: Bool = true, hidesCursor: Bool = true, disablesAutowrap: Bool = true) {
        self.usesAlternateScreen = usesAlternateScreen
        self.hidesCursor = hidesCursor
        self.disablesAutowrap = disablesAutowrap
    }

    public static let alternateScreenOn = "\u{1B}[?1049h"
    public static let alternateScreenOff = "\u{1B}[?1049l"
    public static let cursorHidden = "\u{1B}[?25l"
    public static let cursorShown = "\u{1B}[?25h"
    public static let autowrapOff = "\u{1B}[?7l"
    public static let autowrapOn = "\u{1B}[?7h"
    public static let resetAttributes = "\u{1B}[0m"
    public static let clearScreen = "\u{1B}[H\u{1B}[2J"

    /// What to write once before the first frame.
    public var startBytes: [UInt8] {
        var text = ""
        if usesAlternateScreen { text += Self.alternateScreenOn }
        if hidesCursor { text += Self.cursorHidden }
        if disablesAutowrap { text += Self.autowrapOff }
        text += Self.resetAttributes + Self.clearScreen
        return Array(text.utf8)
    }

    /// What to write to give the terminal back as it was.
    public var restoreBytes: [UInt8] {
        var text = Self.resetAttributes
        if disablesAutowrap { text += Self.autowrapOn }
        if hidesCursor { text += Self.cursorShown }
        if usesAlternateScreen {
            text += Self.alternateScreenOff
        } else {
            // Without an alternate screen, leave a clean screen rather than a stale frame.
            text += Self.clearScreen
        }
        return Array(text.utf8)
    }
}
