import Foundation
import Testing
import KioskCore
@testable import KioskDisplay
@testable import KioskDaemon

extension DoctorTests {
    @Test func theLogoMustDecode() async throws {
        let config = Self.sound.replacingOccurrences(of: "name = Test", with: "name = Test\nlogo = logo.png")
        let site = try Installation(config)
        defer { site.remove() }
        try site.createDatabase()
        let logoPath = site.directory + "/logo.png"

        let missing = try finding(await site.doctor(), "logo")
        #expect(missing.level == .fail && missing.message.contains("does not exist"))

        try Data(PNGEncoder.encode(PixelCanvas(width: 64, height: 32, color: .white))).write(to: URL(fileURLWithPath: logoPath))
        let fine = try finding(await site.doctor(), "logo")
        #expect(fine.level == .ok && fine.message.contains("PNG 64x32"))

        let png = PNGEncoder.encode(PixelCanvas(width: 64, height: 32, color: .white))
        try Data(png.prefix(png.count / 2)).write(to: URL(fileURLWithPath: logoPath))
        let cut = try finding(await site.doctor(), "logo")
        #expect(cut.level == .fail && cut.message.contains("truncated"))

        // No logo configured: no logo check.
        let plain = try Installation(Self.sound)
        defer { plain.remove() }
        try plain.createDatabase()
        #expect(await plain.doctor().contains { $0.check == "logo" } == false)
    }
}
