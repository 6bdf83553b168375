import Foundation
import KioskCore

extension ControlCommand {
    static let remoteCommon = """
    Remote options:
      --url URL          the kiosk's API, e.g. http://192.168.1.20:8080 (default: $KIOSK_URL)
      --token-file FILE  file holding the API token, mode 600 (default: $KIOSK_TOKEN_FILE)
      --format json      print the server's JSON instead of readable text
    HTTP errors print the server's reason and exit 1.
    """

    static let remoteValued: Set<String> = ["--url", "--token-file", "--format"]
    static let noticeFields: Set<String> = ["--kind", "--title", "--body", "--author", "--terms", "--deadline", "--event-date", "--expires", "--urgent"]

    /// The commands that only talk to a running kiosk over its staff API.
    static var remoteSubcommands: [Subcommand] {
        [
            Subcommand(
                name: "push", summary: "push a programme file to a running kiosk, or remove one (API)",
                usage: """
                kioskctl push NAME FILE [--dry-run] --url URL --token-file FILE
                kioskctl push remove NAME --url URL --token-file FILE

                Sends FILE (iCalendar .ics, OpenAgenda or native JSON) as the programme source
                push:NAME (NAME: 1-40 of a-z 0-9 - _), replacing the previous push of that name,
                all its events or none. Prints the validation report: events read, errors and
                warnings with their line in FILE; exit 1 when the file has errors (nothing is
                changed then). --dry-run only validates. `push remove NAME` withdraws it.

                \(remoteCommon)
                """,
                valued: remoteValued, flags: ["--dry-run"], run: ControlActions.push),
            Subcommand(
                name: "programme", summary: "list a running kiosk's programme sources (API)",
                usage: "kioskctl programme --url URL --token-file FILE [--format json]\n\nEvery source (pulled feeds and pushes) with its events, last success and last error.\n\n\(remoteCommon)",
                valued: remoteValued, flags: [], run: ControlActions.remoteProgramme),
            Subcommand(
                name: "screen", summary: "what a running kiosk's screen shows now (API)",
                usage: "kioskctl screen --url URL --token-file FILE [--format json]\n\nThe screen as text (the terminal rendering without colours), or its screen model.\n\n\(remoteCommon)",
                valued: remoteValued, flags: [], run: ControlActions.remoteScreen),
            Subcommand(
                name: "health", summary: "a running kiosk's health: store, programme freshness, reader (API)",
                usage: "kioskctl health --url URL [--format json]\n\nGET /healthz (no token needed); exit 1 when the kiosk says it does not work (503).\n\n\(remoteCommon)",
                valued: remoteValued, flags: [], run: ControlActions.remoteHealth),
            Subcommand(
                name: "audit", summary: "the audit log of writes through the API (maintainer)",
                usage: "kioskctl audit [--limit N] --url URL --token-file FILE [--format json]\n\nWho pushed, posted, changed or removed what, and when, newest first.\n\n\(remoteCommon)",
                valued: remoteValued.union(["--limit"]), flags: [], run: ControlActions.remoteAudit),
            posterSubcommand,
        ]
    }

