import Foundation
import Testing
import KioskCore
import KioskStore
@testable import KioskDaemon

/// The funders' chart: its bars carry the CSV's numbers (read back from the SVG, by value
/// and by height), per day, per week, by role and per event; the evacuation list page;
/// `kioskctl attendance --format svg`.
@Suite(.serialized) struct AttendanceChartTests {
    typealias Bed = APITestBed

    /// Anonymous counts written as the ledger writes them: (day, role, event uid, title, people).
    static let counts: [(String, String, String, String, Int)] = [
        ("2026-11-02", "member", "", "", 7), ("2026-11-02", "visitor", "", "", 12), ("2026-11-03", "member", "", "", 3),
        ("2026-11-05", "resident", "", "", 5), ("2026-11-05", "visitor", "", "", 30), ("2026-11-05", "visitor", "conf@t", "Conférence", 22),
        ("2026-11-09", "visitor", "", "", 4), ("2026-11-10", "staff", "", "", 2), ("2026-11-10", "visitor", "atelier@t", "Atelier <sérigraphie>", 9),
        ("2026-11-12", "volunteer", "", "", 1), ("2026-11-12", "visitor", "atelier@t", "Atelier <sérigraphie>", 6),
    ]

    static func bed() async throws -> Bed {
        let bed = try await Bed()
        try bed.inspect { store in
            for (day, role, uid, title, count) in counts {
                try store.database.execute(
                    "INSERT INTO daily_counts (day, role, event_uid, event_title, count) VALUES (?, ?, ?, ?, ?)", [day, role, uid, title, count])
            }
        }
        return bed
    }

    /// The bars of an SVG: (key, series, value, height).
    static func bars(_ svg: String, horizontal: Bool) -> [(key: String, series: String, value: Int, height: Double)] {
        svg.components(separatedBy: "<rect class=\"bar\"").dropFirst().map { chunk in
            func attribute(_ name: String) -> String {
                guard let start = chunk.range(of: " \(name)=\"") else { return "" }
                return String(chunk[start.upperBound...].prefix { $0 != "\"" })
            }
            let size = horizontal ? attribute("width") : attribute("height")
            return (HTMLText.unescapeForTests(attribute("data-key")), HTMLText.unescapeForTests(attribute("data-series")), Int(attribute("data-value"))!, Double(size)!)
        }
    }

    /// A CSV's rows without its header.
    static func csvRows(_ text: String) -> [[String]] {
        text.split(separator: "\r\n").dropFirst().map { line in
            var fields: [String] = [], field = "", quoted = false
            for c in line {
                if c == "\"" { quoted.toggle(); continue }
                if c == "," && !quoted { fields.append(field); field = ""; continue }
                field.append(c)
            }
            return fields + [field]
        }
    }

