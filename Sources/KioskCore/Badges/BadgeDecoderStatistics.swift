/// Counters of what a badge decoder accepted and threw away, for diagnostics
/// (`kioskctl status`, the journal). A reader with a bad cable shows up here first:
/// checksum mismatches and discarded bytes climb while no badge is read.
public struct BadgeDecoderStatistics: Sendable, Hashable, Codable {
    /// Frames or lines that produced a `BadgeRead`.
    public var acceptedFrames = 0
    /// Well-formed frames whose checksum did not match (EM4100 XOR, PN532 LCS/DCS).
    public var checksumMismatches = 0
    /// Frames started but broken: a byte of the wrong kind, a missing end byte, a line
    /// with characters that are not digits, a PN532 answer that cannot be parsed.
    public var malformedFrames = 0
    /// Lines longer than the maximum, dropped up to their terminator.
    public var overlongLines = 0
    /// Bytes skipped while looking for the start of a frame (noise, partial frames).
    public var discardedBytes = 0

    public init() {}

    /// Frames rejected for any reason.
    public var rejectedFrames: Int { checksumMismatches + malformedFrames + overlongLines }
}
