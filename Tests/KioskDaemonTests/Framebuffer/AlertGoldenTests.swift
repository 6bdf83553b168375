import Foundation
import Testing
import KioskCore
import KioskDisplay
import KioskStore
import KioskTestSupport
@testable import KioskDaemon

/// Golden frames of an alert on the pixel display (#14): the bundled demo at 15:05 in
/// Paris with an evacuation alert (the assembly point from the config, the English
/// version under the French) at 1920x1080, and a closure on a 1080x1920 totem, drawn by
/// the daemon's own lobby as `kioskctl render` draws it. Compared byte for byte like
/// `SignageGoldenTests` (same switch: `KIOSK_UPDATE_GOLDENS=1`, `KIOSK_RENDER_DIR`).
@Suite(.serialized) struct AlertGoldenTests {
    struct Case: Sendable, CustomStringConvertible {
        var name: String
        var panel: (width: Int, height: Int)
        var rotation = ScreenRotation.upright
        var alert: ScreenAlert
        var description: String { name }
    }

    static let raised = ISO8601.parse("2026-11-24T13:58:00Z")!
    static let cases = [
        Case(name: "alert-1920x1080-evacuation", panel: (1920, 1080), alert: ScreenAlert(
            id: "a-0000e7ac", level: .evacuation, title: "Évacuation du bâtiment", text: "Sortez calmement par la sortie la plus proche. N’utilisez pas l’ascenseur.",
            titleEnglish: "Evacuate the building", textEnglish: "Leave calmly by the nearest exit. Do not use the lift.",
            raised: raised, raisedBy: "accueil", expires: nil)),
        Case(name: "alert-1080x1920-closure", panel: (1920, 1080), rotation: .quarter, alert: ScreenAlert(
            id: "a-00000c10", level: .closure, title: "Fermeture exceptionnelle à 17 h", text: "Le bâtiment ferme plus tôt ce soir : les ateliers de 18 h sont reportés.",
            titleEnglish: nil, textEnglish: nil, raised: raised, raisedBy: "accueil", expires: ISO8601.parse("2026-11-24T16:00:00Z"))),
    ]

    @Test(arguments: cases)
    func alertFramesMatchTheGoldens(_ c: Case) async throws {
        // The demo's import (a second in a debug build) on a thread of its own, not on the
        // cooperative pool; the lobby draws on its own thread anyway.
        let canvas = try await offThePool {
            let demo = try SignageGoldenTests.Demo()  // a state directory of its own: the alert is stored in it
            var config = demo.config
            config.venue.assemblyPoint = "Parking nord, devant le portail"
            let store = try StateStore(stateDirectory: demo.setup.stateDirectory, timeZone: config.venue.timeZone)
            try store.alerts.raise(c.alert)
            let display = try OffscreenPixelDisplay(config: config, pixelWidth: c.panel.width, pixelHeight: c.panel.height, assetDirectory: SignageGoldenTests.assets, rotation: c.rotation)
            display.followsSchedule = false
            let lobby = Lobby(clock: FixedClock(ISO8601.parse("2026-11-24T14:05:00Z")!), config: config, store: store, display: display, logger: JournalLogger(level: .error, sink: { _ in }))
            try await lobby.start()
            guard case .pixels(let scene) = await lobby.currentScreen() else { throw CancellationError() }
            let canvas = try #require(await lobby.offscreenFrame()).canvas
            await lobby.stop()
            #expect(scene.region(.alert) != nil)
            #expect(scene.allTexts.contains { $0.text.contains(c.alert.level == .evacuation ? "ÉVACUATION" : "FERMETURE") })
            if c.alert.level == .evacuation { #expect(scene.allTexts.contains { $0.text.contains("Parking nord") }) }
            return canvas
        }
        try await SignageGoldenTests.compare(canvas, golden: c.name)
    }
}
