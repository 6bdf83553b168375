import Foundation
import KioskSystem
#if canImport(Glibc)
import Glibc
#endif

/// Where another process's resident pages are, by component: the Swift runtime,
/// Foundation, ICU, FoundationNetworking with curl and TLS, SQLite, the daemon's own
/// code, the heap, the canvas.
///
/// Shared libraries (a dynamically linked build) are told apart by `/proc/PID/smaps`,
/// mapping by mapping. A binary with the Swift runtime and Foundation linked in
/// (`--static-swift-stdlib`, the build that ships) is one mapping for all of them, so
/// its pages are attributed one by one: `/proc/PID/pagemap` says which pages of the
/// binary's mappings are present (and whether file-backed or copied on write), and the
/// binary's symbol table says what each page holds (the module of a Swift symbol from
/// its mangled name, ICU's `icu_NN` namespace and `_NN` suffixes, curl's `Curl_`…); a
/// page goes to the component owning most of its bytes, or to its section when no symbol
/// covers it (unwind tables, Swift metadata). Anonymous memory: `[heap]` (the main
/// arena), the canvas (an anonymous mapping of the display's size), and the rest
/// (thread arenas, stacks).
struct MemoryBreakdown {
    struct Component: Hashable {
        var name: String
        var anonKiB = 0
        var fileKiB = 0
        var shmemKiB = 0
        var totalKiB: Int { anonKiB + fileKiB }
    }

    var components: [Component]
    /// How the binary was attributed: "symbols", "sections only (stripped)", or "one mapping".
    var binaryMethod: String

    var anonKiB: Int { components.reduce(0) { $0 + $1.anonKiB } }
    var fileKiB: Int { components.reduce(0) { $0 + $1.fileKiB } }

    struct Mapping {
        var start: UInt64, end: UInt64, offset: UInt64
        var path: String
        var rssKiB = 0, anonymousKiB = 0, shmemKiB = 0
    }

    /// Measures `pid`; `canvasBytes` is the size of the display's canvas (an anonymous
    /// mapping of that size, rounded to pages, is counted as the canvas).
    static func measure(pid: Int32, canvasBytes: Int) throws -> MemoryBreakdown {
        let mappings = try readSmaps(pid: pid)
        let binary = (try? FileManager.default.destinationOfSymbolicLink(atPath: "/proc/\(pid)/exe")) ?? ""
        var totals: [String: Component] = [:]
        func add(_ name: String, anon: Int = 0, file: Int = 0, shmem: Int = 0) {
            totals[name, default: Component(name: name)].anonKiB += anon
            totals[name, default: Component(name: name)].fileKiB += file
            totals[name, default: Component(name: name)].shmemKiB += shmem
        }
        let page = UInt64(sysconf(Int32(_SC_PAGESIZE)))
        var method = "one mapping"
        var symbolMap: ELFSymbolMap?
        if !binary.isEmpty { symbolMap = try? ELFSymbolMap(path: binary) }
        let pagemap = open("/proc/\(pid)/pagemap", O_RDONLY | O_CLOEXEC)
        defer { if pagemap >= 0 { close(pagemap) } }

        for m in mappings {
            if m.shmemKiB > 0 || m.path.hasPrefix("/memfd:") || m.path.hasPrefix("/dev/zero") || m.path.hasPrefix("/SYSV") {
                add("framebuffer in RAM (shared memory)", anon: m.anonymousKiB, shmem: max(m.shmemKiB, m.rssKiB - m.anonymousKiB))
                continue
            }
            let fileKiB = max(0, m.rssKiB - m.anonymousKiB)
            if m.path == binary, let map = symbolMap, !map.symbols.isEmpty || !map.sections.isEmpty, pagemap >= 0 {
                method = map.symbols.isEmpty ? "sections only (stripped binary)" : "symbols"
                for (name, anon, file) in attribute(mapping: m, map: map, pagemap: pagemap, page: page) {
                    add(name, anon: anon, file: file)
                }
                continue
            }
            if m.path.hasPrefix("/") {
                add(libraryComponent(m.path, binary: binary), anon: m.anonymousKiB, file: fileKiB)
                continue
            }
            switch m.path {
            case "[heap]": add("heap: main arena", anon: m.anonymousKiB, file: fileKiB)
            case "[stack]": add("heap in thread arenas, and stacks", anon: m.anonymousKiB)
            case "[vdso]", "[vvar]", "[vsyscall]", "[vvar_vclock]": add("kernel (vdso)", anon: m.anonymousKiB, file: fileKiB)
            default:
                let size = Int(m.end - m.start)
                let canvas = canvasBytes > 0 && size >= canvasBytes && size <= canvasBytes + 2 * Int(page)
                add(canvas ? "canvas (the renderer's frame)" : "heap in thread arenas, and stacks", anon: m.anonymousKiB + fileKiB)
            }
        }
        let order = componentOrder
        let list = totals.values.sorted { a, b in
            let ia = order.firstIndex(of: a.name) ?? order.count, ib = order.firstIndex(of: b.name) ?? order.count
            return ia != ib ? ia < ib : a.totalKiB > b.totalKiB
        }
        return MemoryBreakdown(components: list, binaryMethod: method)
    }

