import Foundation
import Testing
import KioskDisplay
import KioskCore
import KioskStore
@testable import KioskDaemon

/// kioskctl as staff and maintainers use it: help, exit statuses, imports, listings.
@Suite struct KioskctlTests {
    /// A temporary configuration and state directory.
    struct Site {
        let directory: URL
        var config: String { directory.appendingPathComponent("kiosk.conf").path }
        var state: String { directory.appendingPathComponent("state").path }

        init(feeds: String = "") throws {
            directory = FileManager.default.temporaryDirectory.appendingPathComponent("kioskctl-\(UUID().uuidString)")
            try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
            try Data("[venue]\nname = Test\n\(feeds)".utf8).write(to: URL(fileURLWithPath: config))
        }

        func file(_ name: String, _ text: String) throws -> String {
            let url = directory.appendingPathComponent(name)
            try Data(text.utf8).write(to: url)
            return url.path
        }

        func run(_ arguments: [String]) async -> (status: Int32, out: String, err: String) {
            var output = ControlOutput.captured
            var args = arguments
            if !args.contains("--config") && args.first != "occurrences" && args.first != "help" { args += ["--config", config, "--state-dir", state] }
            let status = await ControlCommand.main(arguments: args, output: &output)
            return (status, output.standardOutput, output.standardError)
        }

        func remove() { try? FileManager.default.removeItem(at: directory) }
    }

    @Test func everySubcommandHasHelp() async throws {
        let site = try Site()
        defer { site.remove() }
        let top = await site.run(["help"])
        #expect(top.status == 0)
        for command in ControlCommand.subcommands.map(\.name) {
            #expect(top.out.contains(command))
            var output = ControlOutput.captured
            let status = await ControlCommand.main(arguments: [command, "--help"], output: &output)
            #expect(status == 0, "\(command) --help")
            #expect(output.standardOutput.contains("kioskctl \(command)"), "\(command) --help says how to call it")
        }
        var output = ControlOutput.captured
        #expect(await ControlCommand.main(arguments: [], output: &output) == 2)
        #expect(await ControlCommand.main(arguments: ["frobnicate"], output: &output) == 2)
        #expect(await ControlCommand.main(arguments: ["today", "--colour"], output: &output) == 2)
        #expect(await ControlCommand.main(arguments: ["today", "--format", "xml"], output: &output) == 2)
    }

    @Test func configurationErrorsExit78WithTheLine() async throws {
        let site = try Site(feeds: "[feed \"x\"]\nurl = a.ics\nrefresh = often\n")
        defer { site.remove() }
        let result = await site.run(["check-config"])
        #expect(result.status == 78)
        #expect(result.err.contains("\(site.config):5: refresh:"), "\(result.err)")
        let today = await site.run(["today"])
        #expect(today.status == 78)
    }

    @Test func residentsImportListAndAllOrNothing() async throws {
        let site = try Site()
        defer { site.remove() }
        let csv = try site.file("residents.csv", "name,kind,sector,location\nÉcran Total,association,Cinéma,Bât. D\nDistorsion,association,Arts numériques,Bât. A\nFertil Ink,artiste,Sérigraphie,Bât. C\n")
        let imported = await site.run(["residents", "import", csv])
        #expect(imported.status == 0, "\(imported.err)")
        #expect(imported.out.contains("3 residents"))
        let list = await site.run(["residents", "list"])
        let names = list.out.split(separator: "\n").dropLast().map { $0.components(separatedBy: " — ")[0] }
        #expect(names == ["Distorsion", "Écran Total", "Fertil Ink"])
        // A file with bad rows changes nothing and says each of them, by line, with the
        // cells' control characters taken out.
        let bad = try site.file("bad.csv", "name,kind\nZinc,entreprise\nBanque,banque\nPirate,\u{1B}[2Jpirate\n")
        let failed = await site.run(["residents", "import", bad, "--replace"])
        #expect(failed.status == 1)
        #expect(failed.out.contains("bad.csv: refused, nothing changed"), "\(failed.out)")
        #expect(failed.out.contains("  line 3: error: kind 'banque' is not one of"), "\(failed.out)")
        #expect(failed.out.contains("  line 4: error: kind '"), "\(failed.out)")
        #expect(!failed.out.contains("\u{1B}"))
        #expect(await site.run(["residents", "list"]).out.contains("3 residents"))
        let json = await site.run(["residents", "list", "--format", "csv"])
        #expect(json.out.hasPrefix("id,name,kind"))
    }

