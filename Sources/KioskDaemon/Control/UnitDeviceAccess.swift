import Foundation
import KioskSystem
#if canImport(Glibc)
import Glibc
#endif

/// A device node's number, as `stat(2)` gives it (`st_rdev`).
struct DeviceNumber: Sendable, Hashable, CustomStringConvertible {
    var major: UInt32
    var minor: UInt32
    var isCharacter: Bool

    /// Splits `st_rdev` as glibc's `major()`/`minor()` do.
    init(rdev: UInt64, isCharacter: Bool) {
        major = UInt32(truncatingIfNeeded: ((rdev >> 8) & 0xFFF) | ((rdev >> 32) & ~UInt64(0xFFF)))
        minor = UInt32(truncatingIfNeeded: (rdev & 0xFF) | ((rdev >> 12) & ~UInt64(0xFF)))
        self.isCharacter = isCharacter
    }

    init(major: UInt32, minor: UInt32, isCharacter: Bool = true) {
        self.major = major
        self.minor = minor
        self.isCharacter = isCharacter
    }

    /// The number of the device node at `path` (symlinks followed), or why there is none.
    static func of(_ path: String) -> Result<DeviceNumber, Errno> {
        var info = stat()
        guard stat(path, &info) == 0 else { return .failure(Errno.current) }
        let type = info.st_mode & S_IFMT
        guard type == S_IFCHR || type == S_IFBLK else { return .failure(Errno(rawValue: ENODEV)) }
        return .success(DeviceNumber(rdev: UInt64(info.st_rdev), isCharacter: type == S_IFCHR))
    }

    var description: String { "\(isCharacter ? "char" : "block") \(major):\(minor)" }
}

/// `/proc/devices`: which driver name goes with which major number (what systemd's
/// `DeviceAllow=char-NAME` matches against).
struct ProcDevices: Sendable, Equatable {
    var character: [(major: UInt32, name: String)]
    var block: [(major: UInt32, name: String)]

    init(_ text: String) {
        var character: [(UInt32, String)] = [], block: [(UInt32, String)] = []
        var section = 0
        for line in text.split(separator: "\n") {
            let trimmed = line.trimmingCharacters(in: .whitespaces)
            if trimmed.hasPrefix("Character devices") { section = 1; continue }
            if trimmed.hasPrefix("Block devices") { section = 2; continue }
            let parts = trimmed.split(separator: " ", maxSplits: 1)
            guard parts.count == 2, let major = UInt32(parts[0]) else { continue }
            if section == 1 { character.append((major, String(parts[1]))) } else if section == 2 { block.append((major, String(parts[1]))) }
        }
        self.character = character
        self.block = block
    }

    static func == (a: ProcDevices, b: ProcDevices) -> Bool {
        a.character.elementsEqual(b.character, by: { $0 == $1 }) && a.block.elementsEqual(b.block, by: { $0 == $1 })
    }

    /// Driver names registered for `major` (`4` is both `tty` and `ttyS`).
    func names(of device: DeviceNumber) -> [String] {
        (device.isCharacter ? character : block).filter { $0.major == device.major }.map(\.name)
    }
}

/// What kioskd.service lets kioskd open, read from
/// `systemctl show -p DevicePolicy -p DeviceAllow kioskd` (one `DeviceAllow=PATH RWM`
/// line per entry, drop-ins included: the effective unit, not the shipped file).
///
/// The rules are systemd's (systemd.resource-control(5), `DevicePolicy=`): `strict` allows
/// only the listed devices; `closed` also the standard pseudo devices (`/dev/null`,
/// `/dev/zero`, `/dev/tty`, ptys…); `auto` allows everything while nothing is listed, and
/// acts as `closed` otherwise. An entry is a path (resolved to its device number when the
/// unit starts, so a udev symlink must exist then), `/dev/char/MAJ:MIN`, or
/// `char-NAME`/`block-NAME`, a glob matched against the driver names of `/proc/devices`.
struct UnitDeviceAccess: Sendable, Equatable {
    struct Entry: Sendable, Hashable {
        var pattern: String
        var access: String
    }

    var policy: String
    var entries: [Entry]

    /// Reads `systemctl show` output; unknown lines are ignored.
    init(systemctlShow text: String) {
        var policy = "auto"
        var entries: [Entry] = []
        for line in text.split(separator: "\n") {
            if line.hasPrefix("DevicePolicy=") {
                policy = String(line.dropFirst("DevicePolicy=".count)).trimmingCharacters(in: .whitespaces)
            } else if line.hasPrefix("DeviceAllow=") {
                let value = line.dropFirst("DeviceAllow=".count).split(separator: " ", omittingEmptySubsequences: true)
                guard let pattern = value.first else { continue }
                entries.append(Entry(pattern: String(pattern), access: value.count > 1 ? String(value[1]) : "rwm"))
            }
        }
        self.policy = policy
        self.entries = entries
    }

    enum Verdict: Sendable, Equatable {
        /// No restriction applies (`DevicePolicy=auto` without entries).
        case unrestricted
        /// Allowed by this entry.
        case allowed(by: Entry)
        /// Listed, but without read and write.
        case readOnly(by: Entry)
        case notAllowed
    }

    /// Whether kioskd may open `device` read-write. `resolve` gives the device number of
    /// a path entry (`DeviceNumber.of` on the board).
    func verdict(for device: DeviceNumber, procDevices: ProcDevices, resolve: (String) -> DeviceNumber?) -> Verdict {
        if policy == "auto" && entries.isEmpty { return .unrestricted }
        var partial: Entry?
        for entry in entries where matches(entry.pattern, device, procDevices, resolve) {
            if entry.access.contains("r") && entry.access.contains("w") { return .allowed(by: entry) }
            partial = entry
        }
        return partial.map { .readOnly(by: $0) } ?? .notAllowed
    }

    private func matches(_ pattern: String, _ device: DeviceNumber, _ procDevices: ProcDevices, _ resolve: (String) -> DeviceNumber?) -> Bool {
        for (prefix, character) in [("char-", true), ("block-", false)] where pattern.hasPrefix(prefix) {
            guard device.isCharacter == character else { return false }
            let glob = String(pattern.dropFirst(prefix.count))
            return procDevices.names(of: device).contains { fnmatch(glob, $0, 0) == 0 }
        }
        for (prefix, character) in [("/dev/char/", true), ("/dev/block/", false)] where pattern.hasPrefix(prefix) {
            let numbers = pattern.dropFirst(prefix.count).split(separator: ":")
            if numbers.count == 2, let major = UInt32(numbers[0]) {
                guard device.isCharacter == character, major == device.major else { return false }
                return numbers[1] == "*" || UInt32(numbers[1]) == device.minor
            }
        }
        return resolve(pattern) == device
    }

    /// The line to add for `path` (in a drop-in: `systemctl edit kioskd`).
    static func line(for path: String) -> String { "DeviceAllow=\(path) rw" }

    /// The entries as `systemctl show` lists them, for a message.
    var summary: String {
        "DevicePolicy=\(policy); " + (entries.isEmpty ? "no DeviceAllow=" : "DeviceAllow= " + entries.map { "\($0.pattern) \($0.access)" }.joined(separator: ", "))
    }
}
