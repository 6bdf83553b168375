import Foundation
import KioskCore
import KioskSystem

extension InstallationDoctor {
    /// `[screen] backend = drm` or `auto`: which backend kioskd uses here, on which card,
    /// connector and mode, and why (the same decisions as the daemon: `PixelBackendChoice`,
    /// `DRMOutputChoice`), with the mode the CRTC shows now. Reads only: cards are opened
    /// and closed, never as master while kioskd runs.
    func checkPixelScreen(_ config: KioskConfig) -> [DoctorFinding] {
        let surveys = environment.drmSurveys()
        if let denied = surveys.first(where: { $0.unusable?.hasPrefix("permission denied") == true }) {
            return [.fail("screen", "\(denied.path): permission denied",
                          fix: "add the user to group video (usermod -aG video \(environment.serviceUser); the unit has SupplementaryGroups=video and DeviceAllow=char-drm rw)")]
        }
        if config.screen.backend == .auto {
            let framebuffer = config.screen.framebuffer
            let (choice, why) = PixelBackendChoice.decide(surveys: surveys, request: config.screen.mode, framebuffer: framebuffer,
                                                          framebufferExists: FileManager.default.fileExists(atPath: framebuffer))
            guard let choice else {
                return [.fail("screen", "backend auto: \(why)", fix: "enable the KMS driver (on a Raspberry Pi: dtoverlay=vc4-kms-v3d in config.txt) and check the cable, or set [screen] backend = terminal")]
            }
            if case .framebuffer = choice.backend {
                var framebufferCheck = config
                framebufferCheck.screen.backend = .framebuffer
                return [.ok("screen", "backend auto uses the \(why)")] + checkScreen(framebufferCheck, daemon: nil)
            }
        }
        switch DRMOutputChoice.choose(from: surveys, request: config.screen.mode) {
        case .connected(let plan):
            var text = "DRM (\(config.screen.backend == .auto ? "backend auto: a screen is connected" : "backend drm")): \(plan.summary), \(plan.modeReason)"
            if let now = environment.crtcMode(plan.cardPath, plan.crtcID) {
                text += now == plan.mode ? "; the screen shows that mode now" : "; the screen shows \(now) now (the console's mode, until kioskd sets its own)"
            }
            return [.ok("screen", text)]
        case .noScreen(let card, let why):
            return [.warn("screen", "DRM on \(card.name) (\(card.driver)): \(why)",
                          fix: "plug in or switch on the screen: kioskd keeps running, says \"no screen connected\" in its status, and lights the screen when it comes")]
        case .noCard(let why), .unusable(let why):
            return [.fail("screen", "DRM: \(why)", fix: "enable the KMS driver (on a Raspberry Pi: dtoverlay=vc4-kms-v3d in config.txt), or set [screen] backend = framebuffer or auto")]
        }
    }

    /// `GETCRTC` on `crtc` of `cardPath` (any user of group video may ask).
    @Sendable static func readCRTCMode(_ cardPath: String, _ crtc: UInt32) -> DRMMode? {
        guard let card = try? DRMCard(path: cardPath) else { return nil }
        return (try? card.crtc(id: crtc))?.mode
    }
}