    static let componentOrder = [
        "Swift runtime and stdlib (with Dispatch)", "Foundation (CoreFoundation, classic Foundation)", "FoundationEssentials",
        "ICU (FoundationInternationalization, _FoundationICU and its data)", "FoundationNetworking, curl and TLS", "SQLite",
        "kiosk code (KioskCore … KioskDaemon)", "C and C++ libraries (libc, libstdc++, zlib…)",
        "binary: unwind tables", "binary: Swift metadata sections", "binary: dynamic linking (relocations, symbols)",
        "binary: other sections",
        "heap: main arena", "canvas (the renderer's frame)", "heap in thread arenas, and stacks", "kernel (vdso)",
        "framebuffer in RAM (shared memory)",
    ]

    /// A shared library's component, by file name.
    static func libraryComponent(_ path: String, binary: String) -> String {
        let name = (path as NSString).lastPathComponent
        if path == binary { return "kiosk code (KioskCore … KioskDaemon)" }
        let table: [(prefixes: [String], component: String)] = [
            (["libswiftCore", "libswift_Concurrency", "libswift_StringProcessing", "libswift_RegexParser", "libswiftSynchronization",
              "libswiftGlibc", "libswiftDispatch", "libdispatch", "libBlocksRuntime", "libswift_Builtin_float", "libswift_math",
              "libswiftSwiftOnoneSupport", "libswift_Volatile"], "Swift runtime and stdlib (with Dispatch)"),
            (["libFoundation.", "libFoundationXML"], "Foundation (CoreFoundation, classic Foundation)"),
            (["libFoundationEssentials", "lib_FoundationCollections", "lib_FoundationCShims"], "FoundationEssentials"),
            (["libFoundationInternationalization", "lib_FoundationICU", "libicu"], "ICU (FoundationInternationalization, _FoundationICU and its data)"),
            (["libFoundationNetworking", "libcurl", "libssl", "libcrypto", "libnghttp", "libssh", "libidn2", "libgssapi", "libkrb5",
              "libk5crypto", "libkrb5support", "libldap", "liblber", "libbrotli", "libpsl", "librtmp", "libsasl2", "libunistring",
              "libgnutls", "libnettle", "libhogweed", "libgmp", "libp11-kit", "libtasn1", "libzstd", "libcom_err", "libkeyutils",
              "libresolv", "libffi"], "FoundationNetworking, curl and TLS"),
            (["libsqlite3"], "SQLite"),
        ]
        for entry in table where entry.prefixes.contains(where: { name.hasPrefix($0) }) { return entry.component }
        return "C and C++ libraries (libc, libstdc++, zlib…)"
    }

