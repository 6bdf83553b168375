/// Pictures kept at the size they are shown, bounded in bytes, the least recently used
/// dropped first. A picture larger than the whole budget is returned but not kept.
///
/// Keys name the source (a content hash, a file path) and the display size and fit, so a
/// picture shown at two sizes is two entries, and the source-size decode is never kept.
/// A value type owned by one renderer.
public struct PictureCache: Sendable {
    public struct Key: Sendable, Hashable {
        public var source: String
        public var width: Int, height: Int
        public var fit: PictureFit

        public init(source: String, width: Int, height: Int, fit: PictureFit) {
            self.source = source
            self.width = width
            self.height = height
            self.fit = fit
        }
    }

    private struct Entry: Sendable {
        var picture: Picture
        var placement: PicturePlacement
        var lastUse: UInt64
    }

    public let budgetBytes: Int
    public private(set) var bytes = 0
    private var entries: [Key: Entry] = [:]
    private var clock: UInt64 = 0

    public init(budgetBytes: Int) {
        self.budgetBytes = max(0, budgetBytes)
    }

    public var count: Int { entries.count }

    /// The picture for `key` scaled into a `key.width` x `key.height` box with `key.fit`,
    /// from the cache or made from `source()` (decoded, scaled, then the decode dropped).
    /// The placement is relative to a box at (0, 0).
    public mutating func picture(_ key: Key, source: () throws -> Picture) rethrows -> (picture: Picture, placement: PicturePlacement) {
        clock += 1
        if var entry = entries[key] {
            entry.lastUse = clock
            entries[key] = entry
            return (entry.picture, entry.placement)
        }
        let (scaled, placement) = PictureScaler.scale(try source(), toFit: PixelRect(x: 0, y: 0, width: key.width, height: key.height), fit: key.fit)
        guard scaled.byteCount <= budgetBytes else { return (scaled, placement) }
        while bytes + scaled.byteCount > budgetBytes, let oldest = entries.min(by: { $0.value.lastUse < $1.value.lastUse }) {
            bytes -= oldest.value.picture.byteCount
            entries[oldest.key] = nil
        }
        entries[key] = Entry(picture: scaled, placement: placement, lastUse: clock)
        bytes += scaled.byteCount
        return (scaled, placement)
    }

    /// Forgets every entry of `source` (a picture replaced or no longer referred to).
    public mutating func remove(source: String) {
        for key in entries.keys where key.source == source {
            bytes -= entries[key]!.picture.byteCount
            entries[key] = nil
        }
    }
}