    /// `notices`, `residents`, `presence` and `attendance` work on the local database, and
    /// through a running kiosk's API when `--url` is given on the command line.
    static func remoteCapable(_ command: Subcommand) -> Subcommand {
        var extra: Set<String>
        let remote: @Sendable (CommandLineOptions, inout ControlOutput) async throws -> ExitStatus
        let remoteUsage: String
        switch command.name {
        case "notices":
            extra = noticeFields
            remote = ControlActions.remoteNotices
            remoteUsage = """
            Through a running kiosk's API (--url):
            kioskctl notices list [--all] --url URL
            kioskctl notices show ID --url URL
            kioskctl notices post (FILE.json | --kind KIND --title TEXT [--body TEXT] [--author TEXT]
                                   [--terms gift|sale|rental|loan] [--deadline DAY] [--event-date DAY]
                                   [--expires RFC3339] [--urgent yes|no]) --url URL
            kioskctl notices update ID [FILE.json] [--title ... any field above] --url URL
            kioskctl notices remove ID --url URL
            KIND: information, offer, request, call (needs --deadline), professional-event (needs
            --event-date). update sends the whole notice: the stored one with the given fields changed.
            """
        case "residents":
            extra = []
            remote = ControlActions.remoteResidents
            remoteUsage = "Through a running kiosk's API (--url, maintainer token):\nkioskctl residents import FILE [--replace] --url URL\nkioskctl residents list --url URL"
        case "presence":
            extra = []
            remote = ControlActions.remotePresence
            remoteUsage = "Through a running kiosk's API: kioskctl presence --url URL (maintainer token)"
        case "attendance":
            extra = []
            remote = ControlActions.remoteAttendance
            remoteUsage = "Through a running kiosk's API: kioskctl attendance --from DAY [--to DAY] [--by day|hour|event] --url URL\n(maintainer token; --format csv, the default, or json)"
        default:
            return command
        }
        extra.formUnion(["--url", "--token-file"])
        let remoteOnly = extra.subtracting(command.valued)
        var changed = command
        changed.summary += " (--url: through the API)"
        changed.valued.formUnion(extra)
        changed.usage += "\n\n" + remoteUsage + "\n\n" + remoteCommon
        let local = command.run
        changed.run = { options, out in
            if options.value("--url") != nil { return try await remote(options, &out) }
            // Options that only mean something remotely are mistakes here.
            if let stray = remoteOnly.sorted().first(where: { options.value($0) != nil }) {
                throw UsageError("\(stray) needs --url (it only applies through the API)")
            }
            return try await local(options, &out)
        }
        return changed
    }
}

extension ControlActions {
    // MARK: client

    /// The API client from `--url`/`$KIOSK_URL` and `--token-file`/`$KIOSK_TOKEN_FILE`.
    static func apiClient(_ options: CommandLineOptions, needsToken: Bool = true) throws -> APIClient {
        let environment = ProcessInfo.processInfo.environment
        guard let text = options.value("--url") ?? environment["KIOSK_URL"], !text.isEmpty else {
            throw UsageError("--url URL (or $KIOSK_URL) is required: the kiosk's API, e.g. http://127.0.0.1:8080")
        }
        guard let url = URL(string: text), let scheme = url.scheme?.lowercased(), scheme == "http" || scheme == "https", url.host != nil else {
            throw UsageError("--url '\(text)' is not an http:// or https:// URL")
        }
        var token: String?
        if let path = options.value("--token-file") ?? environment["KIOSK_TOKEN_FILE"], !path.isEmpty {
            token = try APITokenFile(path: path).read()
        } else if needsToken {
            throw UsageError("--token-file FILE (or $KIOSK_TOKEN_FILE) is required: a file holding an API token (kioskctl token new)")
        }
        return APIClient(baseURL: url, token: token)
    }

    static func remoteFormat(_ options: CommandLineOptions, _ allowed: [String] = ["text", "json"]) throws -> String {
        try format(options, allowed: allowed)
    }

    /// The content type the server tells formats apart by: from the extension, else the
    /// first non-blank byte.
    static func contentType(ofFile path: String, _ data: Data) -> String {
        switch (path as NSString).pathExtension.lowercased() {
        case "ics", "ical", "ifb": return "text/calendar"
        case "json": return "application/json"
        case "csv": return "text/csv"
        default:
            let head = String(decoding: data.prefix(64), as: UTF8.self).trimmingCharacters(in: .whitespacesAndNewlines)
            if head.hasPrefix("BEGIN:VCALENDAR") { return "text/calendar" }
            if head.hasPrefix("{") || head.hasPrefix("[") { return "application/json" }
            return "text/csv"
        }
    }

    static func readFile(_ path: String) throws -> Data {
        guard let data = FileManager.default.contents(atPath: path) else {
            throw CheckInCommandError("cannot read \(path)")
        }
        return data
    }

