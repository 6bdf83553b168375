import Foundation

/// The symbol table and the sections of an ELF64 little-endian file (the `kioskd`
/// binary), to say which code or data a resident page of it holds.
///
/// Only what the memory breakdown needs: `PT_LOAD` segments (to turn a mapping's address
/// back into the file's virtual addresses), section headers (names and address ranges),
/// and `.symtab` (functions and objects with a size). A stripped binary has no `.symtab`:
/// its pages are then attributed by section only.
struct ELFSymbolMap {
    struct Segment { var offset: UInt64; var vaddr: UInt64; var fileSize: UInt64; var memorySize: UInt64 }
    struct Section { var name: String; var address: UInt64; var size: UInt64 }
    struct Symbol { var address: UInt64; var size: UInt64; var name: String }

    var segments: [Segment] = []
    var sections: [Section] = []
    /// Sorted by address.
    var symbols: [Symbol] = []

    struct Failure: Error, CustomStringConvertible { var description: String }

    init(path: String) throws {
        guard let handle = FileHandle(forReadingAtPath: path) else { throw Failure(description: "cannot open \(path)") }
        defer { try? handle.close() }
        func read(_ offset: UInt64, _ count: Int) throws -> [UInt8] {
            try handle.seek(toOffset: offset)
            let data = try handle.read(upToCount: count) ?? Data()
            guard data.count == count else { throw Failure(description: "\(path): truncated at \(offset)") }
            return Array(data)
        }
        let header = try read(0, 64)
        guard header.starts(with: [0x7F, 0x45, 0x4C, 0x46]), header[4] == 2, header[5] == 1 else {
            throw Failure(description: "\(path) is not a little-endian ELF64 file")
        }
        func u16(_ b: [UInt8], _ at: Int) -> UInt16 { UInt16(b[at]) | UInt16(b[at + 1]) << 8 }
        func u32(_ b: [UInt8], _ at: Int) -> UInt32 { (0..<4).reduce(0) { $0 | UInt32(b[at + $1]) << (8 * $1) } }
        func u64(_ b: [UInt8], _ at: Int) -> UInt64 { (0..<8).reduce(0) { $0 | UInt64(b[at + $1]) << (8 * $1) } }
        let phoff = u64(header, 0x20), shoff = u64(header, 0x28)
        let phentsize = Int(u16(header, 0x36)), phnum = Int(u16(header, 0x38))
        let shentsize = Int(u16(header, 0x3A)), shnum = Int(u16(header, 0x3C)), shstrndx = Int(u16(header, 0x3E))
        guard phentsize >= 56, shentsize >= 64, phnum < 1000, shnum < 100_000 else { throw Failure(description: "\(path): unexpected ELF header sizes") }

        let programHeaders = try read(phoff, phentsize * phnum)
        for i in 0..<phnum {
            let p = Array(programHeaders[(i * phentsize)..<(i * phentsize + 56)])
            guard u32(p, 0) == 1 else { continue }  // PT_LOAD
            segments.append(Segment(offset: u64(p, 8), vaddr: u64(p, 16), fileSize: u64(p, 32), memorySize: u64(p, 40)))
        }

        let sectionHeaders = try read(shoff, shentsize * shnum)
        func sh(_ i: Int) -> [UInt8] { Array(sectionHeaders[(i * shentsize)..<(i * shentsize + 64)]) }
        let names = sh(shstrndx)
        let nameTable = try read(u64(names, 24), Int(u64(names, 32)))
        func string(_ table: [UInt8], _ at: Int) -> String {
            guard at < table.count else { return "" }
            let end = table[at...].firstIndex(of: 0) ?? table.count
            return String(decoding: table[at..<end], as: UTF8.self)
        }
        var symtab: (offset: UInt64, size: UInt64, link: Int)?
        for i in 0..<shnum {
            let s = sh(i)
            let type = u32(s, 4)
            if type == 2 { symtab = (u64(s, 24), u64(s, 32), Int(u32(s, 40))) }  // SHT_SYMTAB
            let flags = u64(s, 8)
            guard flags & 0x2 != 0 else { continue }  // SHF_ALLOC: in memory
            sections.append(Section(name: string(nameTable, Int(u32(s, 0))), address: u64(s, 16), size: u64(s, 32)))
        }
        sections.sort { $0.address < $1.address }

        guard let symtab, symtab.link < shnum else { return }
        let strings = sh(symtab.link)
        let stringTable = try read(u64(strings, 24), Int(u64(strings, 32)))
        let table = try read(symtab.offset, Int(symtab.size))
        for at in stride(from: 0, to: table.count - 23, by: 24) {
            let info = table[at + 4]
            let type = info & 0xF
            guard type == 1 || type == 2, u16(table, at + 6) != 0 else { continue }  // OBJECT, FUNC; defined
            let size = u64(table, at + 16)
            guard size > 0 else { continue }
            symbols.append(Symbol(address: u64(table, at + 8), size: size, name: string(stringTable, Int(u32(table, at)))))
        }
        symbols.sort { $0.address < $1.address }
        indexLargeSymbols()
    }

    /// The file's virtual address of a byte at `offset` in the file, through its `PT_LOAD`.
    func virtualAddress(ofFileOffset offset: UInt64) -> UInt64? {
        for s in segments where s.offset <= offset && offset < s.offset + max(s.fileSize, 1) {
            return s.vaddr + (offset - s.offset)
        }
        return nil
    }

    /// The section holding `address`.
    func section(at address: UInt64) -> Section? {
        var low = 0, high = sections.count
        while low < high {
            let mid = (low + high) / 2
            if sections[mid].address <= address { low = mid + 1 } else { high = mid }
        }
        guard low > 0 else { return nil }
        let s = sections[low - 1]
        return address < s.address + s.size ? s : nil
    }

    /// Symbols larger than `largeSize` (ICU's data, big tables), checked apart.
    private(set) var largeSymbols: [Symbol] = []
    static let largeSize: UInt64 = 65_536

    mutating func indexLargeSymbols() {
        largeSymbols = symbols.filter { $0.size > Self.largeSize }
    }

    /// The symbols overlapping [address, address + length), with the bytes of each inside it.
    func symbols(in address: UInt64, length: UInt64) -> [(symbol: Symbol, bytes: UInt64)] {
        var low = 0, high = symbols.count
        while low < high {
            let mid = (low + high) / 2
            if symbols[mid].address < address + length { low = mid + 1 } else { high = mid }
        }
        var found: [(Symbol, UInt64)] = []
        func add(_ s: Symbol) {
            let end = s.address + s.size
            guard end > address, s.address < address + length else { return }
            found.append((s, min(end, address + length) - max(s.address, address)))
        }
        var i = low - 1
        // Small symbols that start at most `largeSize` before the page can reach into it.
        while i >= 0, symbols[i].address + Self.largeSize > address {
            if symbols[i].size <= Self.largeSize { add(symbols[i]) }
            i -= 1
        }
        for s in largeSymbols { add(s) }
        return found
    }
}
