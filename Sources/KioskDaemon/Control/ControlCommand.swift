import Foundation
import KioskCore
import KioskDisplay
import KioskStore

/// `kioskctl`: the staff and maintainer command line.
///
/// Every subcommand has `--help`; exit statuses are 0 ok, 1 failure, 2 usage, 78
/// configuration error. Commands that touch the database open it in the state directory
/// the daemon uses; SQLite's WAL lets them run while the daemon does, and the daemon
/// notices their commits on its next tick.
public enum ControlCommand {
    /// One subcommand: its name, its help, and what it does.
    struct Subcommand: Sendable {
        var name: String
        var summary: String
        var usage: String
        var valued: Set<String>
        var flags: Set<String>
        var run: @Sendable (CommandLineOptions, inout ControlOutput) async throws -> ExitStatus
    }

    static let common = """
    Common options:
      --config FILE     configuration (default: $KIOSK_CONFIG or /etc/kiosk/kiosk.conf)
      --state-dir DIR   state directory (default: $STATE_DIRECTORY, then the configuration's)
    """

    static var subcommands: [Subcommand] {
        // notices, residents, presence, attendance: through the API with --url (ControlActions+Remote).
        ([
            Subcommand(
                name: "check-config", summary: "check the configuration file",
                usage: "kioskctl check-config [--config FILE] [--state-dir DIR]\n\nReads the configuration and reports the first mistake as file:line: message (exit 78),\nor says where the state database lives.",
                valued: ["--config", "--state-dir"], flags: [], run: ControlActions.checkConfig),
            Subcommand(
                name: "today", summary: "print today's programme as the screen shows it",
                usage: "kioskctl today [--at ISO8601] [--format text|json] [--config FILE] [--state-dir DIR]\n\nPrints what is on now, later today and in the days ahead, from the database.\n\n\(common)",
                valued: ["--config", "--state-dir", "--at", "--format"], flags: [], run: ControlActions.today),
            Subcommand(
                name: "occurrences", summary: "list the occurrences of an iCalendar or OpenAgenda file",
                usage: "kioskctl occurrences FILE [--from ISO8601] [--to ISO8601] [--tz ZONE] --format json\n\nExpands the events of FILE (iCalendar, OpenAgenda JSON or native JSON) in the window\nand prints them as a JSON array sorted by start then uid. Timed start/end are UTC;\nall-day ones are dates (end exclusive); floating times are read in --tz (default\nthe venue's zone, Europe/Paris).",
                valued: ["--from", "--to", "--tz", "--format", "--config"], flags: [], run: ControlActions.occurrences),
            Subcommand(
                name: "sources", summary: "show each programme source's status",
                usage: "kioskctl sources [--format text|json] [--config FILE] [--state-dir DIR]\n\nLists every programme source with its last success, last error, event count and what its\nlast read skipped (warnings with their line numbers).\n\n\(common)",
                valued: ["--config", "--state-dir", "--format"], flags: [], run: ControlActions.sources),
            Subcommand(
                name: "residents", summary: "import or list the resident directory",
                usage: "kioskctl residents import FILE [--replace] [--config FILE] [--state-dir DIR]\nkioskctl residents list [--format text|json|csv] [--config FILE] [--state-dir DIR]\n\nimport reads CSV (header row: name,kind,sector,location,membership,summary,website,logo;\ncommas or semicolons) or JSON; --replace also removes residents missing from the file.\nlogo: a PNG or JPEG path (relative to FILE's folder), read and stored now, an http(s)\nURL that kioskd fetches, or sha256:HASH, a picture this kiosk stores (what list shows for\na logo read from a file: a list imported again keeps its logos); a logo that cannot be\nused is a warning, the resident is kept.\n\n\(common)",
                valued: ["--config", "--state-dir", "--format"], flags: ["--replace"], run: ControlActions.residents),
            Subcommand(
                name: "notices", summary: "import, list or remove notices of the notice board",
                usage: "kioskctl notices import FILE [--config FILE] [--state-dir DIR]\nkioskctl notices list [--all] [--format text|json] [--config FILE] [--state-dir DIR]\nkioskctl notices remove ID [--config FILE] [--state-dir DIR]\n\nimport reads the JSON notice format (see README); list shows live notices, --all every\nstored one.\n\n\(common)",
                valued: ["--config", "--state-dir", "--format"], flags: ["--all"], run: ControlActions.notices),
        ] + checkInSubcommands + [renderSubcommand, tokenSubcommand]).map(remoteCapable) + remoteSubcommands + [alertSubcommand, doctorSubcommand]
    }

