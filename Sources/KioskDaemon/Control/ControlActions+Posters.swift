import Foundation
import KioskCore

extension ControlCommand {
    /// `kioskctl posters`: a running kiosk's posters, through its staff API.
    static var posterSubcommand: Subcommand {
        Subcommand(
            name: "posters", summary: "list, post or withdraw posters shown full screen (API)",
            usage: """
            kioskctl posters list [--showing] --url URL --token-file FILE
            kioskctl posters post FILE --title TEXT --from DAY --to DAY [--days 1,2,...|lun,mar,...]
                                  [--hours 09:00-18:00] --url URL --token-file FILE
            kioskctl posters remove ID --url URL --token-file FILE

            post sends FILE (PNG or JPEG, a phone photo too) with its title and period: shown full
            screen in the rotation from DAY to DAY (YYYY-MM-DD, both included), on the given
            weekdays and between the given hours only when they are set. A picture the screen
            could not show is refused with the reason (exit 1). remove withdraws a poster.

            \(remoteCommon)
            """,
            valued: remoteValued.union(["--title", "--from", "--to", "--days", "--hours"]), flags: ["--showing"], run: ControlActions.remotePosters)
    }
}

extension ControlActions {
    static let remotePosters: @Sendable (CommandLineOptions, inout ControlOutput) async throws -> ExitStatus = { options, out in
        guard let action = options.positionals.first else { throw UsageError("say list, post or remove") }
        let fmt = try remoteFormat(options)
        let client = try apiClient(options)
        func line(_ p: PosterBody) -> String {
            var when = "\(p.from)..\(p.to)"
            if !p.days.isEmpty { when += " days \(p.days.map(String.init).joined(separator: ","))" }
            if let hours = p.hours { when += " \(hours)" }
            return "\(p.id): \(TerminalText.sanitized(p.title)) (\(when))"
        }
        switch action {
        case "list":
            let query = options.has("--showing") ? [URLQueryItem(name: "showing", value: "1")] : []
            let response = try await client.send("GET", "/api/v1/posters", query: query).checked("posters")
            if fmt == "json" { out.out(response.text); return .ok }
            let posters = try response.decode(PosterList.self, "posters").posters
            for p in posters { out.out(line(p)) }
            out.out("\(posters.count) posters")
            return .ok
        case "post":
            guard options.positionals.count == 2 else { throw UsageError("posters post FILE: one picture file") }
            let path = options.positionals[1]
            guard let data = FileManager.default.contents(atPath: path) else { throw UsageError("cannot read \(path)") }
            var query: [URLQueryItem] = []
            for name in ["title", "from", "to", "days", "hours"] {
                if let value = options.value("--" + name) { query.append(URLQueryItem(name: name, value: value)) }
            }
            let type = path.lowercased().hasSuffix(".png") ? "image/png" : path.lowercased().hasSuffix(".jpg") || path.lowercased().hasSuffix(".jpeg") ? "image/jpeg" : "application/octet-stream"
            let response = try await client.send("POST", "/api/v1/posters", query: query, body: data, contentType: type).checked("post the poster")
            if fmt == "json" { out.out(response.text); return .ok }
            out.out("posted " + line(try response.decode(PosterBody.self, "post the poster")))
            return .ok
        case "remove":
            guard options.positionals.count == 2 else { throw UsageError("posters remove ID") }
            let id = options.positionals[1]
            _ = try await client.send("DELETE", "/api/v1/posters/" + PercentEncoding.encode(id)).checked("withdraw poster \(id)")
            out.out("withdrew \(id)")
            return .ok
        default:
            throw UsageError("unknown posters action '\(action)': list, post or remove")
        }
    }
}
