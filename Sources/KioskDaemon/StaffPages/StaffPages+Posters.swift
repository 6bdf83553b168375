import Foundation
import KioskCore
import KioskDisplay

/// The posters page: the posters on screen now, scheduled and recently ended, each with
/// its thumbnail, title and period and a withdraw button (asked first, undone for a minute
/// from the next page, as a notice); and the upload form (a PNG or JPEG, from a phone's
/// camera too, with a title and a period), refused with the reason at its field and the
/// title and period kept.
extension StaffPages {
    static let posterRoutes: [Route] = [
        Route(path: ["posters"], methods: [.get, .post], access: .staff) { pages, context in
            context.request.method == .post ? await pages.postPoster(context) : await pages.postersPage(context, result: pages.takeFlash(context))
        },
        Route(path: ["posters", "thumbnail"], methods: [.get], access: .staff) { pages, context in await pages.posterThumbnail(context) },
        Route(path: ["posters", "withdraw"], methods: [.post], access: .staff) { pages, context in await pages.withdrawPoster(context) },
        Route(path: ["posters", "undo"], methods: [.post], access: .staff) { pages, context in await pages.undoPosterWithdraw(context) },
    ]

    /// How long an ended poster stays listed (to see what was shown, and withdraw it).
    static let recentlyEndedDays = Lobby.endedPosterRetentionDays

    func postersPage(
        _ context: Context, result: StaffPageRenderer.Result?, form: StaffPosterForm? = nil, status: HTTPStatus = .ok
    ) async -> HTTPResponse {
        let session = context.signedIn
        var result = result
        var posters: [Poster] = []
        do {
            posters = try await desk.posters(showingOnly: false, as: session.principal)
        } catch {
            result = result ?? .init(tone: .error, heading: Self.describe(error, context.strings).alert)
        }
        let form = form ?? .blank(today: context.renderer.days.civilDate(of: clock.now()))
        let sizes = await thumbnailSizes(of: posters, as: session.principal)
        return Self.page(context.renderer.postersPage(session, result: result, form: form, posters: posters, thumbnailSizes: sizes,
                                                      maxBody: desk.config.http.maxBody), status: status)
    }

    /// The size of each poster's thumbnail by picture hash, so that every `<img>` has its
    /// `width` and `height` and the list does not shift on a phone as the thumbnails come
    /// (made here when not yet known, then kept for the thumbnails' requests). A picture
    /// that does not decode is left out (its thumbnail request says why).
    private func thumbnailSizes(of posters: [Poster], as principal: Principal) async -> [String: StaffPosterThumbnails.Size] {
        var sizes: [String: StaffPosterThumbnails.Size] = [:]
        for poster in posters where sizes[poster.picture] == nil {
            let id = poster.id
            sizes[poster.picture] = try? await thumbnails.size(hash: poster.picture, read: { try await self.desk.posterPicture(id: id, as: principal)?.bytes })
        }
        return sizes
    }

    /// `POST /staff/posters` (multipart: `picture`, `title`, `from`, `to`, `days`...,
    /// `opens`, `closes`, `csrf`).
    func postPoster(_ context: Context) async -> HTTPResponse {
        let session = context.signedIn, strings = context.strings
        let multipart: MultipartFormData
        switch checkedMultipart(context, back: "/staff/posters") {
        case .failure(let refusal): return refusal.response
        case .success(let checked): multipart = checked
        }
        var form = StaffPosterForm(multipart: multipart)
        let refused = StaffPageRenderer.Result(tone: .error, heading: strings.posterFormHasErrors)
        let today = context.renderer.days.civilDate(of: clock.now())
        guard let draft = form.validate(picture: multipart[StaffPosterForm.Field.picture.rawValue], today: today, strings: strings) else {
            return await postersPage(context, result: refused, form: form, status: .unprocessableContent)
        }
        do {
            let poster = try await desk.createPoster(draft, language: strings.language, as: session.principal)
            sessions.setFlash(.posterPosted(title: poster.title), for: session.id)
            return Self.redirect("/staff/posters")
        } catch let error as HTTPError where error.status == .unprocessableContent {
            form.mark(error)
            return await postersPage(context, result: refused, form: form, status: .unprocessableContent)
        } catch {
            let (message, status) = Self.describe(error, strings)
            return await postersPage(context, result: .init(tone: .error, heading: message), form: form, status: status)
        }
    }

