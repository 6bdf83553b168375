import Testing
@testable import KioskCore

@Suite("TerminalText.sanitized")
struct TerminalTextSanitizingTests {
    /// No scalar a terminal would act on survives.
    private func expectClean(_ text: String, sourceLocation: SourceLocation = #_sourceLocation) {
        for scalar in text.unicodeScalars {
            let v = scalar.value
            #expect(!(v < 0x20 || (0x7F...0x9F).contains(v)), "control U+\(String(v, radix: 16)) left in \(text.debugDescription)", sourceLocation: sourceLocation)
            #expect(!(0x202A...0x202E).contains(v) && !(0x2066...0x2069).contains(v), sourceLocation: sourceLocation)
        }
    }

    @Test func oscTitleWithBellIsRemovedWhole() {
        let out = TerminalText.sanitized("Expo\u{1B}]0;x\u{07}")
        #expect(out == "Expo")
        expectClean(out)
    }

    @Test func oscWithStringTerminatorIsRemovedWhole() {
        #expect(TerminalText.sanitized("A\u{1B}]8;;http://evil.example/\u{1B}\\lien\u{1B}]8;;\u{1B}\\B") == "AlienB")
        #expect(TerminalText.sanitized("A\u{9D}2;title\u{9C}B") == "AB")
    }

    @Test func csiSequencesAreRemovedWhole() {
        #expect(TerminalText.sanitized("\u{1B}[2J") == "")
        #expect(TerminalText.sanitized("Salle\u{1B}[1;31m B\u{1B}[0m") == "Salle B")
        #expect(TerminalText.sanitized("x\u{1B}[?1049hy") == "xy")
        #expect(TerminalText.sanitized("x\u{1B}[38;5;196mrouge") == "xrouge")
    }

    @Test func eightBitC1IntroducersAreRemoved() {
        // U+009B is CSI in its 8-bit form: the whole sequence goes.
        #expect(TerminalText.sanitized("a\u{9B}2Jb") == "ab")
        #expect(TerminalText.sanitized("\u{9B}") == "")
        // Other C1 controls (NEL is a line break) are dropped or become a space.
        #expect(TerminalText.sanitized("a\u{84}b") == "ab")
        #expect(TerminalText.sanitized("a\u{85}b") == "a b")
    }

    @Test func c1ArrivingAsUTF8BytesIsRemoved() {
        // C2 9B is U+009B encoded in UTF-8; C2 9D is OSC.
        let bytes: [UInt8] = Array("Atelier ".utf8) + [0xC2, 0x9B] + Array("31mrouge".utf8)
            + [0xC2, 0x9D] + Array("0;pwned".utf8) + [0x07] + Array(" fin".utf8)
        let text = String(decoding: bytes, as: UTF8.self)
        let out = TerminalText.sanitized(text)
        #expect(out == "Atelier rouge fin")
        expectClean(out)
    }

    @Test func dcsApcPmSosStringsAreRemoved() {
        #expect(TerminalText.sanitized("a\u{1B}Pq#0;2;0;0;0\u{1B}\\b") == "ab")
        #expect(TerminalText.sanitized("a\u{1B}_payload\u{1B}\\b") == "ab")
        #expect(TerminalText.sanitized("a\u{1B}^privacy\u{1B}\\b") == "ab")
        #expect(TerminalText.sanitized("a\u{1B}Xstart\u{1B}\\b") == "ab")
    }

    @Test func twoByteAndIntermediateEscapesAreRemoved() {
        #expect(TerminalText.sanitized("a\u{1B}cb") == "ab")  // RIS: full reset
        #expect(TerminalText.sanitized("a\u{1B}7b\u{1B}8") == "ab")
        #expect(TerminalText.sanitized("a\u{1B}(0b\u{1B}(B") == "ab")  // line-drawing charset
        #expect(TerminalText.sanitized("a\u{1B}#8b") == "ab")  // DECALN
    }

    @Test func loneEscapeAtEndAndUnterminatedSequences() {
        #expect(TerminalText.sanitized("Concert\u{1B}") == "Concert")
        #expect(TerminalText.sanitized("Concert\u{1B}[") == "Concert")
        #expect(TerminalText.sanitized("Concert\u{1B}]0;never ends") == "Concert")
        // ESC before a non-ASCII letter is not a sequence: the letter stays.
        #expect(TerminalText.sanitized("\u{1B}été") == "été")
    }

    @Test func c0ControlsAndDeleteAreRemoved() {
        var all = ""
        for v in 0x00...0x1F where ![0x09, 0x0A, 0x0B, 0x0C, 0x0D, 0x1B].contains(v) {
            all.unicodeScalars.append(Unicode.Scalar(UInt8(v)))
        }
        all += "\u{7F}"
        #expect(TerminalText.sanitized("<" + all + ">") == "<>")
    }

    @Test func tabsAndLineBreaksBecomeOneSpace() {
        #expect(TerminalText.sanitized("Atelier\tvidéo") == "Atelier vidéo")
        #expect(TerminalText.sanitized("Ligne 1\r\nLigne 2") == "Ligne 1 Ligne 2")
        #expect(TerminalText.sanitized("a\n\n\t\nb") == "a b")
        #expect(TerminalText.sanitized("a\u{2028}b\u{2029}c") == "a b c")
    }

    @Test func bidiControlsAreRemoved() {
        // "RLO" would show "exe.txt" as "txt.exe".
        #expect(TerminalText.sanitized("fichier\u{202E}txt.exe") == "fichiertxt.exe")
        #expect(TerminalText.sanitized("\u{2066}a\u{2067}b\u{2068}c\u{2069}\u{202A}\u{202B}\u{202C}\u{202D}") == "abc")
    }

    @Test func plainTextIsKeptAndNormalisedToNFC() {
        #expect(TerminalText.sanitized("Œuvre d’art — « Ouverture » 20 €") == "Œuvre d’art — « Ouverture » 20 €")
        let decomposed = "Cine\u{301}ma"
        let out = TerminalText.sanitized(decomposed)
        #expect(out.unicodeScalars.count == 6)
        #expect(out == "Cinéma")
        #expect(TerminalText.sanitized("日本語 👩‍💻") == "日本語 👩‍💻")
    }

    @Test func isSafeAgreesWithSanitizer() {
        #expect(TerminalText.isSafe("Bienvenue à Pôle PIXEL"))
        #expect(!TerminalText.isSafe("a\u{1B}[2J"))
        #expect(!TerminalText.isSafe("a\u{9B}"))
        #expect(!TerminalText.isSafe("a\u{202E}"))
        #expect(!TerminalText.isSafe("a\nb"))
        #expect(TerminalText.isSafe(TerminalText.sanitized("x\u{1B}]0;t\u{07}\u{9B}1m\n\u{202E}y")))
    }
}
