import Foundation
import KioskCore
import KioskDisplay
import KioskFeeds
import KioskStore

/// What each `kioskctl` subcommand does.
enum ControlActions {
    static func loadConfig(_ options: CommandLineOptions) throws -> KioskConfig {
        let path = options.value("--config") ?? ProcessInfo.processInfo.environment["KIOSK_CONFIG"] ?? "/etc/kiosk/kiosk.conf"
        return try KioskConfig.load(path: path)
    }

    static func openStore(_ options: CommandLineOptions, _ config: KioskConfig) throws -> StateStore {
        let directory = StateLocation.directory(option: options.value("--state-dir"), environment: ProcessInfo.processInfo.environment, config: config)
        return try StateStore(stateDirectory: directory, timeZone: config.venue.timeZone)
    }

    static func format(_ options: CommandLineOptions, allowed: [String]) throws -> String {
        let f = options.value("--format") ?? allowed[0]
        guard allowed.contains(f) else { throw UsageError("--format must be one of \(allowed.joined(separator: ", "))") }
        return f
    }

    static func noPositionals(_ options: CommandLineOptions, expected: Int = 0) throws {
        if options.positionals.count > expected { throw UsageError("unexpected argument '\(options.positionals[expected])'") }
    }

    static func json(_ object: Any) throws -> String {
        let data = try JSONSerialization.data(withJSONObject: object, options: [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes])
        return String(decoding: data, as: UTF8.self)
    }

    // MARK: check-config

    static let checkConfig: @Sendable (CommandLineOptions, inout ControlOutput) async throws -> ExitStatus = { options, out in
        try noPositionals(options)
        let config = try loadConfig(options)
        let state = StateLocation.directory(option: options.value("--state-dir"), environment: ProcessInfo.processInfo.environment, config: config)
        if config.screen.backend != .terminal {
            // The pixel screen's theme and accent, checked for contrast as kioskd will.
            _ = try PixelTheme.load(for: config, directory: PixelAssets.locate().map(PixelAssets.themeDirectory))
        }
        out.out("\(config.path): ok (\(config.venue.name), \(config.venue.timeZone.identifier), \(config.feeds.count) feed(s), backend \(config.screen.backend.rawValue), state in \(state))")
        return .ok
    }

    // MARK: today

    static let today: @Sendable (CommandLineOptions, inout ControlOutput) async throws -> ExitStatus = { options, out in
        try noPositionals(options)
        let fmt = try format(options, allowed: ["text", "json"])
        let config = try loadConfig(options)
        let store = try openStore(options, config)
        var now = Date()
        if let at = options.value("--at") {
            guard let d = ISO8601.parse(at) else { throw UsageError("--at '\(at)' is not an ISO 8601 instant") }
            now = d
        }
        let snapshot = try LobbySnapshotReader.snapshot(at: now, store: store, config: config)
        if fmt == "json" {
            func line(_ e: LobbySnapshot.EventLine) -> [String: Any] {
                ["uid": e.uid, "when": e.when, "title": e.title, "room": e.room, "status": e.status.rawValue, "running": e.isRunning]
            }
            out.out(try json([
                "date": snapshot.today.description, "clockTrusted": snapshot.clockTrusted,
                "now": snapshot.happeningNow.map(line), "laterToday": snapshot.laterToday.map(line),
                "upcoming": snapshot.upcoming.map { ["date": $0.date.description, "events": $0.events.map(line)] },
            ]))
            return .ok
        }
        let s = snapshot.strings
        out.out("\(config.venue.name) — \(snapshot.dateLine) \(snapshot.clockLine)")
        func print(_ e: LobbySnapshot.EventLine) {
            let status = e.statusLabel.map { " [\($0)]" } ?? ""
            let room = e.room.isEmpty ? "" : " — \(e.room)"
            out.out("  \(e.when.padding(toLength: 17, withPad: " ", startingAt: 0)) \(TerminalText.sanitized(e.title))\(room)\(status)")
        }
        if !snapshot.happeningNow.isEmpty { out.out("\n\(s.now)"); snapshot.happeningNow.forEach(print) }
        if !snapshot.laterToday.isEmpty { out.out("\n\(s.laterToday)"); snapshot.laterToday.forEach(print) }
        if snapshot.happeningNow.isEmpty && snapshot.laterToday.isEmpty { out.out("\n\(s.nothingToday)") }
        for day in snapshot.upcoming {
            out.out("\n\(day.heading)")
            day.events.forEach(print)
        }
        if let f = snapshot.freshness { out.out("\n\(f)") }
        return .ok
    }

