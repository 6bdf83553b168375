import Foundation
import KioskCore

extension ControlCommand {
    /// `kioskctl token new`: a staff API token, shown once, with its configuration lines.
    static var tokenSubcommand: Subcommand {
        Subcommand(
            name: "token", summary: "create a staff API token (printed once), or say how to revoke one",
            usage: """
            kioskctl token new --name NAME --role staff|maintainer [--format text|json]
            kioskctl token revoke NAME [--config FILE]

            Prints a new random token (256 bits) once, and the [token "NAME"] section to add
            to kiosk.conf: only the token's SHA-256 is stored there, so a lost token cannot be
            shown again; make a new one and replace the section. Then reload kioskd
            (systemctl reload kioskd). NAME is recorded in the audit log as who acted: 1-40
            of A-Z a-z 0-9 - _ . (one per person or team). The staff role pushes programmes
            and notices; maintainer may also import residents and read presence, attendance
            and the audit log.

            Give the token to the client as `Authorization: Bearer TOKEN` (kioskctl
            --token-file, the staff web page's sign-in).

            revoke NAME says which lines of the configuration to remove: once they are removed
            and kioskd reloaded, the token no longer opens the API, and every web session
            signed in with it ends at once (sessions re-check their token on every request).
            """,
            valued: ["--name", "--role", "--format", "--config"], flags: [], run: ControlActions.token)
    }
}

extension ControlActions {
    static let token: @Sendable (CommandLineOptions, inout ControlOutput) async throws -> ExitStatus = { options, out in
        if options.positionals.first == "revoke" { return try revokeToken(options, &out) }
        guard options.positionals == ["new"] else {
            throw UsageError(options.positionals.isEmpty ? "say new or revoke" : "unknown action '\(options.positionals[0])' (new or revoke)")
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

    /// `token revoke NAME`: the lines of `[token "NAME"]` in the configuration, to remove.
    static func revokeToken(_ options: CommandLineOptions, _ out: inout ControlOutput) throws -> ExitStatus {
        guard options.positionals.count == 2 else { throw UsageError("token revoke takes one NAME") }
        let name = options.positionals[1]
        let config = try loadConfig(options)
        guard let token = config.tokens.first(where: { $0.name == name }) else {
            let known = config.tokens.map(\.name)
            out.err("no [token \"\(name)\"] in \(config.path)" + (known.isEmpty ? "" : " (tokens there: \(known.joined(separator: ", ")))"))
            return .failure
        }
        // The section runs from its header to the line before the next section (or the end).
        let lines = (try? String(contentsOfFile: config.path, encoding: .utf8))?.components(separatedBy: "\n") ?? []
        var last = token.line
        var index = token.line
        while index < lines.count {
            let text = lines[index].trimmingCharacters(in: .whitespaces)
            if text.hasPrefix("[") { break }
            if !text.isEmpty { last = index + 1 }
            index += 1
        }
        out.out("To revoke token \"\(name)\" (\(token.role.rawValue)), remove lines \(token.line)-\(last) of \(config.path):\n")
        for number in token.line...last where number - 1 < lines.count { out.out("    \(lines[number - 1])") }
        out.out("""

        then reload kioskd (systemctl reload kioskd). From then on the token no longer opens the
        API, and every web session signed in with it ends at once. To sign out its web sessions
        without revoking it, use "Se déconnecter sur tous les appareils" on the staff page.
        """)
        return .ok
    }
}
