import Foundation

/// The installed `kiosk` executable: one binary that is both `kioskd` and `kioskctl`
/// (the package ships it once, with `kioskd` and `kioskctl` as symbolic links to it, about
/// half the size of two statically linked copies).
///
/// Which program runs is decided by the name it was started under (the basename of
/// `argv[0]`: systemd starts `/usr/bin/kioskd`, a maintainer types `kioskctl`), or, under
/// any other name, by its first argument: `kiosk kioskd …` / `kiosk daemon …` and
/// `kiosk kioskctl …` / `kiosk ctl …`. The arguments after that are the program's own,
/// so every contract of `kioskd` and `kioskctl` holds whichever way it is called.
public enum MultiCallCommand {
    public enum Program: String, Sendable, Equatable {
        case daemon = "kioskd"
        case control = "kioskctl"
    }

    /// What an invocation asks for.
    public enum Invocation: Sendable, Equatable {
        /// Run `program` with these arguments (argv[0] removed).
        case run(Program, [String])
        /// Print the usage (to standard output when asked for, else to standard error) and
        /// exit with `status`.
        case usage(status: ExitStatus, message: String?)
        case version
    }

    public static let usage = """
    Usage: kioskd [OPTIONS]          the lobby daemon (kioskd --help)
           kioskctl COMMAND [...]    the staff and maintainer command line (kioskctl help)
           kiosk kioskd|daemon [...] the same, when called by another name
           kiosk kioskctl|ctl [...]
    """

    /// Decides from the whole command line, `argv[0]` included.
    public static func resolve(_ arguments: [String]) -> Invocation {
        let name = arguments.first.map { String($0.split(separator: "/", omittingEmptySubsequences: false).last ?? "") } ?? ""
        let rest = Array(arguments.dropFirst())
        if let program = Program(rawValue: name) { return .run(program, rest) }
        guard let first = rest.first else { return .usage(status: .usage, message: nil) }
        switch first {
        case "kioskd", "daemon": return .run(.daemon, Array(rest.dropFirst()))
        case "kioskctl", "ctl": return .run(.control, Array(rest.dropFirst()))
        case "--help", "-h", "help": return .usage(status: .ok, message: nil)
        case "--version": return .version
        default: return .usage(status: .usage, message: "kiosk: unknown program '\(first)' (kioskd or kioskctl)")
        }
    }

    /// Runs what `arguments` (`CommandLine.arguments`) asks for; returns the exit status.
    public static func main(arguments: [String]) async -> Int32 {
        switch resolve(arguments) {
        case .run(.daemon, let rest): return await DaemonCommand.main(arguments: rest)
        case .run(.control, let rest): return await ControlCommand.run(arguments: rest)
        case .version:
            print(DaemonCommand.version)
            return ExitStatus.ok.rawValue
        case .usage(let status, let message):
            let text = (message.map { $0 + "\n\n" } ?? "") + usage
            if status == .ok { print(text) } else { FileHandle.standardError.write(Data((text + "\n").utf8)) }
            return status.rawValue
        }
    }
}
