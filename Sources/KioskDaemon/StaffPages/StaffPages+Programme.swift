import Foundation
import KioskCore

/// The programme page: upload a file (its result first: "12 événements prêts, 2 erreurs",
/// each error in French with its line and event; a refused file kept for a corrected
/// retry), the programmes pushed with who, when and how many events, each with a withdraw
/// button; replacing a colleague's push asks first.
extension StaffPages {
    static let programmeRoutes: [Route] = [
        Route(path: ["programme"], methods: [.get, .post], access: .staff) { pages, context in
            context.request.method == .post ? await pages.upload(context) : await pages.programmePage(context, result: pages.takeFlash(context))
        },
        Route(path: ["programme", "resend"], methods: [.post], access: .staff) { pages, context in await pages.resend(context) },
        Route(path: ["programme", "kept"], methods: [.get], access: .staff) { pages, context in pages.keptFile(context) },
        Route(path: ["programme", "withdraw"], methods: [.post], access: .staff) { pages, context in await pages.withdrawProgramme(context) },
    ]

    /// The upload form as it was sent (kept to fill the form again).
    struct UploadForm: Sendable, Hashable {
        var name = ""
        var checkOnly = false
        var fileError: String?
        var nameError: String?
    }

    func programmePage(
        _ context: Context, result: StaffPageRenderer.Result?, form: UploadForm = UploadForm(), status: HTTPStatus = .ok
    ) async -> HTTPResponse {
        let session = context.signedIn
        var result = result
        var sources: [ProgrammeSource] = []
        do {
            sources = try await desk.programmeSources(as: session.principal)
        } catch {
            result = result ?? .init(tone: .error, heading: Self.describe(error, context.strings).alert)
        }
        let kept = sessions.kept(for: session.id)
        return Self.page(context.renderer.programmePage(session, result: result, form: form, sources: sources, kept: kept), status: status)
    }

    /// `POST /staff/programme` (multipart: `file`, `name`, `check_only`, `csrf`).
    func upload(_ context: Context) async -> HTTPResponse {
        let session = context.signedIn, strings = context.strings
        let multipart: MultipartFormData
        switch checkedMultipart(context, back: "/staff/programme") {
        case .failure(let refusal): return refusal.response
        case .success(let checked): multipart = checked
        }
        var form = UploadForm()
        form.checkOnly = !(multipart.text("check_only") ?? "").isEmpty
        let file = multipart["file"]
        let fileName = file?.filename.map { TerminalText.sanitized($0) } ?? ""
        let typed = (multipart.text("name") ?? "").trimmingCharacters(in: .whitespaces).lowercased()
        form.name = typed.isEmpty ? Self.sourceName(fromFileName: fileName) : typed
        if file == nil || file!.content.isEmpty { form.fileError = strings.noFile }
        if form.fileError == nil, !StaffDesk.isProgrammeName(form.name) { form.nameError = strings.badSourceName }
        guard form.nameError == nil, form.fileError == nil, let file else {
            return await programmePage(context, result: .init(tone: .error, heading: form.fileError ?? form.nameError!), form: form, status: .unprocessableContent)
        }
        let upload = StaffSessions.KeptUpload(
            fileName: fileName.isEmpty ? form.name : fileName, content: file.content, name: form.name, checkOnly: form.checkOnly, kept: clock.now())
        sessions.keep(upload, for: session.id)
        return await push(context, upload, replaceConfirmed: false)
    }

    /// `POST /staff/programme/resend`: the kept file again (after correcting nothing, or
    /// confirming the replacement of a colleague's programme: `replace=1`).
    func resend(_ context: Context) async -> HTTPResponse {
        let fields: HTTPFormFields
        switch checkedForm(context) {
        case .failure(let refusal): return refusal.response
        case .success(let checked): fields = checked
        }
        guard let upload = sessions.kept(for: context.signedIn.id) else {
            return await programmePage(context, result: .init(tone: .error, heading: context.strings.noKeptFile), status: .conflict)
        }
        return await push(context, upload, replaceConfirmed: fields["replace"] == "1")
    }

