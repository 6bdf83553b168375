import CLinux
import Glibc

/// A serial device opened for a badge reader: exclusive, raw, 8N1, non-blocking.
///
/// Opening does what a reader needs and nothing else: `O_RDWR | O_NOCTTY | O_NONBLOCK`
/// (the port never becomes our controlling terminal and `open` does not wait for
/// carrier), `TIOCEXCL` (a second opener such as a stray `screen` gets `EBUSY`), raw mode
/// (`cfmakeraw`: no echo, no line editing, no CR/LF translation, every byte as sent),
/// 8 data bits, no parity, 1 stop bit, `CLOCAL | CREAD`, no RTS/CTS nor XON/XOFF flow
/// control, the chosen speed both ways, and whatever was buffered before we came is
/// flushed. `path` may be a udev symlink (`/dev/badge-reader`).
///
/// Owns its descriptor (closed on `close()` or deinit). Not `Sendable`: one owner
/// (`SerialReader` keeps it behind a lock).
public final class SerialPort {
    /// What one non-blocking read found.
    public enum ReadOutcome: Equatable, Sendable {
        /// At least one byte.
        case bytes([UInt8])
        /// Nothing available right now (`EAGAIN`).
        case noData
        /// `read` returned 0: the other end is gone (a hung-up tty, a closed pty master).
        case endOfFile
    }

    public let path: String
    public let baudRate: BaudRate
    private let descriptor: FileDescriptor

    /// Opens and configures `path`; throws `SystemCallError` naming the failing call
    /// (`open`, `ioctl(TIOCEXCL)`, `tcgetattr`, `cfsetspeed`, `tcsetattr`, `tcflush`) and
    /// the path. A half-configured descriptor is closed before the error propagates.
    public init(path: String, baudRate: BaudRate) throws(SystemCallError) {
        self.path = path
        self.baudRate = baudRate
        descriptor = try FileDescriptor.open(path, flags: O_RDWR | O_NOCTTY | O_NONBLOCK)
        try configure()
    }

    private func configure() throws(SystemCallError) {
        let fd = descriptor.rawValue
        try retryingOnInterrupt("ioctl(TIOCEXCL)", path) { kiosk_ioctl_int(fd, kiosk_TIOCEXCL(), 0) }
        var settings = termios()
        try retryingOnInterrupt("tcgetattr", path) { tcgetattr(fd, &settings) }
        cfmakeraw(&settings)
        settings.c_cflag &= ~(tcflag_t(CSIZE | PARENB | CSTOPB) | tcflag_t(CRTSCTS))
        settings.c_cflag |= tcflag_t(CS8 | CLOCAL | CREAD)
        settings.c_iflag &= ~tcflag_t(IXON | IXOFF | IXANY)
        // Non-blocking reads return what is there; readiness comes from poll.
        withUnsafeMutableBytes(of: &settings.c_cc) { controlCharacters in
            controlCharacters[Int(VTIME)] = 0
            controlCharacters[Int(VMIN)] = 1
        }
        try retryingOnInterrupt("cfsetspeed", path) { cfsetspeed(&settings, baudRate.termiosSpeed) }
        try retryingOnInterrupt("tcsetattr", path) { tcsetattr(fd, TCSANOW, &settings) }
        try retryingOnInterrupt("tcflush", path) { tcflush(fd, TCIFLUSH) }
    }

    /// Whether the port is held exclusively (`TIOCEXCL`), as the kernel reports it.
    public var isExclusive: Bool {
        var flag: Int32 = 0
        let fd = descriptor.rawValue
        guard (try? retryingOnInterrupt("ioctl(TIOCGEXCL)", path) { kiosk_ioctl_ptr(fd, kiosk_TIOCGEXCL(), &flag) }) != nil else {
            return false
        }
        return flag != 0
    }

    /// The raw descriptor, for `poll` by the reader loop only.
    var pollableDescriptor: Int32 { descriptor.rawValue }

    /// Reads what is available, up to `count` bytes, without blocking.
    /// Throws for `EIO`, `ENODEV` and the like: the device went away.
    public func read(upTo count: Int = 4096) throws(SystemCallError) -> ReadOutcome {
        do {
            let bytes = try descriptor.read(upTo: count)
            return bytes.isEmpty ? .endOfFile : .bytes(bytes)
        } catch where error.errno == .wouldBlock {
            return .noData
        }
    }

    /// Writes every byte (a PN532 command), waiting for room if the driver's buffer is full.
    public func write(_ bytes: some Collection<UInt8>) throws(SystemCallError) {
        try descriptor.writeAll(bytes)
    }

    /// Closes the device now (deinit does it otherwise).
    public func close() {
        descriptor.close()
    }
}
