/// Exit statuses shared by `kioskd` and `kioskctl` (sysexits.h where one fits).
public enum ExitStatus: Int32, Sendable {
    case ok = 0
    case failure = 1
    case usage = 2
    /// EX_CONFIG: the configuration is wrong.
    case config = 78
}

/// A mistake on the command line; printed with the usage text, exit status 2.
public struct UsageError: Error, Sendable, CustomStringConvertible {
    public var message: String
    public init(_ message: String) { self.message = message }
    public var description: String { message }
}

/// Command-line arguments split into positionals, `--option value` / `--option=value`
/// pairs and `--flag`s, checked against what a command accepts.
public struct CommandLineOptions: Sendable {
    public private(set) var positionals: [String] = []
    private var values: [String: String] = [:]
    private var flags: Set<String> = []

    /// - Parameters:
    ///   - valued: options that take a value (`--config FILE`).
    ///   - flags: options that do not (`--demo`).
    public init(_ arguments: [String], valued: Set<String>, flags allowedFlags: Set<String>) throws(UsageError) {
        var i = 0
        var onlyPositionals = false
        while i < arguments.count {
            let arg = arguments[i]
            i += 1
            if onlyPositionals || !arg.hasPrefix("-") || arg == "-" {
                positionals.append(arg)
                continue
            }
            if arg == "--" { onlyPositionals = true; continue }
            var name = arg
            var inline: String?
            if let eq = arg.firstIndex(of: "=") {
                name = String(arg[..<eq])
                inline = String(arg[arg.index(after: eq)...])
            }
            if name == "-h" { name = "--help" }
            if valued.contains(name) {
                if let inline { values[name] = inline; continue }
                guard i < arguments.count else { throw UsageError("\(name) needs a value") }
                values[name] = arguments[i]
                i += 1
            } else if allowedFlags.contains(name) || name == "--help" {
                guard inline == nil else { throw UsageError("\(name) takes no value") }
                flags.insert(name)
            } else {
                throw UsageError("unknown option \(name)")
            }
        }
    }

    public func value(_ name: String) -> String? { values[name] }
    public func has(_ name: String) -> Bool { flags.contains(name) }
    public var wantsHelp: Bool { flags.contains("--help") }

    /// The value of an option that must be given.
    public func required(_ name: String) throws(UsageError) -> String {
        guard let v = values[name] else { throw UsageError("\(name) is required") }
        return v
    }
}