    /// Pushes a kept upload: asks first when it would replace another token's programme.
    private func push(_ context: Context, _ upload: StaffSessions.KeptUpload, replaceConfirmed: Bool) async -> HTTPResponse {
        let session = context.signedIn, strings = context.strings
        do {
            if !upload.checkOnly && !replaceConfirmed {
                let existing = try await desk.programmeSources(as: session.principal).first { $0.id == StaffDesk.pushSourceID(upload.name) }
                if let existing, let owner = existing.pushedBy, owner != session.principal.name {
                    var details = [strings.eventCount(existing.events)]
                    if let when = existing.lastSuccess { details[0] += ", " + strings.pushedBy(owner, context.renderer.when(when)) }
                    details.append(strings.fileSent(upload.fileName))
                    return Self.page(context.renderer.confirmation(
                        session: session, title: strings.programmeTitle, question: strings.confirmReplace(upload.name, owner), details: details,
                        action: "/staff/programme/resend", fields: [("replace", "1")], confirmLabel: strings.replace, back: "/staff/programme"))
                }
            }
            let report = try await desk.pushProgramme(
                name: upload.name, body: upload.content, mediaType: nil, dryRun: upload.checkOnly, as: session.principal)
            guard report.errors.isEmpty else {
                let result = context.renderer.programmeResult(report, fileName: upload.fileName, session: session)
                var form = UploadForm()
                form.name = upload.name
                form.checkOnly = upload.checkOnly
                return await programmePage(context, result: result, form: form, status: .unprocessableContent)
            }
            // A file with dropped events stays kept (to download, correct and send again).
            if !upload.checkOnly && report.eventsDropped == 0 { sessions.forgetKept(for: session.id) }
            sessions.setFlash(.programme(report, fileName: upload.fileName), for: session.id)
            return Self.redirect("/staff/programme")
        } catch {
            let (message, status) = Self.describe(error, strings)
            return await programmePage(context, result: .init(tone: .error, heading: message), status: status)
        }
    }

    /// The kept file, to download and correct.
    func keptFile(_ context: Context) -> HTTPResponse {
        guard let upload = sessions.kept(for: context.signedIn.id) else {
            return Self.page(context.renderer.message(context.strings.noKeptFile, session: context.signedIn, back: "/staff/programme"), status: .notFound)
        }
        var response = HTTPResponse(status: .ok, headers: ["Content-Type": "application/octet-stream"], body: upload.content)
        let safe = upload.fileName.unicodeScalars.filter { $0.isASCII && $0.value > 0x20 && $0 != "\"" && $0 != "\\" && $0 != ";" }
        response.headers.set("Content-Disposition", "attachment; filename=\"\(safe.isEmpty ? "programme" : String(String.UnicodeScalarView(safe)))\"")
        Self.addSecurityHeaders(&response)
        return response
    }

    /// `POST /staff/programme/withdraw` (`name`): asks, then removes `push:NAME`.
    func withdrawProgramme(_ context: Context) async -> HTTPResponse {
        let session = context.signedIn, strings = context.strings
        let fields: HTTPFormFields
        switch checkedForm(context) {
        case .failure(let refusal): return refusal.response
        case .success(let checked): fields = checked
        }
        let name = fields["name"] ?? ""
        do {
            guard fields["confirm"] == "1" else {
                guard let source = try await desk.programmeSources(as: session.principal).first(where: { $0.pushName == name }) else {
                    return await programmePage(context, result: .init(tone: .error, heading: strings.programmeGone), status: .notFound)
                }
                var details = [strings.eventCount(source.events)]
                if let who = source.pushedBy, let when = source.lastSuccess { details.append(strings.pushedBy(who, context.renderer.when(when))) }
                return Self.page(context.renderer.confirmation(
                    session: session, title: strings.programmeTitle, question: strings.confirmWithdrawProgramme(name), details: details,
                    action: "/staff/programme/withdraw", fields: [("name", name)], confirmLabel: strings.withdrawProgramme, danger: true,
                    back: "/staff/programme"))
            }
            guard try await desk.removeProgramme(name: name, as: session.principal) else {
                return await programmePage(context, result: .init(tone: .error, heading: strings.programmeGone), status: .notFound)
            }
            sessions.setFlash(.programmeWithdrawn(name: name), for: session.id)
            return Self.redirect("/staff/programme")
        } catch {
            let (message, status) = Self.describe(error, strings)
            return await programmePage(context, result: .init(tone: .error, heading: message), status: status)
        }
    }

