/// Cuts the byte stream of a line-based reader (Wiegand-to-serial converters: `6 hex
/// chars + CR`, `10 decimal digits + CR LF`) into lines and checks them.
///
/// A line ends at CR or LF (so CR LF is one terminator plus an empty line, ignored).
/// STX/ETX bytes and spaces around the digits are tolerated. The line buffer is bounded
/// (the swift-nio `maximumBufferSize` idea): past `maximumLineLength` bytes without a
/// terminator the line is counted as over-long and everything up to the next terminator
/// is dropped, so a reader spewing noise cannot grow memory. A line with anything other
/// than digits, or shorter than `minimumLineLength`, is rejected.
public struct BadgeLineDecoder: Sendable {
    /// What a line holds.
    public enum Digits: Sendable, Hashable {
        case hex, decimal
    }

    public let digits: Digits
    public let maximumLineLength: Int
    public let minimumLineLength: Int
    public private(set) var statistics = BadgeDecoderStatistics()
    private var line: [UInt8] = []
    private var isDiscardingOverlongLine = false

    /// - Parameters:
    ///   - maximumLineLength: bytes kept before the line is declared garbage (default 32).
    ///   - minimumLineLength: digits a line needs to count as a read (default 4), so a
    ///     stray byte followed by a terminator is not taken for a badge.
    public init(digits: Digits, maximumLineLength: Int = 32, minimumLineLength: Int = 4) {
        precondition(maximumLineLength >= 1 && minimumLineLength >= 1, "line lengths must be positive")
        self.digits = digits
        self.maximumLineLength = maximumLineLength
        self.minimumLineLength = minimumLineLength
    }

    /// Consumes `bytes` and returns the reads completed by them, in order.
    public mutating func decode(_ bytes: some Sequence<UInt8>) -> [BadgeRead] {
        var reads: [BadgeRead] = []
        for byte in bytes {
            if byte == 0x0D || byte == 0x0A {
                if isDiscardingOverlongLine {
                    isDiscardingOverlongLine = false
                } else if !line.isEmpty {
                    if let read = finishLine() { reads.append(read) }
                }
                line.removeAll(keepingCapacity: true)
                continue
            }
            if isDiscardingOverlongLine {
                statistics.discardedBytes += 1
                continue
            }
            if line.count == maximumLineLength {
                statistics.overlongLines += 1
                statistics.discardedBytes += line.count + 1
                line.removeAll(keepingCapacity: true)
                isDiscardingOverlongLine = true
                continue
            }
            line.append(byte)
        }
        return reads
    }

    private mutating func finishLine() -> BadgeRead? {
        let framing: Set<UInt8> = [0x02, 0x03, 0x20, 0x09]
        let trimmed = line.drop(while: framing.contains).reversed().drop(while: framing.contains).reversed()
        let valid: Bool
        switch digits {
        case .hex: valid = trimmed.allSatisfy { BadgeHex.nibble($0) != nil }
        case .decimal: valid = trimmed.allSatisfy(BadgeHex.isDigit)
        }
        guard valid, trimmed.count >= minimumLineLength else {
            statistics.malformedFrames += 1
            statistics.discardedBytes += line.count
            return nil
        }
        statistics.acceptedFrames += 1
        let text = String(decoding: trimmed, as: UTF8.self)
        switch digits {
        case .hex: return BadgeRead(tagID: text.uppercased(), encoding: .hex, source: .hexLine)
        case .decimal: return BadgeRead(tagID: text, encoding: .decimal, source: .decimalLine)
        }
    }
}
