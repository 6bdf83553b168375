import Testing
@testable import KioskCore

@Suite("PN532 HSU frames")
struct PN532FrameTests {
    typealias B = BadgeTestBytes
    static let referenceResponse = B.hex("00 00 FF 0C F4 D5 4B 01 01 00 04 08 04 B0 86 4D 25 26 00")
    static let noCard = B.hex("00 00 FF 03 FD D5 4B 00 E0 00")

    @Test("command frames are encoded exactly as in the reference")
    func encodedCommands() {
        #expect(PN532Frame.samConfiguration == B.hex("00 00 FF 03 FD D4 14 01 17 00"))
        #expect(PN532Frame.inListPassiveTarget == B.hex("00 00 FF 04 FC D4 4A 01 00 E1 00"))
        #expect(PN532Frame.ackBytes == B.hex("00 00 FF 00 FF 00"))
        #expect(PN532Frame.nackBytes == B.hex("00 00 FF FF 00 00"))
        #expect(PN532Frame.wakeUpBytes.prefix(5) == [0x55, 0x55, 0x00, 0x00, 0x00])
        #expect(PN532Frame.wakeUpBytes.dropFirst(2).allSatisfy { $0 == 0 })
    }

    @Test("ACK and NACK are recognised")
    func ackAndNack() {
        var decoder = PN532FrameDecoder()
        let result1 = decoder.decode(B.hex("00 00 FF 00 FF 00 00 00 FF FF 00 00"))
        #expect(result1 == [.ack, .nack])
    }

    @Test("the encoder's frames decode back to their command")
    func roundTrip() {
        var decoder = PN532FrameDecoder()
        let result2 = decoder.decode(PN532Frame.inListPassiveTarget)
        #expect(result2 == [.information(frameIdentifier: 0xD4, data: [0x4A, 0x01, 0x00])])
    }

    @Test("reference InListPassiveTarget response: UID B0864D25, SAK 08")
    func referenceResponse() throws {
        var decoder = PN532FrameDecoder()
        let frames = decoder.decode(Self.referenceResponse)
        guard case let .information(tfi, data)? = frames.first, frames.count == 1 else {
            Issue.record("expected one information frame, got \(frames)")
            return
        }
        #expect(tfi == 0xD5)
        let target = try #require(ISO14443ATarget.targets(inListPassiveTargetResponse: data)?.first)
        #expect(target.uid == [0xB0, 0x86, 0x4D, 0x25])
        #expect(target.selRes == 0x08)
        #expect(target.sensRes == 0x0004)
        #expect(target.targetNumber == 1)
        #expect(target.badgeRead.tagID == "B0864D25")
        #expect(target.badgeRead.source == .pn532)
        #expect(target.badgeRead.em4100PrintedForms == nil)
    }

    @Test("no card: an empty target list, not a parse failure")
    func noCard() {
        var decoder = PN532FrameDecoder()
        let frames = decoder.decode(Self.noCard)
        #expect(frames == [.information(frameIdentifier: 0xD5, data: [0x4B, 0x00])])
        #expect(ISO14443ATarget.targets(inListPassiveTargetResponse: [0x4B, 0x00]) == [])
    }

    @Test("UIDs of 7 and 10 bytes use IDLen; other lengths and truncation are refused")
    func uidLengths() {
        let seven: [UInt8] = [0x4B, 0x01, 0x01, 0x00, 0x44, 0x00, 0x07, 0x04, 0x11, 0x22, 0x33, 0x44, 0x55, 0x66]
        #expect(ISO14443ATarget.targets(inListPassiveTargetResponse: seven)?.first?.badgeRead.tagID == "04112233445566")
        let ten: [UInt8] = [0x4B, 0x01, 0x01, 0x00, 0x44, 0x00, 0x0A] + (1...10).map { UInt8($0) }
        #expect(ISO14443ATarget.targets(inListPassiveTargetResponse: ten)?.first?.uid.count == 10)
        let five: [UInt8] = [0x4B, 0x01, 0x01, 0x00, 0x04, 0x08, 0x05, 1, 2, 3, 4, 5]
        #expect(ISO14443ATarget.targets(inListPassiveTargetResponse: five) == nil)
        #expect(ISO14443ATarget.targets(inListPassiveTargetResponse: Array(seven.dropLast())) == nil)
        #expect(ISO14443ATarget.targets(inListPassiveTargetResponse: [0x15]) == nil)
    }

