import Foundation
import KioskTestSupport
import Testing
import KioskCore
import KioskDisplay

/// Golden frames of the fixed lobby (`RasterFixtures`) at three screen sizes.
///
/// Stored PNGs of full HD frames are ~6 MB each, so the goldens are checksums of the RGB
/// pixels (`Golden/lobby-frames.txt`: size, font, CRC-32 and 64-bit FNV-1a) plus one PNG
/// at 1024x768 for humans, compared byte for byte. After an intended change of the
/// layout, fonts or theme, look at the new frames and regenerate:
/// `KIOSK_UPDATE_GOLDENS=1 swift test --filter RasterGoldenTests`. Set
/// `KIOSK_RENDER_DIR=/tmp/x` to also write every frame there as a PNG.
@Suite("Golden lobby frames")
struct RasterGoldenTests {
    static let sizes = [(1920, 1080), (1280, 720), (1024, 768)]
    static let goldenList = RepositoryAssets.golden + "/lobby-frames.txt"
    static let goldenPNG = RepositoryAssets.golden + "/lobby-1024x768.png"
    static var updating: Bool { ProcessInfo.processInfo.environment["KIOSK_UPDATE_GOLDENS"] == "1" }

    static func fnv1a64(_ bytes: [UInt8]) -> UInt64 {
        var hash: UInt64 = 0xCBF2_9CE4_8422_2325
        for byte in bytes { hash = (hash ^ UInt64(byte)) &* 0x0000_0100_0000_01B3 }
        return hash
    }

    static func frame(_ size: (Int, Int), theme: PixelTheme = .lobby) throws -> (canvas: PixelCanvas, line: String) {
        let fonts = try RepositoryAssets.fonts(forPixelWidth: size.0, height: size.1)
        let (model, _) = RasterFixtures.model(width: size.0, height: size.1, fonts: fonts)
        let canvas = LobbyRender.canvas(model: model, pixelWidth: size.0, pixelHeight: size.1, theme: theme, fonts: fonts)
        let rgb = canvas.rgbBytes()
        let crc = String(CRC32.checksum(rgb), radix: 16), fnv = String(fnv1a64(rgb), radix: 16)
        let line = "\(size.0)x\(size.1) \(theme.name) font=\(fonts.cellWidth)x\(fonts.cellHeight) crc32=\(crc) fnv1a64=\(fnv)"
        if let directory = ProcessInfo.processInfo.environment["KIOSK_RENDER_DIR"] {
            try Data(PNGEncoder.encode(canvas)).write(to: URL(fileURLWithPath: "\(directory)/lobby-\(theme.name)-\(size.0)x\(size.1).png"))
        }
        return (canvas, line)
    }

    /// The frames are drawn on a thread of their own, not on the cooperative pool the
    /// suite's other tests need (seconds of drawing in a debug build on a loaded machine).
    @Test func framesMatchTheGoldens() async throws {
        var lines: [String] = []
        for size in Self.sizes { lines.append(try await onOwnThread { try Self.frame(size).line }) }
        lines.append(try await onOwnThread { try Self.frame((1920, 1080), theme: .highContrast).line })
        let text = lines.joined(separator: "\n") + "\n"
        if Self.updating {
            try text.write(toFile: Self.goldenList, atomically: true, encoding: .utf8)
            return
        }
        let golden = try #require(try? String(contentsOfFile: Self.goldenList, encoding: .utf8), "missing \(Self.goldenList)")
        let expected = golden.split(separator: "\n").map(String.init)
        for (actual, wanted) in zip(lines, expected) { #expect(actual == wanted) }
        #expect(lines.count == expected.count)
    }

    @Test func smallFrameMatchesTheCommittedPNG() async throws {
        let png = try await onOwnThread { PNGEncoder.encode(try Self.frame((1024, 768)).canvas) }
        if Self.updating {
            try Data(png).write(to: URL(fileURLWithPath: Self.goldenPNG))
            return
        }
        let golden = try #require(FileManager.default.contents(atPath: Self.goldenPNG), "missing \(Self.goldenPNG)")
        #expect(png.count == golden.count)
        // Compared as a Bool: printing two 2 MB arrays on failure would drown the log.
        let identical = png.elementsEqual(golden)
        if !identical, let renders = ProcessInfo.processInfo.environment["KIOSK_RENDER_DIR"] {
            try Data(png).write(to: URL(fileURLWithPath: renders).appendingPathComponent("lobby-1024x768-actual.png"))
        }
        #expect(identical, "the 1024x768 frame differs from \(Self.goldenPNG); set KIOSK_RENDER_DIR to write the new one")
    }
}
