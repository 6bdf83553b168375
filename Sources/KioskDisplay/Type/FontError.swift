/// A font file that could not be used: which file, which table, where in it, and why.
///
/// Every offset and count read from a font is checked before use; what does not hold
/// becomes one of these, never a trap. Glyph-level problems found while drawing (a broken
/// outline in an otherwise sound file) are reported the same way by `FontFace.outline(of:)`
/// and make that glyph draw as nothing.
public struct FontError: Error, CustomStringConvertible, Sendable, Equatable {
    /// What went wrong.
    public enum Reason: Sendable, Equatable {
        /// Not a TrueType-outline sfnt (`00 01 00 00` or `true`); `OTTO` (CFF) says so.
        case notATrueTypeFont(String)
        /// A table the engine needs is absent.
        case missingTable
        /// A read would go past the end of the table (or file): `needed` bytes from the
        /// table's start, `available` in it.
        case truncated(needed: Int, available: Int)
        /// A field holds a value the format does not allow.
        case invalid(String)
        /// A valid font feature this engine does not read.
        case unsupported(String)
        /// A glyph beyond the engine's budgets (points, components, nesting, area).
        case limitExceeded(String)
        /// The file could not be read at all.
        case unreadable(String)
    }

    /// The file name or another label the caller gave the bytes.
    public var source: String
    /// The table's tag (`glyf`, `cmap`…), or "sfnt" for the file header.
    public var table: String
    /// Byte offset from the start of the file where the problem was found.
    public var offset: Int
    public var reason: Reason

    public init(source: String, table: String, offset: Int, reason: Reason) {
        self.source = source
        self.table = table
        self.offset = offset
        self.reason = reason
    }

    public var description: String {
        let why: String
        switch reason {
        case .notATrueTypeFont(let detail): why = "not a TrueType-outline font: \(detail)"
        case .missingTable: why = "required table missing"
        case .truncated(let needed, let available): why = "table truncated: needs \(needed) bytes, has \(available)"
        case .invalid(let detail): why = "invalid: \(detail)"
        case .unsupported(let detail): why = "unsupported: \(detail)"
        case .limitExceeded(let detail): why = "over the engine's limits: \(detail)"
        case .unreadable(let detail): why = "cannot read: \(detail)"
        }
        return "\(source): table '\(table)' at byte \(offset): \(why)"
    }
}
