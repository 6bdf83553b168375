import Foundation
import KioskCore
import KioskDisplay
import KioskSystem

/// The display `kioskd` draws on, from `[screen] backend`: ANSI on a terminal, or the
/// Linux framebuffer (`[screen] framebuffer`, console `[screen] console` in graphics
/// mode, put back to text mode on exit, on SIGTERM/SIGINT through `Lobby.stop()`, and on
/// a crash signal through `ConsoleCrashRestore`). `$KIOSK_DEBUG_MEMORY_FRAMEBUFFER`
/// (a test hook) replaces the device with a `MemoryFramebufferDisplay`.
enum DisplayFactory {
    /// Opens the display. For the framebuffer, the fonts and themes come from
    /// `PixelAssets.locate()` (`$KIOSK_ASSETS`, `./assets`, beside the executable,
    /// `/usr/share/kiosk/assets`).
    static func make(config: KioskConfig, terminal device: TerminalDevice, environment: [String: String]) throws -> any LobbyDisplay {
        switch config.screen.backend {
        case .terminal:
            let colorMode = TerminalDisplay.colorMode(for: config.screen.colors, environment: environment, isTerminal: device.isTerminal)
            return TerminalDisplay(device: device, colorMode: colorMode, themeName: config.screen.theme)
        case .framebuffer:
            guard let assets = PixelAssets.locate() else {
                throw FramebufferError(device: config.screen.framebuffer, reason: "fonts not found: set $KIOSK_ASSETS to the directory holding fonts/ and themes/ (looked in ./assets, beside the executable, /usr/share/kiosk/assets)")
            }
            // Test hook (kiosk-bench, Tests/longrun): draw into RAM instead of the device.
            if let text = environment["KIOSK_DEBUG_MEMORY_FRAMEBUFFER"] {
                guard let size = MemoryFramebufferDisplay.size(fromEnvironment: text) else {
                    throw FramebufferError(device: "KIOSK_DEBUG_MEMORY_FRAMEBUFFER", reason: "'\(text)' is not WIDTHxHEIGHT such as 1920x1080")
                }
                return try MemoryFramebufferDisplay(config: config, pixelWidth: size.width, pixelHeight: size.height, assetDirectory: assets)
            }
            let display = try FramebufferDisplay(config: config, assetDirectory: assets, consolePath: config.screen.console)
            if let console = config.screen.console { try ConsoleCrashRestore.install(ttyPath: console) }
            return display
        }
    }
}