    /// A `;`-separated export with logos beside it: the good file is stored, a missing one
    /// is a warning naming the file and line, and every resident is imported.
    @Test func residentsImportWithLogos() async throws {
        let site = try Site()
        defer { site.remove() }
        try FileManager.default.createDirectory(at: site.directory.appendingPathComponent("logos"), withIntermediateDirectories: true)
        var canvas = PixelCanvas(width: 20, height: 20, color: PixelColor(rgb: 0x2255AA))
        canvas.fill(PixelRect(x: 2, y: 2, width: 5, height: 5), .white)
        let png = PNGEncoder.encode(canvas)
        try Data(png).write(to: site.directory.appendingPathComponent("logos/zinc.png"))
        let csv = try site.file("annuaire.csv", "\u{FEFF}nom;type;logo\r\nZinc;entreprise;logos/zinc.png\r\nSonolab;entreprise;logos/sonolab.png\r\nLabora;entreprise;https://cdn.example.org/labora.png\r\n")
        let imported = await site.run(["residents", "import", csv])
        #expect(imported.status == 0, "\(imported.err)")
        #expect(imported.out.contains("3 residents") && imported.out.contains("2 with a logo") && imported.out.contains("1 logo left out"), "\(imported.out)")
        #expect(imported.err.contains("warning: \(csv): line 3: logo 'logos/sonolab.png': no such file"), "\(imported.err)")
        #expect(FileManager.default.fileExists(atPath: site.state + "/pictures/" + SHA256.hash(png).hex))

        // The list shows each logo as an import takes it back: the URL, or the stored
        // picture by its hash (the path read at import is not kept).
        let hash = SHA256.hash(png).hex
        let text = await site.run(["residents", "list"])
        #expect(text.out.contains("Zinc — entreprise,  — installed — logo sha256:\(hash)\n"), "\(text.out)")
        #expect(text.out.contains("Labora — entreprise,  — installed — logo https://cdn.example.org/labora.png\n"), "\(text.out)")
        #expect(text.out.contains("Sonolab — entreprise,  — installed\n"), "no logo, nothing added: \(text.out)")
        let json = await site.run(["residents", "list", "--format", "json"])
        let rows = try #require(try JSONSerialization.jsonObject(with: Data(json.out.utf8)) as? [[String: String]])
        #expect(rows.map { $0["logo"] } == ["https://cdn.example.org/labora.png", "", "sha256:\(hash)"], "\(json.out)")
        let listedCSV = await site.run(["residents", "list", "--format", "csv"])
        #expect(listedCSV.out.split(whereSeparator: \.isNewline).first == "id,name,kind,sector,location,membership,summary,website,logo", "\(listedCSV.out)")

        // Exported, then imported again with --replace (somewhere else, so no path could
        // be read): every logo is kept, and the stored one is not a new file.
        let beforeExport = try StateStore(stateDirectory: site.state, timeZone: IANATimeZone(identifier: "Europe/Paris")!).residents.all()
        #expect(beforeExport.compactMap(\.logo).count == 2)
        try FileManager.default.createDirectory(at: site.directory.appendingPathComponent("export"), withIntermediateDirectories: true)
        let exported = try site.file("export/annuaire.csv", listedCSV.out + "\n")
        let again = await site.run(["residents", "import", exported, "--replace"])
        #expect(again.status == 0 && again.err.isEmpty, "\(again.err)")
        #expect(again.out.contains("2 with a logo") && again.out.contains("0 logos left out"), "\(again.out)")
        let after = try StateStore(stateDirectory: site.state, timeZone: IANATimeZone(identifier: "Europe/Paris")!).residents.all()
        #expect(after == beforeExport)
        // The JSON export round-trips the same way.
        let exportedJSON = try site.file("export/annuaire.json", json.out)
        #expect(await site.run(["residents", "import", exportedJSON, "--replace"]).status == 0)
        #expect(try StateStore(stateDirectory: site.state, timeZone: IANATimeZone(identifier: "Europe/Paris")!).residents.all() == beforeExport)
    }