    static func string(_ value: Any?) -> String {
        switch value {
        case nil, is NSNull: ""
        case let s as String: s
        case let n as NSNumber: n.stringValue
        default: "\(value!)"
        }
    }

    /// The `errors`/`warnings` of a validation report, one per line: `line 31: message`.
    static func printIssues(_ report: [String: Any], out: inout ControlOutput) {
        for (key, label) in [("errors", "error"), ("warnings", "warning")] {
            for issue in report[key] as? [[String: Any]] ?? [] {
                let line = issue["line"].map { "line \(string($0))" } ?? "file"
                out.out("  \(line): \(label): \(TerminalText.sanitized(string(issue["message"])))")
            }
        }
    }

    // MARK: push

    static let push: @Sendable (CommandLineOptions, inout ControlOutput) async throws -> ExitStatus = { options, out in
        let fmt = try remoteFormat(options)
        let args = options.positionals
        guard args.count == 2 else { throw UsageError("give NAME FILE, or remove NAME") }
        let client = try apiClient(options)
        if args[0] == "remove" {
            let name = args[1]
            _ = try await client.send("DELETE", "/api/v1/programme/\(percentEncoded(name))").checked("push remove \(name)")
            out.out("removed push:\(name)")
            return .ok
        }
        let (name, path) = (args[0], args[1])
        let data = try readFile(path)
        let response = try await client.send(
            "PUT", "/api/v1/programme/\(percentEncoded(name))", query: options.has("--dry-run") ? [URLQueryItem(name: "dry-run", value: "1")] : [],
            body: data, contentType: contentType(ofFile: path, data))
        // 422 carries the validation report: show it rather than only its reason.
        guard response.isSuccess || response.status == 422, let report = response.jsonObject, report["error"] == nil else {
            throw APIStatusError(what: "push \(name)", status: response.status, reason: response.reason)
        }
        if fmt == "json" { out.out(response.text); return response.isSuccess ? .ok : .failure }
        let source = string(report["source"]).isEmpty ? "push:\(name)" : string(report["source"])
        let errors = (report["errors"] as? [Any])?.count ?? 0
        let warnings = (report["warnings"] as? [Any])?.count ?? 0
        let applied = (report["applied"] as? Bool) ?? false
        var summary = "\(path) -> \(source) (\(string(report["format"]))): \(string(report["eventsRead"])) events read"
        if errors > 0 { summary += ", \(errors) error\(errors == 1 ? "" : "s")" }
        if warnings > 0 { summary += ", \(warnings) warning\(warnings == 1 ? "" : "s")" }
        if applied { summary += "; applied" }
        else if response.status == 422 || errors > 0 { summary += "; nothing changed" }
        else { summary += "; valid, not applied (dry run)" }
        out.out(summary)
        printIssues(report, out: &out)
        return response.isSuccess && errors == 0 ? .ok : .failure
    }

    static func percentEncoded(_ segment: String) -> String {
        segment.addingPercentEncoding(withAllowedCharacters: .alphanumerics.union(CharacterSet(charactersIn: "-_.~"))) ?? segment
    }

    // MARK: programme, screen, health, audit

    static let remoteProgramme: @Sendable (CommandLineOptions, inout ControlOutput) async throws -> ExitStatus = { options, out in
        try noPositionals(options)
        let fmt = try remoteFormat(options)
        let response = try await apiClient(options).send("GET", "/api/v1/programme").checked("programme")
        if fmt == "json" { out.out(response.text); return .ok }
        let sources = response.jsonObject?["sources"] as? [[String: Any]] ?? []
        if sources.isEmpty { out.out("no programme source") }
        for s in sources {
            let error = string(s["lastError"])
            out.out("\(string(s["id"])) [\(string(s["kind"]))] \(error.isEmpty ? "ok" : "FAILING"), \(string(s["events"])) events")
            out.out("  last success: \(string(s["lastSuccess"]).isEmpty ? "never" : string(s["lastSuccess"]))")
            if !error.isEmpty { out.out("  last error:   \(TerminalText.sanitized(error))") }
        }
        return .ok
    }

