import Foundation
import KioskCore
import KioskSystem
import KioskTestSupport
#if canImport(Glibc)
import Glibc
#endif

/// Helpers for the check-in tests of the daemon: RDM6300 frames, a udev-like symlink to
/// a pseudo-terminal, polling.
enum CheckInTestSupport {
    /// An RDM6300 frame for a 10-hex-digit id: STX, the id, the XOR of its 5 bytes as 2
    /// hex digits, ETX (see the reference's test vectors).
    static func rdm6300Frame(_ id: String) -> [UInt8] {
        precondition(id.count == 10)
        var checksum: UInt8 = 0
        var index = id.startIndex
        for _ in 0..<5 {
            let next = id.index(index, offsetBy: 2)
            checksum ^= UInt8(id[index..<next], radix: 16)!
            index = next
        }
        let hex = String(checksum, radix: 16, uppercase: true)
        return [0x02] + Array(id.utf8) + Array((hex.count == 1 ? "0" + hex : hex).utf8) + [0x03]
    }

    /// Polls `condition` every 10 ms until it holds or `seconds` pass; returns whether it held.
    static func eventually(_ seconds: Double = 5, _ condition: () async throws -> Bool) async rethrows -> Bool {
        try await KioskTestSupport.eventually(timeout: seconds, every: .milliseconds(10), condition)
    }

    static func temporaryDirectory(_ prefix: String) throws -> URL {
        let url = FileManager.default.temporaryDirectory.appendingPathComponent("\(prefix)-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
        return url
    }
}

/// A symlink that plays the udev `/dev/badge-reader`, re-pointed atomically.
final class ReaderLink {
    let path: String

    init(in directory: URL) { path = directory.appendingPathComponent("badge-reader").path }

    func point(at target: String) {
        let staging = path + ".staging"
        unlink(staging)
        precondition(symlink(target, staging) == 0 && rename(staging, path) == 0, "symlink: \(errno)")
    }
}
