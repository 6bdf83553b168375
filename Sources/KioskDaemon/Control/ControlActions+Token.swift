import Foundation
import KioskCore

extension ControlCommand {
    /// `kioskctl token new`: a staff API token, shown once, with its configuration lines.
    static var tokenSubcommand: Subcommand {
        Subcommand(
            name: "token", summary: "create a staff API token (printed once) and its configuration lines",
            usage: """
            kioskctl token new --name NAME --role staff|maintainer [--format text|json]

            Prints a new random token (256 bits) once, and the [token "NAME"] section to add
            to kiosk.conf: only the token's SHA-256 is stored there, so a lost token cannot be
            shown again; make a new one and replace the section. Then reload kioskd
            (systemctl reload kioskd). NAME is recorded in the audit log as who acted: 1-40
            of A-Z a-z 0-9 - _ . (one per person or team). The staff role pushes programmes
            and notices; maintainer may also import residents and read presence, attendance
            and the audit log.

            Give the token to the client as `Authorization: Bearer TOKEN` (kioskctl
            --token-file, the staff web page's sign-in).
            """,
            valued: ["--name", "--role", "--format"], flags: [], run: ControlActions.token)
    }
}

extension ControlActions {
    static let token: @Sendable (CommandLineOptions, inout ControlOutput) async throws -> ExitStatus = { options, out in
        guard options.positionals == ["new"] else {
            throw UsageError(options.positionals.isEmpty ? "say new" : "unknown action '\(options.positionals[0])' (new)")
        }
        guard let name = options.value("--name") else { throw UsageError("--name NAME is required") }
        guard KioskConfig.isTokenName(name) else { throw UsageError("--name '\(name)' must be 1-40 of A-Z a-z 0-9 - _ .") }
        guard let roleText = options.value("--role") else { throw UsageError("--role staff|maintainer is required") }
        guard let role = APIRole(rawValue: roleText) else { throw UsageError("--role must be staff or maintainer") }
        let fmt = try format(options, allowed: ["text", "json"])
        let token = APIToken.generate()
        let section = "[token \"\(name)\"]\nrole = \(role.rawValue)\nhash = \(token.digest)"
        if fmt == "json" {
            out.out(try json(["name": name, "role": role.rawValue, "token": token.text, "hash": token.digest.description, "config": section + "\n"]))
            return .ok
        }
        out.out("""
        Token for "\(name)" (\(role.rawValue)); it is shown only this once:

            \(token.text)

        Add these lines to kiosk.conf, then reload kioskd (systemctl reload kioskd):

        \(section)
        """)
        return .ok
    }
}
