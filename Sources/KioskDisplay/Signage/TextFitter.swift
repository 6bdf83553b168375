/// Sets text into a width with the font's real advances (kerning included): lines broken
/// at plain spaces and after a hyphen inside a word, sizes tried from the largest down,
/// and "…" only where the smallest size cannot hold the text in the lines allowed.
///
/// Every line is measured whole (`TextMeasuring.width`), so a line never comes out wider
/// than asked, whatever the kerning across word boundaries.
public struct TextFitter: Sendable {
    public let type: any TextMeasuring

    public init(type: any TextMeasuring) { self.type = type }

    /// Text set on lines, in one style.
    public struct Fitted: Sendable, Hashable {
        public var lines: [String]
        /// The measured advance of each line.
        public var widths: [Double]
        public var style: TextStyle
        /// Whether the last line was cut with "…" (the text could not be held).
        public var truncated: Bool

        public var isEmpty: Bool { lines.isEmpty }
        public var maxWidth: Double { widths.max() ?? 0 }
    }

    public static let ellipsis = "\u{2026}"

    /// `text` in the first of `styles` (largest first) that holds it on `maxLines` lines of
    /// `width` pixels; when none does, in the last style with the end of the last line cut
    /// with "…". Empty text gives no lines.
    public func fit(_ text: String, styles: [TextStyle], width: Double, maxLines: Int) -> Fitted {
        precondition(!styles.isEmpty, "no style to set text in")
        let tokens = Self.tokens(of: text)
        let smallest = styles[styles.count - 1]
        guard !tokens.isEmpty, maxLines > 0 else { return Fitted(lines: [], widths: [], style: smallest, truncated: false) }
        for style in styles {
            if let lines = breakLines(tokens, style: style, width: width, maxLines: maxLines) {
                return Fitted(lines: lines.map(\.text), widths: lines.map(\.width), style: style, truncated: false)
            }
        }
        let lines = truncatedLines(tokens, style: smallest, width: width, maxLines: maxLines)
        return Fitted(lines: lines.map(\.text), widths: lines.map(\.width), style: smallest, truncated: true)
    }

    /// Whether `text` fits on `maxLines` lines of `width` in `style` without a cut.
    public func holds(_ text: String, style: TextStyle, width: Double, maxLines: Int) -> Bool {
        let tokens = Self.tokens(of: text)
        return tokens.isEmpty || breakLines(tokens, style: style, width: width, maxLines: maxLines) != nil
    }

    /// The width `text` takes on one line.
    public func width(_ text: String, _ style: TextStyle) -> Double { type.width(of: text, style: style) }

    // MARK: Tokens

    /// A piece between two break opportunities: a word (with its hyphen when the break is
    /// after a hyphen) and whether a space followed it.
    struct Token: Hashable {
        var text: String
        var spaceAfter: Bool
    }

    /// Splits at runs of plain spaces (U+0020; no-break spaces do not break) and after a
    /// hyphen (U+002D, U+2010) that has a letter on each side. Leading and trailing spaces
    /// are dropped.
    static func tokens(of text: String) -> [Token] {
        var tokens: [Token] = []
        var word = ""
        let chars = Array(text)
        for (i, c) in chars.enumerated() {
            if c == " " {
                if !word.isEmpty { tokens.append(Token(text: word, spaceAfter: true)) }
                word = ""
                continue
            }
            word.append(c)
            if c == "-" || c == "\u{2010}", i > 0, chars[i - 1].isLetter, i + 1 < chars.count, chars[i + 1].isLetter {
                tokens.append(Token(text: word, spaceAfter: false))
                word = ""
            }
        }
        if !word.isEmpty { tokens.append(Token(text: word, spaceAfter: false)) }
        if let last = tokens.indices.last { tokens[last].spaceAfter = false }
        return tokens
    }

    static func join(_ tokens: ArraySlice<Token>) -> String {
        var line = ""
        for (k, token) in zip(tokens.indices, tokens) {
            line += token.text
            if token.spaceAfter && k < tokens.endIndex - 1 { line += " " }
        }
        return line
    }

    // MARK: Breaking

