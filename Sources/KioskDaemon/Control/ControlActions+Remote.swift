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

    /// `value` or "" (for printing optional fields).
    static func text(_ value: String?) -> String { value ?? "" }

    /// The errors and warnings of a validation report, one per line:
    /// `line 31 (« Atelier »): error: message`.
    static func printIssues(errors: [ProgrammePushReport.Issue], warnings: [ProgrammePushReport.Issue], out: inout ControlOutput) {
        for (issues, label) in [(errors, "error"), (warnings, "warning")] {
            for issue in issues {
                let line = issue.line.map { "line \($0)" } ?? "file"
                let event = issue.event.map { " (\(TerminalText.sanitized($0)))" } ?? ""
                out.out("  \(line)\(event): \(label): \(TerminalText.sanitized(issue.message))")
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
        guard response.isSuccess || response.status == 422, let report = try? response.decode(ProgrammePushReport.self, "push \(name)") else {
            throw APIStatusError(what: "push \(name)", status: response.status, reason: response.reason)
        }
        if fmt == "json" { out.out(response.text); return response.isSuccess ? .ok : .failure }
        let errors = report.errors.count, warnings = report.warnings.count
        var summary = "\(path) -> \(report.source) (\(text(report.format))): \(report.eventsRead) events read"
        if errors > 0 { summary += ", \(errors) error\(errors == 1 ? "" : "s")" }
        if warnings > 0 { summary += ", \(warnings) warning\(warnings == 1 ? "" : "s")" }
        if report.applied {
            summary += "; applied"
        } else if response.status == 422 || errors > 0 {
            summary += "; nothing changed"
        } else {
            summary += "; valid, not applied (dry run)"
        }
        out.out(summary)
        printIssues(errors: report.errors, warnings: report.warnings, out: &out)
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
        let sources = try response.decode(ProgrammeSourceList.self, "programme").sources
        if sources.isEmpty { out.out("no programme source") }
        for s in sources {
            let error = text(s.lastError)
            out.out("\(s.id) [\(s.kind)] \(error.isEmpty ? "ok" : "FAILING"), \(s.events) events")
            let by = s.pushedBy.map { " by \(TerminalText.sanitized($0))" } ?? ""
            out.out("  last success: \(s.lastSuccess.map(ISO8601.format) ?? "never")\(by)")
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
        guard response.status == 200 || response.status == 503, let health = try? response.decode(HealthBody.self, "health") else {
            throw APIStatusError(what: "health", status: response.status, reason: response.reason)
        }
        if fmt == "json" { out.out(response.text); return response.status == 200 ? .ok : .failure }
        out.out("status:    \(health.status)\(response.status == 503 ? " (HTTP 503)" : "")")
        out.out("programme: last success \(health.programme.lastSuccess.map(ISO8601.format) ?? "never")\(health.programme.stale ? ", STALE" : "")")
        out.out("reader:    \(health.reader)")
        if let alert = health.alert {
            out.out("alert:     \(alert.level) since \(ISO8601.format(alert.raised)): \(TerminalText.sanitized(alert.title))")
        }
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
        let entries = try response.decode(AuditList.self, "audit").entries
        for e in entries {
            out.out("\(ISO8601.format(e.at))  \(TerminalText.sanitized(e.actor))  \(e.action)  \(TerminalText.sanitized(e.detail))")
        }
        out.out("\(entries.count) entries")
        return .ok
    }

    // MARK: notices

    static let remoteNotices: @Sendable (CommandLineOptions, inout ControlOutput) async throws -> ExitStatus = { options, out in
        guard let action = options.positionals.first else { throw UsageError("say list, show, post, update or remove") }
        let fmt = try remoteFormat(options)
        let client = try apiClient(options)
        func printNotice(_ n: NoticeBody) {
            out.out("\(n.id): [\(n.kind)\(n.urgent ? ", urgent" : "")] \(TerminalText.sanitized(n.title)) (until \(ISO8601.format(n.expires)))")
        }
        func printDetail(_ n: NoticeBody) {
            printNotice(n)
            for (key, value) in [("author", n.author), ("terms", text(n.terms)), ("deadline", text(n.deadline)), ("eventDate", text(n.eventDate)),
                                 ("posted", ISO8601.format(n.posted))] where !value.isEmpty {
                out.out("  \(key): \(TerminalText.sanitized(value))")
            }
            if !n.body.isEmpty { out.out("  " + TerminalText.sanitized(n.body)) }
        }
        let encoder = APIContract.encoder()
        switch action {
        case "list":
            try noPositionals(options, expected: 1)
            let query = options.has("--all") ? [URLQueryItem(name: "all", value: "1")] : []
            let response = try await client.send("GET", "/api/v1/notices", query: query).checked("notices list")
            if fmt == "json" { out.out(response.text); return .ok }
            let notices = try response.decode(NoticeList.self, "notices list").notices
            notices.forEach(printNotice)
            out.out("\(notices.count) notices")
        case "show":
            guard options.positionals.count == 2 else { throw UsageError("notices show takes one ID") }
            let id = options.positionals[1]
            let response = try await client.send("GET", "/api/v1/notices/\(percentEncoded(id))").checked("notices show \(id)")
            if fmt == "json" { out.out(response.text); return .ok }
            printDetail(try response.decode(NoticeBody.self, "notices show \(id)"))
        case "post":
            guard options.positionals.count <= 2 else { throw UsageError("notices post takes at most one FILE") }
            var notice = NoticeRequest()
            if options.positionals.count == 2 { notice = try noticeRequest(fromFile: options.positionals[1]) }
            try applyNoticeFields(options, to: &notice)
            guard notice.title != nil, notice.kind != nil else { throw UsageError("a notice needs --kind and --title (or a FILE holding them)") }
            let response = try await client.send("POST", "/api/v1/notices", body: try encoder.encode(notice), contentType: "application/json")
                .checked("notices post")
            if fmt == "json" { out.out(response.text); return .ok }
            out.out("posted")
            printDetail(try response.decode(NoticeBody.self, "notices post"))
        case "update":
            guard (2...3).contains(options.positionals.count) else { throw UsageError("notices update takes ID and an optional FILE") }
            let id = options.positionals[1]
            var notice: NoticeRequest
            if options.positionals.count == 3 {
                notice = try noticeRequest(fromFile: options.positionals[2])
            } else {
                let current = try await client.send("GET", "/api/v1/notices/\(percentEncoded(id))").checked("notices update \(id)")
                notice = try current.decode(NoticeBody.self, "notices update \(id)").request
            }
            try applyNoticeFields(options, to: &notice)
            let response = try await client.send(
                "PUT", "/api/v1/notices/\(percentEncoded(id))", body: try encoder.encode(notice), contentType: "application/json")
                .checked("notices update \(id)")
            if fmt == "json" { out.out(response.text); return .ok }
            out.out("updated")
            printDetail(try response.decode(NoticeBody.self, "notices update \(id)"))
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

    /// One notice from a JSON file, as the API takes it (unknown fields are refused here
    /// already, naming the field).
    static func noticeRequest(fromFile path: String) throws -> NoticeRequest {
        let data = try readFile(path)
        do {
            return try APIContract.decodeRequest(NoticeRequest.self, from: Array(data))
        } catch {
            throw CheckInCommandError("\(path): \(error.reason) (one notice, as in docs/api.md)")
        }
    }

    /// `--kind`, `--title`... over the notice's fields.
    static func applyNoticeFields(_ options: CommandLineOptions, to notice: inout NoticeRequest) throws {
        if let v = options.value("--kind") { notice.kind = v }
        if let v = options.value("--title") { notice.title = v }
        if let v = options.value("--body") { notice.body = v }
        if let v = options.value("--author") { notice.author = v }
        if let v = options.value("--terms") { notice.terms = v }
        if let v = options.value("--deadline") { notice.deadline = v }
        if let v = options.value("--event-date") { notice.eventDate = v }
        if let v = options.value("--expires") { notice.expires = v }
        if let urgent = options.value("--urgent") {
            switch urgent.lowercased() {
            case "yes", "true", "1": notice.urgent = true
            case "no", "false", "0": notice.urgent = false
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
            guard response.isSuccess || response.status == 422, let report = try? response.decode(ResidentImportReport.self, "residents import") else {
                throw APIStatusError(what: "residents import", status: response.status, reason: response.reason)
            }
            if fmt == "json" { out.out(response.text); return response.isSuccess ? .ok : .failure }
            if response.isSuccess {
                out.out("\(path): \(report.added) added, \(report.updated) updated, \(report.removed) removed")
            } else {
                out.out("\(path): refused, nothing changed")
            }
            printIssues(errors: report.errors, warnings: report.warnings, out: &out)
            return response.isSuccess ? .ok : .failure
        case "list":
            try noPositionals(options, expected: 1)
            let response = try await client.send("GET", "/api/v1/residents").checked("residents list")
            if fmt == "json" { out.out(response.text); return .ok }
            let residents = try response.decode(ResidentList.self, "residents list").residents
            for r in residents {
                out.out(residentLine(name: r.name, kind: TerminalText.sanitized(r.kind), sector: r.sector, where: r.location.isEmpty ? r.membership : r.location, logo: r.logo))
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
        let present = try response.decode(PresenceList.self, "presence").present
        out.out("\(present.count) in the building")
        for p in present {
            out.out("  \(TerminalText.sanitized(p.name)) (\(p.role)) since \(ISO8601.format(p.since))")
        }
        return .ok
    }

    static let remoteAttendance: @Sendable (CommandLineOptions, inout ControlOutput) async throws -> ExitStatus = { options, out in
        try noPositionals(options)
        let fmt = try remoteFormat(options, ["csv", "json", "svg"])
        let fromText = try options.required("--from")
        let by = options.value("--by") ?? "day"
        if fmt == "svg" {
            let (chart, from, to) = try attendanceChartRequest(options, by: by)
            let query = [URLQueryItem(name: "from", value: from.description), URLQueryItem(name: "to", value: to.description),
                         URLQueryItem(name: "by", value: AttendanceChart.grouping(for: chart.split).rawValue)]
            let response = try await apiClient(options).send("GET", "/api/v1/attendance", query: query).checked("attendance")
            let body = try response.decode(AttendanceBody.self, "attendance")
            let config = (try? loadConfig(options))?.venue.language ?? .fr
            out.outExactly(AttendanceChart(rows: body.rows, from: from, to: to, step: chart.step, split: chart.split, language: config).svg())
            return .ok
        }
        var query = [URLQueryItem(name: "from", value: fromText)]
        if let to = options.value("--to") { query.append(URLQueryItem(name: "to", value: to)) }
        query.append(URLQueryItem(name: "by", value: by))
        let response = try await apiClient(options).send("GET", "/api/v1/attendance", query: query).checked("attendance")
        if fmt == "json" { out.out(response.text); return .ok }
        let rows = try response.decode(AttendanceBody.self, "attendance").rows
        // The CSV of `kioskctl attendance`: the grouping's columns, then the count.
        let all: [(String, (AttendanceBody.Row) -> String?)] = [
            ("day", { $0.day }), ("week", { $0.week }), ("weekStart", { $0.weekStart }), ("hour", { $0.hour.map { ($0 < 10 ? "0" : "") + "\($0):00" } }),
            ("event_uid", { $0.eventUID }), ("event_title", { $0.eventTitle }), ("role", { $0.role }),
        ]
        let columns = all.filter { column in rows.contains { column.1($0) != nil } }
        let table = [columns.map(\.0) + ["count"]] + rows.map { row in columns.map { $0.1(row) ?? "" } + [String(row.count)] }
        out.outExactly(CSV.format(rows.isEmpty ? [["count"]] : table))
        return .ok
    }

    /// The chart `--by` asks for: `day`, `week` (totals), `role` (per day by role),
    /// `role-week`, `event`; and its period (`--to` defaults to `--from`).
    static func attendanceChartRequest(_ options: CommandLineOptions, by: String) throws -> (chart: (step: AttendanceChart.Step, split: AttendanceChart.Split), from: CivilDate, to: CivilDate) {
        let kinds: [String: (AttendanceChart.Step, AttendanceChart.Split)] = [
            "day": (.day, .total), "week": (.week, .total), "role": (.day, .role), "role-week": (.week, .role), "event": (.day, .event),
        ]
        guard let chart = kinds[by] else { throw UsageError("--format svg draws --by day, week, role, role-week or event") }
        func date(_ name: String) throws -> CivilDate? {
            guard let text = options.value(name) else { return nil }
            guard let d = CivilDate(iso: text), d.isValid else { throw UsageError("\(name) '\(text)' is not a date such as 2026-11-24") }
            return d
        }
        guard let from = try date("--from") else { throw UsageError("--from is required") }
        let to = try date("--to") ?? from
        guard from <= to else { throw UsageError("--from \(from) is after --to \(to)") }
        guard to.dayNumber - from.dayNumber <= 3660 else { throw UsageError("at most ten years at a time") }
        return (chart, from, to)
    }
}
