import Testing
@testable import KioskCore

@Suite("TerminalText width")
struct TerminalTextWidthTests {
    @Test func latinLettersWithAccents() {
        #expect(TerminalText.width(of: "é") == 1)
        #expect(TerminalText.width(of: "e\u{301}") == 1)
        #expect(TerminalText.width(of: "Œuvre") == 5)
        #expect(TerminalText.width(of: "Théâtre à l’école") == 17)
        // Several combining marks on one base still take one column.
        #expect(TerminalText.width(of: "a\u{301}\u{323}\u{308}") == 1)
    }

    @Test func eastAsianWideAndFullwidth() {
        #expect(TerminalText.width(of: "日本") == 4)
        #expect(TerminalText.width(of: "한국어") == 6)  // Hangul syllables
        #expect(TerminalText.width(of: "\u{1100}\u{1161}\u{11A8}") == 2)  // conjoining jamo: one syllable
        #expect(TerminalText.width(of: "ｶﾀｶﾅ") == 4)  // halfwidth katakana stays narrow
        #expect(TerminalText.width(of: "ＡＢ") == 4)  // fullwidth Latin
        #expect(TerminalText.width(of: "\u{3000}") == 2)  // ideographic space
        #expect(TerminalText.width(of: "𠀋") == 2)  // plane 2 ideograph
    }

    @Test func emoji() {
        #expect(TerminalText.width(of: "👩‍💻") == 2)
        #expect(TerminalText.width(of: "👍🏽") == 2)  // with skin tone modifier
        #expect(TerminalText.width(of: "❤️") == 2)  // text-default heart with VS16
        #expect(TerminalText.width(of: "❤") == 1)  // without it
        #expect(TerminalText.width(of: "🇫🇷") == 2)  // flag
        #expect(TerminalText.width(of: "👨‍👩‍👧‍👦") == 2)
        #expect(TerminalText.width(of: "🎭 Théâtre") == 10)
    }

    @Test func zeroWidthCharacters() {
        #expect(TerminalText.width(of: "\u{200B}") == 0)
        #expect(TerminalText.width(of: "\u{301}") == 0)
        #expect(TerminalText.width(of: "a\u{200B}b") == 2)
        #expect(TerminalText.width(of: "") == 0)
    }

    @Test func tableIsSortedAndDisjoint() {
        let ranges = TerminalText.wideRanges
        for (a, b) in zip(ranges, ranges.dropFirst()) {
            #expect(a.upperBound < b.lowerBound)
        }
        // Boundaries around a range: U+2E80 is wide, U+303F (half fill space) is not.
        #expect(TerminalText.isWide("\u{2E80}"))
        #expect(TerminalText.isWide("\u{303E}"))
        #expect(!TerminalText.isWide("\u{303F}"))
        #expect(!TerminalText.isWide("A"))
    }
}
