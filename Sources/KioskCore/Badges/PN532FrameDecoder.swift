/// Cuts the bytes a PN532 sends over HSU into `PN532Frame`s, checking LCS and DCS.
///
/// Feed it chunks of any size. It resynchronises on the start code `00 FF`: noise is
/// skipped, a frame whose length or data checksum is wrong is counted and dropped, and
/// the search for the next start code restarts one byte after the bad one, inside what
/// is already buffered. Preamble and postamble zeros are not counted as noise. Extended
/// frames (`00 FF FF FF LENM LENL LCS`) are understood; lengths over 300 bytes (more than
/// the chip ever sends) are treated as noise so the buffer stays bounded.
public struct PN532FrameDecoder: Sendable {
    public private(set) var statistics = BadgeDecoderStatistics()
    private var buffer: [UInt8] = []
    static let maximumDataLength = 300

    public init() {}

    /// A fresh decoder (empty buffer) that keeps counting where `previous` stopped.
    public init(statisticsFrom previous: PN532FrameDecoder) {
        statistics = previous.statistics
    }

    /// Consumes `bytes` and returns the frames completed by them, in order.
    public mutating func decode(_ bytes: some Sequence<UInt8>) -> [PN532Frame] {
        buffer.append(contentsOf: bytes)
        var frames: [PN532Frame] = []
        while let frame = nextFrame() { frames.append(frame) }
        return frames
    }

    /// Drops everything before the next `00 FF`; false when there is none yet.
    private mutating func skipToStartCode() -> Bool {
        var index = 0
        while index + 1 < buffer.count, !(buffer[index] == 0x00 && buffer[index + 1] == 0xFF) {
            index += 1
        }
        // With no start code, keep a trailing 00: it may be the first half of one.
        let drop = index + 1 < buffer.count || buffer.last == 0x00 ? index : buffer.count
        statistics.discardedBytes += buffer[..<drop].count(where: { $0 != 0x00 })
        buffer.removeFirst(drop)
        return buffer.count >= 2
    }

    private mutating func giveUpCandidate() {
        statistics.discardedBytes += 1
        buffer.removeFirst()
    }

    private mutating func nextFrame() -> PN532Frame? {
        while skipToStartCode() {
            guard buffer.count >= 4 else { return nil }
            let (len, lcs) = (buffer[2], buffer[3])
            switch (len, lcs) {
            case (0x00, 0xFF):
                buffer.removeFirst(4)
                statistics.acceptedFrames += 1
                return .ack
            case (0xFF, 0x00):
                buffer.removeFirst(4)
                statistics.acceptedFrames += 1
                return .nack
            default: break
            }
            let header: Int
            let length: Int
            if len == 0xFF && lcs == 0xFF {
                guard buffer.count >= 7 else { return nil }
                guard (UInt8(0) &+ buffer[4] &+ buffer[5] &+ buffer[6]) == 0 else {
                    statistics.checksumMismatches += 1
                    giveUpCandidate()
                    continue
                }
                header = 7
                length = Int(buffer[4]) << 8 | Int(buffer[5])
            } else {
                guard len &+ lcs == 0 else {
                    statistics.checksumMismatches += 1
                    giveUpCandidate()
                    continue
                }
                header = 4
                length = Int(len)
            }
            guard length >= 1, length <= Self.maximumDataLength else {
                statistics.malformedFrames += 1
                giveUpCandidate()
                continue
            }
            guard buffer.count >= header + length + 1 else { return nil }
            let body = Array(buffer[header..<(header + length)])
            let dcs = buffer[header + length]
            guard body.reduce(dcs, &+) == 0 else {
                statistics.checksumMismatches += 1
                giveUpCandidate()
                continue
            }
            buffer.removeFirst(header + length + 1)
            statistics.acceptedFrames += 1
            if body == [0x7F] { return .applicationError }
            return .information(frameIdentifier: body[0], data: Array(body.dropFirst()))
        }
        return nil
    }
}