    /// `GET /staff/posters/thumbnail?id=ID`: the poster's picture as a small PNG made by
    /// `StaffPosterThumbnails`.
    func posterThumbnail(_ context: Context) async -> HTTPResponse {
        let session = context.signedIn
        let id = context.request.queryFields?["id"] ?? ""
        do {
            guard let poster = try await desk.poster(id: id, as: session.principal),
                  let png = try await thumbnails.png(hash: poster.picture, read: { try await self.desk.posterPicture(id: id, as: session.principal)?.bytes })
            else {
                return Self.page(context.renderer.message(context.strings.posterAlreadyGone, session: session, back: "/staff/posters"), status: .notFound)
            }
            var response = HTTPResponse(status: .ok, headers: ["Content-Type": "image/png"], body: png)
            Self.addSecurityHeaders(&response)
            return response
        } catch let error as PictureError {
            logger.warning("staff page: thumbnail of poster \(id): \(error)")
            return Self.page(context.renderer.message(PosterDraft.pictureReason(error, language: context.strings.language), session: session), status: .unprocessableContent)
        } catch {
            let (message, status) = Self.describe(error, context.strings)
            return Self.page(context.renderer.message(message, session: session), status: status)
        }
    }

    /// Asks, then withdraws; the poster (and its picture) is kept a minute for the undo.
    func withdrawPoster(_ context: Context) async -> HTTPResponse {
        let principal = context.signedIn.principal, strings = context.strings
        return await withdraw(
            context, page: "/staff/posters", gone: .posterAlreadyGone, sectionPage: { await postersPage($0, result: $1, status: $2) },
            find: { id in try await desk.poster(id: id, as: principal) },
            confirmation: { poster, id in
                Self.page(context.renderer.confirmation(
                    session: context.signedIn, title: strings.postersTitle, question: strings.confirmWithdrawPoster(poster.title),
                    details: [strings.period(poster.from, poster.to), strings.withdrawNoticeHelp], action: "/staff/posters/withdraw",
                    fields: [("id", id)], confirmLabel: strings.withdraw, danger: true, back: "/staff/posters"))
            },
            withdraw: { poster, id in
                let createdBy = try await desk.posterCreator(id: id, as: principal) ?? ""
                let picture = try? await desk.posterPicture(id: id, as: principal)
                guard try await desk.deletePoster(id: id, as: principal) else { return nil }
                if let picture {
                    sessions.setWithdrawn(.init(item: .poster(poster, picture: picture.bytes), createdBy: createdBy, at: clock.now()), for: context.signedIn.id)
                }
                return .posterWithdrawn(title: poster.title)
            })
    }

    /// Puts back the poster this session withdrew less than a minute ago.
    func undoPosterWithdraw(_ context: Context) async -> HTTPResponse {
        await undo(context, page: "/staff/posters", tooLate: .posterUndoTooLate, sectionPage: { await postersPage($0, result: $1, status: $2) }) { withdrawn in
            guard case .poster(let poster, let picture) = withdrawn.item else { return nil }
            let restored = try await desk.restorePoster(poster, picture: picture, createdBy: withdrawn.createdBy, as: context.signedIn.principal)
            return (restored, .posterRestored(title: poster.title))
        }
    }
}

extension StaffPageRenderer {
    func postersPage(_ session: StaffSessions.Session, result: Result?, form: StaffPosterForm, posters: [Poster],
                     thumbnailSizes: [String: StaffPosterThumbnails.Size], maxBody: Int) -> String {
        let zone = venue.timeZone, today = days.civilDate(of: now)
        let showing = posters.filter { $0.isShowing(at: now, timeZone: zone) }
        let scheduled = posters.filter { !$0.isShowing(at: now, timeZone: zone) && !$0.hasEnded(at: now, timeZone: zone) }
        let ended = posters.filter { $0.hasEnded(at: now, timeZone: zone) && $0.to.dayNumber >= today.dayNumber - StaffPages.recentlyEndedDays }
            .sorted { $0.to > $1.to }
        return document(title: strings.postersTitle, session: session, result: result) {
            var html = "<h1>\(e(strings.postersTitle))</h1>\n"
            html += posterListHTML(showing, id: "posters-now", title: strings.postersNow, empty: strings.noPosterNow, sizes: thumbnailSizes, session: session)
            html += posterFormHTML(form, session: session, maxBody: maxBody)
            html += posterListHTML(scheduled, id: "posters-scheduled", title: strings.postersScheduled, empty: strings.noPosterScheduled, sizes: thumbnailSizes, session: session)
            if !ended.isEmpty { html += posterListHTML(ended, id: "posters-ended", title: strings.postersEnded, empty: "", sizes: thumbnailSizes, session: session) }
            return html
        }
    }

