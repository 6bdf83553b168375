import KioskCore

/// One character cell of a terminal screen: a grapheme cluster and its style.
///
/// A wide character (CJK, most emoji) occupies two cells: the left one holds the
/// character with `width == 2`, the right one is a *continuation* cell (`width == 0`,
/// empty text) with the same style. A cell never holds a control character, an escape
/// sequence or a zero-width cluster: `init?(_:style:)` refuses them, so whatever a grid
/// holds is safe to write to a terminal as it is.
public struct Cell: Hashable, Sendable {
    /// One grapheme cluster in NFC; " " for a blank cell, "" for a continuation cell.
    public let text: String
    /// Columns taken by `text`: 1 or 2, or 0 for a continuation cell.
    public let width: Int
    public var style: CellStyle

    private init(uncheckedText text: String, width: Int, style: CellStyle) {
        self.text = text
        self.width = width
        self.style = style
    }

    /// A cell showing `character`, or nil when it cannot stand in a cell by itself: a
    /// control character or sequence, a bidi control, or a zero-width cluster (a lone
    /// combining mark).
    public init?(_ character: Character, style: CellStyle = .plain) {
        let text = TerminalText.normalized(String(character))
        guard text.count == 1, TerminalText.isSafe(text) else { return nil }
        let width = TerminalText.width(of: text)
        guard width == 1 || width == 2 else { return nil }
        self.init(uncheckedText: text, width: width, style: style)
    }

    /// A space in `style`: what erasing a cell leaves.
    public static func blank(_ style: CellStyle = .plain) -> Cell {
        Cell(uncheckedText: " ", width: 1, style: style)
    }

    /// The right half of a wide character drawn in `style`.
    public static func continuation(_ style: CellStyle = .plain) -> Cell {
        Cell(uncheckedText: "", width: 0, style: style)
    }

    /// True for the right half of a wide character.
    public var isContinuation: Bool { width == 0 }

    /// True for a space (in any style).
    public var isBlank: Bool { text == " " }
}
