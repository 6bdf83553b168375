/// The spacing French typesetting wants, applied to text that lacks it (feeds type a plain
/// space or none): a no-break space (U+00A0) before `:` and inside guillemets, a narrow
/// no-break space (U+202F) before `;`, `!` and `?`, and the typographic apostrophe (U+2019)
/// between letters. The line breaker breaks only at plain spaces and after hyphens, so a
/// punctuation mark never starts a line and `«` never ends one.
///
/// Left alone: a colon between digits ("14:30"), punctuation followed by a letter or digit
/// ("http://", "?id=3"), the second mark of "?!" and "!!", and marks at the very start.
public enum FrenchTypography {
    public static let noBreakSpace: Character = "\u{00A0}"
    public static let narrowNoBreakSpace: Character = "\u{202F}"

    /// `text` with French spacing (when `french`) and typographic apostrophes (always).
    public static func apply(_ text: String, french: Bool = true) -> String {
        var out: [Character] = []
        out.reserveCapacity(text.count + 4)
        let chars = Array(text)
        for (i, c) in chars.enumerated() {
            let next: Character? = i + 1 < chars.count ? chars[i + 1] : nil
            if c == "'" || c == "\u{2019}" {
                let prev = out.last
                out.append(prev?.isLetter == true && next?.isLetter == true ? "\u{2019}" : c)
                continue
            }
            guard french else { out.append(c); continue }
            switch c {
            case ":", ";", "!", "?":
                let space = c == ":" ? noBreakSpace : narrowNoBreakSpace
                let endsClause = next == nil || next!.isWhitespace || next == "»" || next == ")" || next == "\u{201D}"
                if c == ":", let prev = out.last, prev.isNumber, next?.isNumber == true {
                    out.append(c)
                } else if endsClause || ((c == "!" || c == "?") && (next == "!" || next == "?")) {
                    fixSpace(before: &out, space: space, allowAfter: "!?")
                    out.append(c)
                } else {
                    out.append(c)
                }
            case "«":
                out.append(c)
                if let next, !next.isWhitespace { out.append(noBreakSpace) }
            case "»":
                fixSpace(before: &out, space: noBreakSpace, allowAfter: "")
                out.append(c)
            case " " where out.last == "«":
                out.append(noBreakSpace)
            case " " where out.last == noBreakSpace && out.dropLast().last == "«":
                continue
            default:
                out.append(c)
            }
        }
        return String(out)
    }

    /// Makes the character before the mark about to be appended a no-break space: a plain
    /// space (or a run of them) becomes `space`, none is inserted after a letter, digit or
    /// closing mark. Nothing changes at the start, after another space-like character kept
    /// on purpose, or after one of `allowAfter` ("?!").
    private static func fixSpace(before out: inout [Character], space: Character, allowAfter: String) {
        guard let last = out.last else { return }
        if last == " " {
            while out.last == " " { out.removeLast() }
            if out.isEmpty { return }
            out.append(space)
        } else if last == noBreakSpace || last == narrowNoBreakSpace || last.isWhitespace {
            return
        } else if !allowAfter.contains(last) {
            out.append(space)
        }
    }
}