    struct Line: Hashable {
        var text: String
        var width: Double
    }

    /// Greedy lines (each as long as fits), nil when `maxLines` lines cannot hold every
    /// token or a token is wider than `width` by itself.
    func breakLines(_ tokens: [Token], style: TextStyle, width: Double, maxLines: Int) -> [Line]? {
        var lines: [Line] = []
        var i = 0
        while i < tokens.count {
            guard lines.count < maxLines, let (line, end) = longestLine(tokens, from: i, style: style, width: width) else { return nil }
            lines.append(line)
            i = end
        }
        return lines
    }

    /// The longest line starting at token `start`, and the index after its last token; nil
    /// when the first token alone is too wide. Tokens are measured one by one and added up
    /// (with a space's width between them) to find where the line ends; the line is then
    /// measured whole, and shortened by a token while kerning across the joins makes it
    /// wider than the sum said.
    private func longestLine(_ tokens: [Token], from start: Int, style: TextStyle, width: Double) -> (Line, Int)? {
        let space = type.width(of: " ", style: style)
        var estimate = 0.0
        var end = start
        while end < tokens.count {
            let w = type.width(of: tokens[end].text, style: style)
            let added = (end > start && tokens[end - 1].spaceAfter ? space : 0) + w
            if end > start && estimate + added > width + Self.tolerance { break }
            estimate += added
            end += 1
        }
        while end > start {
            let text = Self.join(tokens[start..<end])
            let w = type.width(of: text, style: style)
            if w <= width + Self.tolerance { return (Line(text: text, width: w), end) }
            end -= 1
        }
        return nil
    }

    /// Lines when the text cannot be held: as many whole lines as fit before the last (a
    /// token too wide for a line by itself is broken between characters), then the rest on
    /// the last line, cut with "…".
    func truncatedLines(_ tokens: [Token], style: TextStyle, width: Double, maxLines: Int) -> [Line] {
        var lines: [Line] = []
        var rest = tokens[...]
        while lines.count < maxLines - 1, !rest.isEmpty {
            if let (line, end) = longestLine(Array(rest), from: 0, style: style, width: width) {
                lines.append(line)
                rest = rest.dropFirst(end)
            } else {
                // One word wider than the line: as many of its characters as fit.
                let word = Array(rest.first!.text)
                let count = longestPrefix(of: word, style: style, width: width, suffix: "")
                guard count > 0 else { break }
                let head = String(word[..<count])
                lines.append(Line(text: head, width: type.width(of: head, style: style)))
                rest[rest.startIndex].text = String(word[count...])
            }
        }
        guard !rest.isEmpty else { return lines }
        let remaining = Self.join(rest)
        let whole = type.width(of: remaining, style: style)
        if whole <= width + Self.tolerance {
            lines.append(Line(text: remaining, width: whole))
            return lines
        }
        let chars = Array(remaining)
        let count = longestPrefix(of: chars, style: style, width: width, suffix: Self.ellipsis)
        var head = String(chars[..<count])
        while head.last?.isWhitespace == true { head.removeLast() }
        let text = head + Self.ellipsis
        let w = type.width(of: text, style: style)
        // Even "…" alone may be too wide for a tiny box: then nothing is drawn there.
        if w <= width + Self.tolerance { lines.append(Line(text: text, width: w)) }
        return lines
    }

    /// The largest number of leading characters of `chars` that, followed by `suffix`,
    /// fit in `width` (binary search, then checked: kerning may make widths not monotonic).
    private func longestPrefix(of chars: [Character], style: TextStyle, width: Double, suffix: String) -> Int {
        func fits(_ n: Int) -> Bool {
            var head = String(chars[..<n])
            while head.last?.isWhitespace == true { head.removeLast() }
            return type.width(of: head + suffix, style: style) <= width + Self.tolerance
        }
        var low = 0, high = chars.count
        while low < high {
            let mid = (low + high + 1) / 2
            if fits(mid) { low = mid } else { high = mid - 1 }
        }
        while low > 0 && !fits(low) { low -= 1 }
        return low
    }

    /// Widths are fractional; this much over is rounding, not overflow.
    static let tolerance = 0.001
}
