import Glibc

/// How the terminal delivers typed keys.
public enum TerminalInputMode: Sendable, Hashable {
    /// Keys arrive one at a time without echo (no line editing), but Ctrl-C still sends
    /// SIGINT and output processing stays on: what the kiosk wants for a `q` to quit.
    case cbreak
    /// Everything off (like `cfmakeraw`): no echo, no signals from keys, no CR/LF
    /// translation on input or output, 8-bit characters.
    case raw

    /// Changes `settings` for this mode; reads return as soon as one byte is there
    /// (VMIN 1, VTIME 0).
    func apply(to settings: inout termios) {
        switch self {
        case .cbreak:
            settings.c_lflag &= ~tcflag_t(ICANON | ECHO | ECHONL)
            settings.c_iflag &= ~tcflag_t(ICRNL)
        case .raw:
            cfmakeraw(&settings)
        }
        withUnsafeMutableBytes(of: &settings.c_cc) { cc in
            cc[Int(VMIN)] = 1
            cc[Int(VTIME)] = 0
        }
    }
}

/// The few line-discipline flags that tell the modes apart, read back from a terminal.
public struct TerminalInputSettings: Sendable, Hashable {
    /// Canonical mode: input arrives line by line.
    public var isCanonical: Bool
    /// Typed characters are echoed.
    public var echoes: Bool
    /// Ctrl-C, Ctrl-\ and Ctrl-Z send signals.
    public var keysSendSignals: Bool
    /// Output post-processing (LF becomes CR LF).
    public var processesOutput: Bool

    init(_ settings: termios) {
        isCanonical = settings.c_lflag & tcflag_t(ICANON) != 0
        echoes = settings.c_lflag & tcflag_t(ECHO) != 0
        keysSendSignals = settings.c_lflag & tcflag_t(ISIG) != 0
        processesOutput = settings.c_oflag & tcflag_t(OPOST) != 0
    }
}
