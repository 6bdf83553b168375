import Foundation
import Testing
import KioskCore
import KioskSystem
@testable import KioskDaemon

/// `[screen] backend = auto` over recorded cards (the fixtures of KioskSystemTests).
@Suite struct PixelBackendChoiceTests {
    struct Fixture: Decodable { var cards: [DRMCardSurvey] }

    static func cards(_ name: String) throws -> [DRMCardSurvey] {
        let url = URL(fileURLWithPath: #filePath).deletingLastPathComponent()
            .appendingPathComponent("../../KioskSystemTests/Fixtures/DRM/\(name).json")
        return try JSONDecoder().decode(Fixture.self, from: Data(contentsOf: url)).cards
    }

    @Test func aConnectedScreenMeansDRM() throws {
        let (choice, why) = PixelBackendChoice.decide(surveys: try Self.cards("pi4-fkms-1080p-tv"), request: nil, framebuffer: "/dev/fb0", framebufferExists: true)
        #expect(choice?.backend == .drm(cardPath: "/dev/dri/card1"))
        #expect(why == "DRM on card1 HDMI-A-1 1920x1080@60 XRGB8888: a screen is connected (card0 (v3d): no display engine (a render-only GPU); card1 (vc4): HDMI-A-1 connected)")
    }

    @Test func noConnectedScreenFallsBackToTheFramebuffer() throws {
        var cards = try Self.cards("pi-bookworm-dsi-7inch")
        cards[1].connectors[2].status = .disconnected
        let (choice, why) = PixelBackendChoice.decide(surveys: cards, request: nil, framebuffer: "/dev/fb0", framebufferExists: true)
        #expect(choice?.backend == .framebuffer)
        #expect(why.hasPrefix("framebuffer /dev/fb0: no card under /dev/dri has a connected screen (card0 (v3d)"))
        // Without fb0 (some setups have none): DRM, waiting for a screen.
        let (waiting, reason) = PixelBackendChoice.decide(surveys: cards, request: nil, framebuffer: "/dev/fb0", framebufferExists: false)
        #expect(waiting?.backend == .drm(cardPath: "/dev/dri/card1"))
        #expect(reason.contains("waiting for a screen"))
    }

    @Test func nothingToDrawOn() throws {
        let (none, why) = PixelBackendChoice.decide(surveys: [], request: nil, framebuffer: "/dev/fb0", framebufferExists: false)
        #expect(none == nil)
        #expect(why == "no DRM card can drive a screen (no card under /dev/dri) and /dev/fb0 does not exist")
        let (fb, fbWhy) = PixelBackendChoice.decide(surveys: [], request: nil, framebuffer: "/dev/fb1", framebufferExists: true)
        #expect(fb?.backend == .framebuffer)
        #expect(fbWhy.contains("no card under /dev/dri"))
    }

    @Test func aScreenTheCardCannotDriveFallsBack() throws {
        var cards = try Self.cards("pi-bookworm-dsi-7inch")
        cards[1].planes[0].formats = [0x3231_564E] // NV12 only
        let (choice, why) = PixelBackendChoice.decide(surveys: cards, request: nil, framebuffer: "/dev/fb0", framebufferExists: true)
        #expect(choice?.backend == .framebuffer)
        #expect(why.contains("neither XRGB8888 nor RGB565"))
    }
}