    // MARK: occurrences

    static let occurrences: @Sendable (CommandLineOptions, inout ControlOutput) async throws -> ExitStatus = { options, out in
        guard options.positionals.count == 1 else { throw UsageError(options.positionals.isEmpty ? "FILE is required" : "only one FILE") }
        _ = try format(options, allowed: ["json"])
        var zone = KioskConfig().venue.timeZone
        if let config = options.value("--config") { zone = try KioskConfig.load(path: config).venue.timeZone }
        if let tz = options.value("--tz") {
            do { zone = try IANATimeZone.named(tz) } catch let error as TimeZoneLookupError {
                throw UsageError("--tz '\(tz)' is not a time zone (an IANA name such as Europe/Paris): \(error.reason)")
            }
        }
        func instant(_ name: String) throws -> Date? {
            guard let text = options.value(name) else { return nil }
            if let d = ISO8601.parse(text) { return d }
            if let c = CivilDate(iso: text) { return c.start(in: zone) }
            throw UsageError("\(name) '\(text)' is not an ISO 8601 date or instant")
        }
        let path = options.positionals[0]
        let data: Data
        do { data = try Data(contentsOf: URL(fileURLWithPath: path)) } catch {
            throw FeedFetchError(kind: .file, message: "cannot read \(path)")
        }
        let listing = try OccurrenceListing.listing(fileBytes: [UInt8](data), from: try instant("--from"), to: try instant("--to"), timeZone: zone)
        out.out(listing.json)
        // What was skipped or cut, on standard error (standard output stays the JSON contract).
        for warning in listing.warnings.prefix(20) { out.err("kioskctl occurrences: \(path): warning: \(TerminalText.sanitized(warning.description))") }
        if listing.warningCount > 20 { out.err("kioskctl occurrences: \(path): \(listing.warningCount - 20) more warnings") }
        return .ok
    }

    // MARK: sources

    static let sources: @Sendable (CommandLineOptions, inout ControlOutput) async throws -> ExitStatus = { options, out in
        try noPositionals(options)
        let fmt = try format(options, allowed: ["text", "json"])
        let config = try loadConfig(options)
        let store = try openStore(options, config)
        let statuses = try store.programme.sourceStatuses()
        let configured = config.feeds.map(\.name)
        if fmt == "json" {
            out.out(try json(statuses.map { s -> [String: Any] in
                var d: [String: Any] = ["id": s.id, "kind": s.kind.rawValue, "events": s.eventCount, "consecutiveFailures": s.consecutiveFailures, "configured": configured.contains(s.id)]
                d["url"] = s.url
                d["lastSuccess"] = s.lastSuccess.map(ISO8601.format)
                d["lastAttempt"] = s.lastAttempt.map(ISO8601.format)
                d["lastError"] = s.lastError
                d["eventsRead"] = s.eventsRead
                d["warningCount"] = s.warningCount
                d["warnings"] = s.warnings.map { w -> [String: Any] in
                    var item: [String: Any] = ["message": w.message]
                    item["line"] = w.line
                    return item
                }
                return d
            }))
            return .ok
        }
        if statuses.isEmpty && configured.isEmpty { out.out("no programme source configured or stored"); return .ok }
        for s in statuses {
            let state = s.lastError == nil ? "ok" : "FAILING (\(s.consecutiveFailures)x)"
            out.out("\(s.id) [\(s.kind.rawValue)] \(state), \(s.eventCount) events")
            if let url = s.url { out.out("  url:          \(url)") }
            out.out("  last success: \(s.lastSuccess.map(ISO8601.format) ?? "never")")
            if let attempt = s.lastAttempt { out.out("  last attempt: \(ISO8601.format(attempt))") }
            if let error = s.lastError { out.out("  last error:   \(TerminalText.sanitized(error))") }
            if s.lastSuccess != nil {
                out.out("  last read:    \(s.eventsRead) events read, \(s.warningCount) warning\(s.warningCount == 1 ? "" : "s")")
                for w in s.warnings.prefix(5) {
                    out.out("    " + (w.line.map { "line \($0): " } ?? "") + TerminalText.sanitized(w.message))
                }
                if s.warningCount > min(5, s.warnings.count) { out.out("    … \(s.warningCount - min(5, s.warnings.count)) more (kioskctl sources --format json lists \(s.warnings.count))") }
            }
            if !configured.contains(s.id) && s.kind != .push { out.out("  (no longer in the configuration)") }
        }
        for name in configured where !statuses.contains(where: { $0.id == name }) {
            out.out("\(name): configured, never fetched yet")
        }
        return .ok
    }

