import Foundation
import KioskCore

/// Writes the staff pages as complete HTML documents: one column, large touch targets,
/// inline CSS, no script, no external resource (the CSP `StaffPages` sends forbids them
/// anyway). Every value that comes from data or from the request goes through
/// `HTMLText.escape`; literal markup is only ever the renderer's own.
struct StaffPageRenderer: Sendable {
    let venue: StaffVenue
    let strings: StaffPageStrings

    init(venue: StaffVenue) {
        self.venue = venue
        strings = StaffPageStrings(venue.language)
    }

    private func e(_ text: some StringProtocol) -> String { HTMLText.escape(text) }

    // MARK: Pages

    /// The sign-in form, with an error above it when the last attempt failed.
    func signIn(error: String? = nil) -> String {
        document(title: strings.signInTitle, session: nil) {
            """
            <section>
            <h2>\(e(strings.signInTitle))</h2>
            \(error.map { "<p class=\"error\" role=\"alert\">\(e($0))</p>" } ?? "")
            <form method="post" action="/staff/login" autocomplete="off">
            <label for="token">\(e(strings.tokenLabel))</label>
            <p class="hint" id="token-help">\(e(strings.signInHelp))</p>
            <input type="password" id="token" name="token" required aria-describedby="token-help" autocapitalize="off" spellcheck="false">
            <button type="submit">\(e(strings.signIn))</button>
            </form>
            </section>
            """
        }
    }

    /// What the dashboard shows besides its forms.
    struct Dashboard: Sendable {
        var flash: StaffFlash?
        /// A message above everything (a refused form, an error of the kiosk).
        var alert: String?
        var noticeForm = StaffNoticeForm.blank
        var notices: [Notice] = []
        var programme = ProgrammeForm()
        /// A report shown under the upload form when it was not redirected (rejected file).
        var report: StaffProgrammeReport?
    }

    /// The programme upload form's kept values and errors.
    struct ProgrammeForm: Sendable, Hashable {
        var name = "staff"
        var checkOnly = false
        var fileError: String?
        var nameError: String?
    }

    func dashboard(_ session: StaffSessions.Session, _ page: Dashboard) -> String {
        document(title: strings.staffArea, session: session) {
            var html = """
            <nav><a href="#post">\(e(strings.navPost))</a><a href="#live">\(e(strings.navLive))</a>\
            <a href="#programme">\(e(strings.navProgramme))</a><a href="/staff/screen">\(e(strings.navScreen))</a></nav>

            """
            if let alert = page.alert { html += "<p class=\"error\" role=\"alert\">\(e(alert))</p>\n" }
            if let flash = page.flash { html += flashHTML(flash) }
            html += noticeFormHTML(page.noticeForm, session: session)
            html += liveNoticesHTML(page.notices, session: session)
            html += programmeFormHTML(page.programme, report: page.report, session: session)
            return html
        }
    }

    /// The screen's text, and its picture (`/staff/screen.png`) when `picture`.
    func screen(_ session: StaffSessions.Session, text: String, picture: Bool = false) -> String {
        document(title: strings.screenTitle, session: session) {
            """
            <nav><a href="/staff/">\(e(strings.backToStaff))</a></nav>
            <section>
            <h2>\(e(strings.screenTitle))</h2>
            <p class="hint">\(e(strings.screenHelp))</p>
            \(picture ? "<img id=\"screen-image\" src=\"/staff/screen.png\" width=\"\(StaffScreenImage.pixelWidth)\" height=\"\(StaffScreenImage.pixelHeight)\" alt=\"\(e(strings.screenImageAlt))\">" : "")
            <pre id="screen-text">\(e(text))</pre>
            </section>
            """
        }
    }

    /// A page with one message (refused form, unknown page...), a link back.
    func message(_ text: String, session: StaffSessions.Session?) -> String {
        document(title: strings.staffArea, session: session) {
            """
            <p class="error" role="alert">\(e(text))</p>
            <p><a href="/staff/">\(e(strings.backToStaff))</a></p>
            """
        }
    }

    // MARK: Sections