    @Test func noticesImportListRemove() async throws {
        let site = try Site()
        defer { site.remove() }
        let file = try site.file("notices.json", """
        {"notices": [
          {"id": "annule", "kind": "information", "title": "Atelier annulé", "urgent": true, "expires": "2099-01-01"},
          {"id": "chaises", "kind": "offer", "terms": "gift", "title": "Donne des chaises", "expires": "2099-01-01"}
        ]}
        """)
        let imported = await site.run(["notices", "import", file])
        #expect(imported.status == 0, "\(imported.err)")
        let list = await site.run(["notices", "list"])
        #expect(list.out.contains("annule: [information, urgent] Atelier annulé"))
        #expect(list.out.contains("2 notices"))
        #expect(await site.run(["notices", "remove", "chaises"]).status == 0)
        #expect(await site.run(["notices", "remove", "chaises"]).status == 1)
        #expect(await site.run(["notices", "list"]).out.contains("1 notices"))
        let badCall = try site.file("call.json", #"[{"kind": "call", "title": "Appel", "expires": "2099-01-01"}]"#)
        let refused = await site.run(["notices", "import", badCall])
        #expect(refused.status == 1)
        #expect(refused.err.contains("notices[0].deadline"))
    }

    @Test func todayAndSourcesFromTheStore() async throws {
        let site = try Site(feeds: "[feed \"programme\"]\nurl = programme.ics\n")
        defer { site.remove() }
        let store = try StateStore(stateDirectory: site.state, timeZone: IANATimeZone(identifier: "Europe/Paris")!)
        let start = ISO8601.parse("2026-11-24T17:00:00Z")!
        try store.programme.replaceEvents(ofSource: "programme", kind: .ics, with: [
            ProgrammeEvent(uid: "a", title: "Atelier sérigraphie", room: "Atelier 5", start: .instant(start), end: .instant(start + 7200)),
            ProgrammeEvent(uid: "b", title: "Concert", status: .cancelled, start: .instant(start + 86400 * 2), end: .instant(start + 86400 * 2 + 3600)),
        ], fetchedAt: ISO8601.parse("2026-11-24T08:00:00Z")!)
        try store.programme.recordFailure(source: "programme", at: ISO8601.parse("2026-11-24T09:00:00Z")!, error: "HTTP 500 from example.org")
        let today = await site.run(["today", "--at", "2026-11-24T10:00:00Z"])
        #expect(today.status == 0, "\(today.err)")
        #expect(today.out.contains("Test — mardi 24 novembre 11:00"))
        #expect(today.out.contains("18:00 – 20:00"))
        #expect(today.out.contains("Atelier sérigraphie — Atelier 5"))
        #expect(today.out.contains("Concert [Annulé]"))
        let json = await site.run(["today", "--at", "2026-11-24T10:00:00Z", "--format", "json"])
        let object = try JSONSerialization.jsonObject(with: Data(json.out.utf8)) as? [String: Any]
        #expect((object?["laterToday"] as? [Any])?.count == 1)
        let sources = await site.run(["sources"])
        #expect(sources.out.contains("programme [ics] FAILING (1x), 2 events"))
        #expect(sources.out.contains("last error:   HTTP 500 from example.org"))
        #expect(sources.out.contains("last read:    2 events read, 0 warnings"))
    }

    /// Per source: what the last read skipped, the first few with their line numbers.
    @Test func sourcesListTheLastReadsWarnings() async throws {
        let site = try Site(feeds: "[feed \"programme\"]\nurl = programme.ics\n")
        defer { site.remove() }
        let store = try StateStore(stateDirectory: site.state, timeZone: IANATimeZone(identifier: "Europe/Paris")!)
        let start = ISO8601.parse("2026-11-24T17:00:00Z")!
        let warnings = (1...7).map { SourceWarning(line: 10 * $0, message: "event e\($0): DTEND value 'x' is not a DATE or DATE-TIME; ignored") }
            + [SourceWarning(message: "event yearly@test: cut after 5000 occurrences: more than 5000 occurrences in the window")]
        try store.programme.replaceEvents(
            ofSource: "programme", kind: .ics,
            with: [ProgrammeEvent(uid: "a", title: "Atelier", start: .instant(start), end: .instant(start + 7200))],
            fetchedAt: ISO8601.parse("2026-11-24T08:00:00Z")!,
            report: SourceReadReport(eventsRead: 3, warningCount: 9, warnings: warnings))
        let text = await site.run(["sources"])
        #expect(text.out.contains("programme [ics] ok, 1 events"))
        #expect(text.out.contains("  last read:    3 events read, 9 warnings\n    line 10: event e1: DTEND value 'x' is not a DATE or DATE-TIME; ignored\n"))
        #expect(text.out.contains("    line 50: event e5:"))
        #expect(!text.out.contains("line 60:"))
        #expect(text.out.contains("    … 4 more (kioskctl sources --format json lists 8)"))
        let json = await site.run(["sources", "--format", "json"])
        let list = try JSONSerialization.jsonObject(with: Data(json.out.utf8)) as? [[String: Any]]
        #expect(list?.first?["warningCount"] as? Int == 9)
        #expect(list?.first?["eventsRead"] as? Int == 3)
        let listed = list?.first?["warnings"] as? [[String: Any]]
        #expect(listed?.count == 8)
        #expect(listed?.last?["line"] == nil)
        #expect(listed?.last?["message"] as? String == "event yearly@test: cut after 5000 occurrences: more than 5000 occurrences in the window")
    }

    @Test func occurrencesContract() async throws {
        let site = try Site()
        defer { site.remove() }
        let ics = try site.file("c.ics", """
        BEGIN:VCALENDAR\r
        VERSION:2.0\r
        BEGIN:VEVENT\r
        UID:w\r
        DTSTART;TZID=Europe/Paris:20261026T100000\r
        DTEND;TZID=Europe/Paris:20261026T120000\r
        RRULE:FREQ=WEEKLY;COUNT=2\r
        SUMMARY:Atelier\r
        END:VEVENT\r
        BEGIN:VEVENT\r
        UID:d\r
        DTSTART;VALUE=DATE:20261027\r
        SUMMARY:Journée\r
        STATUS:TENTATIVE\r
        END:VEVENT\r
        END:VCALENDAR\r

        """)
        let result = await site.run(["occurrences", ics, "--from", "2026-10-01T00:00:00Z", "--to", "2026-12-01T00:00:00Z", "--format", "json"])
        #expect(result.status == 0, "\(result.err)")
        let array = try #require(try JSONSerialization.jsonObject(with: Data(result.out.utf8)) as? [[String: Any]])
        #expect(array.map { $0["uid"] as? String } == ["w", "d", "w"])
        #expect(array[0]["start"] as? String == "2026-10-26T09:00:00Z")
        #expect(array[1]["start"] as? String == "2026-10-27" && array[1]["end"] as? String == "2026-10-28")
        #expect(array[1]["allDay"] as? Bool == true && array[1]["status"] as? String == "tentative")
        #expect(array[2]["start"] as? String == "2026-11-02T09:00:00Z")
        let missing = await site.run(["occurrences", "/nonexistent.ics", "--format", "json"])
        #expect(missing.status == 1)
        #expect(await site.run(["occurrences", ics, "--tz", "Mars/Base"]).status == 2)
    }

    @Test func demoDatesAreRelativeToToday() {
        let today = CivilDate(year: 2026, month: 12, day: 30)
        #expect(DemoSetup.dated("A {{D+3}} B {{ISO-2}} C {{X}}", today: today) == "A 20270102 B 2026-12-28 C {{X}}")
    }
}
