import Foundation
import KioskCore

/// The notices page: post one, edit one, withdraw one (asked first, and undone for a
/// minute from the next page).
extension StaffPages {
    static let noticeRoutes: [Route] = [
        Route(path: ["notices"], methods: [.get, .post], access: .staff) { pages, context in
            context.request.method == .post ? await pages.postNotice(context) : await pages.noticesPage(context, result: pages.takeFlash(context))
        },
        Route(path: ["notices", "edit"], methods: [.get, .post], access: .staff) { pages, context in
            context.request.method == .post ? await pages.saveNotice(context) : await pages.editNotice(context)
        },
        Route(path: ["notices", "withdraw"], methods: [.post], access: .staff) { pages, context in await pages.withdrawNotice(context) },
        Route(path: ["notices", "undo"], methods: [.post], access: .staff) { pages, context in await pages.undoWithdraw(context) },
    ]

    func noticesPage(
        _ context: Context, result: StaffPageRenderer.Result?, form: StaffNoticeForm = .blank, status: HTTPStatus = .ok
    ) async -> HTTPResponse {
        let session = context.signedIn
        var result = result
        var notices: [Notice] = []
        do {
            notices = try await desk.notices(all: false, as: session.principal)
        } catch {
            result = result ?? .init(tone: .error, heading: Self.describe(error, context.strings).alert)
        }
        return Self.page(context.renderer.noticesPage(session, result: result, form: form, notices: notices), status: status)
    }

    func postNotice(_ context: Context) async -> HTTPResponse {
        let session = context.signedIn
        let fields: HTTPFormFields
        switch checkedForm(context) {
        case .failure(let refusal): return refusal.response
        case .success(let checked): fields = checked
        }
        var form = StaffNoticeForm(fields: fields)
        let zone = context.renderer.venue.timeZone
        guard let draft = form.validate(now: clock.now(), timeZone: zone, strings: context.strings) else {
            return await noticesPage(context, result: .init(tone: .error, heading: context.strings.formHasErrors), form: form, status: .unprocessableContent)
        }
        do {
            let notice = try await desk.createNotice(draft, as: session.principal)
            sessions.setFlash(.noticePosted(title: notice.title), for: session.id)
            return Self.redirect("/staff/notices")
        } catch {
            let (message, status) = Self.describe(error, context.strings)
            return await noticesPage(context, result: .init(tone: .error, heading: message), form: form, status: status)
        }
    }

    func editNotice(_ context: Context) async -> HTTPResponse {
        let session = context.signedIn
        let id = context.request.queryFields?["id"] ?? ""
        do {
            guard let notice = try await desk.notice(id: id, as: session.principal) else {
                sessions.setFlash(.noticeAlreadyGone, for: session.id)
                return Self.redirect("/staff/notices")
            }
            let form = StaffNoticeForm(notice, now: clock.now(), timeZone: context.renderer.venue.timeZone)
            return Self.page(context.renderer.noticeEditPage(session, result: nil, id: id, form: form))
        } catch {
            let (message, status) = Self.describe(error, context.strings)
            return Self.page(context.renderer.message(message, session: session, back: "/staff/notices"), status: status)
        }
    }

    func saveNotice(_ context: Context) async -> HTTPResponse {
        let session = context.signedIn
        let fields: HTTPFormFields
        switch checkedForm(context) {
        case .failure(let refusal): return refusal.response
        case .success(let checked): fields = checked
        }
        let id = fields["id"] ?? ""
        var form = StaffNoticeForm(fields: fields)
        guard let draft = form.validate(now: clock.now(), timeZone: context.renderer.venue.timeZone, strings: context.strings) else {
            return Self.page(
                context.renderer.noticeEditPage(session, result: .init(tone: .error, heading: context.strings.formHasErrors), id: id, form: form),
                status: .unprocessableContent)
        }
        do {
            guard let notice = try await desk.replaceNotice(id: id, with: draft, as: session.principal) else {
                sessions.setFlash(.noticeAlreadyGone, for: session.id)
                return Self.redirect("/staff/notices")
            }
            sessions.setFlash(.noticeUpdated(title: notice.title), for: session.id)
            return Self.redirect("/staff/notices")
        } catch {
            let (message, status) = Self.describe(error, context.strings)
            return Self.page(context.renderer.noticeEditPage(session, result: .init(tone: .error, heading: message), id: id, form: form), status: status)
        }
    }