    private func flashHTML(_ flash: StaffFlash) -> String {
        switch flash {
        case .signedIn: return "<p class=\"ok\" role=\"status\">\(e(strings.signedIn))</p>\n"
        case .noticePosted(let title): return "<p class=\"ok\" role=\"status\">\(e(strings.noticePosted(title)))</p>\n"
        case .noticeWithdrawn(let title): return "<p class=\"ok\" role=\"status\">\(e(strings.noticeWithdrawn(title)))</p>\n"
        case .noticeAlreadyGone: return "<p class=\"error\" role=\"alert\">\(e(strings.noticeAlreadyGone))</p>\n"
        case .programme(let report): return reportHTML(report)
        }
    }

    private func csrfField(_ session: StaffSessions.Session) -> String {
        "<input type=\"hidden\" name=\"csrf\" value=\"\(e(session.csrfToken))\">"
    }

    private func fieldError(_ form: StaffNoticeForm, _ field: StaffNoticeForm.Field) -> String {
        guard let message = form.errors[field] else { return "" }
        return "<p class=\"error\" id=\"\(field.rawValue)-error\">\(e(message))</p>"
    }

    private func invalidAttributes(_ form: StaffNoticeForm, _ field: StaffNoticeForm.Field) -> String {
        form.errors[field] == nil ? "" : " aria-invalid=\"true\" aria-describedby=\"\(field.rawValue)-error\""
    }

    private func noticeFormHTML(_ form: StaffNoticeForm, session: StaffSessions.Session) -> String {
        let kinds = Notice.Kind.allCases.map { kind in
            let selected = form.value(.kind) == kind.rawValue ? " selected" : ""
            return "<option value=\"\(e(kind.rawValue))\"\(selected)>\(e(strings.lobby.noticeKind(kind)))</option>"
        }.joined()
        let terms = (["<option value=\"\"\(form.value(.terms).isEmpty ? " selected" : "")>\(e(strings.noTerms))</option>"]
            + Notice.Terms.allCases.map { terms in
                let selected = form.value(.terms) == terms.rawValue ? " selected" : ""
                return "<option value=\"\(e(terms.rawValue))\"\(selected)>\(e(strings.lobby.terms(terms)))</option>"
            }).joined()
        func input(_ field: StaffNoticeForm.Field, _ label: String, type: String = "text", extra: String = "") -> String {
            """
            <label for="\(field.rawValue)">\(e(label))</label>
            \(fieldError(form, field))<input type="\(type)" id="\(field.rawValue)" name="\(field.rawValue)" value="\(e(form.value(field)))"\(extra)\(invalidAttributes(form, field))>

            """
        }
        var html = "<section id=\"post\">\n<h2>\(e(strings.navPost))</h2>\n"
        if !form.errors.isEmpty { html += "<p class=\"error\" role=\"alert\">\(e(strings.formHasErrors))</p>\n" }
        html += """
        <form method="post" action="/staff/notices">
        \(csrfField(session))
        <label for="kind">\(e(strings.kindLabel))</label>
        \(fieldError(form, .kind))<select id="kind" name="kind"\(invalidAttributes(form, .kind))>\(kinds)</select>

        """
        html += input(.title, strings.titleLabel, extra: " required maxlength=\"\(StaffNoticeForm.maximumTitle)\"")
        html += """
        <label for="body">\(e(strings.bodyLabel))</label>
        \(fieldError(form, .body))<textarea id="body" name="body" rows="4" maxlength="\(StaffNoticeForm.maximumBody)"\(invalidAttributes(form, .body))>\(e(form.value(.body)))</textarea>

        """
        html += input(.author, strings.authorLabel, extra: " maxlength=\"\(StaffNoticeForm.maximumAuthor)\"")
        html += """
        <label for="terms">\(e(strings.termsLabel))</label>
        \(fieldError(form, .terms))<select id="terms" name="terms"\(invalidAttributes(form, .terms))>\(terms)</select>

        """
        html += input(.deadline, strings.deadlineLabel, type: "date")
        html += input(.eventDate, strings.eventDateLabel, type: "date")
        html += input(.expiresDays, strings.expiryLabel, type: "number", extra: " min=\"1\" max=\"365\" inputmode=\"numeric\"")
        html += """
        <label class="check"><input type="checkbox" name="urgent" value="1"\(form.isUrgent ? " checked" : "")> \(e(strings.urgentLabel))</label>
        <button type="submit">\(e(strings.publish))</button>
        </form>
        </section>

        """
        return html
    }