    /// The component of a symbol of the statically linked binary, from its name.
    static func symbolComponent(_ name: String) -> String {
        if name.hasPrefix("$s") || name.hasPrefix("_$s") {
            let body = name.hasPrefix("_") ? name.dropFirst(3) : name.dropFirst(2)
            let digits = body.prefix { $0.isNumber }
            if let length = Int(digits), length > 0, length < 100 {
                let module = String(body.dropFirst(digits.count).prefix(length))
                return moduleComponent(module)
            }
            return "Swift runtime and stdlib (with Dispatch)"  // $ss…, $sS…: the standard library
        }
        if name.contains("icu_") || name.hasPrefix("icudt") || name.hasPrefix("u_") || name.hasPrefix("ucal_") || name.hasPrefix("udat_")
            || name.hasPrefix("unum_") || name.hasPrefix("uloc_") || name.hasPrefix("ures_") || name.hasPrefix("ucol_") || name.hasPrefix("ubrk_")
            || name.hasPrefix("udata_") || name.hasPrefix("ucnv_") || name.hasPrefix("uprv_") || name.hasPrefix("utrans_") || name.hasPrefix("ustr_")
            || name.hasPrefix("uhash_") || name.hasPrefix("umtx_") || name.hasPrefix("utext_") || name.hasPrefix("unorm") || name.hasPrefix("uset_")
            || name.hasPrefix("ucase_") || name.hasPrefix("uchar_") || name.hasPrefix("ubidi") || name.hasPrefix("uregex_") || name.hasPrefix("ulist_")
            || name.hasPrefix("uenum_") || name.hasPrefix("uscript_") || name.hasPrefix("utf8_") || name.hasPrefix("ucptrie_") || name.hasPrefix("umutablecptrie_")
            || name.hasPrefix("_ZN6icu_") || name.hasPrefix("_ZNK6icu_") || isVersionedICU(name) {
            return "ICU (FoundationInternationalization, _FoundationICU and its data)"
        }
        if name.hasPrefix("swift_") || name.hasPrefix("_swift_") || name.hasPrefix("__swift") || name.hasPrefix("swift::")
            || name.hasPrefix("_ZN5swift") || name.hasPrefix("_ZNK5swift") || name.hasPrefix("dispatch_") || name.hasPrefix("_dispatch")
            || name.hasPrefix("_Block_") || name.hasPrefix("_os_") || name.hasPrefix("_ZN9__swift") || name.hasPrefix("_swiftEmpty")
            || name.hasPrefix("_T") {
            return "Swift runtime and stdlib (with Dispatch)"
        }
        if name.hasPrefix("CF") || name.hasPrefix("_CF") || name.hasPrefix("__CF") || name.hasPrefix("kCF") || name.hasPrefix("__kCF") || name.hasPrefix("_NS") {
            return "Foundation (CoreFoundation, classic Foundation)"
        }
        if name.hasPrefix("curl_") || name.hasPrefix("Curl_") || name.hasPrefix("SSL_") || name.hasPrefix("ssl_") || name.hasPrefix("OPENSSL_")
            || name.hasPrefix("EVP_") || name.hasPrefix("_CFURLSession") {
            return "FoundationNetworking, curl and TLS"
        }
        if name.hasPrefix("sqlite3") { return "SQLite" }
        if name.hasPrefix("kiosk_") { return "kiosk code (KioskCore … KioskDaemon)" }
        return "C and C++ libraries (libc, libstdc++, zlib…)"
    }

    /// ICU's C API carries its major version as a suffix: `ucal_open_74`.
    private static func isVersionedICU(_ name: String) -> Bool {
        guard let underscore = name.lastIndex(of: "_") else { return false }
        let suffix = name[name.index(after: underscore)...]
        return suffix.count == 2 && suffix.allSatisfy(\.isNumber) && (name.first == "u" || name.first == "_")
    }

    static func moduleComponent(_ module: String) -> String {
        switch module {
        case "Foundation", "FoundationXML": "Foundation (CoreFoundation, classic Foundation)"
        case "FoundationEssentials", "_FoundationCollections", "_FoundationCShims": "FoundationEssentials"
        case "FoundationInternationalization", "_FoundationICU": "ICU (FoundationInternationalization, _FoundationICU and its data)"
        case "FoundationNetworking": "FoundationNetworking, curl and TLS"
        case _ where module.hasPrefix("Kiosk") || module.hasPrefix("kiosk") || module == "CLinux" || module == "CSQLite":
            "kiosk code (KioskCore … KioskDaemon)"
        default: "Swift runtime and stdlib (with Dispatch)"
        }
    }

