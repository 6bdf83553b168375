import Foundation
import KioskCore

/// Writes the staff pages as complete HTML documents: one column laid out for a 390 px
/// phone first, large touch targets, inline CSS, no script, no external resource (the CSP
/// `StaffPages` sends forbids them anyway). Every value that comes from data or from the
/// request goes through `HTMLText.escape`; literal markup is only ever the renderer's own.
///
/// A page is: the result of the last action when there is one (its heading is the
/// page's first, so a phone shows it without scrolling), the venue's bar and the section
/// links, the page's own content, and the signed-in line with sign-out at the bottom.
/// Sections are written in `StaffPageRenderer+SECTION.swift`.
struct StaffPageRenderer: Sendable {
    let venue: KioskConfig.Venue
    let strings: StaffPageStrings
    let days: VenueDays
    /// The instant the page is written at (the desk's clock).
    let now: Date

    init(venue: KioskConfig.Venue, now: Date = Date()) {
        self.venue = venue
        self.now = now
        strings = StaffPageStrings(venue.language)
        days = VenueDays(timeZone: venue.timeZone)
    }

    func e(_ text: some StringProtocol) -> String { HTMLText.escape(text) }

    /// The outcome of an action, shown first.
    struct Result: Sendable {
        enum Tone: String, Sendable { case ok, error, warning }
        var tone: Tone
        var heading: String
        /// Plain lines under the heading (escaped when written).
        var lines: [String] = []
        /// Markup of the renderer's own (forms, lists) under the lines.
        var extra: String = ""
    }

    // MARK: Pages

    /// The sign-in form, with an error above it when the last attempt failed (or a notice).
    func signIn(error: String? = nil, notice: String? = nil) -> String {
        let result = error.map { Result(tone: .error, heading: $0) } ?? notice.map { Result(tone: .ok, heading: $0) }
        return document(title: strings.signInTitle, session: nil, result: result) {
            """
            <h1>\(e(strings.signInTitle))</h1>
            <form method="post" action="/staff/login" autocomplete="off">
            <label for="token">\(e(strings.tokenLabel))</label>
            <p class="hint" id="token-help">\(e(strings.signInHelp))</p>
            <input type="password" id="token" name="token" required aria-describedby="token-help" autocapitalize="off" spellcheck="false">
            <button type="submit">\(e(strings.signIn))</button>
            </form>
            """
        }
    }

    /// A page with one message (refused form, unknown page...) and the way back.
    func message(_ text: String, session: StaffSessions.Session?, back: String = "/staff/") -> String {
        document(title: strings.staffArea, session: session, result: Result(tone: .error, heading: text)) {
            "<p><a class=\"button secondary\" href=\"\(e(back))\">\(e(strings.backHome))</a></p>"
        }
    }

    /// An error the server found before the request was whole (413, 408...).
    func transportError(title: String, advice: String, detail: String, back: String) -> String {
        document(title: title, session: nil, result: Result(tone: .error, heading: title, lines: [advice])) {
            """
            <p><a class="button" href="\(e(back))">\(e(strings.pick("Revenir à la page", "Go back to the page")))</a></p>
            <p class="hint" lang="en">\(e(detail))</p>
            """
        }
    }

    /// A question with a confirm button (the form's fields as hidden inputs) and a way back.
    func confirmation(
        session: StaffSessions.Session, title: String, question: String, details: [String], action: String, fields: [(String, String)],
        confirmLabel: String, danger: Bool = false, back: String
    ) -> String {
        document(title: title, session: session, result: Result(tone: .warning, heading: question, lines: details)) {
            let hidden = fields.map { "<input type=\"hidden\" name=\"\(e($0.0))\" value=\"\(e($0.1))\">" }.joined()
            return """
            <form method="post" action="\(e(action))">\(csrfField(session))\(hidden)<input type="hidden" name="confirm" value="1">
            <button type="submit" id="confirm"\(danger ? " class=\"danger\"" : "")>\(e(confirmLabel))</button>
            </form>
            <p><a class="button secondary" href="\(e(back))">\(e(strings.cancel))</a></p>
            """
        }
    }

    // MARK: Pieces

    func csrfField(_ session: StaffSessions.Session) -> String {
        "<input type=\"hidden\" name=\"csrf\" value=\"\(e(session.csrfToken))\">"
    }

    /// A form field's error: the paragraph to write before its control (id `FIELD-error`)
    /// and the control's attributes, which mark it invalid and point at that paragraph
    /// and at `help` (a hint's id, pointed at with or without an error). Both empty when
    /// there is neither.
    func fieldError(_ message: String?, field: String, help: String? = nil) -> (paragraph: String, attributes: String) {
        let paragraph = message.map { "<p class=\"error\" id=\"\(e(field))-error\">\(e($0))</p>" } ?? ""
        let described = [message == nil ? nil : field + "-error", help].compactMap { $0 }
        var attributes = message == nil ? "" : " aria-invalid=\"true\""
        if !described.isEmpty { attributes += " aria-describedby=\"\(e(described.joined(separator: " ")))\"" }
        return (paragraph, attributes)
    }

