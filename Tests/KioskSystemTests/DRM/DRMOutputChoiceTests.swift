import Foundation
import Testing
import KioskCore
@testable import KioskSystem

/// Card discovery and mode choice over recorded connector lists: QEMU's bochs and
/// virtio-gpu as Debian's kernel showed them to kioskd (its debug log), and Raspberry Pi
/// outputs transcribed from public modetest / kmsprint dumps (each fixture's `source`
/// says which, and what had to be filled in).
@Suite struct DRMOutputChoiceTests {
    struct Fixture: Decodable {
        var source: String
        var cards: [DRMCardSurvey]
    }

    static func fixture(_ name: String) throws -> [DRMCardSurvey] {
        let url = URL(fileURLWithPath: #filePath).deletingLastPathComponent().appendingPathComponent("../Fixtures/DRM/\(name).json")
        let fixture = try JSONDecoder().decode(Fixture.self, from: Data(contentsOf: url))
        #expect(!fixture.source.isEmpty)
        return fixture.cards
    }

    static func plan(_ outcome: DRMOutputChoice.Outcome, sourceLocation: SourceLocation = #_sourceLocation) throws -> DRMOutputPlan {
        guard case .connected(let plan) = outcome else {
            Issue.record("expected a connected screen, got \(outcome)", sourceLocation: sourceLocation)
            throw CancellationError()
        }
        return plan
    }

    @Test func qemuBochs() throws {
        let plan = try Self.plan(DRMOutputChoice.choose(from: try Self.fixture("qemu-bochs"), request: nil))
        #expect(plan.cardPath == "/dev/dri/card0")
        #expect(plan.driver == "bochs-drm")
        #expect(plan.connector.name == "Virtual-1")
        #expect(plan.mode.description == "1280x800@75") // QEMU's EDID
        #expect(plan.modeReason == "the preferred mode of Virtual-1")
        #expect(plan.format == .xrgb8888)
        #expect(plan.summary == "card0 Virtual-1 1280x800@75 XRGB8888")
    }

    @Test func qemuVirtioGPU() throws {
        let cards = try Self.fixture("qemu-virtio-gpu")
        let plan = try Self.plan(DRMOutputChoice.choose(from: cards, request: nil))
        #expect(plan.driver == "virtio_gpu")
        #expect(plan.mode.description == "1280x800@75")
        #expect(plan.format == .xrgb8888)
        let asked = try Self.plan(DRMOutputChoice.choose(from: cards, request: DisplayModeRequest(width: 1024, height: 768)))
        #expect(asked.mode.description == "1024x768@60")
        #expect(asked.modeReason == "[screen] mode = 1024x768, at its highest refresh rate")
    }

    /// A Pi 4 (and any Pi under KMS): card0 is the 3D engine, the screen is on card1.
    @Test func piScreenIsOnCard1() throws {
        let cards = try Self.fixture("pi4-fkms-1080p-tv")
        #expect(cards[0].unusable != nil)
        let plan = try Self.plan(DRMOutputChoice.choose(from: cards, request: nil))
        #expect(plan.cardPath == "/dev/dri/card1")
        #expect(plan.connector.name == "HDMI-A-1")
        #expect(plan.crtcID == 52 && plan.crtcIndex == 0)
        #expect(plan.mode.description == "1920x1080@60")
        #expect(plan.mode.clock == 148_500) // 60.00, not the 59.94 one listed next
    }

    @Test func modeRequestsOnA1080pTV() throws {
        let modes = try Self.fixture("pi4-fkms-1080p-tv")[1].connectors[0].modes
        func choose(_ text: String) throws -> (DRMMode, String) {
            try #require(DRMOutputChoice.chooseMode(modes, request: try DisplayModeRequest.parse(text), connectorName: "HDMI-A-1"))
        }
        #expect(try choose("1920x1080@50").0.refreshMillihertz == 50_000)
        #expect(try choose("1920x1080@60").0.clock == 148_500)
        // 59 Hz is not offered: the nearest, 59.94, with the reason.
        let (nearest, why) = try choose("1920x1080@59")
        #expect(nearest.clock == 148_352)
        #expect(why.contains("59 Hz taken") || why.contains("60 Hz taken"), "\(why)")
        // Progressive modes win over the interlaced ones of the same size.
        #expect(try choose("1920x1080@30").0.isInterlaced == false)
        let (fallback, reason) = try choose("1280x720@60")
        #expect(fallback.isPreferred)
        #expect(reason.hasPrefix("[screen] mode = 1280x720@60 is not offered by HDMI-A-1 (1920x1080@60, 1920x1080i@60"), "\(reason)")
        #expect(reason.hasSuffix("the preferred mode of HDMI-A-1 instead"))
    }

    /// A Pi with the official 7-inch display: both HDMI connectors empty, DSI-1 lit, on the
    /// CRTC its encoder already uses, in XRGB8888 (which its primary plane takes).
    @Test func piDSIDisplay() throws {
        let plan = try Self.plan(DRMOutputChoice.choose(from: try Self.fixture("pi-bookworm-dsi-7inch"), request: nil))
        #expect(plan.connector.name == "DSI-1")
        #expect(plan.crtcID == 86 && plan.crtcIndex == 2)
        #expect(plan.mode.width == 800 && plan.mode.height == 480 && plan.mode.refreshHz == 60)
        #expect(plan.mode.refreshMillihertz == 60_049)
        #expect(plan.format == .xrgb8888)
    }

    /// A 4K TV whose preferred 4K@60 is not offered: no mode is marked preferred and the
    /// kernel lists 4096x2160@24 first; a lobby wants 1080p at 60 Hz rather than 24.
    @Test func fourKTVWithoutPreferredMode() throws {
        let cards = try Self.fixture("pi4-kms-4k-tv-no-preferred")
        let plan = try Self.plan(DRMOutputChoice.choose(from: cards, request: nil))
        #expect(plan.mode.description == "1920x1080@60")
        #expect(plan.modeReason.contains("none is marked preferred"))
        #expect(plan.crtcID == 94 && plan.crtcIndex == 3)
        let asked = try Self.plan(DRMOutputChoice.choose(from: cards, request: DisplayModeRequest(width: 3840, height: 2160)))
        #expect(asked.mode.description == "3840x2160@30")
        let sixty = try Self.plan(DRMOutputChoice.choose(from: cards, request: DisplayModeRequest(width: 3840, height: 2160, refresh: 60)))
        #expect(sixty.mode.refreshMillihertz == 30_000)
        #expect(sixty.modeReason.contains("offers 3840x2160 at 30, 30, 25, 24, 24 Hz, 30 Hz taken"), "\(sixty.modeReason)")
    }

    @Test func nothingConnectedWaitsOnTheCardThatCanDriveAScreen() throws {
        var cards = try Self.fixture("pi-bookworm-dsi-7inch")
        cards[1].connectors[2].status = .disconnected
        guard case .noScreen(let card, let why) = DRMOutputChoice.choose(from: cards, request: nil) else {
            Issue.record("expected no screen")
            return
        }
        #expect(card.path == "/dev/dri/card1")
        #expect(why == "no screen connected (card0 (v3d): no display engine (a render-only GPU); card1 (vc4): HDMI-A-1 disconnected, HDMI-A-2 disconnected, DSI-1 disconnected)")
        // A connector that says connected but gives no mode is not a screen to light.
        cards[1].connectors[0].status = .connected
        guard case .noScreen = DRMOutputChoice.choose(from: cards, request: nil) else { Issue.record("a screen without modes was chosen"); return }
        #expect(cards[1].summary.contains("HDMI-A-1 connected without modes"))
    }

    @Test func noCardsOrOnlyRenderEngines() throws {
        #expect(DRMOutputChoice.choose(from: [], request: nil) == .noCard(why: "no DRM card under /dev/dri"))
        let cards = try Self.fixture("pi4-fkms-1080p-tv")
        guard case .noCard(let why) = DRMOutputChoice.choose(from: [cards[0]], request: nil) else { Issue.record("expected no card"); return }
        #expect(why.contains("v3d"))
    }

    /// A second screen plugged in later does not steal the output; the one lit stays.
    @Test func theConnectorLitNowWinsWhileConnected() throws {
        var cards = try Self.fixture("pi-bookworm-dsi-7inch")
        cards[1].connectors[0].status = .connected
        cards[1].connectors[0].modes = try Self.fixture("pi4-fkms-1080p-tv")[1].connectors[0].modes
        #expect(try Self.plan(DRMOutputChoice.choose(from: cards, request: nil)).connector.name == "HDMI-A-1")
        #expect(try Self.plan(DRMOutputChoice.choose(from: cards, request: nil, preferring: 46)).connector.name == "DSI-1")
    }

    @Test func formatsFromThePrimaryPlane() throws {
        var card = try Self.fixture("pi-bookworm-dsi-7inch")[1]
        #expect(DRMOutputChoice.chooseFormat(card: card, crtcIndex: 2) == .xrgb8888)
        card.planes[0].formats = [0x3631_4752, 0x3231_564E] // RG16, NV12
        #expect(DRMOutputChoice.chooseFormat(card: card, crtcIndex: 2) == .rgb565)
        card.planes[0].formats = [0x3231_564E]
        #expect(DRMOutputChoice.chooseFormat(card: card, crtcIndex: 2) == nil)
        guard case .unusable(let why) = DRMOutputChoice.plan(card: card, connector: card.connectors[2], request: nil) else { Issue.record("expected unusable"); return }
        #expect(why.contains("takes NV12"))
        #expect(DRMOutputChoice.chooseFormat(card: card, crtcIndex: 0) == .xrgb8888) // no primary plane listed for CRTC 0
    }
}
