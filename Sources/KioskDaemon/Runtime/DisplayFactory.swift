import Foundation
import KioskCore
import KioskDisplay
import KioskSystem

/// The display `kioskd` draws on, from `[screen] backend`: ANSI on a terminal, the Linux
/// framebuffer (`[screen] framebuffer`), DRM/KMS (`/dev/dri/cardN`), or `auto` (DRM when a
/// card has a connected screen, else the framebuffer: `PixelBackendChoice`, logged). The
/// pixel backends put the console `[screen] console` in graphics mode and back in text
/// mode on exit, on SIGTERM/SIGINT through the display service (`DaemonServices`), and on a crash signal through
/// `ConsoleCrashRestore` (which also drops DRM master). `$KIOSK_DEBUG_MEMORY_FRAMEBUFFER`
/// and `$KIOSK_DEBUG_MEMORY_DRM` (test hooks) replace the devices with RAM;
/// `$KIOSK_DEBUG_DRAW_THROUGH_CANVAS=1` keeps a canvas where frames could be drawn into the
/// back buffer in place (`kiosk-bench memory` compares the two).
enum DisplayFactory {
    /// Opens the display. For pixel screens, the fonts and themes come from
    /// `PixelAssets.locate()` (`$KIOSK_ASSETS`, `./assets`, beside the executable,
    /// `/usr/share/kiosk/assets`).
    static func make(config: KioskConfig, terminal device: TerminalDevice, environment: [String: String], logger: JournalLogger? = nil) throws -> any LobbyDisplay {
        switch config.screen.backend {
        case .terminal:
            let colorMode = TerminalDisplay.colorMode(for: config.screen.colors, environment: environment, isTerminal: device.isTerminal)
            return TerminalDisplay(device: device, colorMode: colorMode, themeName: config.screen.theme)
        case .framebuffer:
            return try framebuffer(config: config, assets: try assets(config), environment: environment, logger: logger)
        case .drm:
            return try drm(config: config, assets: try assets(config), environment: environment, cardPath: nil, logger: logger)
        case .auto:
            let assets = try assets(config)
            if environment["KIOSK_DEBUG_MEMORY_DRM"] != nil { return try drm(config: config, assets: assets, environment: environment, cardPath: nil, logger: logger) }
            if environment["KIOSK_DEBUG_MEMORY_FRAMEBUFFER"] != nil { return try framebuffer(config: config, assets: assets, environment: environment, logger: logger) }
            let surveys = DRMCard.surveyAll()
            logSurveys(surveys, logger)
            let (choice, why) = PixelBackendChoice.decide(
                surveys: surveys, request: config.screen.mode, framebuffer: config.screen.framebuffer,
                framebufferExists: FileManager.default.fileExists(atPath: config.screen.framebuffer))
            guard let choice else { throw FramebufferError(device: "[screen] backend = auto", reason: why) }
            logger?.notice("display: [screen] backend = auto chose \(choice.reason)")
            switch choice.backend {
            case .framebuffer: return try framebuffer(config: config, assets: assets, environment: environment, logger: logger)
            case .drm(let card): return try drm(config: config, assets: assets, environment: environment, cardPath: card, logger: logger)
            }
        }
    }

    /// False when `$KIOSK_DEBUG_DRAW_THROUGH_CANVAS` is `1`.
    private static func drawsInPlace(_ environment: [String: String]) -> Bool {
        environment["KIOSK_DEBUG_DRAW_THROUGH_CANVAS"] != "1"
    }

    private static func assets(_ config: KioskConfig) throws -> String {
        guard let assets = PixelAssets.locate() else {
            throw FramebufferError(device: config.screen.backend.rawValue, reason: "fonts not found: set $KIOSK_ASSETS to the directory holding fonts/ and themes/ (looked in ./assets, beside the executable, /usr/share/kiosk/assets)")
        }
        return assets
    }

