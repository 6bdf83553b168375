import Foundation
import KioskCore

/// Attendance for funders (maintainer): a period, per day or week, in total, by role or
/// per event; the chart drawn by the kiosk in SVG, the numbers as a table beside it, and
/// the CSV (and the SVG) a click away.
extension StaffPages {
    static let attendanceRoutes: [Route] = [
        Route(path: ["attendance"], methods: [.get], access: .maintainer) { pages, context in await pages.attendance(context, as: .page) },
        Route(path: ["attendance.csv"], methods: [.get], access: .maintainer) { pages, context in await pages.attendance(context, as: .csv) },
        Route(path: ["attendance.svg"], methods: [.get], access: .maintainer) { pages, context in await pages.attendance(context, as: .svg) },
    ]

    enum AttendanceOutput { case page, csv, svg }

    /// The chart's query from the page's form (defaults: the last 30 days, per day, total).
    struct AttendanceForm: Sendable, Hashable {
        var from: CivilDate
        var to: CivilDate
        var step: AttendanceChart.Step
        var split: AttendanceChart.Split
        var valid: Bool

        init(fields: HTTPFormFields?, today: CivilDate) {
            let to = fields?["to"].flatMap { CivilDate(iso: $0) }.flatMap { $0.isValid ? $0 : nil }
            let from = fields?["from"].flatMap { CivilDate(iso: $0) }.flatMap { $0.isValid ? $0 : nil }
            self.to = to ?? today
            self.from = from ?? (to ?? today).adding(days: -29)
            step = fields?["step"].flatMap(AttendanceChart.Step.init(rawValue:)) ?? .day
            split = fields?["split"].flatMap(AttendanceChart.Split.init(rawValue:)) ?? .total
            let written = { (name: String) in !(fields?[name] ?? "").isEmpty }
            valid = (from != nil || !written("from")) && (to != nil || !written("to")) && self.from <= self.to
                && self.to.dayNumber - self.from.dayNumber <= 366
        }

        var query: String {
            "from=\(from)&to=\(to)&step=\(step.rawValue)&split=\(split.rawValue)"
        }
    }

    func attendance(_ context: Context, as output: AttendanceOutput) async -> HTTPResponse {
        let session = context.signedIn, renderer = context.renderer
        let form = AttendanceForm(fields: context.request.queryFields, today: renderer.days.civilDate(of: clock.now()))
        guard form.valid else {
            return Self.page(renderer.attendancePage(session, form: form, chart: nil, problem: context.strings.badPeriod), status: .badRequest)
        }
        do {
            let body = try await desk.attendance(
                AttendanceQuery(from: form.from, to: form.to, grouping: AttendanceChart.grouping(for: form.split)), as: session.principal)
            let chart = AttendanceChart(
                rows: body.rows, from: form.from, to: form.to, step: form.step, split: form.split, language: renderer.venue.language)
            switch output {
            case .page:
                return Self.page(renderer.attendancePage(session, form: form, chart: chart, problem: nil))
            case .csv, .svg:
                let csv = output == .csv
                var response = HTTPResponse(
                    status: .ok, headers: ["Content-Type": csv ? "text/csv; charset=utf-8" : "image/svg+xml; charset=utf-8"],
                    body: Array((csv ? chart.csv() : chart.svg()).utf8))
                response.headers.set("Content-Disposition", "attachment; filename=\"frequentation-\(form.from)-\(form.to).\(csv ? "csv" : "svg")\"")
                Self.addSecurityHeaders(&response)
                return response
            }
        } catch {
            let (message, status) = Self.describe(error, context.strings)
            return Self.page(renderer.message(message, session: session), status: status)
        }
    }
}

extension StaffPageRenderer {
    func attendancePage(_ session: StaffSessions.Session, form: StaffPages.AttendanceForm, chart: AttendanceChart?, problem: String?) -> String {
        document(title: strings.attendanceTitle, session: session, result: problem.map { Result(tone: .error, heading: $0) }) {
            func option<T: RawRepresentable & Equatable>(_ value: T, _ label: String, _ current: T) -> String where T.RawValue == String {
                "<option value=\"\(value.rawValue)\"\(value == current ? " selected" : "")>\(e(label))</option>"
            }
            var html = """
            <h1>\(e(strings.attendanceTitle))</h1>
            <form method="get" action="/staff/attendance" class="noprint">
            <div class="row"><div><label for="from">\(e(strings.fromLabel))</label><input type="date" id="from" name="from" value="\(form.from)"></div>\
            <div><label for="to">\(e(strings.toLabel))</label><input type="date" id="to" name="to" value="\(form.to)"></div></div>
            <div class="row"><div><label for="step">\(e(strings.stepLabel))</label><select id="step" name="step">\
            \(option(AttendanceChart.Step.day, strings.perDay, form.step))\(option(AttendanceChart.Step.week, strings.perWeek, form.step))</select></div>\
            <div><label for="split">\(e(strings.splitLabel))</label><select id="split" name="split">\
            \(option(AttendanceChart.Split.total, strings.splitTotal, form.split))\(option(AttendanceChart.Split.role, strings.splitRole, form.split))\
            \(option(AttendanceChart.Split.event, strings.splitEvent, form.split))</select></div></div>
            <button type="submit">\(e(strings.show))</button>
            </form>

            """
            guard let chart else { return html }
            if chart.bars.allSatisfy({ $0.total == 0 }) {
                return html + "<p>\(e(strings.noAttendance))</p>\n"
            }
            html += """
            <section id="chart">
            <h2>\(e(chart.title))</h2>
            <div class="scroll">\(chart.svg(standalone: false))</div>
            <div class="row noprint"><a class="button secondary" href="/staff/attendance.csv?\(e(form.query))" id="csv">\(e(strings.downloadCSV))</a>\
            <a class="button secondary" href="/staff/attendance.svg?\(e(form.query))">\(e(strings.downloadSVG))</a></div>
            </section>
            <section id="numbers"><div class="scroll"><table id="attendance-table"><thead><tr>
            """
            for (index, column) in chart.columns.enumerated() { html += "<th\(index > 0 ? " class=\"n\"" : "")>\(e(column))</th>" }
            html += "</tr></thead><tbody>\n"
            for row in chart.displayRows where row.dropFirst().contains(where: { $0 != "0" }) || chart.split == .event {
                html += "<tr>" + row.enumerated().map { "<td\($0.offset > 0 ? " class=\"n\"" : "")>\(e($0.element))</td>" }.joined() + "</tr>\n"
            }
            let total = chart.bars.reduce(0) { $0 + $1.total }
            html += "</tbody><tfoot><tr><th>\(e(strings.total))</th><td class=\"n\" colspan=\"\(chart.columns.count - 1)\">\(total)</td></tr></tfoot></table></div></section>\n"
            return html
        }
    }
}
