import Foundation
import Testing
import KioskCore
import KioskDisplay
@testable import KioskDaemon

/// `[screen] picture-cache` reaches the picture cache of every pixel display made from
/// the configuration.
@Suite struct PictureCacheConfigTests {
    @Test func thePipelineTakesTheConfiguredBudget() throws {
        var config = try KioskConfig.parse("[screen]\npicture-cache = 24M\n", path: "/etc/kiosk/kiosk.conf")
        let display = try OffscreenPixelDisplay(config: config, pixelWidth: 640, pixelHeight: 360, assetDirectory: SignageGoldenTests.assets)
        #expect(display.pipeline.renderer.pictures?.cache.budgetBytes == 24 << 20)
        config.screen.pictureCacheBytes = 3 << 20
        let other = try PixelPipeline(config: config, panelWidth: 640, panelHeight: 360, assetDirectory: SignageGoldenTests.assets)
        #expect(other.renderer.pictures?.cache.budgetBytes == 3 << 20)
    }
}