    // MARK: residents

    static let residents: @Sendable (CommandLineOptions, inout ControlOutput) async throws -> ExitStatus = { options, out in
        guard let action = options.positionals.first else { throw UsageError("say import or list") }
        let config = try loadConfig(options)
        switch action {
        case "import":
            guard options.positionals.count == 2 else { throw UsageError("residents import takes one FILE") }
            let path = options.positionals[1]
            let entries: [ResidentImport.Entry]
            do { entries = try ResidentImport.entries(Data(contentsOf: URL(fileURLWithPath: path))) } catch let error as ResidentImport.ImportError {
                // As through the API: every invalid row, and nothing changed.
                out.out("\(path): refused, nothing changed")
                printIssues(errors: StaffDesk.issues(error), warnings: [], out: &out)
                return .failure
            }
            let store = try openStore(options, config)
            // Logo files are read (relative to the file's folder), checked and stored now;
            // logo URLs are fetched by kioskd. A logo left out is a warning, not an error.
            let (residents, warnings) = ResidentLogoImport(importFile: path, store: store).residents(entries)
            for warning in warnings { out.err("warning: \(TerminalText.sanitized(warning.description))") }
            if options.has("--replace") {
                let summary = try store.residents.replaceAll(residents, at: Date())
                out.out("\(path): \(residents.count) residents (\(summary.inserted) new, \(summary.updated) updated, \(summary.deleted) removed)")
            } else {
                try store.database.transaction { for r in residents { try store.residents.upsert(r, at: Date()) } }
                out.out("\(path): \(residents.count) residents imported")
            }
            let logos = residents.filter { $0.logo != nil }.count
            if logos > 0 || !warnings.isEmpty {
                out.out("\(path): \(logos) with a logo (URLs are fetched by kioskd), \(warnings.count) logo\(warnings.count == 1 ? "" : "s") left out")
            }
            return .ok
        case "list":
            try noPositionals(options, expected: 1)
            let fmt = try format(options, allowed: ["text", "json", "csv"])
            let store = try openStore(options, config)
            let all = try store.residents.all()
            switch fmt {
            // `logo` as an import takes it back (`Resident.Logo.importCell`): the export
            // imported again keeps the logos.
            case "json":
                out.out(try json(all.map { ["id": $0.id, "name": $0.name, "kind": $0.kind.rawValue, "sector": $0.sector, "location": $0.location, "membership": $0.membership.rawValue, "summary": $0.summary, "website": $0.website, "logo": $0.logo?.importCell ?? ""] }))
            case "csv":
                let rows = [["id", "name", "kind", "sector", "location", "membership", "summary", "website", "logo"]] + all.map { [$0.id, $0.name, $0.kind.rawValue, $0.sector, $0.location, $0.membership.rawValue, $0.summary, $0.website, $0.logo?.importCell ?? ""] }
                out.out(CSV.format(rows).trimmingCharacters(in: .newlines))
            default:
                for r in all { out.out(residentLine(name: r.name, kind: r.kind.rawValue, sector: r.sector, where: r.location.isEmpty ? r.membership.rawValue : r.location, logo: r.logo?.importCell ?? "")) }
                out.out("\(all.count) residents")
            }
            return .ok
        default:
            throw UsageError("unknown action '\(action)' (import or list)")
        }
    }

    /// One resident in `kioskctl residents list` (local or through the API), cleaned for
    /// the terminal; the logo, when there is one, last.
    static func residentLine(name: String, kind: String, sector: String, where place: String, logo: String) -> String {
        let line = "\(TerminalText.sanitized(name)) — \(kind), \(TerminalText.sanitized(sector)) — \(TerminalText.sanitized(place))"
        return logo.isEmpty ? line : line + " — logo \(TerminalText.sanitized(logo))"
    }

    // MARK: notices

