import Dispatch
import Glibc

/// Gives back, once start-up is over, the pages of read-only file mappings that only
/// starting used (issue #18, the memory target); kioskd does it again each night after its
/// chores, for the pages the day's rarer work brought back (a feed's ingest, a reload).
///
/// A statically linked kioskd maps its 100 MB binary read-only; start-up (ld.so, the Swift
/// runtime's and Foundation's initialisers, reading the configuration, opening the store,
/// the first layout) touches megabytes of its code and constants that the lobby never runs
/// again, and the kernel maps more around each touched page (fault-around, large folios).
/// `madvise(MADV_DONTNEED)` on such a mapping only drops this process's page-table
/// entries: the pages stay in the page cache, and a page used again comes back on its next
/// touch (a minor fault, no disk read while the cache holds it), so what the daemon runs
/// afterwards is resident again and what it does not run is not counted in its resident
/// set. Only mappings that are readable, not writable, backed by a file that still exists
/// and hold no anonymous (copied-on-write) page qualify: the relocated RELRO pages, data,
/// heap, stacks, the framebuffer and SQLite's shared memory are never touched, so no byte
/// the process wrote can be lost. And only the executable and shared libraries, which stay
/// mapped for the process's life: a mapping another thread could unmap between the read of
/// `smaps` and the `madvise` (a font, a picture) might have anonymous memory in its place
/// by then.
public enum StartupPages {
    /// One mapping of a `/proc/PID/smaps`, with the fields the choice (and kiosk-bench's
    /// memory breakdown) needs.
    public struct Mapping: Equatable, Sendable {
        public var start: UInt, end: UInt
        public var permissions: String
        /// Where the mapping starts in its file.
        public var offset: UInt
        public var path: String
        public var residentKiB = 0
        public var anonymousKiB = 0

        public init(start: UInt, end: UInt, permissions: String, offset: UInt = 0, path: String, residentKiB: Int = 0, anonymousKiB: Int = 0) {
            (self.start, self.end, self.permissions, self.offset, self.path) = (start, end, permissions, offset, path)
            (self.residentKiB, self.anonymousKiB) = (residentKiB, anonymousKiB)
        }

        /// Readable, not writable, file-backed, no anonymous page: safe to drop.
        public var isCleanFileMapping: Bool {
            permissions.hasPrefix("r") && !permissions.contains("w") && path.hasPrefix("/") && !path.hasSuffix("(deleted)")
                && anonymousKiB == 0 && end > start
        }
    }

    /// What a release gave back.
    public struct Released: Equatable, Sendable {
        public var mappings = 0
        /// Resident KiB of those mappings before the release (what `smaps` said).
        public var residentKiB = 0

        public init(mappings: Int = 0, residentKiB: Int = 0) { (self.mappings, self.residentKiB) = (mappings, residentKiB) }
    }

    /// The mappings of an `smaps` text, with their Rss and Anonymous fields.
    public static func mappings(smaps text: String) -> [Mapping] {
        var result: [Mapping] = []
        for line in text.split(separator: "\n", omittingEmptySubsequences: true) {
            let fields = line.split(separator: " ", omittingEmptySubsequences: true)
            guard let first = fields.first else { continue }
            if !first.hasSuffix(":"), fields.count >= 5, let dash = first.firstIndex(of: "-") {
                guard let start = UInt(first[..<dash], radix: 16), let end = UInt(first[first.index(after: dash)...], radix: 16) else { continue }
                let path = fields.count >= 6 ? fields[5...].joined(separator: " ") : ""
                result.append(Mapping(start: start, end: end, permissions: String(fields[1]), offset: UInt(fields[2], radix: 16) ?? 0, path: path))
                continue
            }
            guard !result.isEmpty, fields.count >= 2, let kib = Int(fields[1]) else { continue }
            switch first {
            case "Rss:": result[result.count - 1].residentKiB = kib
            case "Anonymous:": result[result.count - 1].anonymousKiB = kib
            default: break
            }
        }
        return result
    }

    /// Drops this process's resident pages of every clean file mapping in `mappings`.
    @discardableResult
    public static func release(_ mappings: [Mapping]) -> Released {
        var released = Released()
        for m in mappings where m.isCleanFileMapping {
            guard madvise(UnsafeMutableRawPointer(bitPattern: m.start), Int(m.end - m.start), MADV_DONTNEED) == 0 else { continue }
            released.mappings += 1
            released.residentKiB += m.residentKiB
        }
        return released
    }

    /// The mappings of the executable (`executable`: its path) and of shared libraries.
    public static func codeMappings(_ mappings: [Mapping], executable: String) -> [Mapping] {
        mappings.filter { m in
            m.path == executable || (m.path.split(separator: "/").last.map { $0.hasSuffix(".so") || $0.contains(".so.") } ?? false)
        }
    }

    /// Reads `/proc/self/smaps` and releases the clean mappings of the executable and its
    /// shared libraries; nil when it cannot be read.
    public static func releaseNow() -> Released? {
        guard let text = ProcFile.read("/proc/self/smaps") else { return nil }
        var buffer = [CChar](repeating: 0, count: Int(PATH_MAX) + 1)
        let n = readlink("/proc/self/exe", &buffer, buffer.count - 1)
        guard n > 0 else { return nil }
        let executable = String(decoding: buffer[..<n].map { UInt8(bitPattern: $0) }, as: UTF8.self)
        return release(codeMappings(mappings(smaps: text), executable: executable))
    }

    /// Releases once, `delay` from now, on a Dispatch worker (never the cooperative pool),
    /// and hands the result to `done` there; cancel the item returned (the daemon stops
    /// first) and nothing happens.
    @discardableResult
    public static func release(after delay: Duration, done: @escaping @Sendable (Released?) -> Void) -> DispatchWorkItem {
        let item = DispatchWorkItem { done(releaseNow()) }
        DispatchQueue.global(qos: .utility).asyncAfter(deadline: .now() + .nanoseconds(Int(clamping: DedicatedThreadExecutor.nanoseconds(delay))), execute: item)
        return item
    }
}