    /// Asks, then withdraws; the notice is kept a minute for the undo button.
    func withdrawNotice(_ context: Context) async -> HTTPResponse {
        let principal = context.signedIn.principal, strings = context.strings
        return await withdraw(
            context, page: "/staff/notices", gone: .noticeAlreadyGone, sectionPage: { await noticesPage($0, result: $1, status: $2) },
            find: { id in try await desk.notice(id: id, as: principal) },
            confirmation: { notice, id in
                Self.page(context.renderer.confirmation(
                    session: context.signedIn, title: strings.noticesTitle, question: strings.confirmWithdrawNotice(notice.title),
                    details: [strings.withdrawNoticeHelp], action: "/staff/notices/withdraw", fields: [("id", id)],
                    confirmLabel: strings.withdraw, danger: true, back: "/staff/notices"))
            },
            withdraw: { notice, id in
                let createdBy = try await desk.noticeCreator(id: id, as: principal) ?? ""
                guard try await desk.deleteNotice(id: id, as: principal) else { return nil }
                sessions.setWithdrawn(.init(item: .notice(notice), createdBy: createdBy, at: clock.now()), for: context.signedIn.id)
                return .noticeWithdrawn(title: notice.title)
            })
    }

    /// Puts back the notice this session withdrew less than a minute ago.
    func undoWithdraw(_ context: Context) async -> HTTPResponse {
        await undo(context, page: "/staff/notices", tooLate: .undoTooLate, sectionPage: { await noticesPage($0, result: $1, status: $2) }) { withdrawn in
            guard case .notice(let notice) = withdrawn.item else { return nil }
            let restored = try await desk.restoreNotice(notice, createdBy: withdrawn.createdBy, as: context.signedIn.principal)
            return (restored, .noticeRestored(title: notice.title))
        }
    }
}

extension StaffPageRenderer {
    func noticesPage(_ session: StaffSessions.Session, result: Result?, form: StaffNoticeForm, notices: [Notice]) -> String {
        document(title: strings.noticesTitle, session: session, result: result) {
            "<h1>\(e(strings.noticesTitle))</h1>\n" + liveNoticesHTML(notices, session: session)
                + noticeFormHTML(form, session: session, action: "/staff/notices", id: nil, heading: strings.postTitle, submit: strings.publish)
        }
    }

    func noticeEditPage(_ session: StaffSessions.Session, result: Result?, id: String, form: StaffNoticeForm) -> String {
        document(title: strings.editTitle, session: session, result: result) {
            noticeFormHTML(form, session: session, action: "/staff/notices/edit", id: id, heading: strings.editTitle, submit: strings.saveChanges)
                + "<p><a class=\"button secondary\" href=\"/staff/notices\">\(e(strings.cancel))</a></p>\n"
        }
    }

    private func liveNoticesHTML(_ notices: [Notice], session: StaffSessions.Session) -> String {
        var html = "<section id=\"live\">\n<h2>\(e(strings.liveTitle))</h2>\n"
        guard !notices.isEmpty else { return html + "<p>\(e(strings.liveEmpty))</p>\n</section>\n" }
        html += "<ul class=\"plain\">\n"
        for notice in notices {
            let lastDay = CivilDate(notice.expires.addingTimeInterval(-1), in: venue.timeZone)
            var meta = [strings.lobby.noticeKind(notice.kind)]
            if let terms = notice.terms { meta.append(strings.lobby.terms(terms)) }
            if !notice.author.isEmpty { meta.append(notice.author) }
            meta.append(strings.until(strings.lobby.shortDate(lastDay)))
            let id = e(notice.id)
            html += """
            <li\(notice.urgent ? " class=\"urgent\"" : "") id="notice-\(id)"><strong>\(notice.urgent ? e(strings.urgentTag) + " · " : "")\(e(notice.title))</strong>\
            <span class="meta">\(e(meta.joined(separator: " · ")))</span>
            <div class="row"><a class="button secondary" href="/staff/notices/edit?id=\(e(PercentEncoding.encode(notice.id)))">\(e(strings.edit))</a>\
            <form method="post" action="/staff/notices/withdraw">\(csrfField(session))<input type="hidden" name="id" value="\(id)">\
            <button type="submit" class="secondary">\(e(strings.withdraw))</button></form></div></li>

            """
        }
        return html + "</ul>\n</section>\n"
    }