    private static func framebuffer(config: KioskConfig, assets: String, environment: [String: String], logger: JournalLogger?) throws -> any LobbyDisplay {
        // Test hook (kiosk-bench, Tests/longrun): draw into RAM instead of the device.
        if let text = environment["KIOSK_DEBUG_MEMORY_FRAMEBUFFER"] {
            guard let size = MemoryFramebufferDisplay.size(fromEnvironment: text) else {
                throw FramebufferError(device: "KIOSK_DEBUG_MEMORY_FRAMEBUFFER", reason: "'\(text)' is not WIDTHxHEIGHT such as 1920x1080")
            }
            let display = try MemoryFramebufferDisplay(config: config, pixelWidth: size.width, pixelHeight: size.height, assetDirectory: assets)
            display.logger = logger
            return display
        }
        let display = try FramebufferDisplay(devicePath: config.screen.framebuffer, consolePath: config.screen.console, config: config, assetDirectory: assets,
                                             drawsInPlace: drawsInPlace(environment))
        logger?.info("display: framebuffer \(config.screen.framebuffer) \(display.device.isDoubleBuffered ? "panned between two pages" : "one page"), "
            + (display.drawsInPlace ? "drawn in place into the hidden page" : "drawn through a canvas"))
        if let console = config.screen.console { try ConsoleCrashRestore.install(ttyPath: console) }
        return display
    }

    /// At debug level, what each card offers, as JSON (the shape of the discovery tests'
    /// fixtures: a maintainer's debug log is enough to reproduce a choice).
    private static func logSurveys(_ surveys: [DRMCardSurvey], _ logger: JournalLogger?) {
        guard let logger else { return }
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys]
        for survey in surveys {
            guard let json = try? encoder.encode(survey) else { continue }
            logger.debug("display: DRM card survey \(String(decoding: json, as: UTF8.self))")
        }
    }

    /// The DRM display on `cardPath`, or on the card `DRMOutputChoice` picks (the first with
    /// a connected screen, else the first that can drive one).
    private static func drm(config: KioskConfig, assets: String, environment: [String: String], cardPath: String?, logger: JournalLogger?) throws -> any LobbyDisplay {
        // Test hook (kiosk-bench): KMS in RAM, flips completed at once as QEMU's drivers do.
        if let text = environment["KIOSK_DEBUG_MEMORY_DRM"] {
            guard let size = MemoryScanout.size(fromEnvironment: text) else {
                throw FramebufferError(device: "KIOSK_DEBUG_MEMORY_DRM", reason: "'\(text)' is not WIDTHxHEIGHT such as 1920x1080")
            }
            return try DRMDisplay(device: MemoryScanout(width: size.width, height: size.height), config: config, assetDirectory: assets, consolePath: nil, logger: logger,
                                  drawsInPlace: drawsInPlace(environment))
        }
        var path = cardPath
        if path == nil {
            let surveys = DRMCard.surveyAll()
            logSurveys(surveys, logger)
            switch DRMOutputChoice.choose(from: surveys, request: config.screen.mode) {
            case .connected(let plan): path = plan.cardPath
            case .noScreen(let card, let why):
                logger?.warning("display: \(why): waiting for one on \(card.name)")
                path = card.path
            case .noCard(let why), .unusable(let why):
                throw FramebufferError(device: "/dev/dri", reason: why)
            }
        }
        let scanout = try DRMScanout(cardPath: path!)
        // Test hook (Tests/qemu/run-drm-test.sh): draw into the buffer on screen, as on a
        // driver without page flips, so that DIRTYFB is exercised on a real kernel.
        let pageFlips = environment["KIOSK_DEBUG_DRM_FRONT_BUFFER"] == nil
        let display = try DRMDisplay(device: scanout, config: config, assetDirectory: assets, consolePath: config.screen.console, logger: logger, pageFlips: pageFlips,
                                     drawsInPlace: drawsInPlace(environment))
        if let console = config.screen.console {
            try ConsoleCrashRestore.install(ttyPath: console)
            ConsoleCrashRestore.releaseDRM(cardDescriptor: scanout.card.rawDescriptor, processSwitching: false)
        }
        return display
    }
}