    static let remoteScreen: @Sendable (CommandLineOptions, inout ControlOutput) async throws -> ExitStatus = { options, out in
        try noPositionals(options)
        let fmt = try remoteFormat(options)
        let query = fmt == "json" ? [URLQueryItem(name: "format", value: "json")] : []
        let response = try await apiClient(options).send("GET", "/api/v1/screen", query: query, accept: fmt == "json" ? "application/json" : "text/plain")
            .checked("screen")
        if fmt == "json" { out.out(response.text); return .ok }
        // Line by line: the server's text keeps its layout, never a control sequence.
        let lines = response.text.split(separator: "\n", omittingEmptySubsequences: false).map { TerminalText.sanitized(String($0)) }
        out.outExactly(lines.joined(separator: "\n") + (response.text.hasSuffix("\n") ? "" : "\n"))
        return .ok
    }

    static let remoteHealth: @Sendable (CommandLineOptions, inout ControlOutput) async throws -> ExitStatus = { options, out in
        try noPositionals(options)
        let fmt = try remoteFormat(options)
        let response = try await apiClient(options, needsToken: false).send("GET", "/healthz")
        guard response.status == 200 || response.status == 503, let health = response.jsonObject, health["error"] == nil else {
            throw APIStatusError(what: "health", status: response.status, reason: response.reason)
        }
        if fmt == "json" { out.out(response.text); return response.status == 200 ? .ok : .failure }
        let programme = health["programme"] as? [String: Any] ?? [:]
        let last = string(programme["lastSuccess"])
        let stale = (programme["stale"] as? Bool) ?? false
        out.out("status:    \(string(health["status"]))\(response.status == 503 ? " (HTTP 503)" : "")")
        out.out("programme: last success \(last.isEmpty ? "never" : last)\(stale ? ", STALE" : "")")
        out.out("reader:    \(string(health["reader"]))")
        return response.status == 200 ? .ok : .failure
    }

    static let remoteAudit: @Sendable (CommandLineOptions, inout ControlOutput) async throws -> ExitStatus = { options, out in
        try noPositionals(options)
        let fmt = try remoteFormat(options)
        var query: [URLQueryItem] = []
        if let limit = options.value("--limit") {
            guard let n = Int(limit), n > 0 else { throw UsageError("--limit must be a positive number") }
            query.append(URLQueryItem(name: "limit", value: String(n)))
        }
        let response = try await apiClient(options).send("GET", "/api/v1/audit", query: query).checked("audit")
        if fmt == "json" { out.out(response.text); return .ok }
        let entries = response.jsonObject?["entries"] as? [[String: Any]] ?? []
        for e in entries {
            out.out("\(string(e["at"]))  \(TerminalText.sanitized(string(e["actor"])))  \(string(e["action"]))  \(TerminalText.sanitized(string(e["detail"])))")
        }
        out.out("\(entries.count) entries")
        return .ok
    }

    // MARK: notices

