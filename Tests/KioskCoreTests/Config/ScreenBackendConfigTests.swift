import Testing
@testable import KioskCore

@Suite struct ScreenBackendConfigTests {
    @Test func backendsAndMode() throws {
        let c = try KioskConfig.parse("[screen]\nbackend = drm\nmode = 1920x1080@60\n", path: "k.conf")
        #expect(c.screen.backend == .drm)
        #expect(c.screen.mode == DisplayModeRequest(width: 1920, height: 1080, refresh: 60))
        #expect(try KioskConfig.parse("[screen]\nbackend = auto\n", path: "k.conf").screen.backend == .auto)
        #expect(try KioskConfig.parse("[screen]\nbackend = framebuffer\n", path: "k.conf").screen.backend == .framebuffer)
        #expect(try KioskConfig.parse("[screen]\nmode = preferred\n", path: "k.conf").screen.mode == nil)
        #expect(try KioskConfig.parse("[screen]\n", path: "k.conf").screen.mode == nil)
        #expect(DisplayBackend.auto.isPixelScreen && DisplayBackend.drm.isPixelScreen && !DisplayBackend.terminal.isPixelScreen)
    }

    @Test(arguments: [
        ("1280x720", DisplayModeRequest(width: 1280, height: 720)),
        ("3840X2160@30", DisplayModeRequest(width: 3840, height: 2160, refresh: 30)),
        ("800x480@60", DisplayModeRequest(width: 800, height: 480, refresh: 60)),
    ])
    func modes(text: String, expected: DisplayModeRequest) throws {
        #expect(try DisplayModeRequest.parse(text) == expected)
        #expect(try DisplayModeRequest.parse(expected.description) == expected)
    }

    @Test(arguments: [
        "1920", "1920x", "x1080", "1920x1080@", "1920x1080@0", "1920x1080@1001", "0x1080", "99999x1080",
        "1920x1080@60Hz", "-1920x1080", "1920 x 1080", "1920x1080x60", "１９２０x1080", "1920x1080@60@60",
        "99999999999999999999x1",
    ])
    func badModesNameTheLine(text: String) {
        do {
            _ = try KioskConfig.parse("[screen]\nmode = \(text)\n", path: "/etc/kiosk/kiosk.conf")
            Issue.record("expected an error for \(text)")
        } catch {
            #expect(error.line == 2)
            #expect(error.message.contains("is not a mode"), "\(error)")
        }
    }
}
