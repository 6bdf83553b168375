/// One frame of the PN532 host protocol over HSU (UART), NXP user manual UM0701 §6.2.
///
/// Information frame: `00 | 00 FF | LEN | LCS | TFI | data | DCS | 00`, LEN counting TFI
/// and data, `(LEN + LCS) & 0xFF == 0`, `(TFI + data + DCS) & 0xFF == 0`; TFI is `D4`
/// from host to chip and `D5` back. ACK is `00 00 FF 00 FF 00`, NACK `00 00 FF FF 00 00`,
/// the application-level error frame `00 00 FF 01 FF 7F 81 00`.
public enum PN532Frame: Sendable, Hashable {
    /// The chip (or host) received a well-formed frame.
    case ack
    /// The sender should repeat its last frame.
    case nack
    /// The chip could not run the command (syntax error in the command).
    case applicationError
    /// A normal or extended information frame: TFI, then the command or response bytes.
    case information(frameIdentifier: UInt8, data: [UInt8])

    /// TFI of frames sent by the host.
    public static let hostToChip: UInt8 = 0xD4
    /// TFI of frames sent by the chip.
    public static let chipToHost: UInt8 = 0xD5

    /// The exact bytes of an ACK frame.
    public static let ackBytes: [UInt8] = [0x00, 0x00, 0xFF, 0x00, 0xFF, 0x00]
    /// The exact bytes of a NACK frame.
    public static let nackBytes: [UInt8] = [0x00, 0x00, 0xFF, 0xFF, 0x00, 0x00]

    /// HSU wake-up: `55 55` then zeros, long enough for the chip to leave power-down
    /// before the first command (the sequence libnfc sends: 2 x `55`, 14 x `00`).
    public static let wakeUpBytes: [UInt8] = [0x55, 0x55] + [UInt8](repeating: 0x00, count: 14)

    /// Encodes a host command (`TFI D4` + `command`) as a normal information frame.
    /// `command` holds the command code and its parameters (at most 254 bytes).
    public static func hostFrame(_ command: [UInt8]) -> [UInt8] {
        precondition(!command.isEmpty && command.count <= 254, "PN532 normal frames carry 1...254 command bytes")
        let length = UInt8(command.count + 1)
        let body = [hostToChip] + command
        let sum = body.reduce(UInt8(0), &+)
        return [0x00, 0x00, 0xFF, length, 0 &- length] + body + [0 &- sum, 0x00]
    }

    /// SAMConfiguration (`14`), normal mode (`01`), no virtual-card timeout, IRQ used (`01`
    /// is the default): `00 00 FF 03 FD D4 14 01 17 00`.
    public static let samConfiguration: [UInt8] = hostFrame([PN532Command.samConfiguration, 0x01])

    /// InListPassiveTarget (`4A`): at most 1 target, 106 kbps type A (`00`):
    /// `00 00 FF 04 FC D4 4A 01 00 E1 00`.
    public static let inListPassiveTarget: [UInt8] = hostFrame([PN532Command.inListPassiveTarget, 0x01, 0x00])
}

/// PN532 command codes used by the badge reader. The response code is the command code + 1.
public enum PN532Command {
    public static let samConfiguration: UInt8 = 0x14
    public static let inListPassiveTarget: UInt8 = 0x4A
}

/// An ISO14443A card found by InListPassiveTarget (UM0701 §7.3.5), as the chip reports it.
public struct ISO14443ATarget: Sendable, Hashable, Codable {
    /// The chip's logical number for the target (`Tg`, 1 for the first).
    public var targetNumber: UInt8
    /// SENS_RES (ATQA), the two bytes in the order sent.
    public var sensRes: UInt16
    /// SEL_RES (SAK): `08` MIFARE Classic 1K, `00` Ultralight/NTAG, `20` ISO14443-4.
    public var selRes: UInt8
    /// NFCID1: 4, 7 or 10 bytes, as long as the chip's `IDLen` says.
    public var uid: [UInt8]

    public init(targetNumber: UInt8, sensRes: UInt16, selRes: UInt8, uid: [UInt8]) {
        self.targetNumber = targetNumber
        self.sensRes = sensRes
        self.selRes = selRes
        self.uid = uid
    }

    /// Parses the data of an InListPassiveTarget response (after TFI `D5`):
    /// `4B NbTg [Tg SENS_RES(2) SEL_RES IDLen UID(IDLen) (ATS)]...`.
    /// Returns `[]` for "no card" (`NbTg = 0`) and nil when the bytes do not parse
    /// (wrong response code, truncated, `IDLen` not 4, 7 or 10).
    public static func targets(inListPassiveTargetResponse data: [UInt8]) -> [ISO14443ATarget]? {
        guard data.count >= 2, data[0] == PN532Command.inListPassiveTarget + 1 else { return nil }
        let count = Int(data[1])
        var index = 2
        var targets: [ISO14443ATarget] = []
        for _ in 0..<count {
            guard data.count >= index + 5 else { return nil }
            let idLength = Int(data[index + 4])
            guard [4, 7, 10].contains(idLength), data.count >= index + 5 + idLength else { return nil }
            let selRes = data[index + 3]
            targets.append(ISO14443ATarget(
                targetNumber: data[index],
                sensRes: UInt16(data[index + 1]) << 8 | UInt16(data[index + 2]),
                selRes: selRes,
                uid: Array(data[(index + 5)..<(index + 5 + idLength)])))
            index += 5 + idLength
            // ISO14443-4 cards (SAK bit 6) are followed by their ATS, whose first byte counts itself.
            if selRes & 0x20 != 0, index < data.count {
                let atsLength = Int(data[index])
                guard atsLength >= 1, data.count >= index + atsLength else { return nil }
                index += atsLength
            }
        }
        return targets
    }

    /// The read the check-in capability sees: the UID as upper-case hex.
    public var badgeRead: BadgeRead {
        BadgeRead(tagID: BadgeHex.string(uid), encoding: .hex, source: .pn532, iso14443A: self)
    }
}