    static var usage: String {
        let width = subcommands.map(\.name.count).max() ?? 0
        let lines = subcommands.map { "  " + $0.name.padding(toLength: width + 2, withPad: " ", startingAt: 0) + $0.summary }
        return """
        Usage: kioskctl COMMAND [OPTIONS]

        Commands:
        \(lines.joined(separator: "\n"))
          help\(String(repeating: " ", count: max(2, width - 2)))this text; `kioskctl COMMAND --help` for one command

        Exit status: 0 ok, 1 failure, 2 usage, 78 configuration error.
        """
    }

    /// Runs one command line with the process's own standard output and error.
    public static func run(arguments: [String]) async -> Int32 {
        var output = ControlOutput.process
        return await main(arguments: arguments, output: &output)
    }

    /// Runs one command line; returns the exit status. Output goes to `output`.
    public static func main(arguments: [String], output: inout ControlOutput) async -> Int32 {
        guard let name = arguments.first, name != "help", name != "--help", name != "-h" else {
            output.out(usage)
            return arguments.isEmpty ? ExitStatus.usage.rawValue : ExitStatus.ok.rawValue
        }
        if name == "--version" { output.out("kioskctl 0.1.0"); return 0 }
        guard let command = subcommands.first(where: { $0.name == name }) else {
            output.err("kioskctl: unknown command '\(name)'\n\n\(usage)")
            return ExitStatus.usage.rawValue
        }
        do {
            let options = try CommandLineOptions(Array(arguments.dropFirst()), valued: command.valued, flags: command.flags)
            if options.wantsHelp { output.out(command.usage); return 0 }
            return try await command.run(options, &output).rawValue
        } catch let error as UsageError {
            output.err("kioskctl \(name): \(error)\n\n\(command.usage)")
            return ExitStatus.usage.rawValue
        } catch let error as ConfigError {
            output.err("kioskctl: \(error)")
            return ExitStatus.config.rawValue
        } catch let error as PixelThemeError {
            // A theme line or a contrast below WCAG's: the configuration's to fix.
            output.err("kioskctl: \(error)")
            return ExitStatus.config.rawValue
        } catch {
            output.err("kioskctl \(name): \(error)")
            return ExitStatus.failure.rawValue
        }
    }
}

/// Where a command's output goes: the process's streams, or strings in tests.
public struct ControlOutput: Sendable {
    public private(set) var standardOutput = ""
    public private(set) var standardError = ""
    private let live: Bool

    /// Writes through to stdout/stderr as it goes.
    public static var process: ControlOutput { ControlOutput(live: true) }
    /// Collects into strings.
    public static var captured: ControlOutput { ControlOutput(live: false) }

    init(live: Bool) { self.live = live }

    public mutating func out(_ text: String) {
        if live { FileHandle.standardOutput.write(Data((text + "\n").utf8)) } else { standardOutput += text + "\n" }
    }

    /// Writes `text` exactly as given, without adding a newline (CSV with CRLF line ends).
    public mutating func outExactly(_ text: String) {
        if live { FileHandle.standardOutput.write(Data(text.utf8)) } else { standardOutput += text }
    }

    public mutating func err(_ text: String) {
        if live { FileHandle.standardError.write(Data((text + "\n").utf8)) } else { standardError += text + "\n" }
    }
}
