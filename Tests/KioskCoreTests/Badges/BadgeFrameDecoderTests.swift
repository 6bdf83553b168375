import Testing
@testable import KioskCore

@Suite("Badge protocol selection and the unified decoder")
struct BadgeFrameDecoderTests {
    typealias B = BadgeTestBytes

    @Test("config words map to protocols and back")
    func configWords() {
        let words = ["rdm6300", "id12la", "nid1020", "hex-line", "decimal-line", "pn532"]
        #expect(words.compactMap(BadgeProtocol.init(rawValue:)).map(\.rawValue) == words)
        #expect(BadgeProtocol(rawValue: "RDM6300") == nil)
        #expect(BadgeProtocol.pn532.defaultBaudRate == 115_200)
        #expect(BadgeProtocol.rdm6300.defaultBaudRate == 9600)
    }

    @Test("each protocol decodes its reference vector", arguments: [
        (BadgeProtocol.rdm6300, "02 36 32 45 33 30 38 36 43 45 44 30 38 03", "62E3086CED"),
        (.id12la, "02 30 43 30 30 30 36 32 31 41 35 38 45 0D 0A 03", "0C000621A5"),
        (.nid1020, "02 32 37 30 30 39 44 41 36 43 45 D2 03", "27009DA6CE"),
        (.decimalLine, "30 30 30 30 31 32 33 34 37 38 0D 0A", "0000123478"),
        (.pn532, "00 00 FF 0C F4 D5 4B 01 01 00 04 08 04 B0 86 4D 25 26 00", "B0864D25"),
    ])
    func referenceVectors(badgeProtocol: BadgeProtocol, bytes: String, id: String) {
        var decoder = BadgeFrameDecoder(protocol: badgeProtocol)
        let reads = decoder.decode(B.hex(bytes))
        #expect(reads.map(\.tagID) == [id])
        #expect(reads.map(\.source) == [badgeProtocol])
        #expect(decoder.statistics.acceptedFrames == 1)
    }

    @Test("a frame of another protocol yields nothing")
    func wrongProtocol() {
        var decoder = BadgeFrameDecoder(protocol: .nid1020)
        let result1 = decoder.decode(B.hex("02 36 32 45 33 30 38 36 43 45 44 30 38 03"))
        #expect(result1.isEmpty)
        #expect(decoder.statistics.rejectedFrames >= 1)
    }

    @Test("the hex-line protocol reads hex and derives printed forms")
    func hexLine() {
        var decoder = BadgeFrameDecoder(protocol: .hexLine, maximumLineLength: 12)
        let reads = decoder.decode(Array("62e3086ced\r\n".utf8))
        #expect(reads.map(\.tagID) == ["62E3086CED"])
        #expect(reads.first?.em4100PrintedForms?.decimal32 == "3808980205")
    }

    @Test("printed forms need 3 to 5 bytes of hex")
    func printedFormsBounds() {
        #expect(EM4100PrintedForms(hexID: "1293D8")?.decimal24 == "0001217496")
        #expect(EM4100PrintedForms(hexID: "1293D") == nil)
        #expect(EM4100PrintedForms(hexID: "0102030405060708") == nil)
        #expect(EM4100PrintedForms(hexID: "XYZXYZ") == nil)
    }
}