    static let remoteNotices: @Sendable (CommandLineOptions, inout ControlOutput) async throws -> ExitStatus = { options, out in
        guard let action = options.positionals.first else { throw UsageError("say list, show, post, update or remove") }
        let fmt = try remoteFormat(options)
        let client = try apiClient(options)
        func printNotice(_ n: [String: Any]) {
            let urgent = (n["urgent"] as? Bool) == true ? ", urgent" : ""
            out.out("\(string(n["id"])): [\(string(n["kind"]))\(urgent)] \(TerminalText.sanitized(string(n["title"]))) (until \(string(n["expires"])))")
        }
        func printDetail(_ n: [String: Any]) {
            printNotice(n)
            for key in ["author", "terms", "deadline", "eventDate", "posted"] where !string(n[key]).isEmpty {
                out.out("  \(key): \(TerminalText.sanitized(string(n[key])))")
            }
            if !string(n["body"]).isEmpty { out.out("  " + TerminalText.sanitized(string(n["body"]))) }
        }
        switch action {
        case "list":
            try noPositionals(options, expected: 1)
            let query = options.has("--all") ? [URLQueryItem(name: "all", value: "1")] : []
            let response = try await client.send("GET", "/api/v1/notices", query: query).checked("notices list")
            if fmt == "json" { out.out(response.text); return .ok }
            let notices = response.jsonObject?["notices"] as? [[String: Any]] ?? []
            notices.forEach(printNotice)
            out.out("\(notices.count) notices")
        case "show":
            guard options.positionals.count == 2 else { throw UsageError("notices show takes one ID") }
            let id = options.positionals[1]
            let response = try await client.send("GET", "/api/v1/notices/\(percentEncoded(id))").checked("notices show \(id)")
            if fmt == "json" { out.out(response.text); return .ok }
            printDetail(response.jsonObject ?? [:])
        case "post":
            guard options.positionals.count <= 2 else { throw UsageError("notices post takes at most one FILE") }
            var notice: [String: Any] = [:]
            if options.positionals.count == 2 { notice = try noticeObject(fromFile: options.positionals[1]) }
            try applyNoticeFields(options, to: &notice)
            guard notice["title"] != nil, notice["kind"] != nil else { throw UsageError("a notice needs --kind and --title (or a FILE holding them)") }
            let body = try JSONSerialization.data(withJSONObject: notice, options: [.sortedKeys])
            let response = try await client.send("POST", "/api/v1/notices", body: body, contentType: "application/json").checked("notices post")
            if fmt == "json" { out.out(response.text); return .ok }
            out.out("posted")
            printDetail(response.jsonObject ?? [:])
        case "update":
            guard (2...3).contains(options.positionals.count) else { throw UsageError("notices update takes ID and an optional FILE") }
            let id = options.positionals[1]
            var notice: [String: Any]
            if options.positionals.count == 3 {
                notice = try noticeObject(fromFile: options.positionals[2])
            } else {
                let current = try await client.send("GET", "/api/v1/notices/\(percentEncoded(id))").checked("notices update \(id)")
                notice = current.jsonObject ?? [:]
            }
            try applyNoticeFields(options, to: &notice)
            notice["id"] = id
            let body = try JSONSerialization.data(withJSONObject: notice, options: [.sortedKeys])
            let response = try await client.send("PUT", "/api/v1/notices/\(percentEncoded(id))", body: body, contentType: "application/json")
                .checked("notices update \(id)")
            if fmt == "json" { out.out(response.text); return .ok }
            out.out("updated")
            printDetail(response.jsonObject ?? notice)
        case "remove":
            guard options.positionals.count == 2 else { throw UsageError("notices remove takes one ID") }
            let id = options.positionals[1]
            _ = try await client.send("DELETE", "/api/v1/notices/\(percentEncoded(id))").checked("notices remove \(id)")
            out.out("removed \(id)")
        case "import":
            throw UsageError("notices import works on the local database; through the API use notices post FILE")
        default:
            throw UsageError("unknown action '\(action)' (list, show, post, update or remove)")
        }
        return .ok
    }

    static func noticeObject(fromFile path: String) throws -> [String: Any] {
        guard let object = try JSONSerialization.jsonObject(with: readFile(path)) as? [String: Any] else {
            throw CheckInCommandError("\(path): not a JSON object (one notice, as in docs/api.md)")
        }
        return object
    }

    /// `--kind`, `--title`... over the notice's fields (API names: `eventDate`).
    static func applyNoticeFields(_ options: CommandLineOptions, to notice: inout [String: Any]) throws {
        let fields = ["--kind": "kind", "--title": "title", "--body": "body", "--author": "author", "--terms": "terms",
                      "--deadline": "deadline", "--event-date": "eventDate", "--expires": "expires"]
        for (option, key) in fields { if let v = options.value(option) { notice[key] = v } }
        if let urgent = options.value("--urgent") {
            switch urgent.lowercased() {
            case "yes", "true", "1": notice["urgent"] = true
            case "no", "false", "0": notice["urgent"] = false
            default: throw UsageError("--urgent takes yes or no")
            }
        }
    }

