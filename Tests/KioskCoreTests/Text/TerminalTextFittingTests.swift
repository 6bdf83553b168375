import Testing
@testable import KioskCore

@Suite("TerminalText truncation, padding, wrapping")
struct TerminalTextFittingTests {
    @Test(arguments: [
        ("Exposition photographique", "Expositio…"),
        ("Vernissage", "Vernissage"),  // exactly 10: untouched
        ("Atelier « Sérigraphie »", "Atelier «…"),
        ("Cine\u{301}-club du jeudi", "Ciné-club…"),  // decomposed accent stays on its letter
        ("Rencontre professionnelle", "Rencontre…"),
        ("Œuvres d’élèves", "Œuvres d’…"),
    ])
    func frenchTitlesAtTenColumns(title: String, expected: String) {
        let out = TerminalText.truncated(title, toWidth: 10)
        #expect(out == expected)
        #expect(TerminalText.width(of: out) <= 10)
    }

    @Test func wideCharactersAreNeverSplit() {
        // 日本語日本語 is 12 columns; 4 of them (8 columns) + "…" = 9 <= 10.
        let out = TerminalText.truncated("日本語日本語", toWidth: 10)
        #expect(out == "日本語日…")
        #expect(TerminalText.width(of: out) == 9)
        // A wide character that would straddle the limit is left out.
        #expect(TerminalText.truncated("a日本", toWidth: 4) == "a日…")
        #expect(TerminalText.truncated("ab日本", toWidth: 4) == "ab…")
        #expect(TerminalText.truncated("👩‍💻👩‍💻", toWidth: 3) == "👩‍💻…")
        #expect(TerminalText.truncated("日本", toWidth: 1) == "…")
        #expect(TerminalText.truncated("日本", toWidth: 0) == "")
    }

    @Test func paddingAndFitting() {
        #expect(TerminalText.padded("été", toWidth: 5) == "été  ")
        #expect(TerminalText.padded("日本", toWidth: 6, alignment: .trailing) == "  日本")
        #expect(TerminalText.padded("ab", toWidth: 5, alignment: .center) == " ab  ")
        #expect(TerminalText.padded("trop long", toWidth: 3) == "trop long")
        let fitted = TerminalText.fitted("日本語日本語", toWidth: 10)
        #expect(fitted == "日本語日… ")
        #expect(TerminalText.width(of: fitted) == 10)
    }

    @Test func wrapsOnSpaces() {
        let lines = TerminalText.wrapped("Atelier de sérigraphie ouvert à tous les publics", toWidth: 12)
        #expect(lines == ["Atelier de", "sérigraphie", "ouvert à", "tous les", "publics"])
        for line in lines { #expect(TerminalText.width(of: line) <= 12) }
    }

    @Test func hardBreaksOverLongWordsAndKeepsWideCharactersWhole() {
        #expect(TerminalText.wrapped("anticonstitutionnellement", toWidth: 10)
            == ["anticonsti", "tutionnell", "ement"])
        let lines = TerminalText.wrapped("日本語日本語", toWidth: 5)
        #expect(lines == ["日本", "語日", "本語"])
        #expect(TerminalText.wrapped("日本", toWidth: 1) == ["…", "…"])
    }

    @Test func paragraphsAndLimits() {
        #expect(TerminalText.wrapped("Un\n\nDeux\r\nTrois", toWidth: 10) == ["Un", "", "Deux", "Trois"])
        #expect(TerminalText.wrapped("un deux trois quatre cinq", toWidth: 9, maxLines: 2)
            == ["un deux", "trois…"])
        // A full last line loses its last column to the ellipsis.
        #expect(TerminalText.wrapped("un deux trois", toWidth: 7, maxLines: 1) == ["un deu…"])
        #expect(TerminalText.wrapped("x", toWidth: 0).isEmpty)
        #expect(TerminalText.wrapped("  espaces   multiples  ", toWidth: 40) == ["espaces multiples"])
        // Paragraphs are sanitised.
        #expect(TerminalText.wrapped("a\u{1B}[2Jb\tc", toWidth: 10) == ["ab c"])
    }
}