    /// The binary's pages of mapping `m`, each attributed to the component owning most of
    /// its bytes; returns (component, anonymous KiB, file KiB).
    static func attribute(mapping m: Mapping, map: ELFSymbolMap, pagemap: Int32, page: UInt64) -> [(String, Int, Int)] {
        let pages = Int((m.end - m.start) / page)
        var entries = [UInt64](repeating: 0, count: pages)
        let read = entries.withUnsafeMutableBytes { pread(pagemap, $0.baseAddress, $0.count, off_t(m.start / page * 8)) }
        guard read == pages * 8 else { return [] }
        var anon: [String: Int] = [:], file: [String: Int] = [:]
        let kib = Int(page / 1024)
        for (i, entry) in entries.enumerated() where entry & (1 << 63) != 0 {
            let isFilePage = entry & (1 << 61) != 0
            let offset = m.offset + UInt64(i) * page
            var name = "binary: other sections"
            if let vaddr = map.virtualAddress(ofFileOffset: offset) {
                var bytes: [String: UInt64] = [:]
                for (symbol, n) in map.symbols(in: vaddr, length: page) { bytes[symbolComponent(symbol.name), default: 0] += n }
                if let best = bytes.max(by: { $0.value < $1.value }) {
                    name = best.key
                } else if let section = map.section(at: vaddr) {
                    name = sectionComponent(section.name)
                }
            }
            if isFilePage { file[name, default: 0] += kib } else { anon[name, default: 0] += kib }
        }
        return Set(anon.keys).union(file.keys).map { ($0, anon[$0] ?? 0, file[$0] ?? 0) }
    }

    static func sectionComponent(_ name: String) -> String {
        if name.hasPrefix(".eh_frame") || name == ".gcc_except_table" { return "binary: unwind tables" }
        if name.hasPrefix("swift5_") || name.hasPrefix(".swift") { return "binary: Swift metadata sections" }
        if name.hasPrefix(".rela.") || name.hasPrefix(".relr.") || name.hasPrefix(".dynsym") || name.hasPrefix(".dynstr") || name.hasPrefix(".gnu.hash")
            || name.hasPrefix(".gnu.version") {
            return "binary: dynamic linking (relocations, symbols)"
        }
        return "binary: other sections"
    }

    /// `/proc/PID/smaps`: each mapping's range, offset, path, Rss and Anonymous, read and
    /// parsed as kioskd reads its own (`StartupPages`).
    static func readSmaps(pid: Int32) throws -> [Mapping] {
        let path = "/proc/\(pid)/smaps"
        guard let text = ProcFile.read(path) else { throw ELFSymbolMap.Failure(description: "cannot open \(path): errno \(errno)") }
        // Shared memory is not a field of smaps per mapping: shared, writable, file-less
        // (or /memfd:, /dev/zero, deleted tmpfs) mappings hold it.
        return StartupPages.mappings(smaps: text).map {
            Mapping(start: UInt64($0.start), end: UInt64($0.end), offset: UInt64($0.offset), path: $0.path, rssKiB: $0.residentKiB, anonymousKiB: $0.anonymousKiB)
        }
    }

    /// The breakdown as a Markdown table.
    func table(title: String) -> String {
        func mb(_ kib: Int) -> String { String(format: "%.1f", Double(kib) * 1024 / 1e6) }
        var lines = [
            "| \(title) | RssAnon MB | RssFile MB | own pages (anon + file) MB |", "| --- | --- | --- | --- |",
        ]
        for c in components where c.totalKiB > 0 || c.shmemKiB > 0 {
            let shm = c.shmemKiB > 0 ? " (+\(mb(c.shmemKiB)) MB shared memory, not the daemon's own)" : ""
            lines.append("| \(c.name)\(shm) | \(mb(c.anonKiB)) | \(mb(c.fileKiB)) | \(mb(c.totalKiB)) |")
        }
        lines.append("| **total** | \(mb(anonKiB)) | \(mb(fileKiB)) | **\(mb(anonKiB + fileKiB))** |")
        lines.append("")
        lines.append("The binary's pages attributed by \(binaryMethod).")
        return lines.joined(separator: "\n")
    }
}