    static let notices: @Sendable (CommandLineOptions, inout ControlOutput) async throws -> ExitStatus = { options, out in
        guard let action = options.positionals.first else { throw UsageError("say import, list or remove") }
        let config = try loadConfig(options)
        switch action {
        case "import":
            guard options.positionals.count == 2 else { throw UsageError("notices import takes one FILE") }
            let path = options.positionals[1]
            let notices = try NoticeDocument.parse(Data(contentsOf: URL(fileURLWithPath: path)), timeZone: config.venue.timeZone, now: Date())
            let store = try openStore(options, config)
            try store.database.transaction {
                for n in notices { try store.notices.upsert(n, createdBy: "kioskctl") }
                _ = try store.audit.record(actor: "kioskctl", action: "notices.import", detail: "\(notices.count) from \(path)", at: Date())
            }
            out.out("\(path): \(notices.count) notices imported")
            return .ok
        case "list":
            try noPositionals(options, expected: 1)
            let fmt = try format(options, allowed: ["text", "json"])
            let store = try openStore(options, config)
            let list = options.has("--all") ? try store.notices.all() : try store.notices.live(at: Date(), timeZone: config.venue.timeZone)
            if fmt == "json" {
                out.out(try json(list.map { n -> [String: Any] in
                    var d: [String: Any] = ["id": n.id, "kind": n.kind.rawValue, "title": n.title, "body": n.body, "author": n.author, "posted": ISO8601.format(n.posted), "expires": ISO8601.format(n.expires), "urgent": n.urgent]
                    d["terms"] = n.terms?.rawValue
                    d["deadline"] = n.deadline?.description
                    d["event_date"] = n.eventDate?.description
                    return d
                }))
            } else {
                for n in list {
                    out.out("\(n.id): [\(n.kind.rawValue)\(n.urgent ? ", urgent" : "")] \(TerminalText.sanitized(n.title)) (until \(ISO8601.format(n.expires)))")
                }
                out.out("\(list.count) notices")
            }
            return .ok
        case "remove":
            guard options.positionals.count == 2 else { throw UsageError("notices remove takes one ID") }
            let store = try openStore(options, config)
            let id = options.positionals[1]
            let removed = try store.database.transaction { () throws -> Bool in
                let r = try store.notices.delete(id: id)
                if r { _ = try store.audit.record(actor: "kioskctl", action: "notices.remove", detail: id, at: Date()) }
                return r
            }
            guard removed else { out.err("kioskctl notices: no notice '\(id)'"); return .failure }
            out.out("removed \(id)")
            return .ok
        default:
            throw UsageError("unknown action '\(action)' (import, list or remove)")
        }
    }
}

/// Builds the snapshot the screen would show at an instant, from the store.
public enum LobbySnapshotReader {
    public static func snapshot(at now: Date, store: StateStore, config: KioskConfig) throws -> LobbySnapshot {
        let events = try store.programme.allEvents()
        let all = try store.programme.sourceStatuses()
        let statuses = all.filter { s in config.feeds.contains { $0.name == s.id } }
        let freshness = ProgrammeFreshness(
            lastSuccess: statuses.compactMap(\.lastSuccess).max(),
            allFailing: !statuses.isEmpty && statuses.allSatisfy { $0.lastError != nil },
            hasPulledSources: !config.feeds.isEmpty,
            lastChange: all.filter { $0.kind == .push || statuses.contains($0) }.compactMap(\.lastSuccess).max())
        let window = LobbySnapshot.window(at: now, config: config)
        var occurrences: [Occurrence] = []
        for (source, group) in Dictionary(grouping: events, by: \.source) {
            occurrences += OccurrenceExpander.occurrences(of: group.map(\.event), from: window.from, to: window.to, venueTimeZone: config.venue.timeZone, source: source)
        }
        var inputs = LobbySnapshot.Inputs(occurrences: occurrences, residents: try store.residents.all(), notices: try store.notices.all(), freshness: freshness,
            alert: try store.alerts.latest())
        var checks = ScreenPictureChecks()
        inputs.add(checks.pictures(config: config, eventPictures: try store.eventPictures.picturesByEvent(), posters: try store.posters.all(),
                                   residentLogos: try store.residents.logoPictures(), files: store.pictureFiles, warn: { _ in }))
        return LobbySnapshot.make(at: now, inputs: inputs, config: config)
    }
}
