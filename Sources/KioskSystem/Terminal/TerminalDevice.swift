import CLinux
import Glibc

/// A terminal the kiosk draws on and reads keys from: an input and an output file
/// descriptor on the same tty (stdin and stdout, or one opened tty device).
///
/// Owns its descriptors (closed on deinit) and the terminal's line settings: after
/// `enterInputMode(_:)` the settings that were there before are put back by `restore()`
/// or, at the latest, in `deinit`. Writing the `TerminalSession` restore bytes is the
/// caller's job (this type knows nothing of escape sequences).
///
/// Not `Sendable`: one owner (the display actor or queue) uses it.
public final class TerminalDevice {
    /// Where keys are read from.
    public let input: FileDescriptor
    /// Where frames are written to.
    public let output: FileDescriptor
    /// Line settings saved by the first `enterInputMode`, put back by `restore()`.
    private var savedAttributes: termios?

    /// Takes ownership of both descriptors (which may be the same object).
    public init(input: FileDescriptor, output: FileDescriptor) {
        self.input = input
        self.output = output
    }

    /// Opens a tty device (`/dev/tty`, `/dev/tty1`, a pseudo-terminal) for reading and
    /// writing, without making it the controlling terminal.
    public convenience init(path: String) throws(SystemCallError) {
        let fd = try FileDescriptor.open(path, flags: O_RDWR | O_NOCTTY)
        self.init(input: fd, output: fd)
    }

    /// Duplicates of standard input and standard output (closing them later leaves the
    /// process's own fd 0 and 1 alone).
    public static func standardStreams() throws(SystemCallError) -> TerminalDevice {
        let input = try retryingOnInterrupt("dup", "stdin") { fcntl(STDIN_FILENO, F_DUPFD_CLOEXEC, 3) }
        let inputFD = FileDescriptor(adopting: input, name: "stdin")
        let output = try retryingOnInterrupt("dup", "stdout") { fcntl(STDOUT_FILENO, F_DUPFD_CLOEXEC, 3) }
        return TerminalDevice(input: inputFD, output: FileDescriptor(adopting: output, name: "stdout"))
    }

    /// True when the output is a terminal (not a file or a pipe).
    public var isTerminal: Bool { isatty(output.rawValue) == 1 }

    /// True when the input is a terminal (keys can be read one by one).
    public var isInputTerminal: Bool { isatty(input.rawValue) == 1 }

    /// The window size of the output terminal (`ioctl(TIOCGWINSZ)`).
    public func windowSize() throws(SystemCallError) -> TerminalWindowSize {
        var size = winsize()
        let fd = output.rawValue
        try retryingOnInterrupt("ioctl(TIOCGWINSZ)", output.name) {
            kiosk_ioctl_ptr(fd, kiosk_TIOCGWINSZ(), &size)
        }
        return TerminalWindowSize(
            columns: Int(size.ws_col), rows: Int(size.ws_row),
            pixelWidth: Int(size.ws_xpixel), pixelHeight: Int(size.ws_ypixel))
    }

    /// Sets the window size (`ioctl(TIOCSWINSZ)`); the kernel then sends SIGWINCH to the
    /// terminal's foreground process group. Used on the controller side of a
    /// pseudo-terminal, and by tests.
    public func setWindowSize(_ newSize: TerminalWindowSize) throws(SystemCallError) {
        var size = winsize(
            ws_row: UInt16(clamping: newSize.rows), ws_col: UInt16(clamping: newSize.columns),
            ws_xpixel: UInt16(clamping: newSize.pixelWidth), ws_ypixel: UInt16(clamping: newSize.pixelHeight))
        let fd = output.rawValue
        try retryingOnInterrupt("ioctl(TIOCSWINSZ)", output.name) {
            kiosk_ioctl_ptr(fd, kiosk_TIOCSWINSZ(), &size)
        }
    }

    /// Switches the input terminal to `mode`, saving the current settings the first time
    /// so that `restore()` can put them back.
    public func enterInputMode(_ mode: TerminalInputMode) throws(SystemCallError) {
        let fd = input.rawValue
        var current = termios()
        try retryingOnInterrupt("tcgetattr", input.name) { tcgetattr(fd, &current) }
        if savedAttributes == nil { savedAttributes = current }
        var settings = current
        mode.apply(to: &settings)
        try retryingOnInterrupt("tcsetattr", input.name) { tcsetattr(fd, TCSAFLUSH, &settings) }
    }

    /// The terminal's current line settings (for tests and diagnostics).
    public func currentInputSettings() throws(SystemCallError) -> TerminalInputSettings {
        let fd = input.rawValue
        var current = termios()
        try retryingOnInterrupt("tcgetattr", input.name) { tcgetattr(fd, &current) }
        return TerminalInputSettings(current)
    }

    /// Puts back the settings saved by `enterInputMode`, if any. Safe to call more than
    /// once; errors are ignored (this runs on exit paths where there is no one to tell).
    public func restore() {
        guard var saved = savedAttributes else { return }
        savedAttributes = nil
        _ = try? retryingOnInterrupt("tcsetattr", input.name) { tcsetattr(input.rawValue, TCSAFLUSH, &saved) }
    }

    /// Writes all of `bytes` to the output.
    public func write(_ bytes: some Collection<UInt8>) throws(SystemCallError) {
        try output.writeAll(bytes)
    }

    /// Waits up to `timeoutMilliseconds` (-1: forever) for input, then reads what is
    /// there (at most `count` bytes). Returns [] on timeout. Throws on end of file (the
    /// terminal hung up) as `EIO`, like a read from a hung-up tty.
    public func readInput(upTo count: Int = 64, timeoutMilliseconds: Int32) throws(SystemCallError) -> [UInt8] {
        var request = pollfd(fd: input.rawValue, events: Int16(POLLIN), revents: 0)
        let ready = try retryingOnInterrupt("poll", input.name) { poll(&request, 1, timeoutMilliseconds) }
        if ready == 0 { return [] }
        let bytes = try input.read(upTo: count)
        if bytes.isEmpty { throw SystemCallError("read", input.name, errno: .ioError) }
        return bytes
    }

    deinit {
        restore()
    }
}
