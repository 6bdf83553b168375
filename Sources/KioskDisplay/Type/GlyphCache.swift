/// Rasterized glyphs kept for reuse, bounded in bytes: the least recently used are dropped
/// first when a new one would pass the budget.
///
/// A glyph is cached per face, glyph, size (in 1/64 px) and horizontal phase (quarter
/// pixels). `bytes` is what the entries hold by `GlyphBitmap.cost` (coverage plus a fixed
/// share for the entry); it never exceeds `capacity` after an insertion. A bitmap larger
/// than the whole budget is returned to the caller without being kept.
public struct GlyphCache: Sendable {
    public struct Key: Sendable, Hashable {
        public var face: UInt8
        public var glyph: UInt16
        /// The em size in 1/64 pixel.
        public var size: Int32
        /// The pen's fractional position, quarter pixels (0…3).
        public var phase: UInt8

        public init(face: UInt8, glyph: UInt16, size: Int32, phase: UInt8) {
            self.face = face
            self.glyph = glyph
            self.size = size
            self.phase = phase
        }

        /// One word to hash instead of four fields (a lookup per glyph drawn).
        public func hash(into hasher: inout Hasher) {
            hasher.combine(UInt64(face) << 56 | UInt64(phase) << 48 | UInt64(glyph) << 32 | UInt64(UInt32(bitPattern: size)))
        }
    }

    private struct Entry: Sendable {
        var key: Key
        var bitmap: GlyphBitmap
        var older: Int
        var newer: Int
    }

    public let capacity: Int
    public private(set) var bytes = 0
    public private(set) var hits = 0
    public private(set) var misses = 0
    private var index: [Key: Int] = [:]
    private var entries: [Entry] = []
    private var free: [Int] = []
    /// Most and least recently used entries (-1 when empty).
    private var newest = -1
    private var oldest = -1

    public init(capacity: Int) {
        self.capacity = max(0, capacity)
    }

    public var count: Int { index.count }

    /// The cached bitmap of `key`, or the one `make` gives (then kept, within the budget).
    public mutating func bitmap(for key: Key, make: () -> GlyphBitmap) -> GlyphBitmap {
        if let slot = index[key] {
            hits += 1
            touch(slot)
            return entries[slot].bitmap
        }
        misses += 1
        let bitmap = make()
        insert(key, bitmap)
        return bitmap
    }

    /// Drops every entry.
    public mutating func removeAll() {
        index.removeAll()
        entries.removeAll()
        free.removeAll()
        newest = -1
        oldest = -1
        bytes = 0
    }

    private mutating func insert(_ key: Key, _ bitmap: GlyphBitmap) {
        let cost = bitmap.cost
        guard cost <= capacity else { return }
        while bytes + cost > capacity, oldest >= 0 { evict(oldest) }
        let entry = Entry(key: key, bitmap: bitmap, older: newest, newer: -1)
        let slot: Int
        if let reused = free.popLast() {
            slot = reused
            entries[slot] = entry
        } else {
            slot = entries.count
            entries.append(entry)
        }
        if newest >= 0 { entries[newest].newer = slot }
        newest = slot
        if oldest < 0 { oldest = slot }
        index[key] = slot
        bytes += cost
    }

    private mutating func unlink(_ slot: Int) {
        let older = entries[slot].older, newer = entries[slot].newer
        if older >= 0 { entries[older].newer = newer } else { oldest = newer }
        if newer >= 0 { entries[newer].older = older } else { newest = older }
    }

    private mutating func touch(_ slot: Int) {
        guard slot != newest else { return }
        unlink(slot)
        entries[slot].older = newest
        entries[slot].newer = -1
        if newest >= 0 { entries[newest].newer = slot }
        newest = slot
        if oldest < 0 { oldest = slot }
    }

    private mutating func evict(_ slot: Int) {
        unlink(slot)
        bytes -= entries[slot].bitmap.cost
        index[entries[slot].key] = nil
        entries[slot].bitmap = .empty
        free.append(slot)
    }
}
