import Glibc

/// A POSIX signal number with a name.
public struct UnixSignal: RawRepresentable, Hashable, Sendable, CustomStringConvertible {
    public var rawValue: Int32
    public init(rawValue: Int32) { self.rawValue = rawValue }

    /// SIGINT: Ctrl-C on the terminal.
    public static let interrupt = UnixSignal(rawValue: SIGINT)
    /// SIGTERM: `systemctl stop`, the polite request to end.
    public static let terminate = UnixSignal(rawValue: SIGTERM)
    /// SIGHUP: the terminal went away (or, by convention for daemons, "reload").
    public static let hangUp = UnixSignal(rawValue: SIGHUP)
    /// SIGWINCH: the terminal window changed size.
    public static let windowSizeChanged = UnixSignal(rawValue: SIGWINCH)
    public static let segmentationFault = UnixSignal(rawValue: SIGSEGV)
    public static let abort = UnixSignal(rawValue: SIGABRT)
    public static let busError = UnixSignal(rawValue: SIGBUS)
    /// SIGILL: also what a Swift runtime trap (`fatalError`, a failed `!`, an array index
    /// out of range) raises on x86_64.
    public static let illegalInstruction = UnixSignal(rawValue: SIGILL)
    /// SIGTRAP: what a Swift runtime trap raises on arm64 (`brk`).
    public static let trap = UnixSignal(rawValue: SIGTRAP)
    public static let floatingPointException = UnixSignal(rawValue: SIGFPE)
    public static let userDefined1 = UnixSignal(rawValue: SIGUSR1)
    public static let userDefined2 = UnixSignal(rawValue: SIGUSR2)

    /// Signals that mean the process is crashing: the terminal must be restored before it
    /// dies. Includes SIGILL and SIGTRAP because Swift traps raise them.
    public static let crashSignals: [UnixSignal] = [
        .segmentationFault, .abort, .busError, .illegalInstruction, .trap, .floatingPointException,
    ]

    public var description: String {
        switch rawValue {
        case SIGINT: "SIGINT"
        case SIGTERM: "SIGTERM"
        case SIGHUP: "SIGHUP"
        case SIGWINCH: "SIGWINCH"
        case SIGSEGV: "SIGSEGV"
        case SIGABRT: "SIGABRT"
        case SIGBUS: "SIGBUS"
        case SIGILL: "SIGILL"
        case SIGTRAP: "SIGTRAP"
        case SIGFPE: "SIGFPE"
        case SIGUSR1: "SIGUSR1"
        case SIGUSR2: "SIGUSR2"
        default: "signal \(rawValue)"
        }
    }
}
