import Foundation
import Synchronization

/// Why a zone name could not be turned into an `IANATimeZone`.
public struct TimeZoneLookupError: Error, Sendable, Hashable, CustomStringConvertible {
    public var name: String
    public var path: String?
    public var reason: String

    public var description: String {
        let shown = name.unicodeScalars.map { $0.value < 0x20 || $0.value == 0x7F ? "?" : String($0) }.joined()
        return "time zone '\(shown)': \(reason)" + (path.map { " (\($0))" } ?? "")
    }
}

extension IANATimeZone {
    /// Where zone files are read: `$TZDIR` when set, else `/usr/share/zoneinfo` (Debian's
    /// `tzdata` package).
    public static var directory: String {
        if let dir = ProcessInfo.processInfo.environment["TZDIR"], !dir.isEmpty { return dir }
        return "/usr/share/zoneinfo"
    }

    private static let cache = Mutex<[String: IANATimeZone]>([:])

    /// The zone named `name` (`Europe/Paris`), read from its file once per directory and
    /// name and then kept; `UTC` needs no file. Names are relative paths of letters,
    /// digits and `_+-.` (no `..`, no leading `/`).
    public static func named(_ name: String, in directory: String = IANATimeZone.directory) throws(TimeZoneLookupError) -> IANATimeZone {
        try validate(name)
        // UTC never changes: answered without its file (a minimal root file system, such
        // as the QEMU check's, may carry only the venue's zone).
        if name == "UTC" { return .utc }
        let key = directory + "\u{0}" + name
        if let known = cache.withLock({ $0[key] }) { return known }
        let path = directory + "/" + name
        let bytes = try readZoneFile(path, name: name, directory: directory)
        let rules: TZifFile
        do { rules = try TZifFile(bytes: bytes) } catch {
            throw TimeZoneLookupError(name: name, path: path, reason: "not a valid TZif file: \(error)")
        }
        let zone = IANATimeZone(identifier: name, rules: rules)
        cache.withLock { zones in
            if zones.count >= 1024 { zones.removeAll() }
            zones[key] = zone
        }
        return zone
    }

    static func validate(_ name: String) throws(TimeZoneLookupError) {
        func refuse(_ why: String) -> TimeZoneLookupError { TimeZoneLookupError(name: name, path: nil, reason: why) }
        guard !name.isEmpty, name.utf8.count <= 255 else { throw refuse("a zone name has 1 to 255 characters") }
        guard name.utf8.allSatisfy({ b in
            (b >= UInt8(ascii: "a") && b <= UInt8(ascii: "z")) || (b >= UInt8(ascii: "A") && b <= UInt8(ascii: "Z"))
                || (b >= UInt8(ascii: "0") && b <= UInt8(ascii: "9")) || b == UInt8(ascii: "/") || b == UInt8(ascii: "_")
                || b == UInt8(ascii: "-") || b == UInt8(ascii: "+") || b == UInt8(ascii: ".")
        }) else { throw refuse("not an IANA zone name (letters, digits, '/', '_', '-', '+', '.')") }
        guard !name.hasPrefix("/") else { throw refuse("an absolute path is not a zone name") }
        guard !name.split(separator: "/", omittingEmptySubsequences: false).contains(where: { $0 == ".." || $0 == "." || $0.isEmpty }) else {
            throw refuse("'.', '..' and empty parts are not allowed in a zone name")
        }
    }

    /// The file's bytes, refusing anything that is not a regular file of a sane size.
    private static func readZoneFile(_ path: String, name: String, directory: String) throws(TimeZoneLookupError) -> [UInt8] {
        let fd = open(path, O_RDONLY | O_CLOEXEC)
        guard fd >= 0 else {
            let e = errno
            let reason = e == ENOENT || e == ENOTDIR
                ? "no such zone in \(directory) (an IANA name such as Europe/Paris; is tzdata installed?)"
                : "cannot be opened: \(String(cString: strerror(e)))"
            throw TimeZoneLookupError(name: name, path: path, reason: reason)
        }
        defer { close(fd) }
        var info = stat()
        guard fstat(fd, &info) == 0, (info.st_mode & S_IFMT) == S_IFREG else {
            throw TimeZoneLookupError(name: name, path: path, reason: "not a zone file (a directory or a device)")
        }
        guard info.st_size <= TZifFile.maximumFileSize else {
            throw TimeZoneLookupError(name: name, path: path, reason: "zone file of \(info.st_size) bytes is too large")
        }
        var bytes = [UInt8](repeating: 0, count: Int(info.st_size))
        var done = 0
        while done < bytes.count {
            let n = bytes.withUnsafeMutableBytes { read(fd, $0.baseAddress! + done, $0.count - done) }
            if n < 0, errno == EINTR { continue }
            guard n > 0 else { throw TimeZoneLookupError(name: name, path: path, reason: "read failed or file shrank") }
            done += n
        }
        return bytes
    }
}
