import Foundation
import Testing
import KioskDisplay
@testable import KioskDaemon

/// What `scripts/install --prefix DIR` lays out is found by the binaries it installs:
/// `DIR/bin/kioskd` looks for `DIR/share/kiosk/assets` and `DIR/share/kiosk/demo`.
@Suite struct InstalledPathsTests {
    @Test func assetsAndDemoDataBesideAnInstalledBinary() throws {
        let prefix = FileManager.default.temporaryDirectory.appendingPathComponent("kiosk-prefix-\(UUID().uuidString)/opt/kiosk").path
        defer { try? FileManager.default.removeItem(atPath: (prefix as NSString).deletingLastPathComponent) }
        let fm = FileManager.default
        try fm.createDirectory(atPath: prefix + "/bin", withIntermediateDirectories: true)
        try fm.createDirectory(atPath: prefix + "/share/kiosk/assets/fonts", withIntermediateDirectories: true)
        try fm.createDirectory(atPath: prefix + "/share/kiosk/demo", withIntermediateDirectories: true)
        try Data().write(to: URL(fileURLWithPath: prefix + "/bin/kioskd"))
        try Data().write(to: URL(fileURLWithPath: prefix + "/share/kiosk/assets/fonts/" + ShippedFonts.sizes[0].regularFileName))
        try Data("[venue]\n".utf8).write(to: URL(fileURLWithPath: prefix + "/share/kiosk/demo/kiosk.conf"))

        // From a directory that holds neither assets/ nor kiosk-config/.
        let assets = PixelAssets.locate(environment: [:], executablePath: prefix + "/bin/kioskd", currentDirectory: "/")
        #expect(assets == prefix + "/share/kiosk/assets")
        let demo = DemoSetup.locateData(explicit: nil, executablePath: prefix + "/bin/kioskd", currentDirectory: "/")
        #expect(demo?.standardizedFileURL.path == prefix + "/share/kiosk/demo")
    }
}