    /// A programme name from a file name: `Soirée jeux (v2).ics` gives `soiree-jeux-v2`
    /// (letters without accents, lowercase; runs of anything else become one `-`; at most
    /// 40 characters); `programme` when nothing is left.
    static func sourceName(fromFileName fileName: String) -> String {
        var base = fileName.split(whereSeparator: { $0 == "/" || $0 == "\\" }).last.map(String.init) ?? ""
        if let dot = base.lastIndex(of: "."), dot != base.startIndex { base = String(base[..<dot]) }
        var out = ""
        var pendingDash = false
        for scalar in Self.foldedLatin(base.lowercased()).unicodeScalars {
            let v = scalar.value
            if (0x61...0x7A).contains(v) || (0x30...0x39).contains(v) || v == 0x5F {
                if pendingDash && !out.isEmpty { out += "-" }
                pendingDash = false
                out.unicodeScalars.append(scalar)
            } else {
                pendingDash = true
            }
            if out.count >= 40 { break }
        }
        out = String(out.prefix(40))
        while out.hasSuffix("-") { out.removeLast() }
        return out.isEmpty ? "programme" : out
    }

    /// Lowercase Latin letters without their accents (é → e, ç → c, œ → oe), by a table:
    /// no locale or ICU transform.
    static func foldedLatin(_ text: String) -> String {
        let table: [Character: String] = [
            "à": "a", "á": "a", "â": "a", "ä": "a", "ã": "a", "å": "a", "æ": "ae", "ç": "c", "è": "e", "é": "e", "ê": "e",
            "ë": "e", "ì": "i", "í": "i", "î": "i", "ï": "i", "ñ": "n", "ò": "o", "ó": "o", "ô": "o", "ö": "o", "õ": "o",
            "ø": "o", "œ": "oe", "ù": "u", "ú": "u", "û": "u", "ü": "u", "ý": "y", "ÿ": "y", "ß": "ss",
        ]
        var out = ""
        for character in text { out += table[character] ?? String(character) }
        return out
    }
}