    private func posterListHTML(_ posters: [Poster], id: String, title: String, empty: String, sizes: [String: StaffPosterThumbnails.Size],
                                session: StaffSessions.Session) -> String {
        var html = "<section id=\"\(id)\">\n<h2>\(e(title))</h2>\n"
        guard !posters.isEmpty else { return html + "<p>\(e(empty))</p>\n</section>\n" }
        html += "<ul class=\"plain\">\n"
        for poster in posters {
            var meta = [strings.period(poster.from, poster.to)]
            if !poster.weekdays.isEmpty { meta.append(strings.weekdays(poster.weekdays)) }
            if let hours = poster.hours { meta.append(strings.hours(hours.opens, hours.closes)) }
            meta.append(strings.postedBy(when(poster.posted)))
            let id = e(poster.id), query = e(PercentEncoding.encode(poster.id))
            let size = sizes[poster.picture].map { " width=\"\($0.width)\" height=\"\($0.height)\"" } ?? ""
            html += """
            <li class="poster" id="poster-\(id)"><img class="thumb" src="/staff/posters/thumbnail?id=\(query)"\(size) alt="\(e(strings.posterAlt(poster.title)))">\
            <div><strong>\(e(poster.title))</strong><span class="meta">\(e(meta.joined(separator: " · ")))</span>
            <form method="post" action="/staff/posters/withdraw">\(csrfField(session))<input type="hidden" name="id" value="\(id)">\
            <button type="submit" class="secondary">\(e(strings.withdraw))</button></form></div></li>

            """
        }
        return html + "</ul>\n</section>\n"
    }

    private func posterFormHTML(_ form: StaffPosterForm, session: StaffSessions.Session, maxBody: Int) -> String {
        typealias Field = StaffPosterForm.Field
        func error(_ field: Field, help: String? = nil) -> (paragraph: String, attributes: String) {
            fieldError(form.errors[field], field: field.rawValue, help: help)
        }
        func input(_ field: Field, _ label: String, type: String, value: String, extra: String = "") -> String {
            let (paragraph, attributes) = error(field)
            return """
            <div><label for="\(field.rawValue)">\(e(label))</label>
            \(paragraph)<input type="\(type)" id="\(field.rawValue)" name="\(field.rawValue)" value="\(e(value))"\(extra)\(attributes)></div>
            """
        }
        let picture = error(.picture, help: "picture-help"), title = error(.title), days = error(.days)
        let limits = PosterDraft.pictureLimits
        let boxes = (1...7).map { day in
            "<label class=\"check\"><input type=\"checkbox\" name=\"days\" value=\"\(day)\"\(form.days.contains(day) ? " checked" : "")> \(e(strings.shortWeekday(day)))</label>"
        }.joined()
        return """
        <section id="upload">
        <h2>\(e(strings.posterUploadTitle))</h2>
        <p class="hint">\(e(strings.posterHelp))</p>
        <form method="post" action="/staff/posters" enctype="multipart/form-data">
        \(csrfField(session))
        <label for="picture">\(e(strings.pictureLabel))</label>
        <p class="hint" id="picture-help">\(e(strings.pictureHelp(maxBody: maxBody, side: limits.maximumSide)))</p>
        \(picture.paragraph)<input type="file" id="picture" name="picture" accept="image/png,image/jpeg" required\(picture.attributes)>
        <label for="title">\(e(strings.titleLabel))</label>
        \(title.paragraph)<input type="text" id="title" name="title" value="\(e(form.title))" maxlength="\(PosterDraft.maxTitleLength)" required\(title.attributes)>
        <div class="row">\(input(.from, strings.firstDayLabel, type: "date", value: form.from, extra: " required"))\(input(.to, strings.lastDayLabel, type: "date", value: form.to, extra: " required"))</div>
        <fieldset id="days"\(days.attributes)><legend>\(e(strings.daysLegend))</legend>
        \(days.paragraph)<div class="days">\(boxes)</div></fieldset>
        <fieldset><legend>\(e(strings.hoursLegend))</legend>
        <div class="row">\(input(.opens, strings.opensLabel, type: "time", value: form.opens))\(input(.closes, strings.closesLabel, type: "time", value: form.closes))</div></fieldset>
        <button type="submit" id="put-on-screen">\(e(strings.putOnScreen))</button>
        </form>
        </section>

        """
    }
}
