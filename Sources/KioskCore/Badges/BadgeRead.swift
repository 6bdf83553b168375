/// One badge seen by a reader: the tag's identifier, normalised, and where it came from.
///
/// `tagID` is what the check-in ledger stores and matches: upper-case hex without
/// separators for hex readers (EM4100 `"62E3086CED"`: version byte + 4 tag bytes; PN532
/// `"B0864D25"`: the UID), or the decimal digits exactly as sent, leading zeros kept,
/// for decimal readers (`"0000123478"`). The numbers printed on fobs are derived, never
/// stored: see `em4100PrintedForms`.
public struct BadgeRead: Sendable, Hashable, Codable {
    /// How `tagID` is spelled.
    public enum Encoding: String, Sendable, Hashable, Codable {
        case hex, decimal
    }

    public var tagID: String
    public var encoding: Encoding
    /// The reader protocol that produced the read.
    public var source: BadgeProtocol
    /// For PN532 reads: the ISO14443A target details (ATQA, SAK); nil otherwise.
    public var iso14443A: ISO14443ATarget?

    public init(tagID: String, encoding: Encoding, source: BadgeProtocol, iso14443A: ISO14443ATarget? = nil) {
        self.tagID = tagID
        self.encoding = encoding
        self.source = source
        self.iso14443A = iso14443A
    }

    /// The card numbers printed on EM4100 fobs, for hex ids of 3 to 5 bytes read by a
    /// 125 kHz reader or a hex-line converter; nil for PN532 UIDs and decimal ids.
    public var em4100PrintedForms: EM4100PrintedForms? {
        guard encoding == .hex, source != .pn532 else { return nil }
        return EM4100PrintedForms(hexID: tagID)
    }
}

/// The numbers printed on an EM4100 fob, derived from the hex id the reader sends.
///
/// Fobs carry one or two of these: the last 4 bytes as a 10-digit decimal
/// (`62E3086CED` -> `3808980205`), and/or the last 3 bytes as a 10-digit decimal
/// (`01001293D8` -> `0001217496`) often followed by the Wiegand-26 "facility,card" pair
/// (`018,37848`: last-but-two byte, then the last two bytes).
public struct EM4100PrintedForms: Sendable, Hashable, Codable {
    /// The last 4 bytes as a number; nil when the id has only 3 bytes.
    public var lastFourBytes: UInt32?
    /// The last 3 bytes as a number (Wiegand 26 payload).
    public var lastThreeBytes: UInt32
    /// Wiegand-26 facility code: the third byte from the end.
    public var facilityCode: UInt8
    /// Wiegand-26 card number: the last two bytes.
    public var cardNumber: UInt16

    /// Derives the forms from 6 to 10 hex digits (3 to 5 bytes); nil otherwise.
    public init?(hexID: String) {
        guard let bytes = BadgeHex.bytes(fromASCII: Array(hexID.utf8)), (3...5).contains(bytes.count) else {
            return nil
        }
        let last3 = bytes.suffix(3).reduce(UInt32(0)) { $0 << 8 | UInt32($1) }
        lastThreeBytes = last3
        lastFourBytes = bytes.count >= 4 ? bytes.suffix(4).reduce(UInt32(0)) { $0 << 8 | UInt32($1) } : nil
        facilityCode = UInt8(last3 >> 16)
        cardNumber = UInt16(last3 & 0xFFFF)
    }

    /// The last 4 bytes as 10 decimal digits (`3808980205`); nil for a 3-byte id.
    public var decimal32: String? { lastFourBytes.map { Self.padded(UInt64($0), to: 10) } }
    /// The last 3 bytes as 10 decimal digits with leading zeros (`0001217496`).
    public var decimal24: String { Self.padded(UInt64(lastThreeBytes), to: 10) }
    /// `facility,card` as 3 and 5 digits (`018,37848`).
    public var facilityCard: String {
        Self.padded(UInt64(facilityCode), to: 3) + "," + Self.padded(UInt64(cardNumber), to: 5)
    }

    private static func padded(_ value: UInt64, to width: Int) -> String {
        let digits = String(value)
        return String(repeating: "0", count: max(0, width - digits.count)) + digits
    }
}