extension StaffPageRenderer {
    /// A push's report as the page's result: "12 événements prêts, 2 erreurs", what it
    /// means, and each problem with its line and event. The errors are a refusal's reasons
    /// and the events dropped as broken (the readers skip them and keep the others);
    /// the other warnings follow. With errors, the file sent is kept for a corrected retry.
    func programmeResult(_ report: ProgrammePushReport, fileName: String, session: StaffSessions.Session) -> Result {
        let name = report.source.hasPrefix("push:") ? String(report.source.dropFirst(5)) : report.source
        let dropped = report.warnings.filter { ProgrammeIssueWording.isDrop($0.message) }
        let warnings = report.warnings.filter { !ProgrammeIssueWording.isDrop($0.message) }
        let errorCount = report.errors.count + max(report.eventsDropped, dropped.count)
        let heading = strings.eventsReady(report.eventsRead) + ", " + strings.errorCount(errorCount)
        var result = Result(tone: !report.errors.isEmpty ? .error : errorCount > 0 ? .warning : .ok, heading: heading)
        let summary: String
        switch (report.errors.isEmpty, report.applied, errorCount > 0) {
        case (false, _, _): summary = strings.reportRejected
        case (true, true, false): summary = strings.reportApplied(name)
        case (true, true, true): summary = strings.reportAppliedWithout(name)
        case (true, false, false): summary = strings.reportCheckedOK
        case (true, false, true): summary = strings.reportCheckedWithErrors
        }
        result.lines = [summary, strings.fileSent(fileName)]
        let wording = ProgrammeIssueWording(language: strings.language)
        func list(_ issues: [ProgrammePushReport.Issue], id: String, title: String) -> String {
            guard !issues.isEmpty else { return "" }
            let items = issues.map { issue -> String in
                let (text, known) = wording.describe(issue.message)
                let place = wording.place(issue).map { "<span class=\"where\">\(e($0))</span> : " } ?? ""
                return "<li>\(place)<span\(known ? "" : " lang=\"en\"")>\(e(text))</span></li>"
            }.joined(separator: "\n")
            return "<h2>\(e(title))</h2>\n<ol class=\"issues\" id=\"\(id)\">\n\(items)\n</ol>\n"
        }
        result.extra = list(report.errors + dropped, id: "report-errors", title: strings.reportErrors)
            + list(warnings, id: "report-warnings", title: strings.reportWarnings)
        if errorCount > 0 {
            result.extra += """
            <p class="hint">\(e(strings.keptFile(fileName)))</p>
            <div class="row"><a class="button secondary" href="/staff/programme/kept" download>\(e(strings.downloadKept))</a>\
            <form method="post" action="/staff/programme/resend">\(csrfField(session))<button type="submit" class="secondary">\(e(strings.resendKept))</button></form></div>

            """
        }
        return result
    }

    func programmePage(
        _ session: StaffSessions.Session, result: Result?, form: StaffPages.UploadForm, sources: [ProgrammeSource],
        kept: StaffSessions.KeptUpload?
    ) -> String {
        document(title: strings.programmeTitle, session: session, result: result) {
            let file = fieldError(form.fileError, field: "file"), name = fieldError(form.nameError, field: "name", help: "name-help")
            var html = """
            <h1>\(e(strings.programmeTitle))</h1>
            <section id="upload">
            <h2>\(e(strings.uploadTitle))</h2>
            <p class="hint">\(e(strings.programmeHelp))</p>
            <form method="post" action="/staff/programme" enctype="multipart/form-data">
            \(csrfField(session))
            <label for="file">\(e(strings.fileLabel))</label>
            \(file.paragraph)<input type="file" id="file" name="file" accept=".ics,.json,text/calendar,application/json"\(file.attributes)>
            <label for="name">\(e(strings.sourceLabel))</label>
            <p class="hint" id="name-help">\(e(strings.sourceHelp))</p>
            \(name.paragraph)<input type="text" id="name" name="name" value="\(e(form.name))" pattern="[a-z0-9_\\-]{1,40}" maxlength="40" autocapitalize="off"\(name.attributes)>
            <label class="check"><input type="checkbox" name="check_only" value="1"\(form.checkOnly ? " checked" : "")> \(e(strings.checkOnlyLabel))</label>
            <button type="submit">\(e(strings.send))</button>
            </form>
            </section>

            """
            let pushes = sources.filter { $0.pushName != nil }
            html += "<section id=\"pushed\">\n<h2>\(e(strings.pushedTitle))</h2>\n"
            if pushes.isEmpty {
                html += "<p>\(e(strings.noPushes))</p>\n"
            } else {
                html += "<ul class=\"plain\">\n"
                for source in pushes {
                    let name = source.pushName!
                    var meta = strings.eventCount(source.events)
                    if let when = source.lastSuccess { meta += " · " + (source.pushedBy.map { strings.pushedBy($0, self.when(when)) } ?? strings.updatedWhen(self.when(when))) }
                    html += """
                    <li id="push-\(e(name))"><strong>\(e(name))</strong><span class="meta">\(e(meta))</span>
                    <form method="post" action="/staff/programme/withdraw">\(csrfField(session))<input type="hidden" name="name" value="\(e(name))"><button type="submit" class="secondary">\(e(strings.withdraw))</button></form></li>

                    """
                }
                html += "</ul>\n"
            }
            html += "</section>\n"
            let feeds = sources.filter { $0.pushName == nil }
            if !feeds.isEmpty {
                html += "<section id=\"feeds\">\n<h2>\(e(strings.feedsTitle))</h2>\n<ul class=\"plain\">\n"
                for feed in feeds {
                    var meta = strings.eventCount(feed.events)
                    if let when = feed.lastSuccess { meta += " · " + strings.updatedWhen(self.when(when)) }
                    if feed.lastError != nil { meta += " · " + strings.feedFailing }
                    html += "<li><strong>\(e(feed.id))</strong><span class=\"meta\">\(e(meta))</span></li>\n"
                }
                html += "</ul>\n</section>\n"
            }
            return html
        }
    }
}
