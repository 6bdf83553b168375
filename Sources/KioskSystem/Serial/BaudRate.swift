import Glibc

/// The serial speeds a badge reader may use: the only values the config accepts.
///
/// The raw value is bits per second, as written in `kiosk.conf` (`badge.baud = 9600`).
/// CDC-ACM readers (`/dev/ttyACM*`) ignore it; FTDI/CH340 ones (`/dev/ttyUSB*`) and board
/// UARTs need the right one: 9600 for 125 kHz readers, 115200 for a PN532.
public enum BaudRate: Int, Sendable, Hashable, Codable, CaseIterable, CustomStringConvertible {
    case b9600 = 9600
    case b19200 = 19200
    case b38400 = 38400
    case b57600 = 57600
    case b115200 = 115_200

    /// nil for a speed outside the supported set (a typo in the config: say so, don't guess).
    public init?(bitsPerSecond: Int) {
        self.init(rawValue: bitsPerSecond)
    }

    /// The termios constant (`B9600`...): a code, not the number of bits per second.
    var termiosSpeed: speed_t {
        switch self {
        case .b9600: speed_t(B9600)
        case .b19200: speed_t(B19200)
        case .b38400: speed_t(B38400)
        case .b57600: speed_t(B57600)
        case .b115200: speed_t(B115200)
        }
    }

    public var description: String { "\(rawValue) baud" }
}
