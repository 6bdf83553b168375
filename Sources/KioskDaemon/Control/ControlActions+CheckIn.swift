import Foundation
import KioskCore
import KioskStore

/// A check-in command that could not do what was asked (exit status 1).
struct CheckInCommandError: Error, CustomStringConvertible {
    var description: String
    init(_ description: String) { self.description = description }
}

extension ControlCommand {
    /// The check-in commands: enrolment, the evacuation list, attendance reports and
    /// data-subject requests.
    static var checkInSubcommands: [Subcommand] {
        let site = ["--config", "--state-dir"]
        return [
            Subcommand(
                name: "badges", summary: "list unknown badge scans, or enrol a badge to a person",
                usage: """
                kioskctl badges unknown [--limit N] [--format text|json] [--config FILE] [--state-dir DIR]
                kioskctl badges enrol (TAG | --last) (--person ID | --first NAME [--last-name NAME] --role ROLE [--resident ID]) [--label TEXT]

                unknown lists scans of badges nobody holds, newest first (default 50).
                enrol gives a badge to a person: TAG as the reader reports it (e.g. 62E3086CED),
                or --last for the most recent unknown scan (the badge just held to the reader at
                the desk). The person is --person ID, or the one with exactly that first name,
                last name, role and resident if there is one, else a new person. ROLE is one of
                resident, member, staff, volunteer, visitor; --resident ID links a structure of
                the directory (`kioskctl residents list`). Nothing is stored when it fails.

                \(common)
                """,
                valued: Set(site + ["--limit", "--format", "--person", "--first", "--last-name", "--role", "--resident", "--label"]),
                flags: ["--last"], run: ControlActions.badges),
            Subcommand(
                name: "presence", summary: "who is in the building now (evacuation list)",
                usage: """
                kioskctl presence [--format text|json] [--config FILE] [--state-dir DIR]

                Lists everyone checked in today and not checked out, with full names, role,
                structure, time of entry and badge; the count on the first line.

                \(common)
                """,
                valued: Set(site + ["--format"]), flags: [], run: ControlActions.presence),
            Subcommand(
                name: "attendance", summary: "attendance figures by day, hour, event or role; the funders' chart (SVG)",
                usage: """
                kioskctl attendance --from DATE [--to DATE] [--by day|hour|event|role] [--format csv|json]
                kioskctl attendance --from DATE [--to DATE] [--by day|week|role|role-week|event] --format svg > chart.svg

                Counts people (not scans) from --from through --to (YYYY-MM-DD, both included;
                --to defaults to today), by day (default), hour, event or role, as CSV (RFC 4180:
                header line, CRLF line ends) or JSON. Day, event and role figures come from the
                anonymous daily counts and survive the retention purge; hour figures come from
                personal rows, so only for the retention period. --format svg draws the funders'
                chart of the staff page: people per day or week, by role, or per event.

                \(common)
                """,
                valued: Set(site + ["--from", "--to", "--by", "--format"]), flags: [], run: ControlActions.attendance),
            Subcommand(
                name: "person", summary: "list people, export or erase one (data-subject requests)",
                usage: """
                kioskctl person list [--format text|json] [--config FILE] [--state-dir DIR]
                kioskctl person export ID [--config FILE] [--state-dir DIR]
                kioskctl person erase ID --yes [--config FILE] [--state-dir DIR]

                export prints, as JSON, everything held about the person: name, role, badges and
                check-ins (GDPR access request). erase deletes the person, their badges, their
                check-ins and the unknown scans of their badges, in one transaction (GDPR erasure);
                anonymous daily counts stay. It cannot be undone: --yes is required.

                \(common)
                """,
                valued: Set(site + ["--format"]), flags: ["--yes"], run: ControlActions.person),
        ]
    }
}

extension ControlActions {
    // MARK: badges

    static let badges: @Sendable (CommandLineOptions, inout ControlOutput) async throws -> ExitStatus = { options, out in
        guard let action = options.positionals.first else { throw UsageError("say unknown or enrol") }
        let config = try loadConfig(options)
        switch action {
        case "unknown":
            try noPositionals(options, expected: 1)
            let fmt = try format(options, allowed: ["text", "json"])
            var limit = 50
            if let text = options.value("--limit") {
                guard let n = Int(text), n > 0 else { throw UsageError("--limit must be a positive number") }
                limit = n
            }
            let store = try openStore(options, config)
            let scans = try store.checkIns.unknownScans(limit: limit)
            if fmt == "json" {
                out.out(try json(scans.map { ["id": $0.id, "tag": $0.tag, "at": ISO8601.format($0.at), "reader": $0.reader] as [String: Any] }))
            } else {
                for scan in scans {
                    out.out("\(localTime(scan.at, config, withDate: true))  \(TerminalText.sanitized(scan.tag))\(scan.reader.isEmpty ? "" : "  (\(TerminalText.sanitized(scan.reader)))")")
                }
                out.out("\(scans.count) unknown scan(s)")
            }
            return .ok
        case "enrol", "enroll":
            return try enrol(options, config, &out)
        default:
            throw UsageError("unknown action '\(action)' (unknown or enrol)")
        }
    }

