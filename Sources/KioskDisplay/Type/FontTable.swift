/// A checked view of one table (or any byte range) of a font file: big-endian reads at
/// offsets relative to the table's start, each checked against the table's length.
///
/// A read that would leave the table throws `FontError.Reason.truncated`, naming the
/// table and the absolute file offset; nothing here can trap on hostile bytes. Sub-views
/// (`slice(from:)`) narrow the checked range to a subtable.
struct FontTable: Sendable {
    /// The whole file (shared, never copied; it also knows the file's name).
    let bytes: FontStorage
    /// Where the view starts in `bytes`.
    let start: Int
    /// How many bytes the view holds (`start + count <= bytes.count`).
    let count: Int
    /// The table's tag as four bytes, for errors (kept as a number: views are copied on
    /// every glyph lookup, and a string would cost reference counting each time).
    let tagValue: UInt32

    init(bytes: FontStorage, tag: UInt32, start: Int, count: Int) {
        self.bytes = bytes
        self.tagValue = tag
        self.start = start
        self.count = count
    }

    /// The table's tag, `glyf`, `cmap`… (`sfnt` for the file header).
    var tag: String { OpenTypeLayout.tagString(tagValue) }

    func error(_ reason: FontError.Reason, at offset: Int = 0) -> FontError {
        FontError(source: bytes.source, table: tag, offset: start &+ offset, reason: reason)
    }

    /// Throws unless `length` bytes from `offset` lie inside the view.
    @inline(__always)
    func need(_ offset: Int, _ length: Int) throws(FontError) {
        guard offset >= 0, length >= 0, offset <= count, length <= count - offset else {
            throw error(.truncated(needed: offset.addingReportingOverflow(length).partialValue, available: count), at: max(0, offset))
        }
    }

    @inline(__always)
    func u8(_ offset: Int) throws(FontError) -> UInt8 {
        try need(offset, 1)
        return bytes[start + offset]
    }

    @inline(__always)
    func u16(_ offset: Int) throws(FontError) -> UInt16 {
        try need(offset, 2)
        let i = start + offset
        return UInt16(bytes[i]) << 8 | UInt16(bytes[i + 1])
    }

    @inline(__always)
    func i16(_ offset: Int) throws(FontError) -> Int16 {
        Int16(bitPattern: try u16(offset))
    }

    @inline(__always)
    func u32(_ offset: Int) throws(FontError) -> UInt32 {
        try need(offset, 4)
        let i = start + offset
        return UInt32(bytes[i]) << 24 | UInt32(bytes[i + 1]) << 16 | UInt32(bytes[i + 2]) << 8 | UInt32(bytes[i + 3])
    }

    /// A 16.16 or 2.14 fixed-point number: `F2DOT14` as used by composite glyphs.
    func f2dot14(_ offset: Int) throws(FontError) -> Float {
        Float(try i16(offset)) / 16384
    }

    /// The view from `offset` to the end of this one.
    func slice(from offset: Int) throws(FontError) -> FontTable {
        try need(offset, 0)
        return FontTable(bytes: bytes, tag: tagValue, start: start + offset, count: count - offset)
    }

    /// The view of `length` bytes from `offset`.
    func slice(from offset: Int, length: Int) throws(FontError) -> FontTable {
        try need(offset, length)
        return FontTable(bytes: bytes, tag: tagValue, start: start + offset, count: length)
    }

    /// The sub-view at a 16-bit offset stored at `field` (OpenType's `Offset16`), relative
    /// to this view's start; nil for a null offset.
    func subtable(atOffset16 field: Int) throws(FontError) -> FontTable? {
        let offset = Int(try u16(field))
        return offset == 0 ? nil : try slice(from: offset)
    }
}
