import Foundation
import KioskCore
import KioskSystem

/// What `[screen] backend = auto` draws on, and why, from the cards' surveys and whether
/// the framebuffer device exists: DRM when a card has a connected screen it can drive;
/// else the framebuffer when it exists; else DRM on a card that could drive a screen,
/// waiting for one to be plugged in. Pure, so that it is tested over recorded surveys;
/// `kioskd` logs `reason`, `kioskctl doctor` prints it.
struct PixelBackendChoice: Sendable, Equatable {
    enum Backend: Sendable, Equatable {
        /// Draw through KMS on this card.
        case drm(cardPath: String)
        case framebuffer
    }

    var backend: Backend
    var reason: String

    /// Nil when there is nothing to draw on (`why` then says so).
    static func decide(surveys: [DRMCardSurvey], request: DisplayModeRequest?, framebuffer: String, framebufferExists: Bool) -> (choice: PixelBackendChoice?, why: String) {
        let cards = surveys.isEmpty ? "no card under /dev/dri" : surveys.map(\.summary).joined(separator: "; ")
        switch DRMOutputChoice.choose(from: surveys, request: request) {
        case .connected(let plan):
            let choice = PixelBackendChoice(backend: .drm(cardPath: plan.cardPath), reason: "DRM on \(plan.summary): a screen is connected (\(cards))")
            return (choice, choice.reason)
        case .noScreen(let card, _) where !framebufferExists:
            let choice = PixelBackendChoice(backend: .drm(cardPath: card.path), reason: "DRM on \(card.name), waiting for a screen: none is connected and \(framebuffer) does not exist (\(cards))")
            return (choice, choice.reason)
        case .unusable(let why) where framebufferExists:
            let choice = PixelBackendChoice(backend: .framebuffer, reason: "framebuffer \(framebuffer): \(why)")
            return (choice, choice.reason)
        case .unusable(let why):
            return (nil, "\(why), and \(framebuffer) does not exist")
        case .noScreen, .noCard:
            guard framebufferExists else { return (nil, "no DRM card can drive a screen (\(cards)) and \(framebuffer) does not exist") }
            let choice = PixelBackendChoice(backend: .framebuffer, reason: "framebuffer \(framebuffer): no card under /dev/dri has a connected screen (\(cards))")
            return (choice, choice.reason)
        }
    }
}
