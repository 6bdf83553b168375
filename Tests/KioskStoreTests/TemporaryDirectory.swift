import Foundation
import KioskCore

/// Runs `body` with a fresh directory under the system's temporary directory, removed
/// afterwards whatever happens.
func withTemporaryDirectory<T>(_ body: (String) throws -> T) throws -> T {
    let url = FileManager.default.temporaryDirectory.appendingPathComponent("kiosk-store-tests-\(UUID().uuidString)")
    try FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
    defer { try? FileManager.default.removeItem(at: url) }
    return try body(url.path)
}

/// Instants for fixtures, in whole seconds (the store's resolution).
func utc(_ text: String) -> Date {
    let formatter = ISO8601DateFormatter()
    formatter.formatOptions = [.withInternetDateTime]
    guard let date = formatter.date(from: text) else { fatalError("bad fixture instant \(text)") }
    return date
}

let paris = IANATimeZone(identifier: "Europe/Paris")!

/// Dates the files at `paths` `seconds` before now (after now when negative): a picture
/// file that old is past `PictureFileStore.minimumUnusedAge` and may be collected.
func setBack(_ paths: String..., by seconds: TimeInterval) throws {
    for path in paths {
        try FileManager.default.setAttributes([.modificationDate: Date().addingTimeInterval(-seconds)], ofItemAtPath: path)
    }
}