    /// Tests that must exist: the SVG chart's bars match the CSV numbers, bar by bar, and
    /// their heights are proportional to them.
    @Test(arguments: [("day", "total"), ("week", "total"), ("day", "role"), ("week", "role"), ("day", "event")])
    func theChartsBarsMatchTheCSV(step: String, split: String) async throws {
        let bed = try await Self.bed()
        var client = try await bed.signedIn(Bed.maintainerToken)
        let query = "from=2026-11-01&to=2026-11-14&step=\(step)&split=\(split)"
        let page = try await client.get("/staff/attendance?\(query)")
        #expect(page.status == .ok)
        let csv = try await client.get("/staff/attendance.csv?\(query)")
        #expect(csv.headers["Content-Type"] == "text/csv; charset=utf-8")
        let svg = try await client.get("/staff/attendance.svg?\(query)")
        #expect(svg.headers["Content-Type"] == "image/svg+xml; charset=utf-8")
        let svgText = svg.text
        #expect(svgText.hasPrefix("<?xml") && svgText.contains("xmlns=\"http://www.w3.org/2000/svg\"") && !svgText.lowercased().contains("<script"))
        // The same chart is inside the page.
        #expect(client.lastPage.contains("<svg class=\"chart\""))
        let bars = Self.bars(svgText, horizontal: split == "event")
        let rows = Self.csvRows(csv.text)
        var fromCSV: [String: [String: Int]] = [:]
        switch split {
        case "event":
            for row in rows { fromCSV[row[0], default: [:]]["personnes"] = Int(row[2])! }
        case "role":
            let header = csv.text.split(separator: "\r\n")[0].split(separator: ",").map(String.init)
            for row in rows {
                for (index, column) in header.enumerated() where index > 0 && index < header.count - 1 {
                    fromCSV[row[0], default: [:]][column] = Int(row[index])!
                }
            }
        default:
            for row in rows { fromCSV[row[0], default: [:]]["personnes"] = Int(row[1])! }
        }
        // Every non-zero number of the CSV is a bar with that value, and every bar is one.
        let nonZero = fromCSV.flatMap { key, values in values.filter { $0.value > 0 }.map { (key, $0.key, $0.value) } }
        #expect(bars.count == nonZero.count, "\(bars.count) bars, \(nonZero.count) numbers")
        for bar in bars {
            let series = split == "role" ? AttendanceChart.roleName(bar.series, .fr) : bar.series
            #expect(fromCSV[bar.key]?[series] == bar.value, "\(bar.key) \(series)")
        }
        // Heights (or widths) in proportion: value / height is the same for every bar.
        let ratios = bars.map { Double($0.value) / $0.height }
        #expect((ratios.max() ?? 0) - (ratios.min() ?? 0) < 0.05 * (ratios.max() ?? 1), "\(ratios)")
        // The table of the page says the same numbers.
        for (key, values) in fromCSV where split != "event" {
            for (_, value) in values where value > 0 { #expect(client.lastPage.contains("<td class=\"n\">\(value)</td>"), "\(key)") }
        }
    }

    @Test func totalsAndWeeksAddUp() {
        let rows = Self.counts.filter { $0.2.isEmpty }.map { AttendanceBody.Row(day: $0.0, role: $0.1, count: $0.4) }
        let from = CivilDate(year: 2026, month: 11, day: 1), to = CivilDate(year: 2026, month: 11, day: 14)
        let daily = AttendanceChart(rows: rows, from: from, to: to, step: .day, split: .total, language: .fr)
        #expect(daily.bars.count == 14)
        #expect(daily.bars.first { $0.key == "2026-11-05" }?.total == 35)
        let weekly = AttendanceChart(rows: rows, from: from, to: to, step: .week, split: .role, language: .fr)
        // 1 November 2026 is a Sunday: weeks 44, 45, 46.
        #expect(weekly.bars.map(\.key) == ["2026-W44", "2026-W45", "2026-W46"])
        #expect(weekly.bars.map(\.total) == [0, 57, 7])
        #expect(weekly.series == ["resident", "member", "staff", "volunteer", "visitor"])
        #expect(CivilDate(year: 2021, month: 1, day: 3).isoWeek == "2020-W53")
        #expect(CivilDate(year: 2026, month: 12, day: 31).isoWeek == "2026-W53")
        #expect(AttendanceChart.axisTop(0) == 5 && AttendanceChart.axisTop(57) == 100 && AttendanceChart.axisTop(12) == 20)
    }

    @Test func hostileEventTitlesAreEscapedInTheSVG() async throws {
        let bed = try await Self.bed()
        var client = try await bed.signedIn(Bed.maintainerToken)
        let svg = try await client.get("/staff/attendance.svg?from=2026-11-01&to=2026-11-14&split=event").text
        #expect(svg.contains("Atelier &lt;sérigraphie&gt;"))
        #expect(!svg.contains("<sérigraphie>"))
    }

    @Test func aBadPeriodIsSaidNotGuessed() async throws {
        let bed = try await Self.bed()
        var client = try await bed.signedIn(Bed.maintainerToken)
        let response = try await client.get("/staff/attendance?from=2026-11-20&to=2026-11-01")
        #expect(response.status == .badRequest)
        #expect(client.firstHeading?.hasPrefix("Période invalide") == true)
    }

    @Test func kioskctlDrawsTheSameChartLocally() async throws {
        let bed = try await Self.bed()
        let directory = bed.directory
        let configPath = directory + "/kiosk.conf"
        try "[venue]\nname = Le Mixeur\n[state]\ndirectory = \(directory)\n".write(toFile: configPath, atomically: true, encoding: .utf8)
        var output = ControlOutput.captured
        let status = await ControlCommand.main(
            arguments: ["attendance", "--from", "2026-11-01", "--to", "2026-11-14", "--by", "role", "--format", "svg", "--config", configPath],
            output: &output)
        #expect(status == 0, "\(output.standardError)")
        var client = try await bed.signedIn(Bed.maintainerToken)
        let page = try await client.get("/staff/attendance.svg?from=2026-11-01&to=2026-11-14&step=day&split=role")
        #expect(output.standardOutput == page.text)
    }

    // MARK: Evacuation list

    @Test func theEvacuationListIsReadableAndPrintable() async throws {
        let bed = try await Bed()
        try bed.inspect { store in
            for (index, name) in ["Camille", "Zoé", "Ahmed"].enumerated() {
                let person = try store.checkIns.addPerson(firstName: name, lastName: "Martin", role: index == 0 ? .member : .visitor, at: Bed.start - 3600)
                try store.checkIns.enrol(tag: "0A0B0C0D0\(index)", personID: person.id, at: Bed.start - 3600)
                _ = try store.checkIns.recordScan(tag: "0A0B0C0D0\(index)", at: Bed.start - 600, runningOccurrences: [], settings: CheckInSettings())
            }
        }
        var client = try await bed.signedIn(Bed.maintainerToken)
        // One tap from the home page.
        #expect(client.lastPage.contains("<a href=\"/staff/presence\">Présents (évacuation)</a>"))
        _ = try await client.get("/staff/presence")
        let page = client.lastPage
        #expect(page.contains("3 personnes présentes à 15:05"))
        let names = ["Ahmed Martin", "Camille Martin", "Zoé Martin"].map { page.range(of: "<strong>\($0)</strong>")?.lowerBound }
        #expect(names.allSatisfy { $0 != nil } && names[0]! < names[1]! && names[1]! < names[2]!)
        #expect(page.contains("membre · depuis 14:55"))
        #expect(page.contains("@media print{"))
        #expect(page.contains("<nav class=\"noprint\">"))
    }
}

extension HTMLText {
    /// The five references `escape` writes, back to characters (tests only).
    static func unescapeForTests(_ text: String) -> String {
        text.replacingOccurrences(of: "&lt;", with: "<").replacingOccurrences(of: "&gt;", with: ">").replacingOccurrences(of: "&quot;", with: "\"")
            .replacingOccurrences(of: "&#39;", with: "'").replacingOccurrences(of: "&amp;", with: "&")
    }
}