    func resultHTML(_ result: Result) -> String {
        let role = result.tone == .ok ? "status" : "alert"
        var html = "<section class=\"result result-\(result.tone.rawValue)\" id=\"result\" role=\"\(role)\">\n<h1>\(e(result.heading))</h1>\n"
        for line in result.lines { html += "<p>\(e(line))</p>\n" }
        return html + result.extra + "</section>\n"
    }

    /// "mar. 24/11 14:05" on the venue's clock ("24/11 14:05" in English too).
    func when(_ instant: Date) -> String {
        let day = days.civilDate(of: instant)
        let (hour, minute) = days.hourAndMinute(of: instant)
        let today = days.civilDate(of: now)
        let time = strings.lobby.time(hour: hour, minute: minute)
        if day == today { return strings.pick("aujourd'hui à \(time)", "today at \(time)") }
        return strings.pick("le \(two(day.day))/\(two(day.month)) à \(time)", "on \(two(day.day))/\(two(day.month)) at \(time)")
    }

    /// "14:05" on the venue's clock.
    func time(_ instant: Date) -> String {
        let (hour, minute) = days.hourAndMinute(of: instant)
        return strings.lobby.time(hour: hour, minute: minute)
    }

    func two(_ n: Int) -> String { n < 10 ? "0\(n)" : "\(n)" }

    // MARK: Document

