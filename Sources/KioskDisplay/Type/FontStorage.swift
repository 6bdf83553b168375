#if canImport(Glibc)
import Glibc
#endif

/// The bytes of one font file, immutable, shared by every view of it (`FontTable`).
///
/// A shipped font is mapped read-only from its file (`mmap`, `MAP_PRIVATE`): its pages are
/// clean and shared with the page cache, and only the tables and glyphs actually used are
/// ever read in. Bytes from elsewhere (tests, fuzzing) are copied once. Package upgrades
/// replace font files by renaming, which leaves a mapped file intact.
final class FontStorage: @unchecked Sendable {
    // Safe to share across threads: the memory is never written after `init` and lives
    // until `deinit`, which runs only when no view refers to it any more.
    let base: UnsafeRawPointer
    let count: Int
    /// The file name or label, for errors.
    let source: String
    private let isMapped: Bool

    /// A private copy of `bytes`.
    init(copying bytes: [UInt8], source: String) {
        self.source = source
        let memory = UnsafeMutableRawPointer.allocate(byteCount: max(1, bytes.count), alignment: 8)
        bytes.withUnsafeBytes { source in
            if let from = source.baseAddress { memory.copyMemory(from: from, byteCount: bytes.count) }
        }
        base = UnsafeRawPointer(memory)
        count = bytes.count
        isMapped = false
    }

    /// The file at `path`, mapped read-only; throws `unreadable` (with the system's reason)
    /// when it cannot be opened or mapped.
    init(mapping path: String) throws(FontError) {
        source = String(path.split(separator: "/").last ?? Substring(path))
        func failure(_ what: String) -> FontError {
            FontError(source: path, table: "sfnt", offset: 0, reason: .unreadable("\(what): \(String(cString: strerror(errno)))"))
        }
        // O_NONBLOCK: a FIFO in the fonts directory must not hang the daemon at open.
        let fd = open(path, O_RDONLY | O_CLOEXEC | O_NONBLOCK)
        guard fd >= 0 else { throw failure("open") }
        defer { close(fd) }
        var info = stat()
        guard fstat(fd, &info) == 0 else { throw failure("fstat") }
        guard info.st_mode & S_IFMT == S_IFREG else {
            throw FontError(source: path, table: "sfnt", offset: 0, reason: .unreadable("not a regular file"))
        }
        let size = Int(info.st_size)
        guard size > 0 else {
            throw FontError(source: path, table: "sfnt", offset: 0, reason: .truncated(needed: 12, available: 0))
        }
        guard let memory = mmap(nil, size, PROT_READ, MAP_PRIVATE, fd, 0), memory != MAP_FAILED else {
            throw failure("mmap")
        }
        base = UnsafeRawPointer(memory)
        count = size
        isMapped = true
    }

    deinit {
        if isMapped {
            munmap(UnsafeMutableRawPointer(mutating: base), count)
        } else {
            UnsafeMutableRawPointer(mutating: base).deallocate()
        }
    }

    @inline(__always)
    subscript(offset: Int) -> UInt8 {
        base.load(fromByteOffset: offset, as: UInt8.self)
    }
}
