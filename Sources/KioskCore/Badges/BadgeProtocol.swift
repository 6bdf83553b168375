/// The wire format a serial badge reader speaks, as chosen in the config file.
///
/// The raw values are the words a maintainer writes in `kiosk.conf` (`badge.protocol =
/// rdm6300`). Every protocol except `pn532` is transmit-only: the reader talks, the host
/// listens. `pn532` needs the host to drive the chip (see `PN532Session`).
public enum BadgeProtocol: String, Sendable, Hashable, Codable, CaseIterable {
    /// EM4100 125 kHz, RDM6300 family: `02`, 10 hex chars, 2 hex checksum chars, `03` (14 bytes).
    case rdm6300
    /// ID Innovations ID-12LA / ID-20LA: like `rdm6300` with `0D 0A` before `03` (16 bytes).
    case id12la
    /// NID1020 / EL125: `02`, 10 hex chars, one raw binary checksum byte, `03` (13 bytes).
    case nid1020
    /// A line of hex digits ended by CR and/or LF (Wiegand-to-serial converters).
    case hexLine = "hex-line"
    /// A line of decimal digits ended by CR and/or LF (Wiegand-to-serial converters).
    case decimalLine = "decimal-line"
    /// NXP PN532 over HSU (UART), 13.56 MHz ISO14443A cards; the host polls the chip.
    case pn532

    /// The baud rate the reader family uses out of the box.
    public var defaultBaudRate: Int {
        switch self {
        case .pn532: 115_200
        default: 9600
        }
    }

    /// Whether the host must write to the reader (only the PN532 needs commands).
    public var needsHostCommands: Bool { self == .pn532 }
}
