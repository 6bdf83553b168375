import Testing
@testable import KioskCore

@Suite("EM4100 frame decoder (RDM6300, ID-12LA, NID1020)")
struct EM4100FrameDecoderTests {
    typealias B = BadgeTestBytes

    @Test("reference RDM6300 frame: id, checksum, 32-bit printed form")
    func rdm6300ReferenceFrame() throws {
        var decoder = EM4100FrameDecoder(variant: .rdm6300)
        let reads = decoder.decode(B.hex("02 36 32 45 33 30 38 36 43 45 44 30 38 03"))
        #expect(reads.map(\.tagID) == ["62E3086CED"])
        #expect(reads.first?.source == .rdm6300)
        #expect(reads.first?.encoding == .hex)
        let printed = try #require(reads.first?.em4100PrintedForms)
        #expect(printed.decimal32 == "3808980205")
        #expect(decoder.statistics.acceptedFrames == 1)
        #expect(decoder.statistics.rejectedFrames == 0)
    }

    @Test("reference RDM6300 frames given as ASCII", arguments: [
        ("67003B51C6CB", "67003B51C6"),
        ("67003BA86C98", "67003BA86C"),
        ("01001293D858", "01001293D8"),
        ("2900DEB30A4E", "2900DEB30A"),
    ])
    func rdm6300ValidFrames(ascii: String, id: String) {
        var decoder = EM4100FrameDecoder(variant: .rdm6300)
        let result1 = decoder.decode(B.stxETX(ascii))
        #expect(result1.map(\.tagID) == [id])
    }

    @Test("fob numbers from the last 3 bytes", arguments: [
        ("01001293D858", "0001217496", "018,37848"),
        ("2900DEB30A4E", "0014594826", "222,45834"),
    ])
    func printedFromLastThreeBytes(ascii: String, printed: String, facilityCard: String) throws {
        var decoder = EM4100FrameDecoder(variant: .rdm6300)
        let read = try #require(decoder.decode(B.stxETX(ascii)).first)
        let forms = try #require(read.em4100PrintedForms)
        #expect(forms.decimal24 == printed)
        #expect(forms.facilityCard == facilityCard)
        // The two numbers describe the same 24 bits.
        #expect(UInt32(forms.facilityCode) << 16 | UInt32(forms.cardNumber) == forms.lastThreeBytes)
    }

    @Test("checksum mismatch from the reference: no read, counted")
    func rdm6300ChecksumMismatch() {
        var decoder = EM4100FrameDecoder(variant: .rdm6300)
        let result2 = decoder.decode(B.stxETX("68003B51C6CB"))
        #expect(result2.isEmpty)
        #expect(decoder.statistics.checksumMismatches == 1)
        #expect(decoder.statistics.acceptedFrames == 0)
    }

    @Test("reference ID-12LA frame with CR LF before ETX")
    func id12laReferenceFrame() {
        var decoder = EM4100FrameDecoder(variant: .id12la)
        let reads = decoder.decode(B.hex("02 30 43 30 30 30 36 32 31 41 35 38 45 0D 0A 03"))
        #expect(reads.map(\.tagID) == ["0C000621A5"])
        #expect(reads.first?.source == .id12la)
    }

    @Test("ID-12LA frame with a wrong checksum (8F instead of 8E) is rejected")
    func id12laWrongChecksum() {
        var decoder = EM4100FrameDecoder(variant: .id12la)
        let result3 = decoder.decode(B.hex("02 30 43 30 30 30 36 32 31 41 35 38 46 0D 0A 03"))
        #expect(result3.isEmpty)
        #expect(decoder.statistics.checksumMismatches == 1)
    }

    @Test("an RDM6300 frame is not an ID-12LA frame")
    func id12laRejectsRDM6300Layout() {
        var decoder = EM4100FrameDecoder(variant: .id12la)
        let result4 = decoder.decode(B.stxETX("67003B51C6CB") + B.stxETX("67003B51C6CB"))
        #expect(result4.isEmpty)
    }

    @Test("reference NID1020 frame with a binary checksum byte")
    func nid1020ReferenceFrame() {
        var decoder = EM4100FrameDecoder(variant: .nid1020)
        let reads = decoder.decode(B.hex("02 32 37 30 30 39 44 41 36 43 45 D2 03"))
        #expect(reads.map(\.tagID) == ["27009DA6CE"])
        #expect(reads.first?.source == .nid1020)
    }

    @Test("NID1020 frame with a wrong binary checksum is rejected")
    func nid1020WrongChecksum() {
        var decoder = EM4100FrameDecoder(variant: .nid1020)
        let result5 = decoder.decode(B.hex("02 32 37 30 30 39 44 41 36 43 45 D3 03"))
        #expect(result5.isEmpty)
        #expect(decoder.statistics.checksumMismatches == 1)
    }

