import Testing
@testable import KioskCore

@Suite("Line-based badge decoder (Wiegand-to-serial converters)")
struct BadgeLineDecoderTests {
    typealias B = BadgeTestBytes

    @Test("reference decimal line with CR LF")
    func referenceDecimalLine() {
        var decoder = BadgeLineDecoder(digits: .decimal)
        let reads = decoder.decode(B.hex("30 30 30 30 31 32 33 34 37 38 0D 0A"))
        #expect(reads.map(\.tagID) == ["0000123478"])
        #expect(reads.first?.encoding == .decimal)
        #expect(reads.first?.source == .decimalLine)
        #expect(reads.first?.em4100PrintedForms == nil)
    }

    @Test("hex lines end with CR, LF or CR LF; lower case normalised", arguments: ["\r", "\n", "\r\n"])
    func hexLineTerminators(terminator: String) {
        var decoder = BadgeLineDecoder(digits: .hex)
        let reads = decoder.decode(Array("1293d8\(terminator)ABCDEF\(terminator)".utf8))
        #expect(reads.map(\.tagID) == ["1293D8", "ABCDEF"])
        #expect(reads.first?.em4100PrintedForms?.facilityCard == "018,37848")
        #expect(reads.first?.em4100PrintedForms?.decimal32 == nil)
    }

    @Test("one byte at a time")
    func oneByteAtATime() {
        var decoder = BadgeLineDecoder(digits: .decimal)
        var reads: [BadgeRead] = []
        for byte in Array("0000123478\r\n0014594826\r\n".utf8) { reads += decoder.decode([byte]) }
        #expect(reads.map(\.tagID) == ["0000123478", "0014594826"])
    }

    @Test("STX/ETX wrappers and spaces around the digits are tolerated")
    func framingTolerated() {
        var decoder = BadgeLineDecoder(digits: .decimal)
        let reads = decoder.decode([0x02] + Array(" 0000123478\r\n".utf8) + [0x03, 0x02] + Array("0014594826\r\n".utf8) + [0x03])
        #expect(reads.map(\.tagID) == ["0000123478", "0014594826"])
    }

    @Test("a line with a non-digit is rejected, the next line reads")
    func invalidCharacters() {
        var decoder = BadgeLineDecoder(digits: .decimal)
        let reads = decoder.decode(Array("00001A3478\r\n0000123478\r\n".utf8))
        #expect(reads.map(\.tagID) == ["0000123478"])
        #expect(decoder.statistics.malformedFrames == 1)
    }

    @Test("hex digits are not decimal digits and vice versa")
    func wrongDigitKind() {
        var decimal = BadgeLineDecoder(digits: .decimal)
        let result1 = decimal.decode(Array("ABCDEF\r".utf8))
        #expect(result1.isEmpty)
        var hex = BadgeLineDecoder(digits: .hex)
        let result2 = hex.decode(Array("12G456\r".utf8))
        #expect(result2.isEmpty)
    }

    @Test("too short a line (noise then a terminator) is not a badge")
    func tooShort() {
        var decoder = BadgeLineDecoder(digits: .decimal)
        let result3 = decoder.decode(Array("7\r\n".utf8))
        #expect(result3.isEmpty)
        #expect(decoder.statistics.malformedFrames == 1)
    }

    @Test("an over-long line is dropped up to its terminator, not accumulated")
    func overlongLine() {
        var decoder = BadgeLineDecoder(digits: .decimal, maximumLineLength: 16)
        let longLine = Array(repeating: UInt8(ascii: "1"), count: 100_000) + [0x0D]
        let result4 = decoder.decode(longLine)
        #expect(result4.isEmpty)
        #expect(decoder.statistics.overlongLines == 1)
        // The digits after the first 16 were not kept: the next line reads on its own.
        let result5 = decoder.decode(Array("0000123478\r\n".utf8))
        #expect(result5.map(\.tagID) == ["0000123478"])
    }

    @Test("a line exactly at the maximum length is accepted")
    func lineAtMaximumLength() {
        var decoder = BadgeLineDecoder(digits: .decimal, maximumLineLength: 10)
        let result6 = decoder.decode(Array("0000123478\r".utf8))
        #expect(result6.map(\.tagID) == ["0000123478"])
        let result7 = decoder.decode(Array("00001234789\r".utf8))
        #expect(result7.isEmpty)
        #expect(decoder.statistics.overlongLines == 1)
    }
}
