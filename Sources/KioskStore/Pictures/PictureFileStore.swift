import Foundation
import Glibc
import KioskCore

/// Picture files kept by their content: `<state directory>/pictures/<sha256 hex>`, the
/// bytes exactly as uploaded or fetched (PNG or JPEG), so that a poster, an event image or
/// a resident's logo is stored once however many records name it.
///
/// Writes go to a temporary file in the same directory, are flushed (`fsync`) and renamed
/// into place, so a power cut leaves either no file or the whole file. Records (posters,
/// events) name pictures by hash; `removeAll(except:)` deletes the files no record names
/// any more. Names are checked to be 64 hex digits before they reach the file system.
///
/// Several processes share the directory (kioskd, `kioskctl residents import` with path
/// logos), and a file is written before the record that names it is committed: a
/// collection in between would see it unused. So a file is deleted only once it is
/// `minimumUnusedAge` old (by its modification time, which `store` refreshes when the same
/// content is stored again); a younger one goes at a later collection.
public struct PictureFileStore: Sendable {
    public let directory: String

    /// How old an unreferenced file (or an interrupted write's temporary file) must be
    /// before `removeAll(except:)` deletes it: far longer than any write-then-commit, short
    /// enough that the nightly collection frees what a day left behind.
    public static let minimumUnusedAge: TimeInterval = 3600

    public init(stateDirectory: String) {
        directory = (stateDirectory as NSString).appendingPathComponent("pictures")
    }

    /// The file of `hash` (64 lowercase hex digits), or nil for any other name.
    public func path(for hash: String) -> String? {
        guard Self.isHash(hash) else { return nil }
        return (directory as NSString).appendingPathComponent(hash)
    }

    /// Whether the file of `hash` is there.
    public func holds(_ hash: String) -> Bool {
        guard let path = path(for: hash) else { return false }
        return access(path, F_OK) == 0
    }

    /// Stores `bytes` (once: an existing file of the same content is kept, its modification
    /// time set to now so that a collection running meanwhile sees it as young) and returns
    /// their hash.
    @discardableResult
    public func store(_ bytes: [UInt8]) throws -> String {
        let hash = SHA256.hash(bytes).hex
        let target = path(for: hash)!
        // Touched rather than tested: a file another process's collection deletes right now
        // is written again below.
        if retain(hash) { return hash }
        try createDirectory()
        let temporary = target + ".tmp-\(getpid())-\(UInt32.random(in: 0...UInt32.max))"
        let fd = open(temporary, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0o600)
        guard fd >= 0 else { throw PictureFileError(path: temporary, operation: "open", errno: errno) }
        var ok = false
        defer {
            close(fd)
            if !ok { unlink(temporary) }
        }
        var written = 0
        try bytes.withUnsafeBytes { raw in
            while written < raw.count {
                let n = write(fd, raw.baseAddress! + written, raw.count - written)
                if n < 0 {
                    if errno == EINTR { continue }
                    throw PictureFileError(path: temporary, operation: "write", errno: errno)
                }
                written += n
            }
        }
        guard fsync(fd) == 0 else { throw PictureFileError(path: temporary, operation: "fsync", errno: errno) }
        guard rename(temporary, target) == 0 else { throw PictureFileError(path: target, operation: "rename", errno: errno) }
        ok = true
        return hash
    }

    /// Marks the file of `hash` as just used (its modification time set to now), so that a
    /// collection running before the record naming it is committed keeps it; false when
    /// there is no such file. A file we may not touch (another user's) is kept as it is.
    public func retain(_ hash: String) -> Bool {
        guard let path = path(for: hash) else { return false }
        return utimensat(AT_FDCWD, path, nil, 0) == 0 || (errno != ENOENT && access(path, F_OK) == 0)
    }

    /// The bytes of `hash`; nil when there is no such file (or the name is not a hash).
    /// Throws when the file is larger than `maximumBytes` or cannot be read.
    public func contents(of hash: String, maximumBytes: Int) throws -> [UInt8]? {
        guard let path = path(for: hash), FileManager.default.fileExists(atPath: path) else { return nil }
        let size = (try? FileManager.default.attributesOfItem(atPath: path)[.size] as? Int) ?? 0
        guard size <= maximumBytes else {
            throw PictureFileError(path: path, operation: "read", detail: "\(size) bytes, over the limit of \(maximumBytes)")
        }
        guard let data = FileManager.default.contents(atPath: path) else { throw PictureFileError(path: path, operation: "read", errno: errno) }
        return [UInt8](data)
    }

    /// The hashes of the stored pictures (temporary files and other names left out).
    public func hashes() throws -> [String] {
        guard FileManager.default.fileExists(atPath: directory) else { return [] }
        return try FileManager.default.contentsOfDirectory(atPath: directory).filter(Self.isHash).sorted()
    }

    /// Deletes every stored picture whose hash is not in `referenced` (and temporary files
    /// left by an interrupted write) once it is `minimumAge` old; returns the hashes
    /// deleted. Younger files stay for a later collection: another process may have just
    /// written one and not yet committed the record naming it. Ages are measured from the
    /// files' modification times against `now`, the system's real time (the kernel's clock
    /// stamps the files, not the lobby's injected one); a file dated in the future stays.
    @discardableResult
    public func removeAll(except referenced: Set<String>, minimumAge: TimeInterval = Self.minimumUnusedAge, now: Date = Date()) throws -> [String] {
        guard FileManager.default.fileExists(atPath: directory) else { return [] }
        var removed: [String] = []
        for name in try FileManager.default.contentsOfDirectory(atPath: directory) {
            let isTemporary = name.count > 64 && Self.isHash(String(name.prefix(64))) && name.dropFirst(64).hasPrefix(".tmp-")
            guard isTemporary || (Self.isHash(name) && !referenced.contains(name)) else { continue }
            let path = (directory as NSString).appendingPathComponent(name)
            guard let modified = try Self.modificationTime(of: path), now.timeIntervalSince(modified) >= minimumAge else { continue }
            // Gone already: another process's collection took it.
            guard unlink(path) == 0 || errno == ENOENT else { throw PictureFileError(path: path, operation: "unlink", errno: errno) }
            if !isTemporary { removed.append(name) }
        }
        return removed.sorted()
    }

    /// The modification time of `path`; nil when there is no such file.
    private static func modificationTime(of path: String) throws -> Date? {
        var status = stat()
        guard lstat(path, &status) == 0 else {
            if errno == ENOENT { return nil }
            throw PictureFileError(path: path, operation: "lstat", errno: errno)
        }
        return Date(timeIntervalSince1970: Double(status.st_mtim.tv_sec) + Double(status.st_mtim.tv_nsec) / 1e9)
    }

    private func createDirectory() throws {
        do {
            try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true, attributes: [.posixPermissions: 0o700])
        } catch {
            throw PictureFileError(path: directory, operation: "mkdir", detail: error.localizedDescription)
        }
    }

    static func isHash(_ name: String) -> Bool {
        name.utf8.count == 64 && name.utf8.allSatisfy { (48...57).contains($0) || (97...102).contains($0) }
    }
}

/// A picture file that could not be written or read: which file, which operation, why.
public struct PictureFileError: Error, Sendable, CustomStringConvertible {
    public var path: String
    public var operation: String
    public var detail: String

    public init(path: String, operation: String, detail: String) {
        self.path = path
        self.operation = operation
        self.detail = detail
    }

    init(path: String, operation: String, errno code: Int32) {
        self.init(path: path, operation: operation, detail: String(cString: strerror(code)))
    }

    public var description: String { "picture file \(path): \(operation): \(detail)" }
}
