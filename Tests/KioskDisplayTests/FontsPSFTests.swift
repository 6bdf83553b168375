import Foundation
import Testing
import KioskDisplay

@Suite("PSF console fonts")
struct FontsPSFTests {
    /// A PSF1 font, 8x4, 256 glyphs, with a Unicode table: glyph i is code point i for
    /// printable ASCII; glyph 1 is "é" and the sequence "e" + U+0301; glyph 2 is U+FFFD.
    static func tinyPSF1() -> [UInt8] {
        var bytes: [UInt8] = [0x36, 0x04, 0x02, 4]
        for glyph in 0..<256 {
            switch glyph {
            case 1: bytes += [0x18, 0x24, 0x7E, 0x20]
            case 2: bytes += [0xFF, 0x81, 0x81, 0xFF]
            case 65: bytes += [0x18, 0x24, 0x7E, 0x42]  // "A"
            default: bytes += [0, 0, 0, UInt8(glyph)]
            }
        }
        for glyph in 0..<256 {
            switch glyph {
            case 1:
                bytes.appendLE16(0xE9)
                bytes.appendLE16(0xFFFE); bytes.appendLE16(0x65); bytes.appendLE16(0x301)
            case 2: bytes.appendLE16(0xFFFD)
            case 32..<127: bytes.appendLE16(glyph)
            default: break
            }
            bytes.appendLE16(0xFFFF)
        }
        return bytes
    }

    /// A PSF2 font, 10x3 (two bytes per row, six padding bits), 4 glyphs, no U+FFFD:
    /// glyph 1 is "œ", glyph 2 is "€" and the sequence "A" + U+030A (Å decomposed).
    static func tinyPSF2(headerSize: Int = 32) -> [UInt8] {
        var bytes: [UInt8] = [0x72, 0xB5, 0x4A, 0x86]
        for v in [0, headerSize, 1, 4, 6, 3, 10] { bytes.appendLE32(v) }
        bytes += [UInt8](repeating: 0xEE, count: headerSize - 32)
        bytes += [0, 0, 0, 0, 0, 0]
        bytes += [0xC0, 0x40, 0x00, 0x00, 0xFF, 0xC0]  // "œ": ##...... .#, ........ .., ########## 
        bytes += [0x80, 0x00, 0x40, 0x00, 0x20, 0x00]
        bytes += [0x01, 0x80, 0x00, 0x00, 0x00, 0x00]
        bytes += Array("?".utf8) + [0xFF]
        bytes += Array("œ".utf8) + [0xFF]
        bytes += Array("€".utf8) + [0xFE] + Array("A\u{30A}".utf8) + [0xFF]
        bytes += [0xFF]
        return bytes
    }

    @Test func psf1HeaderBitmapsAndTable() throws {
        let font = try PSFFont(bytes: Self.tinyPSF1(), source: "tiny.psf")
        #expect(font.format == .psf1)
        #expect(font.width == 8 && font.height == 4 && font.glyphCount == 256)
        #expect(font.hasUnicodeTable)
        let a = font.glyph(for: "A")
        #expect(a.index == 65)
        #expect(font.picture(a) == ["...##...", "..#..#..", ".######.", ".#....#."])
        #expect(font.glyph(for: "é").index == 1)
        // The decomposed spelling reaches the same glyph, through NFC and the sequence.
        #expect(font.glyph(for: Character("e\u{301}")).index == 1)
        // The font has U+FFFD: it is the replacement.
        #expect(font.replacement.index == 2)
        #expect(font.glyph(for: "€") == font.replacement)
        #expect(!font.containsGlyph(for: "€"))
    }

    @Test func psf2PaddedRowsSequencesAndDrawnReplacement() throws {
        let font = try PSFFont(bytes: Self.tinyPSF2(headerSize: 36), source: "tiny2.psf")
        #expect(font.format == .psf2)
        #expect(font.width == 10 && font.height == 3 && font.glyphCount == 4)
        let oe = font.glyph(for: "œ")
        #expect(oe.index == 1)
        #expect(font.picture(oe) == ["##.......#", "..........", "##########"])
        #expect(font.glyph(for: "€").index == 2)
        #expect(font.picture(font.glyph(for: "€")) == ["#.........", ".#........", "..#......."])
        // "Å" (U+00C5) is NFC of the table's sequence "A" + ring above.
        #expect(font.glyph(for: "Å").index == 2)
        #expect(font.glyph(for: Character("A\u{30A}")).index == 2)
        // No U+FFFD in the font: a drawn glyph after the file's own, never blank.
        #expect(font.replacement.index == 4)
        #expect(font.glyph(for: "z") == font.replacement)
        #expect(font.picture(font.replacement).joined().contains("#"))
    }

