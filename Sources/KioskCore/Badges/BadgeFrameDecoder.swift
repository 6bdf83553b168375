/// Turns the bytes of any supported reader into `BadgeRead`s: the protocol comes from
/// the config (`BadgeProtocol`), the bytes from the serial port in chunks of any size.
///
/// For `.pn532` it decodes InListPassiveTarget responses passively (one read per card
/// in a response); to actually get responses the chip must be driven by a
/// `PN532Session`, which has its own decoder. Not thread-safe: a value owned by the
/// reader's queue or actor.
public struct BadgeFrameDecoder: Sendable {
    private enum Framer: Sendable {
        case em4100(EM4100FrameDecoder)
        case line(BadgeLineDecoder)
        case pn532(PN532FrameDecoder)
    }

    public let badgeProtocol: BadgeProtocol
    private var framer: Framer
    private var pn532Malformed = 0

    /// - Parameter maximumLineLength: for the line protocols, the longest line kept.
    public init(protocol badgeProtocol: BadgeProtocol, maximumLineLength: Int = 32) {
        self.badgeProtocol = badgeProtocol
        switch badgeProtocol {
        case .rdm6300: framer = .em4100(EM4100FrameDecoder(variant: .rdm6300))
        case .id12la: framer = .em4100(EM4100FrameDecoder(variant: .id12la))
        case .nid1020: framer = .em4100(EM4100FrameDecoder(variant: .nid1020))
        case .hexLine: framer = .line(BadgeLineDecoder(digits: .hex, maximumLineLength: maximumLineLength))
        case .decimalLine: framer = .line(BadgeLineDecoder(digits: .decimal, maximumLineLength: maximumLineLength))
        case .pn532: framer = .pn532(PN532FrameDecoder())
        }
    }

    /// Consumes `bytes` and returns the reads completed by them, in order.
    public mutating func decode(_ bytes: some Sequence<UInt8>) -> [BadgeRead] {
        switch framer {
        case .em4100(var decoder):
            let reads = decoder.decode(bytes)
            framer = .em4100(decoder)
            return reads
        case .line(var decoder):
            let reads = decoder.decode(bytes)
            framer = .line(decoder)
            return reads
        case .pn532(var decoder):
            let frames = decoder.decode(bytes)
            framer = .pn532(decoder)
            var reads: [BadgeRead] = []
            for case let .information(PN532Frame.chipToHost, data) in frames
            where data.first == PN532Command.inListPassiveTarget + 1 {
                if let targets = ISO14443ATarget.targets(inListPassiveTargetResponse: data) {
                    reads += targets.map(\.badgeRead)
                } else {
                    pn532Malformed += 1
                }
            }
            return reads
        }
    }

    /// What the decoder accepted and rejected so far.
    public var statistics: BadgeDecoderStatistics {
        switch framer {
        case .em4100(let decoder): return decoder.statistics
        case .line(let decoder): return decoder.statistics
        case .pn532(let decoder):
            var statistics = decoder.statistics
            statistics.malformedFrames += pn532Malformed
            return statistics
        }
    }
}
