import Foundation
import Testing
import KioskCore
import KioskSystem
@testable import KioskDaemon

/// `kioskctl doctor` on pixel screens: which backend, card, connector and mode kioskd would
/// use, and why, from recorded cards.
@Suite struct DoctorScreenTests {
    static func doctor(_ cards: [DRMCardSurvey], shows: DRMMode? = nil) -> InstallationDoctor {
        var environment = InstallationDoctor.Environment(configPath: "/nonexistent/kiosk.conf", stateDirectoryOption: nil)
        environment.drmSurveys = { cards }
        environment.crtcMode = { _, _ in shows }
        return InstallationDoctor(environment: environment)
    }

    static func config(_ text: String) throws -> KioskConfig { try KioskConfig.parse(text, path: "k.conf") }

    @Test func drmSaysCardConnectorModeAndWhy() throws {
        let cards = try PixelBackendChoiceTests.cards("pi4-fkms-1080p-tv")
        let findings = Self.doctor(cards, shows: cards[1].connectors[0].modes[0]).checkPixelScreen(try Self.config("[screen]\nbackend = drm\n"))
        #expect(findings == [.ok("screen", "DRM (backend drm): card1 HDMI-A-1 1920x1080@60 XRGB8888, the preferred mode of HDMI-A-1; the screen shows that mode now")])
        let asked = Self.doctor(cards, shows: cards[1].connectors[0].modes[0]).checkPixelScreen(try Self.config("[screen]\nbackend = auto\nmode = 1920x1080@50\n"))
        #expect(asked.count == 1)
        #expect(asked[0].message == "DRM (backend auto: a screen is connected): card1 HDMI-A-1 1920x1080@50 XRGB8888, [screen] mode = 1920x1080@50; the screen shows 1920x1080@60 now (the console's mode, until kioskd sets its own)")
    }

    @Test func autoWithoutAScreenUsesTheFramebufferAndChecksIt() throws {
        var cards = try PixelBackendChoiceTests.cards("pi-bookworm-dsi-7inch")
        cards[1].connectors[2].status = .disconnected
        let findings = Self.doctor(cards).checkPixelScreen(try Self.config("[screen]\nbackend = auto\nframebuffer = /dev/null\n"))
        #expect(findings.first?.level == .ok)
        #expect(findings.first?.message.hasPrefix("backend auto uses the framebuffer /dev/null: no card under /dev/dri has a connected screen") == true)
        // Then the framebuffer check itself (/dev/null is no framebuffer).
        #expect(findings.dropFirst().first?.check == "framebuffer")
        #expect(findings.dropFirst().first?.level == .fail)
    }

    @Test func drmWithoutAScreenWarnsThatKioskdWaits() throws {
        var cards = try PixelBackendChoiceTests.cards("pi-bookworm-dsi-7inch")
        cards[1].connectors[2].status = .disconnected
        let findings = Self.doctor(cards).checkPixelScreen(try Self.config("[screen]\nbackend = drm\n"))
        #expect(findings.count == 1)
        #expect(findings[0].level == .warn)
        #expect(findings[0].fix?.contains("kioskd keeps running") == true)
    }

    @Test func noCardOrNoPermission() throws {
        let none = Self.doctor([]).checkPixelScreen(try Self.config("[screen]\nbackend = drm\n"))
        #expect(none.first?.level == .fail)
        #expect(none.first?.fix?.contains("dtoverlay=vc4-kms-v3d") == true)
        let denied = Self.doctor([DRMCardSurvey(path: "/dev/dri/card0", driver: "?", unusable: "permission denied (the user needs group video)")])
            .checkPixelScreen(try Self.config("[screen]\nbackend = auto\n"))
        #expect(denied.first?.level == .fail)
        #expect(denied.first?.fix?.contains("usermod -aG video") == true)
        let nothing = Self.doctor([]).checkPixelScreen(try Self.config("[screen]\nbackend = auto\nframebuffer = /dev/kiosk-no-fb\n"))
        #expect(nothing.first?.level == .fail)
        #expect(nothing.first?.message == "backend auto: no DRM card can drive a screen (no card under /dev/dri) and /dev/kiosk-no-fb does not exist")
    }
}