    private func noticeFormHTML(
        _ form: StaffNoticeForm, session: StaffSessions.Session, action: String, id: String?, heading: String, submit: String
    ) -> String {
        func error(_ field: StaffNoticeForm.Field) -> String { fieldError(form.errors[field], field: field.rawValue).paragraph }
        func invalid(_ field: StaffNoticeForm.Field) -> String { fieldError(form.errors[field], field: field.rawValue).attributes }
        let kinds = Notice.Kind.allCases.map { kind in
            "<option value=\"\(e(kind.rawValue))\"\(form.value(.kind) == kind.rawValue ? " selected" : "")>\(e(strings.lobby.noticeKind(kind)))</option>"
        }.joined()
        let terms = (["<option value=\"\"\(form.value(.terms).isEmpty ? " selected" : "")>\(e(strings.noTerms))</option>"]
            + Notice.Terms.allCases.map { terms in
                "<option value=\"\(e(terms.rawValue))\"\(form.value(.terms) == terms.rawValue ? " selected" : "")>\(e(strings.lobby.terms(terms)))</option>"
            }).joined()
        func input(_ field: StaffNoticeForm.Field, _ label: String, type: String = "text", extra: String = "") -> String {
            """
            <label for="\(field.rawValue)">\(e(label))</label>
            \(error(field))<input type="\(type)" id="\(field.rawValue)" name="\(field.rawValue)" value="\(e(form.value(field)))"\(extra)\(invalid(field))>

            """
        }
        var html = "<section id=\"post\">\n<h2>\(e(heading))</h2>\n<form method=\"post\" action=\"\(e(action))\">\n\(csrfField(session))\n"
        if let id { html += "<input type=\"hidden\" name=\"id\" value=\"\(e(id))\">\n" }
        html += """
        <label for="kind">\(e(strings.kindLabel))</label>
        \(error(.kind))<select id="kind" name="kind"\(invalid(.kind))>\(kinds)</select>

        """
        html += input(.title, strings.titleLabel, extra: " required maxlength=\"\(StaffNoticeForm.maximumTitle)\"")
        html += """
        <label for="body">\(e(strings.bodyLabel))</label>
        \(error(.body))<textarea id="body" name="body" rows="4" maxlength="\(StaffNoticeForm.maximumBody)"\(invalid(.body))>\(e(form.value(.body)))</textarea>

        """
        html += input(.author, strings.authorLabel, extra: " maxlength=\"\(StaffNoticeForm.maximumAuthor)\"")
        html += """
        <label for="terms">\(e(strings.termsLabel))</label>
        \(error(.terms))<select id="terms" name="terms"\(invalid(.terms))>\(terms)</select>

        """
        html += input(.deadline, strings.deadlineLabel, type: "date")
        html += input(.eventDate, strings.eventDateLabel, type: "date")
        html += input(.expiresDays, strings.expiryLabel, type: "number", extra: " min=\"1\" max=\"365\" inputmode=\"numeric\"")
        html += """
        <label class="check"><input type="checkbox" name="urgent" value="1"\(form.isUrgent ? " checked" : "")> \(e(strings.urgentLabel))</label>
        <button type="submit">\(e(submit))</button>
        </form>
        </section>

        """
        return html
    }
}
