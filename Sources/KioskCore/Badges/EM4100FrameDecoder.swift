/// Cuts the byte stream of a 125 kHz EM4100 reader (RDM6300, ID-12LA, NID1020) into
/// frames and checks them.
///
/// Feed it bytes as they come, in chunks of any size (a frame split over several reads,
/// one byte at a time, several frames in one read). It resynchronises on the STX byte
/// (`02`): bytes before a frame, between frames or a frame broken by noise are skipped,
/// and a frame whose XOR checksum does not match never yields a read. Its buffer never
/// holds more than one frame. After a broken frame it looks for the next STX *inside*
/// the bytes already buffered, so a good frame that follows a torn one is not lost.
public struct EM4100FrameDecoder: Sendable {
    /// The frame layouts of the reader families.
    public enum Variant: Sendable, Hashable {
        /// `02`, 10 hex data, 2 hex checksum, `03`: 14 bytes.
        case rdm6300
        /// `02`, 10 hex data, 2 hex checksum, `0D 0A`, `03`: 16 bytes.
        case id12la
        /// `02`, 10 hex data, 1 binary checksum byte, `03`: 13 bytes.
        case nid1020

        var frameLength: Int {
            switch self {
            case .rdm6300: 14
            case .id12la: 16
            case .nid1020: 13
            }
        }

        var protocolName: BadgeProtocol {
            switch self {
            case .rdm6300: .rdm6300
            case .id12la: .id12la
            case .nid1020: .nid1020
            }
        }

        /// Whether `byte` may stand at `position` (1-based after STX) of a frame.
        func accepts(_ byte: UInt8, at position: Int) -> Bool {
            switch (self, position) {
            case (_, 1...10): BadgeHex.nibble(byte) != nil
            case (.nid1020, 11): true
            case (.rdm6300, 11...12), (.id12la, 11...12): BadgeHex.nibble(byte) != nil
            case (.id12la, 13): byte == 0x0D
            case (.id12la, 14): byte == 0x0A
            default: position == frameLength - 1 && byte == EM4100FrameDecoder.endOfText
            }
        }
    }

    static let startOfText: UInt8 = 0x02
    static let endOfText: UInt8 = 0x03

    public let variant: Variant
    public private(set) var statistics = BadgeDecoderStatistics()
    private var buffer: [UInt8] = []

    public init(variant: Variant) {
        self.variant = variant
        buffer.reserveCapacity(variant.frameLength)
    }

    /// Consumes `bytes` and returns the reads completed by them, in order.
    public mutating func decode(_ bytes: some Sequence<UInt8>) -> [BadgeRead] {
        var reads: [BadgeRead] = []
        for byte in bytes {
            buffer.append(byte)
            drainBuffer(into: &reads)
        }
        return reads
    }

    private mutating func drainBuffer(into reads: inout [BadgeRead]) {
        while !buffer.isEmpty {
            guard buffer[0] == Self.startOfText else {
                let skipped = buffer.firstIndex(of: Self.startOfText) ?? buffer.count
                statistics.discardedBytes += skipped
                buffer.removeFirst(skipped)
                continue
            }
            let length = variant.frameLength
            if (1..<min(buffer.count, length)).contains(where: { !variant.accepts(buffer[$0], at: $0) }) {
                statistics.malformedFrames += 1
                dropStartByte()
                continue
            }
            guard buffer.count >= length else { return }
            if let read = checkedRead(Array(buffer.prefix(length))) {
                statistics.acceptedFrames += 1
                reads.append(read)
                buffer.removeFirst(length)
            } else {
                statistics.checksumMismatches += 1
                dropStartByte()
            }
        }
    }

    /// Gives up the frame candidate at the head: the search for STX restarts just after it.
    private mutating func dropStartByte() {
        statistics.discardedBytes += 1
        buffer.removeFirst()
    }

    /// The read of a complete, well-formed frame, or nil when its checksum is wrong.
    private func checkedRead(_ frame: [UInt8]) -> BadgeRead? {
        let dataASCII = frame[1...10]
        guard let data = BadgeHex.bytes(fromASCII: dataASCII) else { return nil }
        let checksum: UInt8?
        switch variant {
        case .nid1020: checksum = frame[11]
        case .rdm6300, .id12la: checksum = BadgeHex.bytes(fromASCII: frame[11...12])?.first
        }
        guard let checksum, BadgeHex.xor(data) == checksum else { return nil }
        return BadgeRead(tagID: BadgeHex.string(data), encoding: .hex, source: variant.protocolName)
    }
}
