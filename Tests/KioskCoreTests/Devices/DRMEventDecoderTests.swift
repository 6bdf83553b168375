import Testing
@testable import KioskCore

@Suite struct DRMEventDecoderTests {
    /// `struct drm_event_vblank` as the kernel writes it (little-endian).
    static func vblankEvent(type: UInt32, userData: UInt64, seconds: UInt32, microseconds: UInt32, sequence: UInt32, crtc: UInt32) -> [UInt8] {
        func le32(_ v: UInt32) -> [UInt8] { (0..<4).map { UInt8(truncatingIfNeeded: v >> ($0 * 8)) } }
        return le32(type) + le32(32) + le32(UInt32(truncatingIfNeeded: userData)) + le32(UInt32(truncatingIfNeeded: userData >> 32))
            + le32(seconds) + le32(microseconds) + le32(sequence) + le32(crtc)
    }

    @Test func flipCompleteEvents() {
        let bytes = Self.vblankEvent(type: 2, userData: 0x1_0000_0007, seconds: 12, microseconds: 345_678, sequence: 99, crtc: 37)
            + Self.vblankEvent(type: 2, userData: 8, seconds: 12, microseconds: 362_345, sequence: 100, crtc: 37)
        let (events, malformed) = DRMEventDecoder.decode(bytes)
        #expect(!malformed)
        #expect(events == [
            .flipComplete(DRMVblankInfo(userData: 0x1_0000_0007, seconds: 12, microseconds: 345_678, sequence: 99, crtc: 37)),
            .flipComplete(DRMVblankInfo(userData: 8, seconds: 12, microseconds: 362_345, sequence: 100, crtc: 37)),
        ])
        if case .flipComplete(let info) = events[0] { #expect(info.nanoseconds == 12_345_678_000) }
    }

    @Test func otherEventTypesKeepTheStreamInStep() {
        // DRM_EVENT_CRTC_SEQUENCE (3) is 24 bytes; a vblank (1) follows it.
        func le32(_ v: UInt32) -> [UInt8] { (0..<4).map { UInt8(truncatingIfNeeded: v >> ($0 * 8)) } }
        let sequence = le32(3) + le32(24) + [UInt8](repeating: 7, count: 16)
        let bytes = sequence + Self.vblankEvent(type: 1, userData: 1, seconds: 1, microseconds: 2, sequence: 3, crtc: 4)
        let (events, malformed) = DRMEventDecoder.decode(bytes)
        #expect(!malformed)
        #expect(events == [.other(type: 3), .vblank(DRMVblankInfo(userData: 1, seconds: 1, microseconds: 2, sequence: 3, crtc: 4))])
    }

    @Test func malformedLengthsStopTheDecoding() {
        let good = Self.vblankEvent(type: 2, userData: 5, seconds: 1, microseconds: 0, sequence: 1, crtc: 1)
        var tooShort = good
        tooShort[4] = 4 // length 4 < header
        var tooLong = good
        tooLong[4] = 64 // runs past the bytes
        var shortVblank = good
        shortVblank[4] = 16 // a flip event must hold 32 bytes
        for (tail, name) in [(tooShort, "short"), (tooLong, "long"), (shortVblank, "short flip"), (Array(good.prefix(5)), "truncated")] {
            let (events, malformed) = DRMEventDecoder.decode(good + tail)
            #expect(malformed, "\(name)")
            #expect(events.count == 1, "\(name)")
        }
        #expect(DRMEventDecoder.decode([]).events.isEmpty)
        var zero = good
        zero[4] = 0
        #expect(DRMEventDecoder.decode(zero).malformed)
    }
}