    @Test("NID1020 checksum byte equal to STX does not confuse the framer")
    func nid1020ChecksumThatLooksLikeSTX() {
        // Data 00 00 00 00 02: XOR = 02, the checksum byte is the STX value.
        var decoder = EM4100FrameDecoder(variant: .nid1020)
        let frame: [UInt8] = [0x02] + Array("0000000002".utf8) + [0x02, 0x03]
        let result6 = decoder.decode(frame + frame)
        #expect(result6.map(\.tagID) == ["0000000002", "0000000002"])
    }

    @Test("one byte at a time gives the same reads as whole frames")
    func splitReadsOneByteAtATime() {
        let stream = B.stxETX("67003B51C6CB") + B.stxETX("67003BA86C98") + B.stxETX("01001293D858")
        var whole = EM4100FrameDecoder(variant: .rdm6300)
        var bytewise = EM4100FrameDecoder(variant: .rdm6300)
        let expected = whole.decode(stream)
        var reads: [BadgeRead] = []
        for byte in stream { reads += bytewise.decode([byte]) }
        #expect(reads == expected)
        #expect(reads.map(\.tagID) == ["67003B51C6", "67003BA86C", "01001293D8"])
    }

    @Test("frames split at every possible point")
    func splitAtEveryPoint() {
        let stream = B.stxETX("62E3086CED08") + B.stxETX("2900DEB30A4E")
        for cut in 0...stream.count {
            var decoder = EM4100FrameDecoder(variant: .rdm6300)
            let reads = decoder.decode(stream[..<cut]) + decoder.decode(stream[cut...])
            #expect(reads.map(\.tagID) == ["62E3086CED", "2900DEB30A"], "cut at \(cut)")
        }
    }

    @Test("garbage before, between and after frames is skipped")
    func garbageAroundFrames() {
        var decoder = EM4100FrameDecoder(variant: .rdm6300)
        let garbage: [UInt8] = [0xFF, 0x00, 0x41, 0x03, 0x30, 0x0D, 0x0A]
        let stream = garbage + B.stxETX("67003B51C6CB") + garbage + B.stxETX("67003BA86C98") + garbage
        let result7 = decoder.decode(stream)
        #expect(result7.map(\.tagID) == ["67003B51C6", "67003BA86C"])
        #expect(decoder.statistics.discardedBytes >= garbage.count * 3)
    }

    @Test("a torn frame followed by a good one: only the good one is read")
    func tornFrameThenGoodFrame() {
        var decoder = EM4100FrameDecoder(variant: .rdm6300)
        // The first frame stops after 5 characters and the next STX starts a good frame.
        let torn = Array(B.stxETX("67003B51C6CB").prefix(6))
        let reads = decoder.decode(torn + B.stxETX("2900DEB30A4E"))
        #expect(reads.map(\.tagID) == ["2900DEB30A"])
        #expect(decoder.statistics.malformedFrames == 1)
    }

    @Test("noise inside a frame: no read, and the next frame still reads")
    func garbageInsideFrame() {
        var decoder = EM4100FrameDecoder(variant: .rdm6300)
        var corrupted = B.stxETX("67003B51C6CB")
        corrupted.insert(0x7E, at: 5)  // a stray byte in the data
        var wrongEnd = B.stxETX("67003BA86C98")
        wrongEnd[13] = 0x04  // ETX replaced
        let reads = decoder.decode(corrupted + wrongEnd + B.stxETX("01001293D858"))
        #expect(reads.map(\.tagID) == ["01001293D8"])
        #expect(decoder.statistics.malformedFrames == 2)
    }

    @Test("a good frame starting inside a broken candidate frame is found")
    func rescanInsideBrokenCandidate() {
        var decoder = EM4100FrameDecoder(variant: .nid1020)
        // NID1020: a bad frame whose checksum byte is 02 and whose last bytes start a good frame
        // can only be found by rescanning the buffered bytes.
        let good = B.hex("02 32 37 30 30 39 44 41 36 43 45 D2 03")
        let bad: [UInt8] = [0x02] + Array("1111111111".utf8)
        let reads = decoder.decode(bad + good)
        #expect(reads.map(\.tagID) == ["27009DA6CE"])
    }

    @Test("the buffer never grows past one frame under endless noise")
    func boundedUnderNoise() {
        var decoder = EM4100FrameDecoder(variant: .rdm6300)
        let noise = [UInt8](repeating: 0x02, count: 10_000) + Array(repeating: 0x41, count: 10_000)
        let result8 = decoder.decode(noise)
        #expect(result8.isEmpty)
        let result9 = decoder.decode(B.stxETX("67003B51C6CB"))
        #expect(result9.map(\.tagID) == ["67003B51C6"])
    }

    @Test("lower-case hex from a clone is normalised to upper case")
    func lowerCaseHex() {
        var decoder = EM4100FrameDecoder(variant: .rdm6300)
        let result10 = decoder.decode(B.stxETX("62e3086ced08"))
        #expect(result10.map(\.tagID) == ["62E3086CED"])
    }
}
