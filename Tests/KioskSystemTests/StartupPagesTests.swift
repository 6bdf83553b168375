import Glibc
import Testing
import KioskSystem

@Suite("Start-up pages given back (madvise on clean read-only file mappings)")
struct StartupPagesTests {
    /// Mapping headers and fields as kioskd's `/proc/PID/smaps` showed them (the release
    /// build in the memory bench, 2026-12-06), cut to the fields that matter.
    static let smaps = """
        56207e402000-56207e956000 r--p 00000000 fe:00 1540892                    /usr/bin/kioskd
        Size:               5456 kB
        Rss:                2352 kB
        Anonymous:             0 kB
        VmFlags: rd mr mw me
        56207e956000-56207fc11000 r-xp 00553000 fe:00 1540892                    /usr/bin/kioskd
        Size:              19180 kB
        Rss:               12688 kB
        Anonymous:             0 kB
        56207fc11000-56207fcbe000 r--p 0180d000 fe:00 1540892                    /usr/bin/kioskd
        Rss:                 692 kB
        Anonymous:           692 kB
        56207fcbe000-5620820fd000 rw-p 018b9000 fe:00 1540892                    /usr/bin/kioskd
        Rss:                2464 kB
        Anonymous:           368 kB
        5620820fd000-5620821e1000 rw-p 00000000 00:00 0
        Rss:                 400 kB
        Anonymous:           400 kB
        7fafddee8000-7fafde6d1000 rw-s 00000000 00:01 19619                      /dev/zero (deleted)
        Rss:                8100 kB
        Anonymous:             0 kB
        7fafe0844000-7fafe099a000 r-xp 00026000 fe:00 333151                     /usr/lib/x86_64-linux-gnu/libc.so.6
        Rss:                1136 kB
        Anonymous:             0 kB
        7fafe0c60000-7fafe0d02000 r--p 00000000 fe:00 5337399                    /usr/share/kiosk/assets/fonts/Lato-Regular.ttf
        Rss:                 312 kB
        Anonymous:             0 kB
        7fafe0d02000-7fafe0d03000 r--p 00000000 fe:00 5337400                    /usr/lib/x86_64-linux-gnu/libold.so.1 (deleted)
        Rss:                   4 kB
        Anonymous:             0 kB
        7fafe0f7b000-7fafe0fa1000 r-xp 00001000 fe:00 332717                     /usr/lib/x86_64-linux-gnu/ld-linux-x86-64.so.2
        Rss:                 148 kB
        Anonymous:             0 kB
        7ffd1c9f0000-7ffd1c9f2000 r-xp 00000000 00:00 0                          [vdso]
        Rss:                   4 kB
        Anonymous:             0 kB
        """