    @Test func badFilesSayWhy() {
        #expect(throws: PSFError(source: "x", offset: 0, reason: .notAPSFFont)) { try PSFFont(bytes: [1, 2, 3, 4], source: "x") }
        let truncated = Array(Self.tinyPSF2().prefix(40))
        #expect(throws: PSFError(source: "t", offset: 32, reason: .truncated(needed: 56, available: 40))) {
            try PSFFont(bytes: truncated, source: "t")
        }
        var wrongSize = Self.tinyPSF2()
        wrongSize[20] = 5  // bytes per glyph
        #expect(throws: PSFError.self) { try PSFFont(bytes: wrongSize, source: "w") }
        var badUTF8 = Self.tinyPSF2()
        badUTF8[32 + 24] = 0xC3  // "?" becomes a lone lead byte
        do {
            _ = try PSFFont(bytes: badUTF8, source: "u")
            Issue.record("bad UTF-8 accepted")
        } catch {
            #expect(error.offset == 56)
            #expect("\(error)".contains("u: byte 56"))
        }
    }

    static let french: [Character] = ["é", "è", "ê", "à", "ç", "œ", "’", "«", "»", "€", "É", "À", "Ç", "Œ", "ô", "î", "ù", "ë", "ï", "—", "–", "·", "…", "●"]

    @Test(arguments: ShippedFonts.sizes)
    func shippedFontsCoverFrench(size: ShippedFonts.Size) throws {
        let fonts = try ShippedFonts.load(size, fromDirectory: RepositoryAssets.fonts)
        for font in [fonts.regular, fonts.bold] {
            #expect(font.width == size.width && font.height == size.height)
            #expect(font.format == (size.height == 16 ? .psf1 : .psf2))
            #expect(font.glyphCount == 512)
            let replacement = font.replacement
            #expect(font.containsGlyph(for: "\u{FFFD}") && font.glyph(for: "\u{FFFD}") == replacement)
            for character in Self.french {
                #expect(font.containsGlyph(for: character), "\(font.source) lacks \(character)")
                #expect(font.glyph(for: character) != replacement)
            }
            // Accented letters are not drawn as their base letter.
            #expect(font.picture(font.glyph(for: "é")) != font.picture(font.glyph(for: "e")))
            #expect(font.glyph(for: Character("e\u{300}")) == font.glyph(for: "è"))
            // Missing characters: visible replacement.
            #expect(font.glyph(for: "漢") == replacement)
            #expect(font.picture(replacement).joined().contains("#"))
            // The page dot "○" is derived from "●": present, different, not empty.
            let hollow = font.glyph(for: "○"), filled = font.glyph(for: "●")
            #expect(hollow != replacement && hollow != filled)
            let hollowCount = font.picture(hollow).joined().filter { $0 == "#" }.count
            let filledCount = font.picture(filled).joined().filter { $0 == "#" }.count
            #expect(hollowCount > 0 && hollowCount < filledCount)
        }
        #expect(fonts.regular.picture(fonts.regular.glyph(for: "A")) != fonts.bold.picture(fonts.bold.glyph(for: "A")))
    }

    @Test func sizeChoicePerResolution() {
        func size(_ w: Int, _ h: Int) -> String { ShippedFonts.size(forPixelWidth: w, height: h).description }
        #expect(size(1920, 1080) == "16x32")
        #expect(size(1600, 900) == "14x28")
        #expect(size(1280, 720) == "12x24")
        #expect(size(1024, 768) == "12x24")
        #expect(size(800, 600) == "10x20")
        #expect(size(640, 480) == "8x16")
        #expect(size(320, 240) == "8x16")
    }

    @Test func mismatchedFacesAreRejected() throws {
        let a = try PSFFont(bytes: Self.tinyPSF1(), source: "a")
        let b = try PSFFont(bytes: Self.tinyPSF2(), source: "b")
        #expect(throws: PSFError.self) { try ConsoleFontSet(regular: a, bold: b) }
    }
}
