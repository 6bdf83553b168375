/// A console font file that could not be read: which file, where in it, and why.
public struct PSFError: Error, CustomStringConvertible, Sendable, Equatable {
    /// What went wrong.
    public enum Reason: Sendable, Equatable {
        /// Neither the PSF1 magic (36 04) nor the PSF2 magic (72 b5 4a 86).
        case notAPSFFont
        /// A PSF2 version other than 0, or header fields that contradict each other.
        case invalidHeader(String)
        /// The file ends before the glyphs (or the Unicode table) it announces.
        case truncated(needed: Int, available: Int)
        /// Bytes in the Unicode table that are not UTF-8 (PSF2) or not a code point (PSF1).
        case invalidUnicodeTable(String)
        /// The file could not be read at all.
        case unreadable(String)
    }

    /// The file name or another label the caller gave the bytes.
    public var source: String
    /// Byte offset in the file where the problem was found.
    public var offset: Int
    public var reason: Reason

    public init(source: String, offset: Int, reason: Reason) {
        self.source = source
        self.offset = offset
        self.reason = reason
    }

    public var description: String {
        let why: String
        switch reason {
        case .notAPSFFont: why = "not a PSF1 or PSF2 console font (bad magic number)"
        case .invalidHeader(let detail): why = "invalid header: \(detail)"
        case .truncated(let needed, let available): why = "file truncated: needs \(needed) bytes, has \(available)"
        case .invalidUnicodeTable(let detail): why = "invalid Unicode table: \(detail)"
        case .unreadable(let detail): why = "cannot read: \(detail)"
        }
        return "\(source): byte \(offset): \(why)"
    }
}
