import Testing
@testable import KioskCore

@Suite("Badge reader session (decoder or PN532 driver, plus debouncing)")
struct BadgeReaderSessionTests {
    typealias B = BadgeTestBytes
    let t0 = ContinuousClock.now

    @Test("a passive reader: no bytes to write, no timer, repeats debounced")
    func passiveReader() {
        var session = BadgeReaderSession(protocol: .rdm6300)
        let started = session.start(at: t0)
        #expect(started.bytesToWrite.isEmpty)
        #expect(session.nextDeadline == nil)
        let frame = B.stxETX("62E3086CED08")
        let first = session.receive(frame + frame, at: t0)
        #expect(first.reads.map(\.tagID) == ["62E3086CED"])
        let repeated = session.receive(frame, at: t0 + .milliseconds(300))
        #expect(repeated.reads.isEmpty)
        let other = session.receive(B.stxETX("2900DEB30A4E"), at: t0 + .milliseconds(400))
        #expect(other.reads.map(\.tagID) == ["2900DEB30A"])
        #expect(session.statistics.acceptedFrames == 4)
    }

    @Test("a PN532: init bytes, poll, read, debounced repeat on the next poll")
    func pn532Reader() {
        var session = BadgeReaderSession(protocol: .pn532)
        let started = session.start(at: t0)
        #expect(started.bytesToWrite == PN532Frame.wakeUpBytes + PN532Frame.samConfiguration)
        #expect(session.nextDeadline != nil)
        let ack = PN532Frame.ackBytes
        let polled = session.receive(ack + B.hex("00 00 FF 02 FE D5 15 16 00"), at: t0)
        #expect(polled.bytesToWrite == PN532Frame.inListPassiveTarget)
        let card = B.hex("00 00 FF 0C F4 D5 4B 01 01 00 04 08 04 B0 86 4D 25 26 00")
        let read = session.receive(ack + card, at: t0)
        #expect(read.reads.map(\.tagID) == ["B0864D25"])
        let again = session.advance(to: t0 + .milliseconds(200))
        #expect(again.bytesToWrite == PN532Frame.inListPassiveTarget)
        let repeated = session.receive(ack + card, at: t0 + .milliseconds(210))
        #expect(repeated.reads.isEmpty)
    }

    @Test("a reconnection forgets the last tag, so the first scan after it counts")
    func startResetsDebouncer() {
        var session = BadgeReaderSession(protocol: .decimalLine)
        let line = Array("0000123478\r\n".utf8)
        let first = session.receive(line, at: t0)
        #expect(first.reads.count == 1)
        session.stop()
        _ = session.start(at: t0 + .milliseconds(100))
        let afterReconnect = session.receive(line, at: t0 + .milliseconds(200))
        #expect(afterReconnect.reads.count == 1)
    }
}