    private static func enrol(_ options: CommandLineOptions, _ config: KioskConfig, _ out: inout ControlOutput) throws -> ExitStatus {
        let last = options.has("--last")
        let tag = options.positionals.count > 1 ? options.positionals[1] : nil
        try noPositionals(options, expected: 2)
        guard last != (tag != nil) else { throw UsageError("give either a TAG or --last") }
        let existingID: Int64?
        if let text = options.value("--person") {
            guard let id = Int64(text) else { throw UsageError("--person must be a person id (see kioskctl person list)") }
            for option in ["--first", "--last-name", "--role", "--resident"] where options.value(option) != nil {
                throw UsageError("\(option) does not go with --person")
            }
            existingID = id
        } else {
            existingID = nil
        }
        var role = Person.Role.visitor
        var first = "", lastName = "", resident: String?
        if existingID == nil {
            first = try options.required("--first").trimmingCharacters(in: .whitespaces)
            lastName = (options.value("--last-name") ?? "").trimmingCharacters(in: .whitespaces)
            let roleText = try options.required("--role")
            guard let parsed = Person.Role(rawValue: roleText) else {
                throw UsageError("--role must be one of \(Person.Role.allCases.map(\.rawValue).joined(separator: ", "))")
            }
            role = parsed
            resident = options.value("--resident")
        }
        let label = options.value("--label") ?? ""
        let store = try openStore(options, config)
        if let resident, try store.residents.get(id: resident) == nil {
            throw CheckInCommandError("no resident '\(resident)' in the directory (see kioskctl residents list)")
        }
        let ledger = store.checkIns
        let now = Date()
        let (person, created, enrolledTag) = try store.database.transaction(.immediate) { () throws -> (Person, Bool, String) in
            var person: Person
            var created = false
            if let existingID {
                guard let found = try ledger.person(id: existingID) else { throw CheckInCommandError("no person \(existingID)") }
                person = found
            } else {
                let matches = try ledger.people().filter {
                    $0.firstName == first && $0.lastName == lastName && $0.role == role && $0.residentID == resident
                }
                if matches.count == 1 {
                    person = matches[0]
                } else {
                    person = try ledger.addPerson(firstName: first, lastName: lastName, role: role, residentID: resident, at: now, actor: "kioskctl")
                    created = true
                }
            }
            let enrolled: String
            if last {
                guard let t = try ledger.enrolLastUnknownScan(personID: person.id, label: label, at: now, actor: "kioskctl") else {
                    throw CheckInCommandError("no unknown badge scan to enrol (hold the badge to the reader first, or give its TAG)")
                }
                enrolled = t
            } else {
                try ledger.enrol(tag: tag!, personID: person.id, label: label, at: now, actor: "kioskctl")
                enrolled = CheckInLedger.normalisedTag(tag!)
            }
            return (person, created, enrolled)
        }
        out.out("enrolled badge \(enrolledTag) to person \(person.id): \(TerminalText.sanitized(person.displayName(showingLastName: true))), \(person.role.rawValue)\(created ? " (new person)" : "")")
        return .ok
    }

    // MARK: presence

    static let presence: @Sendable (CommandLineOptions, inout ControlOutput) async throws -> ExitStatus = { options, out in
        try noPositionals(options)
        let fmt = try format(options, allowed: ["text", "json"])
        let config = try loadConfig(options)
        let store = try openStore(options, config)
        let now = Date()
        let entries = try store.checkIns.presence(at: now)
        if fmt == "json" {
            out.out(try json(entries.map { e -> [String: Any] in
                var d: [String: Any] = [
                    "person": e.person.id, "firstName": e.person.firstName, "lastName": e.person.lastName,
                    "role": e.person.role.rawValue, "tag": e.tag, "since": ISO8601.format(e.since),
                ]
                d["resident"] = e.person.residentID
                d["event"] = e.eventUID
                return d
            }))
            return .ok
        }
        let residents = Dictionary(try store.residents.all().map { ($0.id, $0.name) }, uniquingKeysWith: { a, _ in a })
        out.out("\(entries.count) present at \(localTime(now, config, withDate: true))")
        for e in entries {
            let name = TerminalText.sanitized(e.person.displayName(showingLastName: true))
            let structure = e.person.residentID.map { " (\(TerminalText.sanitized(residents[$0] ?? $0)))" } ?? ""
            out.out("  \(name) — \(e.person.role.rawValue)\(structure) — since \(localTime(e.since, config, withDate: false)) — badge \(e.tag)")
        }
        return .ok
    }