    // MARK: residents, presence, attendance

    static let remoteResidents: @Sendable (CommandLineOptions, inout ControlOutput) async throws -> ExitStatus = { options, out in
        guard let action = options.positionals.first else { throw UsageError("say import or list") }
        let fmt = try remoteFormat(options)
        let client = try apiClient(options)
        switch action {
        case "import":
            guard options.positionals.count == 2 else { throw UsageError("residents import takes one FILE") }
            let path = options.positionals[1]
            let data = try readFile(path)
            let response = try await client.send(
                "POST", "/api/v1/residents", query: options.has("--replace") ? [URLQueryItem(name: "replace", value: "1")] : [],
                body: data, contentType: contentType(ofFile: path, data))
            guard response.isSuccess || response.status == 422, let report = response.jsonObject, report["error"] == nil else {
                throw APIStatusError(what: "residents import", status: response.status, reason: response.reason)
            }
            if fmt == "json" { out.out(response.text); return response.isSuccess ? .ok : .failure }
            if response.isSuccess {
                out.out("\(path): \(string(report["added"])) added, \(string(report["updated"])) updated, \(string(report["removed"])) removed")
            } else {
                out.out("\(path): \((report["errors"] as? [Any])?.count ?? 0) invalid rows; nothing changed")
            }
            printIssues(report, out: &out)
            return response.isSuccess ? .ok : .failure
        case "list":
            try noPositionals(options, expected: 1)
            let response = try await client.send("GET", "/api/v1/residents").checked("residents list")
            if fmt == "json" { out.out(response.text); return .ok }
            let residents = response.jsonObject?["residents"] as? [[String: Any]] ?? []
            for r in residents {
                let location = string(r["location"]).isEmpty ? string(r["membership"]) : string(r["location"])
                out.out("\(TerminalText.sanitized(string(r["name"]))) — \(string(r["kind"])), \(TerminalText.sanitized(string(r["sector"]))) — \(TerminalText.sanitized(location))")
            }
            out.out("\(residents.count) residents")
            return .ok
        default:
            throw UsageError("unknown action '\(action)' (import or list)")
        }
    }

    static let remotePresence: @Sendable (CommandLineOptions, inout ControlOutput) async throws -> ExitStatus = { options, out in
        try noPositionals(options)
        let fmt = try remoteFormat(options)
        let response = try await apiClient(options).send("GET", "/api/v1/presence").checked("presence")
        if fmt == "json" { out.out(response.text); return .ok }
        let present = response.jsonObject?["present"] as? [[String: Any]] ?? []
        out.out("\(present.count) in the building")
        for p in present {
            out.out("  \(TerminalText.sanitized(string(p["name"]))) (\(string(p["role"]))) since \(string(p["since"]))")
        }
        return .ok
    }

    static let remoteAttendance: @Sendable (CommandLineOptions, inout ControlOutput) async throws -> ExitStatus = { options, out in
        try noPositionals(options)
        let fmt = try remoteFormat(options, ["csv", "json"])
        let from = try options.required("--from")
        var query = [URLQueryItem(name: "from", value: from)]
        if let to = options.value("--to") { query.append(URLQueryItem(name: "to", value: to)) }
        if let by = options.value("--by") { query.append(URLQueryItem(name: "by", value: by)) }
        let response = try await apiClient(options).send("GET", "/api/v1/attendance", query: query).checked("attendance")
        if fmt == "json" { out.out(response.text); return .ok }
        let rows = response.jsonObject?["rows"] as? [[String: Any]] ?? []
        // Columns: those of the first row, in a stable order.
        let columns = rows.first.map { $0.keys.sorted() } ?? []
        let table = [columns] + rows.map { row in columns.map { string(row[$0]) } }
        out.outExactly(CSV.format(table))
        return .ok
    }
}
