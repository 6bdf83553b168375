import Foundation
import KioskDisplay

/// Paths of the repository's shipped assets, found from this file's location.
enum RepositoryAssets {
    static let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
    static var fonts: String { root.appendingPathComponent("assets/fonts").path }
    static var themes: String { root.appendingPathComponent("assets/themes").path }
    static var golden: String { root.appendingPathComponent("Tests/KioskDisplayTests/Golden").path }

    static func fonts(forPixelWidth width: Int, height: Int) throws -> ConsoleFontSet {
        try ShippedFonts.load(forPixelWidth: width, height: height, fromDirectory: fonts)
    }
}

/// Little-endian helpers for building font files in tests.
extension Array where Element == UInt8 {
    mutating func appendLE16(_ v: Int) { append(UInt8(v & 0xFF)); append(UInt8((v >> 8) & 0xFF)) }
    mutating func appendLE32(_ v: Int) { for i in 0..<4 { append(UInt8((v >> (8 * i)) & 0xFF)) } }
}
