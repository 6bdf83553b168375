import Testing
@testable import KioskCore

@Suite("PN532 session (host driver state machine)")
struct PN532SessionTests {
    typealias B = BadgeTestBytes
    let t0 = ContinuousClock.now
    static let ack = B.hex("00 00 FF 00 FF 00")
    static let nack = B.hex("00 00 FF FF 00 00")
    /// SAMConfiguration answer: TFI D5, code 15; DCS = -(D5 + 15) = 16.
    static let samAnswer = B.hex("00 00 FF 02 FE D5 15 16 00")
    static let cardAnswer = B.hex("00 00 FF 0C F4 D5 4B 01 01 00 04 08 04 B0 86 4D 25 26 00")
    static let noCardAnswer = B.hex("00 00 FF 03 FD D5 4B 00 E0 00")
    static let wakeUpAndSAM = [0x55, 0x55] + [UInt8](repeating: 0, count: 14) + B.hex("00 00 FF 03 FD D4 14 01 17 00")
    static let poll = B.hex("00 00 FF 04 FC D4 4A 01 00 E1 00")

    /// A session that has been initialised and has just sent its first poll.
    func polling() -> PN532Session {
        var session = PN532Session()
        _ = session.start(at: t0)
        _ = session.receive(Self.ack, at: t0)
        _ = session.receive(Self.samAnswer, at: t0)
        return session
    }

    @Test("start writes the wake-up and SAMConfiguration bytes of the reference")
    func startBytes() {
        var session = PN532Session()
        let output = session.start(at: t0)
        #expect(output.bytesToWrite == Self.wakeUpAndSAM)
        #expect(session.phase == .initialising)
        #expect(session.nextDeadline == t0 + .milliseconds(500))
    }

    @Test("ACK, then the SAMConfiguration answer, then the poll frame of the reference")
    func initialisationToPoll() {
        var session = PN532Session()
        _ = session.start(at: t0)
        let afterAck = session.receive(Self.ack, at: t0 + .milliseconds(2))
        #expect(afterAck.bytesToWrite.isEmpty)
        #expect(session.nextDeadline == t0 + .milliseconds(2) + .seconds(1))
        let afterAnswer = session.receive(Self.samAnswer, at: t0 + .milliseconds(5))
        #expect(afterAnswer.bytesToWrite == Self.poll)
        #expect(session.phase == .polling)
    }

    @Test("the reference card answer gives one read, then the next poll after the interval")
    func cardRead() {
        var session = polling()
        _ = session.receive(Self.ack, at: t0)
        let output = session.receive(Self.cardAnswer, at: t0 + .milliseconds(10))
        #expect(output.reads.map(\.tagID) == ["B0864D25"])
        #expect(output.reads.first?.iso14443A?.selRes == 0x08)
        #expect(output.bytesToWrite.isEmpty)
        #expect(session.phase == .pausing)
        let early = session.advance(to: t0 + .milliseconds(100))
        #expect(early.bytesToWrite.isEmpty)
        let due = session.advance(to: t0 + .milliseconds(210))
        #expect(due.bytesToWrite == Self.poll)
    }

    @Test("answers split one byte at a time")
    func byteByByte() {
        var session = polling()
        var reads: [BadgeRead] = []
        for byte in Self.ack + Self.cardAnswer {
            reads += session.receive([byte], at: t0).reads
        }
        #expect(reads.map(\.tagID) == ["B0864D25"])
    }

    @Test("no card: no read, counted, poll again")
    func noCard() {
        var session = polling()
        _ = session.receive(Self.ack, at: t0)
        let output = session.receive(Self.noCardAnswer, at: t0)
        #expect(output.reads.isEmpty)
        #expect(session.diagnostics.noCardAnswers == 1)
        let next = session.advance(to: t0 + .seconds(1))
        #expect(next.bytesToWrite == Self.poll)
    }

    @Test("a NACK re-initialises: wake-up, aborting ACK, SAMConfiguration")
    func nackReinitialises() {
        var session = polling()
        let output = session.receive(Self.nack, at: t0)
        #expect(output.bytesToWrite == PN532Frame.wakeUpBytes + Self.ack + PN532Frame.samConfiguration)
        #expect(session.phase == .initialising)
        #expect(session.diagnostics.nacks == 1)
        #expect(session.diagnostics.reinitialisations == 1)
    }

    @Test("an error frame re-initialises")
    func errorFrameReinitialises() {
        var session = polling()
        _ = session.receive(Self.ack, at: t0)
        let output = session.receive(B.hex("00 00 FF 01 FF 7F 81 00"), at: t0)
        #expect(output.bytesToWrite.suffix(PN532Frame.samConfiguration.count) == PN532Frame.samConfiguration[...])
        #expect(session.diagnostics.errorFrames == 1)
    }

    @Test("a missing ACK times out into re-initialisation; early ticks do nothing")
    func ackTimeout() {
        var session = PN532Session()
        _ = session.start(at: t0)
        let output1 = session.advance(to: t0 + .milliseconds(499))
        #expect(output1.bytesToWrite.isEmpty)
        let output = session.advance(to: t0 + .milliseconds(500))
        #expect(output.bytesToWrite.suffix(PN532Frame.samConfiguration.count) == PN532Frame.samConfiguration[...])
        #expect(session.diagnostics.timeouts == 1)
        #expect(session.phase == .initialising)
    }

    @Test("a poll held open with no card is aborted with an ACK and repeated")
    func pollTimeout() {
        var session = polling()
        _ = session.receive(Self.ack, at: t0)
        let output = session.advance(to: t0 + .seconds(3))
        #expect(output.bytesToWrite == Self.ack + Self.poll)
        #expect(session.phase == .polling)
    }

    @Test("an answer whose ACK was lost still gives the read")
    func lostAck() {
        var session = polling()
        let output2 = session.receive(Self.cardAnswer, at: t0)
        #expect(output2.reads.map(\.tagID) == ["B0864D25"])
    }

    @Test("a corrupted answer gives no read and the session recovers by timeout")
    func corruptedAnswer() {
        var session = polling()
        _ = session.receive(Self.ack, at: t0)
        var corrupted = Self.cardAnswer
        corrupted[13] ^= 0xFF
        let output3 = session.receive(corrupted, at: t0)
        #expect(output3.reads.isEmpty)
        #expect(session.diagnostics.frames.checksumMismatches == 1)
        let output4 = session.advance(to: t0 + .seconds(3))
        #expect(output4.bytesToWrite.hasSuffix(Self.poll))
    }

    @Test("frames while idle or unsolicited are ignored and counted")
    func unexpectedFrames() {
        var session = PN532Session()
        let output5 = session.receive(Self.cardAnswer, at: t0)
        #expect(output5.reads.isEmpty)
        #expect(session.nextDeadline == nil)
        var started = polling()
        _ = started.receive(Self.ack, at: t0)
        _ = started.receive(Self.samAnswer, at: t0)  // not the answer to a poll
        #expect(started.diagnostics.unexpectedFrames == 1)
        #expect(started.phase == .polling)
    }
}

extension Array where Element == UInt8 {
    func hasSuffix(_ suffix: [UInt8]) -> Bool { count >= suffix.count && Array(self.suffix(suffix.count)) == suffix }
}