    @Test("only the binary's and libraries' clean read-only mappings are chosen: not RELRO, data, heap, shared memory, fonts, deleted files, vdso")
    func choosesCleanCodeMappings() {
        let all = StartupPages.mappings(smaps: Self.smaps)
        #expect(all.count == 11)
        #expect(all[1] == StartupPages.Mapping(start: 0x56207e956000, end: 0x56207fc11000, permissions: "r-xp", offset: 0x553000, path: "/usr/bin/kioskd",
                                                residentKiB: 12688, anonymousKiB: 0))
        let chosen = StartupPages.codeMappings(all, executable: "/usr/bin/kioskd").filter(\.isCleanFileMapping)
        #expect(chosen.map(\.start) == [0x56207e402000, 0x56207e956000, 0x7fafe0844000, 0x7fafe0f7b000])
        #expect(chosen.reduce(0) { $0 + $1.residentKiB } == 2352 + 12688 + 1136 + 148)
        // The font is clean but another thread may unmap it: never chosen.
        #expect(all[7].isCleanFileMapping && !StartupPages.codeMappings([all[7]], executable: "/usr/bin/kioskd").contains(all[7]))
    }

    /// A file of `pages` pages, each filled with its own byte, mapped privately.
    static func mappedFile(pages: Int, protection: Int32) throws -> (UnsafeMutableRawPointer, Int, String) {
        let size = pages * Int(sysconf(Int32(_SC_PAGESIZE)))
        var template = Array("/tmp/kiosk-startup-pages-XXXXXX".utf8CString)
        let fd = mkstemp(&template)
        try #require(fd >= 0)
        defer { close(fd) }
        let path = String(decoding: template.prefix { $0 != 0 }.map { UInt8(bitPattern: $0) }, as: UTF8.self)
        var bytes = [UInt8](repeating: 0, count: size)
        for i in 0..<size { bytes[i] = UInt8(truncatingIfNeeded: i / Int(sysconf(Int32(_SC_PAGESIZE))) &+ 1) }
        #expect(bytes.withUnsafeBytes { write(fd, $0.baseAddress, $0.count) } == size)
        let address = mmap(nil, size, protection, MAP_PRIVATE, fd, 0)
        try #require(address != MAP_FAILED)
        return (address!, size, path)
    }

    /// This process's smaps entry for the mapping at `address`.
    static func ownMapping(at address: UnsafeMutableRawPointer) throws -> StartupPages.Mapping {
        let fd = open("/proc/self/smaps", O_RDONLY)
        try #require(fd >= 0)
        defer { close(fd) }
        var bytes: [UInt8] = [], chunk = [UInt8](repeating: 0, count: 1 << 16)
        while true {
            let n = chunk.withUnsafeMutableBytes { read(fd, $0.baseAddress, $0.count) }
            guard n > 0 else { break }
            bytes += chunk[..<n]
        }
        let start = UInt(bitPattern: address)
        return try #require(StartupPages.mappings(smaps: String(decoding: bytes, as: UTF8.self)).first { $0.start == start })
    }

    @Test("a clean read-only file mapping loses its resident pages and reads the same bytes afterwards")
    func releasesCleanMapping() throws {
        let (address, size, path) = try Self.mappedFile(pages: 16, protection: PROT_READ)
        defer { munmap(address, size); unlink(path) }
        let page = Int(sysconf(Int32(_SC_PAGESIZE)))
        let before = (0..<16).map { address.load(fromByteOffset: $0 * page, as: UInt8.self) }
        let mapping = try Self.ownMapping(at: address)
        #expect(mapping.isCleanFileMapping && mapping.residentKiB == size / 1024)
        let released = StartupPages.release([mapping])
        #expect(released == StartupPages.Released(mappings: 1, residentKiB: size / 1024))
        #expect(try Self.ownMapping(at: address).residentKiB == 0)
        #expect((0..<16).map { address.load(fromByteOffset: $0 * page, as: UInt8.self) } == before)
        #expect(before == (1...16).map { UInt8($0) })
    }

    @Test("a mapping with a page written (copied on write, like RELRO after relocation) is left alone, its bytes kept")
    func keepsWrittenPages() throws {
        let (address, size, path) = try Self.mappedFile(pages: 4, protection: PROT_READ | PROT_WRITE)
        defer { munmap(address, size); unlink(path) }
        address.storeBytes(of: 0xEE, toByteOffset: 1, as: UInt8.self)
        #expect(mprotect(address, size, PROT_READ) == 0)  // what ld.so does to RELRO
        let mapping = try Self.ownMapping(at: address)
        #expect(mapping.anonymousKiB > 0 && !mapping.isCleanFileMapping)
        #expect(StartupPages.release([mapping]) == StartupPages.Released())
        #expect(address.load(fromByteOffset: 1, as: UInt8.self) == 0xEE)
        // Given anyway (as if the check were wrong), madvise would lose the write: the
        // check is what keeps it.
        var forced = mapping
        forced.anonymousKiB = 0
        StartupPages.release([forced])
        #expect(address.load(fromByteOffset: 1, as: UInt8.self) == 1)
    }
}