    private func liveNoticesHTML(_ notices: [Notice], session: StaffSessions.Session) -> String {
        var html = "<section id=\"live\">\n<h2>\(e(strings.navLive))</h2>\n"
        guard !notices.isEmpty else { return html + "<p>\(e(strings.liveEmpty))</p>\n</section>\n" }
        html += "<ul class=\"notices\">\n"
        for notice in notices {
            let lastDay = CivilDate(notice.expires.addingTimeInterval(-1), in: venue.timeZone)
            var meta = [strings.lobby.noticeKind(notice.kind)]
            if let terms = notice.terms { meta.append(strings.lobby.terms(terms)) }
            if !notice.author.isEmpty { meta.append(notice.author) }
            meta.append(strings.until(strings.lobby.shortDate(lastDay)))
            html += """
            <li\(notice.urgent ? " class=\"urgent\"" : "")><p><strong>\(notice.urgent ? e(strings.urgentTag) + " · " : "")\(e(notice.title))</strong><br>\
            <small>\(e(meta.joined(separator: " · ")))</small></p>
            <form method="post" action="/staff/notices/withdraw">\(csrfField(session))<input type="hidden" name="id" value="\(e(notice.id))">\
            <button type="submit" class="secondary">\(e(strings.withdraw))</button></form></li>

            """
        }
        return html + "</ul>\n</section>\n"
    }

    private func programmeFormHTML(_ form: ProgrammeForm, report: StaffProgrammeReport?, session: StaffSessions.Session) -> String {
        """
        <section id="programme">
        <h2>\(e(strings.navProgramme))</h2>
        <p class="hint">\(e(strings.programmeHelp))</p>
        \(report.map(reportHTML) ?? "")<form method="post" action="/staff/programme" enctype="multipart/form-data">
        \(csrfField(session))
        <label for="file">\(e(strings.fileLabel))</label>
        \(form.fileError.map { "<p class=\"error\" id=\"file-error\">\(e($0))</p>" } ?? "")<input type="file" id="file" name="file" accept=".ics,.json,text/calendar,application/json">
        <label for="name">\(e(strings.sourceLabel))</label>
        \(form.nameError.map { "<p class=\"error\" id=\"name-error\">\(e($0))</p>" } ?? "")<input type="text" id="name" name="name" value="\(e(form.name))" required pattern="[a-z0-9_\\-]{1,40}" maxlength="40" autocapitalize="off">
        <label class="check"><input type="checkbox" name="check_only" value="1"\(form.checkOnly ? " checked" : "")> \(e(strings.checkOnlyLabel))</label>
        <button type="submit">\(e(strings.send))</button>
        </form>
        </section>

        """
    }

    private func reportHTML(_ report: StaffProgrammeReport) -> String {
        let verdict: String, cssClass: String
        if report.applied {
            verdict = strings.reportApplied
            cssClass = "ok"
        } else if !report.errors.isEmpty {
            verdict = strings.reportRejected
            cssClass = "error"
        } else {
            verdict = strings.reportCheckedOK
            cssClass = "ok"
        }
        var html = """
        <div class="report" id="report">
        <h3>\(e(strings.reportTitle))</h3>
        <p class="\(cssClass)" role="status">\(e(verdict))</p>
        <dl><dt>\(e(strings.reportSource))</dt><dd>\(e(report.source))</dd><dt>\(e(strings.reportFormat))</dt><dd>\(e(report.format))</dd>\
        <dt>\(e(strings.reportEvents))</dt><dd id="events-read">\(report.eventsRead)</dd></dl>

        """
        func table(_ title: String, _ problems: [StaffProgrammeReport.Problem], id: String) -> String {
            guard !problems.isEmpty else { return "" }
            let rows = problems.map { "<tr><td>\($0.line.map(String.init) ?? "–")</td><td>\(e($0.message))</td></tr>" }.joined(separator: "\n")
            return """
            <h4>\(e(title))</h4>
            <table id="\(id)"><thead><tr><th>\(e(strings.lineHeader))</th><th>\(e(strings.messageHeader))</th></tr></thead><tbody>
            \(rows)
            </tbody></table>

            """
        }
        html += table(strings.reportErrors, report.errors, id: "report-errors")
        html += table(strings.reportWarnings, report.warnings, id: "report-warnings")
        return html + "</div>\n"
    }

