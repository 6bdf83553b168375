extension TerminalText {
    /// Where padding goes when text is narrower than its field.
    public enum Alignment: Sendable, Hashable {
        /// Text on the left, spaces on the right.
        case leading
        /// Spaces on the left, text on the right.
        case trailing
        /// Text in the middle; an odd leftover column goes on the right.
        case center
    }

    /// `text` (normalised to NFC) cut to at most `columns` columns, ending with "…" when
    /// something was cut.
    ///
    /// Cuts only between grapheme clusters: a base letter keeps its accents, an emoji
    /// sequence stays whole, and a wide character that would straddle the limit is left
    /// out entirely (so the result may be one column narrower than `columns`).
    /// Text that fits is returned as it is; `columns <= 0` gives "".
    public static func truncated(_ text: String, toWidth columns: Int) -> String {
        let text = normalized(text)
        guard columns > 0 else { return "" }
        if width(of: text) <= columns { return text }
        var result = prefix(of: text, fittingWidth: columns - 1).text
        result.append(ellipsis)
        return result
    }

    /// `text` followed (or preceded) by spaces up to exactly `columns` columns. Text wider
    /// than `columns` is returned unchanged; use `fitted(_:toWidth:alignment:)` to cut it.
    public static func padded(
        _ text: String, toWidth columns: Int, alignment: Alignment = .leading
    ) -> String {
        let text = normalized(text)
        let missing = columns - width(of: text)
        guard missing > 0 else { return text }
        switch alignment {
        case .leading:
            return text + String(repeating: " ", count: missing)
        case .trailing:
            return String(repeating: " ", count: missing) + text
        case .center:
            let left = missing / 2
            return String(repeating: " ", count: left) + text
                + String(repeating: " ", count: missing - left)
        }
    }

    /// `text` truncated then padded: exactly `columns` columns wide (for `columns >= 0`).
    public static func fitted(
        _ text: String, toWidth columns: Int, alignment: Alignment = .leading
    ) -> String {
        padded(truncated(text, toWidth: columns), toWidth: columns, alignment: alignment)
    }

    /// `text` broken into lines of at most `columns` columns each.
    ///
    /// Line feeds (LF, CR LF, CR) in `text` end paragraphs; each paragraph is sanitised
    /// (`sanitized(_:)`) and then wrapped at spaces, with runs of spaces collapsed to one
    /// at a break. A word longer than a line is broken between grapheme clusters. An empty
    /// paragraph gives an empty line. With `maxLines`, the last kept line ends with "…"
    /// when text was left out. A cluster wider than `columns` (a wide character when
    /// `columns == 1`) is replaced by "…" so that every line still fits.
    /// `columns <= 0` or `maxLines == 0` gives no lines.
    public static func wrapped(_ text: String, toWidth columns: Int, maxLines: Int? = nil) -> [String] {
        guard columns > 0, maxLines ?? 1 > 0 else { return [] }
        var lines: [String] = []
        let unified = text.replacingOccurrences(of: "\r\n", with: "\n")
            .replacingOccurrences(of: "\r", with: "\n")
        for paragraph in unified.split(separator: "\n", omittingEmptySubsequences: false) {
            wrapParagraph(sanitized(String(paragraph)), columns: columns, into: &lines)
        }
        if let maxLines, lines.count > maxLines {
            let last = lines[maxLines - 1]
            lines.removeSubrange((maxLines - 1)...)
            var ended = prefix(of: last, fittingWidth: columns - 1).text
            ended.append(ellipsis)
            lines.append(ended)
        }
        return lines
    }

    /// The longest run of whole grapheme clusters from the start of `text` that fits in
    /// `columns` columns, and its width.
    public static func prefix(of text: String, fittingWidth columns: Int) -> (text: String, width: Int) {
        var result = ""
        var used = 0
        for character in text {
            let w = width(of: character)
            if used + w > columns { break }
            result.append(character)
            used += w
        }
        return (result, used)
    }

    private static func wrapParagraph(_ paragraph: String, columns: Int, into lines: inout [String]) {
        var line = ""
        var lineWidth = 0
        let words = paragraph.split(separator: " ", omittingEmptySubsequences: true)
        if words.isEmpty { lines.append(""); return }
        for word in words {
            var word = String(word)
            var wordWidth = width(of: word)
            // Fits after a space on the current line.
            if lineWidth > 0 && lineWidth + 1 + wordWidth <= columns {
                line += " " + word
                lineWidth += 1 + wordWidth
                continue
            }
            if lineWidth > 0 {
                lines.append(line)
                line = ""
                lineWidth = 0
            }
            // Hard-break a word longer than a line.
            while wordWidth > columns {
                var head = prefix(of: word, fittingWidth: columns).text
                if head.isEmpty {
                    // The first cluster alone is wider than the line.
                    head = String(ellipsis)
                    word.removeFirst()
                } else {
                    word.removeFirst(head.count)
                }
                lines.append(head)
                wordWidth = width(of: word)
            }
            line = word
            lineWidth = wordWidth
        }
        if !line.isEmpty { lines.append(line) }
    }
}
