import Foundation
import KioskCore
import KioskDisplay
import KioskStore

extension ControlCommand {
    static var renderSubcommand: Subcommand {
        Subcommand(
            name: "render", summary: "draw the framebuffer's frame at an instant as a PNG",
            usage: """
            kioskctl render --out FILE.png [--at ISO8601] [--size WxH] [--rotation 0|90|180|270] [--bpp 16|24|32]
                            [--assets DIR] [--config FILE] [--state-dir DIR]

            Draws exactly the frame the pixel display driver would show at that instant on a
            screen of that size, as the visitor sees it: the lobby is run on an in-memory
            screen with the clock stopped at --at (default: now), from the database in the
            state directory, with the configuration's theme and accent, the shipped fonts and
            the burn-in shift of that instant. With --rotation 90 or 270 a 1920x1080 panel
            gives a 1080x1920 picture. When the screen schedule would have the screen off at
            that instant, the lobby is drawn anyway and a note says so on standard error.

              --at ISO8601    the instant, e.g. 2026-11-24T14:05:05+01:00 (default: now)
              --size WxH      the panel in pixels, e.g. 1920x1080, 1280x720 (default 1920x1080)
              --rotation DEG  how the picture is turned on the panel, clockwise (default: the
                              configuration's [screen] rotation)
              --bpp N         the panel's bits per pixel: 16 shows the dithered RGB565 frame a
                              16-bit panel gets; 24 and 32 (default) are the exact colours
              --out FILE      the PNG to write
              --assets DIR    fonts and themes (default: $KIOSK_ASSETS, ./assets, beside the
                              executable, /usr/share/kiosk/assets)

            \(common)
            """,
            valued: ["--config", "--state-dir", "--at", "--size", "--rotation", "--bpp", "--out", "--assets"], flags: [], run: ControlActions.render)
    }
}

extension ControlActions {
    /// `WxH` with both sides between 64 and 8192 pixels.
    static func pixelSize(_ text: String) throws -> (width: Int, height: Int) {
        let parts = text.lowercased().split(separator: "x", omittingEmptySubsequences: false)
        guard parts.count == 2, let w = Int(parts[0]), let h = Int(parts[1]), (64...8192).contains(w), (64...8192).contains(h) else {
            throw UsageError("--size '\(text)' is not WIDTHxHEIGHT in pixels (64 to 8192), e.g. 1920x1080")
        }
        return (w, h)
    }

    static let render: @Sendable (CommandLineOptions, inout ControlOutput) async throws -> ExitStatus = { options, out in
        try noPositionals(options)
        guard let path = options.value("--out"), !path.isEmpty else { throw UsageError("--out FILE.png is required") }
        let size = try pixelSize(options.value("--size") ?? "1920x1080")
        var now = Date()
        if let at = options.value("--at") {
            guard let d = ISO8601.parse(at) else { throw UsageError("--at '\(at)' is not an ISO 8601 instant such as 2026-11-24T14:05:05Z") }
            now = d
        }
        var rotation: ScreenRotation?
        if let text = options.value("--rotation") {
            guard let degrees = Int(text), let value = ScreenRotation(rawValue: degrees) else {
                throw UsageError("--rotation '\(text)' is not 0, 90, 180 or 270")
            }
            rotation = value
        }
        let bpp = options.value("--bpp") ?? "32"
        guard ["16", "24", "32"].contains(bpp) else { throw UsageError("--bpp '\(bpp)' is not 16, 24 or 32") }
        let config = try loadConfig(options)
        guard let assets = PixelAssets.locate(explicit: options.value("--assets")) else {
            out.err("kioskctl render: fonts not found (looked for assets/fonts in --assets, $KIOSK_ASSETS, here, beside the executable and in /usr/share/kiosk/assets)")
            return .failure
        }
        let store = try openStore(options, config)
        let display = try OffscreenPixelDisplay(config: config, pixelWidth: size.width, pixelHeight: size.height, assetDirectory: assets, rotation: rotation)
        display.followsSchedule = false
        let lobby = Lobby(clock: FixedClock(now), config: config, store: store, display: display, logger: JournalLogger(level: .error, sink: { _ in }))
        try await lobby.start()
        let state = await lobby.screenState()
        guard let frame = await lobby.offscreenFrame() else { return .failure }
        await lobby.stop()
        var canvas = frame.canvas
        if bpp == "16" {
            // What a 16-bit panel shows: the frame dithered to RGB565 as the driver copies
            // it, widened back to 8 bits a channel.
            let turn = rotation ?? config.screen.rotation
            let layout = PixelBufferLayout(format: .rgb565, width: size.width, height: size.height)
            var panel = [UInt8](repeating: 0, count: layout.requiredByteCount)
            canvas.present([canvas.bounds], into: &panel, layout: layout, rotation: turn)
            canvas = PixelCanvas.fromPanel(panel, layout: layout, rotation: turn)
        }
        let png = PNGEncoder.encode(canvas)
        try Data(png).write(to: URL(fileURLWithPath: path))
        if case .off(let reason) = state {
            out.err("kioskctl render: note: at that instant the screen is off on purpose (\(reason == .closed ? "building closed" : "after the last event of the day")); drawn as if lit")
        }
        return .ok
    }
}
