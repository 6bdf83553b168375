import Glibc

/// Files under `/proc`: their size says 0, so readers that trust the size (Foundation's
/// `String(contentsOfFile:)`, `Data(contentsOf:)`) stop after the first page, 4 kB, and a
/// long table (`/proc/net/tcp`, `/proc/self/smaps`, `/proc/devices` with many drivers)
/// comes back cut without an error.
public enum ProcFile {
    /// The file read to its end, at most `limit` bytes; nil when it cannot be opened.
    public static func read(_ path: String, limit: Int = 16 << 20) -> String? {
        let fd = open(path, O_RDONLY | O_CLOEXEC)
        guard fd >= 0 else { return nil }
        defer { close(fd) }
        var bytes: [UInt8] = []
        var chunk = [UInt8](repeating: 0, count: 1 << 16)
        while bytes.count < limit {
            let n = chunk.withUnsafeMutableBytes { Glibc.read(fd, $0.baseAddress, $0.count) }
            if n < 0, errno == EINTR { continue }
            guard n > 0 else { break }
            bytes += chunk[..<n]
        }
        return String(decoding: bytes.prefix(limit), as: UTF8.self)
    }
}
