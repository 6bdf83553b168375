import Foundation
import Testing
import KioskDisplay

/// Draws the type specimen shown in docs/type.md; `KIOSK_UPDATE_TYPE_SPECIMEN=1` writes it
/// to `docs/type-specimen.png` (look at it before committing). The test itself checks that
/// every line drew something inside its band and nothing outside the canvas's bands.
@Suite("Type specimen")
struct TypeSpecimenTests {
    @Test func specimen() throws {
        let engine = ShippedType.engine()
        var canvas = PixelCanvas(width: 1200, height: 760, color: PixelColor(rgb: 0x14213D))
        let light = PixelRect(x: 0, y: 420, width: 1200, height: 340)
        canvas.fill(light, PixelColor(rgb: 0xF4F1EA))
        let onDark = PixelColor(rgb: 0xFFFFFF), onLight = PixelColor(rgb: 0x14213D)
        let lines: [(String, TextStyle, PixelColor)] = [
            ("Le Mixeur — Tiers-lieu des industries créatives", TextStyle(weight: .bold, pixelSize: 48), onDark),
            ("Exposition « Lumières numériques » · Galerie du rez-de-chaussée", TextStyle(pixelSize: 32), onDark),
            ("Œuvres, cœur, l’atelier ; Avez-vous vu ? 5 € · AV Te Yo To LT", TextStyle(pixelSize: 24), onDark),
            ("12 px : Atelier sérigraphie — Salle de réunion, Bât. C, 2e étage", TextStyle(pixelSize: 12), onDark),
            ("18 px : Projection : courts métrages de la région — Salle de projection", TextStyle(pixelSize: 18), onDark),
            ("14:05 20:08 11:11", TextStyle(weight: .bold, pixelSize: 96, tabularFigures: true), onLight),
            ("Ciné-club Écran Total — ÀÉÈÊËÎÏÔÙÛÜŸÇ àéèêëîïôùûüÿç → ★ Ⓐ \u{E000}", TextStyle(pixelSize: 30), onLight),
            ("Bienvenue, Camille — Atelier Diptyc", TextStyle(weight: .bold, pixelSize: 40), onLight),
        ]
        var baseline = 60.0
        for (text, style, color) in lines {
            let metrics = engine.lineMetrics(style)
            if color == onLight && baseline < Double(light.y) { baseline = Double(light.y) + metrics.ascent + 16 }
            let band = PixelRect(x: 0, y: Int(baseline - metrics.ascent), width: 1200, height: Int(metrics.lineHeight.rounded(.up)))
            let before = canvas.rgbBytes(band)
            engine.draw(text, style: style, x: 24.25, baseline: baseline, color: color, clip: canvas.bounds, into: &canvas)
            #expect(canvas.rgbBytes(band) != before, "\(text)")
            baseline += metrics.lineHeight + 10
        }
        if ProcessInfo.processInfo.environment["KIOSK_UPDATE_TYPE_SPECIMEN"] == "1" {
            let path = RepositoryAssets.root.appendingPathComponent("docs/type-specimen.png").path
            try Data(PNGEncoder.encode(canvas)).write(to: URL(fileURLWithPath: path))
        }
    }
}