    /// `nav`: the section links at the top (the home page has its tiles instead).
    func document(title: String, session: StaffSessions.Session?, result: Result? = nil, nav: Bool = true, content: () -> String) -> String {
        var top = ""
        if let result { top += resultHTML(result) }
        top += "<div class=\"bar\"><p class=\"brand\">\(e(venue.name)) · \(e(strings.staffArea))</p></div>\n"
        if let session, nav { top += navHTML(session) }
        var bottom = ""
        if let session {
            bottom = """
            <footer class="noprint"><p>\(e(strings.signedInAs(session.principal.name)))</p>
            <form method="post" action="/staff/logout">\(csrfField(session))<button type="submit" class="secondary">\(e(strings.signOut))</button></form>
            <form method="post" action="/staff/logout-everywhere">\(csrfField(session))<button type="submit" class="secondary">\(e(strings.signOutEverywhere))</button></form>
            </footer>
            """
        }
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
        \(top)\(content())
        \(bottom)
        </main>
        </body>
        </html>

        """
    }

    /// The section links, on every page: anything is one tap away (the evacuation list
    /// first of all).
    func navHTML(_ session: StaffSessions.Session) -> String {
        var links = [("/staff/", strings.navHome), ("/staff/programme", strings.navProgramme), ("/staff/notices", strings.navNotices),
                     ("/staff/posters", strings.navPosters), ("/staff/screen", strings.navScreen)]
        if session.principal.may(.maintainer) {
            links += [("/staff/presence", strings.navPresence), ("/staff/attendance", strings.navAttendance)]
        }
        return "<nav class=\"noprint\">" + links.map { "<a href=\"\(e($0.0))\">\(e($0.1))</a>" }.joined() + "</nav>\n"
    }

    /// One column up to 40 em, 48 px touch targets, system fonts, readable contrast; the
    /// presence list prints on paper without the page's chrome.
    static let css = """
    *{box-sizing:border-box}\
    body{margin:0;font:1.05rem/1.5 system-ui,-apple-system,"Segoe UI",Roboto,sans-serif;color:#1b1b1b;background:#f6f4ef}\
    main{max-width:40rem;margin:0 auto;padding:.75rem}\
    h1{font-size:1.35rem;line-height:1.25;margin:.3rem 0 .7rem}h2{font-size:1.15rem;margin:0 0 .6rem}h3{font-size:1.05rem;margin:.8rem 0 .4rem}\
    .bar{display:flex;justify-content:space-between;align-items:center}.brand{margin:.2rem 0;font-weight:700;color:#444;font-size:.95rem}\
    section{background:#fff;border-radius:.5rem;padding:1rem;margin:.8rem 0;box-shadow:0 1px 2px #0002}\
    .result{border-left:.5rem solid #1d6b2f;margin-top:0}.result-error{border-left-color:#b00020}.result-warning{border-left-color:#b36b00}\
    .result h1{font-size:1.3rem}.result-ok h1{color:#1d6b2f}.result-error h1{color:#b00020}.result-warning h1{color:#8a5200}\
    nav{display:flex;flex-wrap:wrap;gap:.4rem;margin:.4rem 0 .6rem}nav a{display:inline-flex;align-items:center;padding:.45rem .7rem;min-height:44px;background:#fff;border-radius:.4rem;color:#0b4f8a;text-decoration:none;border:1px solid #cfd8e3}\
    label{display:block;font-weight:600;margin:.9rem 0 .3rem}label.check{font-weight:400;display:flex;gap:.6rem;align-items:center;min-height:48px;margin:.4rem 0}\
    label.check input{width:1.6rem;height:1.6rem;flex:none}\
    input,select,textarea{width:100%;font:inherit;padding:.7rem;min-height:48px;border:2px solid #8a8a8a;border-radius:.4rem;background:#fff}\
    input[aria-invalid],select[aria-invalid],textarea[aria-invalid]{border-color:#b00020}\
    button,.button{display:block;width:100%;margin-top:1rem;min-height:48px;font:inherit;font-weight:700;padding:.7rem;border:0;border-radius:.4rem;background:#0b4f8a;color:#fff;text-align:center;text-decoration:none}\
    button.secondary,.button.secondary{background:#e9e6df;color:#1b1b1b;border:2px solid #8a8a8a}\
    button.danger,.button.danger{background:#b00020}\
    .row{display:flex;gap:.5rem}.row form,.row a{flex:1}.row button,.row .button{margin-top:.4rem}\
    .hint{color:#555;font-size:.95rem;margin:.2rem 0}\
    .error{color:#b00020;font-weight:600}.ok{color:#1d6b2f;font-weight:600}\
    ul.plain{list-style:none;padding:0;margin:0}ul.plain>li{border-top:1px solid #ddd;padding:.7rem 0}ul.plain>li:first-child{border-top:0}\
    .urgent strong{color:#b00020}.meta{color:#555;font-size:.95rem;display:block}\
    ol.issues{padding-left:1.2rem;margin:.4rem 0}ol.issues li{margin:.35rem 0}.where{font-weight:700}\
    .tiles{display:grid;grid-template-columns:1fr 1fr;gap:.6rem}.tiles a{display:flex;align-items:center;justify-content:center;min-height:64px;padding:.6rem;background:#fff;border-radius:.5rem;box-shadow:0 1px 2px #0002;color:#0b4f8a;font-weight:700;text-align:center;text-decoration:none}\
    .alertbox{border-radius:.5rem;padding:1rem;margin:.8rem 0;color:#fff;background:#003a8c}.alertbox.closure{background:#1b1b1b;color:#ffd700}.alertbox.evacuation{background:#c00000}\
    .alertbox h2{font-size:1.3rem;margin:.2rem 0}.alertbox p{margin:.3rem 0}.alertbox .meta-light{font-size:.95rem;opacity:.9}\
    .levels{display:grid;gap:.6rem}.levels .button{margin:0}.levels .information{background:#003a8c}.levels .closure{background:#1b1b1b;color:#ffd700}.levels .evacuation{background:#c00000}\
    pre{white-space:pre;overflow-x:auto;font-size:.7rem;background:#111;color:#eee;padding:.6rem;border-radius:.4rem}\
    table{border-collapse:collapse;width:100%}td,th{border-top:1px solid #ddd;padding:.35rem .3rem;text-align:left;vertical-align:top}td.n,th.n{text-align:right;font-variant-numeric:tabular-nums}\
    img{display:block;max-width:100%;height:auto;margin:.6rem 0;border-radius:.3rem;border:1px solid #ccc}\
    .poster{display:flex;gap:.8rem;align-items:flex-start}.poster img.thumb{width:6.5rem;flex:none;margin:0;background:#fff}.poster>div{flex:1;min-width:0}\
    fieldset{border:0;padding:0;margin:.9rem 0 0}legend{font-weight:600;padding:0;margin-bottom:.3rem}.days{display:grid;grid-template-columns:repeat(4,1fr);gap:0 .4rem}\
    svg{display:block;width:100%;height:auto}.scroll{overflow-x:auto}.scroll svg.wide{width:auto;max-width:none}.row>div{flex:1;min-width:0}\
    details{margin:.6rem 0}summary{min-height:44px;display:flex;align-items:center;cursor:pointer;color:#0b4f8a;font-weight:600}\
    dl{display:grid;grid-template-columns:auto 1fr;gap:.2rem 1rem}dd{margin:0}\
    footer{margin:1.5rem 0 .5rem;color:#555;font-size:.95rem}footer p{margin:0}\
    .people{font-size:1.2rem}.people li{display:flex;justify-content:space-between;gap:.5rem;flex-wrap:wrap}.people .since{color:#555;font-size:1rem}\
    @media print{body{background:#fff;font-size:12pt}.noprint,nav,footer{display:none}section{box-shadow:none;padding:0;margin:0 0 1rem}main{max-width:none}.people{font-size:13pt}.people li{break-inside:avoid;padding:.25rem 0}}
    """
}