    @Test("an ISO14443-4 target's ATS is skipped")
    func atsSkipped() {
        // SAK 20, then ATS of 5 bytes (length byte included), then a second target.
        let data: [UInt8] = [0x4B, 0x02,
                             0x01, 0x00, 0x04, 0x20, 0x04, 0xAA, 0xBB, 0xCC, 0xDD, 0x05, 0x78, 0x80, 0x70, 0x02,
                             0x02, 0x00, 0x04, 0x08, 0x04, 0x01, 0x02, 0x03, 0x04]
        let targets = ISO14443ATarget.targets(inListPassiveTargetResponse: data)
        #expect(targets?.map(\.badgeRead.tagID) == ["AABBCCDD", "01020304"])
    }

    @Test("wrong LCS or DCS: no frame, counted; the next frame still decodes")
    func wrongChecksums() {
        var decoder = PN532FrameDecoder()
        var badLCS = Self.referenceResponse
        badLCS[4] = 0xF5
        var badDCS = Self.referenceResponse
        badDCS[17] = 0x27
        let frames = decoder.decode(badLCS + badDCS + Self.noCard)
        #expect(frames == [.information(frameIdentifier: 0xD5, data: [0x4B, 0x00])])
        #expect(decoder.statistics.checksumMismatches == 2)
    }

    @Test("a flipped UID byte breaks the DCS: no read")
    func corruptedData() {
        var decoder = BadgeFrameDecoder(protocol: .pn532)
        var corrupted = Self.referenceResponse
        corrupted[14] ^= 0x01
        let result3 = decoder.decode(corrupted)
        #expect(result3.isEmpty)
        #expect(decoder.statistics.checksumMismatches == 1)
    }

    @Test("garbage before, between and inside frames; one byte at a time")
    func garbageAndSplitReads() {
        let garbage: [UInt8] = [0x55, 0xFF, 0x00, 0x13, 0xFF, 0x00]
        let torn = Array(Self.referenceResponse.prefix(9))
        let stream = garbage + PN532Frame.ackBytes + garbage + torn + Self.referenceResponse + garbage + Self.noCard
        var whole = PN532FrameDecoder()
        let expected = whole.decode(stream)
        #expect(expected.count == 3)
        #expect(expected.first == .ack)
        var bytewise = PN532FrameDecoder()
        var frames: [PN532Frame] = []
        for byte in stream { frames += bytewise.decode([byte]) }
        #expect(frames == expected)
        var reads = BadgeFrameDecoder(protocol: .pn532)
        let result4 = reads.decode(stream)
        #expect(result4.map(\.tagID) == ["B0864D25"])
    }

    @Test("the application error frame is recognised")
    func applicationError() {
        var decoder = PN532FrameDecoder()
        let result5 = decoder.decode(B.hex("00 00 FF 01 FF 7F 81 00"))
        #expect(result5 == [.applicationError])
    }

    @Test("extended frames are understood")
    func extendedFrame() {
        var decoder = PN532FrameDecoder()
        // 00 00 FF FF FF LENM LENL LCS, TFI D5, data 4B 00, DCS.
        let body: [UInt8] = [0xD5, 0x4B, 0x00]
        let dcs = 0 &- body.reduce(UInt8(0), &+)
        let frame: [UInt8] = [0x00, 0x00, 0xFF, 0xFF, 0xFF, 0x00, 0x03, 0xFD] + body + [dcs, 0x00]
        let result6 = decoder.decode(frame)
        #expect(result6 == [.information(frameIdentifier: 0xD5, data: [0x4B, 0x00])])
    }
}
