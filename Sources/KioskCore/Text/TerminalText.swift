import Foundation

/// Text prepared for a character-cell display: sanitising, measuring in columns,
/// truncating, padding and wrapping.
///
/// Every string that comes from data (a feed, a badge, a staff push) goes through
/// `sanitized(_:)` before it reaches a terminal, so that a title cannot move the cursor,
/// change the window title or clear the screen. Widths are in terminal columns and are
/// counted per grapheme cluster (what a reader sees as one character), after NFC
/// normalisation; see `TerminalText+Width.swift` for the rules.
public enum TerminalText {
    /// The character that marks truncated text: U+2026 HORIZONTAL ELLIPSIS, one column wide.
    public static let ellipsis: Character = "\u{2026}"

    /// `text` in Unicode Normalization Form C (composed: "e" + U+0301 becomes "é").
    public static func normalized(_ text: String) -> String {
        text.precomposedStringWithCanonicalMapping
    }

    /// `text` with every control character and terminal control sequence removed, in NFC.
    ///
    /// Removed: C0 controls (U+0000-U+001F) and DEL (U+007F); C1 controls (U+0080-U+009F);
    /// whole escape sequences (CSI `ESC [` ... final byte, the string commands OSC, DCS,
    /// SOS, PM and APC up to BEL or ST, two-byte `ESC x` sequences), whether introduced by
    /// ESC or by their 8-bit C1 form (U+009B, U+009D, ...); the bidirectional embedding,
    /// override and isolate controls U+202A-U+202E and U+2066-U+2069, which could make
    /// text read backwards. A run of tabs and line breaks (LF, CR, VT, FF, NEL, U+2028,
    /// U+2029) becomes a single space. A string command without its terminator swallows
    /// the rest of the text, as a terminal would.
    public static func sanitized(_ text: String) -> String {
        var filter = ControlSequenceFilter()
        var output = String.UnicodeScalarView()
        for scalar in text.unicodeScalars {
            filter.consume(scalar) { output.append($0) }
        }
        return normalized(String(output))
    }

    /// True when `text` contains nothing `sanitized(_:)` would remove or replace.
    public static func isSafe(_ text: String) -> Bool {
        text.unicodeScalars.allSatisfy { !ControlSequenceFilter.isUnsafe($0) }
    }
}