    // MARK: Document

    private func document(title: String, session: StaffSessions.Session?, content: () -> String) -> String {
        var header = "<header><h1>\(e(venue.name)) · \(e(strings.staffArea))</h1>"
        if let session {
            header += """
            <form method="post" action="/staff/logout" class="signout"><span>\(e(strings.signedInAs(session.principal.name)))</span>\
            \(csrfField(session))<button type="submit" class="secondary">\(e(strings.signOut))</button></form>
            """
        }
        header += "</header>"
        return """
        <!DOCTYPE html>
        <html lang="\(venue.language.rawValue)">
        <head>
        <meta charset="utf-8">
        <meta name="viewport" content="width=device-width, initial-scale=1">
        <title>\(e(title)) · \(e(venue.name))</title>
        <style>\(Self.css)</style>
        </head>
        <body>
        <main>
        \(header)
        \(content())
        </main>
        </body>
        </html>

        """
    }

    /// One column up to 40 em, 48 px touch targets, system fonts, readable contrast.
    static let css = """
    *{box-sizing:border-box}\
    body{margin:0;font:1.05rem/1.5 system-ui,-apple-system,"Segoe UI",Roboto,sans-serif;color:#1b1b1b;background:#f6f4ef}\
    main{max-width:40rem;margin:0 auto;padding:1rem}\
    h1{font-size:1.3rem;margin:.2rem 0 .6rem}h2{font-size:1.2rem;margin:0 0 .6rem}\
    section,.report{background:#fff;border-radius:.5rem;padding:1rem;margin:1rem 0;box-shadow:0 1px 2px #0002}\
    nav{display:flex;flex-wrap:wrap;gap:.5rem}nav a{display:inline-block;padding:.7rem .9rem;min-height:48px;background:#fff;border-radius:.4rem;color:#0b4f8a}\
    label{display:block;font-weight:600;margin:.9rem 0 .3rem}label.check{font-weight:400;display:flex;gap:.6rem;align-items:center;min-height:48px}\
    label.check input{width:1.6rem;height:1.6rem}\
    input,select,textarea{width:100%;font:inherit;padding:.7rem;min-height:48px;border:2px solid #8a8a8a;border-radius:.4rem;background:#fff}\
    input[aria-invalid],select[aria-invalid],textarea[aria-invalid]{border-color:#b00020}\
    button{display:block;width:100%;margin-top:1rem;min-height:48px;font:inherit;font-weight:700;padding:.7rem;border:0;border-radius:.4rem;background:#0b4f8a;color:#fff}\
    button.secondary{background:#e9e6df;color:#1b1b1b;border:2px solid #8a8a8a}\
    .signout{display:flex;flex-wrap:wrap;gap:.5rem;align-items:center}.signout button{width:auto;margin:0}\
    .hint{color:#555;font-size:.95rem;margin:.2rem 0}\
    .error{color:#b00020;font-weight:600}.ok{color:#1d6b2f;font-weight:600}\
    .notices{list-style:none;padding:0;margin:0}.notices li{border-top:1px solid #ddd;padding:.6rem 0}.notices li.urgent strong{color:#b00020}\
    pre{white-space:pre;overflow-x:auto;font-size:.8rem;background:#111;color:#eee;padding:.8rem;border-radius:.4rem}\
    table{border-collapse:collapse;width:100%}td,th{border-top:1px solid #ddd;padding:.3rem;text-align:left;vertical-align:top}\
    img{display:block;max-width:100%;height:auto;margin:.6rem 0;border-radius:.4rem}\
    dl{display:grid;grid-template-columns:auto 1fr;gap:.2rem 1rem}dd{margin:0}
    """
}