    // MARK: attendance

    static let attendance: @Sendable (CommandLineOptions, inout ControlOutput) async throws -> ExitStatus = { options, out in
        try noPositionals(options)
        let fmt = try format(options, allowed: ["csv", "json", "svg"])
        if fmt == "svg" {
            // The funders' chart, drawn as the staff page draws it.
            let (chart, from, to) = try attendanceChartRequest(options, by: options.value("--by") ?? "day")
            let config = try loadConfig(options)
            let rows = try AttendanceQuery(from: from, to: to, grouping: AttendanceChart.grouping(for: chart.split)).rows(in: try openStore(options, config))
            out.outExactly(AttendanceChart(rows: rows, from: from, to: to, step: chart.step, split: chart.split, language: config.venue.language).svg())
            return .ok
        }
        let byText = options.value("--by") ?? "day"
        guard let grouping = AttendanceGrouping(rawValue: byText) else {
            throw UsageError("--by must be one of \(AttendanceGrouping.allCases.map(\.rawValue).joined(separator: ", "))")
        }
        func date(_ name: String) throws -> CivilDate? {
            guard let text = options.value(name) else { return nil }
            guard let d = CivilDate(iso: text) else { throw UsageError("\(name) '\(text)' is not a date such as 2026-11-24") }
            return d
        }
        let config = try loadConfig(options)
        guard let from = try date("--from") else { throw UsageError("--from is required") }
        let to = try date("--to") ?? CivilDate(Date(), in: config.venue.timeZone)
        guard from <= to else { throw UsageError("--from \(from) is after --to \(to)") }
        let store = try openStore(options, config)
        let rows = try store.checkIns.attendance(from: from, through: to, by: grouping)
        if fmt == "json" {
            out.out(String(decoding: try AttendanceReport.json(rows, groupedBy: grouping), as: UTF8.self))
        } else {
            out.outExactly(AttendanceReport.csv(rows, groupedBy: grouping))
        }
        return .ok
    }

    // MARK: person

    static let person: @Sendable (CommandLineOptions, inout ControlOutput) async throws -> ExitStatus = { options, out in
        guard let action = options.positionals.first else { throw UsageError("say list, export or erase") }
        let config = try loadConfig(options)
        func personID() throws -> Int64 {
            guard options.positionals.count == 2 else { throw UsageError("person \(action) takes one ID") }
            guard let id = Int64(options.positionals[1]) else { throw UsageError("'\(options.positionals[1])' is not a person id") }
            return id
        }
        switch action {
        case "list":
            try noPositionals(options, expected: 1)
            let fmt = try format(options, allowed: ["text", "json"])
            let people = try openStore(options, config).checkIns.people()
            if fmt == "json" {
                out.out(try json(people.map { p -> [String: Any] in
                    var d: [String: Any] = ["id": p.id, "firstName": p.firstName, "lastName": p.lastName, "role": p.role.rawValue]
                    d["resident"] = p.residentID
                    return d
                }))
            } else {
                for p in people {
                    out.out("\(p.id): \(TerminalText.sanitized(p.displayName(showingLastName: true))) — \(p.role.rawValue)\(p.residentID.map { " (\($0))" } ?? "")")
                }
                out.out("\(people.count) people")
            }
            return .ok
        case "export":
            let id = try personID()
            guard let export = try openStore(options, config).checkIns.export(personID: id, at: Date()) else {
                throw CheckInCommandError("no person \(id)")
            }
            out.out(String(decoding: try export.jsonData(), as: UTF8.self))
            return .ok
        case "erase":
            let id = try personID()
            guard options.has("--yes") else { throw UsageError("erasing person \(id) cannot be undone: add --yes") }
            guard let summary = try openStore(options, config).checkIns.erase(personID: id, at: Date(), actor: "kioskctl") else {
                throw CheckInCommandError("no person \(id)")
            }
            out.out("erased person \(id): \(summary.checkIns) check-in(s), \(summary.badges) badge(s), \(summary.unknownScans) unknown scan(s)")
            return .ok
        default:
            throw UsageError("unknown action '\(action)' (list, export or erase)")
        }
    }

    // MARK: Helpers

    /// "09:12", or "2026-11-24 09:12", on the venue's wall clock.
    static func localTime(_ instant: Date, _ config: KioskConfig, withDate: Bool) -> String {
        let c = config.venue.timeZone.hourAndMinute(of: instant)
        let time = (c.hour < 10 ? "0" : "") + "\(c.hour):" + (c.minute < 10 ? "0" : "") + "\(c.minute)"
        return withDate ? "\(CivilDate(instant, in: config.venue.timeZone)) \(time)" : time
    }
}
