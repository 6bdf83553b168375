import Foundation
import KioskCore

/// The staff web page at `/staff/`: sign in with a token, post or withdraw a notice,
/// upload a programme and read its validation report, see what the screen shows. Plain
/// HTML forms, no JavaScript, French or English after the venue's language.
///
/// Routes (everything else under `/staff` is 404, a wrong method 405 with `Allow`):
/// - `GET /staff/`: the sign-in form, or the dashboard when signed in (`/staff` redirects);
/// - `POST /staff/login` (`token`), `POST /staff/logout`;
/// - `POST /staff/notices` (the notice form), `POST /staff/notices/withdraw` (`id`);
/// - `POST /staff/programme` (`multipart/form-data`: `file`, `name`, `check_only`);
/// - `GET /staff/screen`: the screen's text (and its picture when the backend draws one,
///   `GET /staff/screen.png`).
///
/// Security: the cookie `kiosk_staff` holds only a random session id
/// (`HttpOnly; SameSite=Strict; Path=/staff`; not `Secure`, because the lobby network
/// speaks plain HTTP, so anyone who can sniff that network can take a session: it dies
/// after `StaffSessions.lifetime`). Every POST but sign-in carries the session's CSRF
/// token; any POST whose `Origin` is not this host, or whose `Sec-Fetch-Site` says
/// another site, is refused (403). Pages are sent with a strict Content-Security-Policy
/// (no script, no external resource, no framing) and `Cache-Control: no-store`.
/// Successful POSTs answer 303 (post/redirect/get); a rejected form comes back filled in
/// with 401 (sign-in), 403 (CSRF), 422 (invalid fields) or 400/415 (unreadable form).
public struct StaffPages: HTTPHandler {
    public static let cookieName = "kiosk_staff"
    public static let contentSecurityPolicy =
        "default-src 'none'; style-src 'unsafe-inline'; img-src 'self'; form-action 'self'; frame-ancestors 'none'"

    let backend: any StaffBackend
    public let sessions: StaffSessions
    let clock: any Clock

    public init(backend: any StaffBackend, sessions: StaffSessions = StaffSessions(), clock: any Clock = SystemClock()) {
        self.backend = backend
        self.sessions = sessions
        self.clock = clock
    }

    public func respond(to request: HTTPRequest, from peer: HTTPPeer) async throws -> HTTPResponse {
        let venue = await backend.venue()
        let renderer = StaffPageRenderer(venue: venue)
        guard let segments = request.pathSegments, segments.first == "staff" else {
            return Self.page(renderer.message(renderer.strings.notFound, session: nil), status: .notFound)
        }
        let route = Array(segments.dropFirst())
        let session = currentSession(request)
        func only(_ methods: [HTTPMethod], _ action: () async throws -> HTTPResponse) async rethrows -> HTTPResponse {
            guard methods.contains(request.method) else {
                var response = Self.page(renderer.message(renderer.strings.notFound, session: session), status: .methodNotAllowed)
                response.headers.set("Allow", methods.map(\.rawValue).joined(separator: ", "))
                return response
            }
            if request.method == .post, !Self.isSameOrigin(request) {
                return Self.page(renderer.message(renderer.strings.forbiddenForm, session: session), status: .forbidden)
            }
            return try await action()
        }
        switch route {
        case []:
            return await only([.get, .head]) { Self.redirect("/staff/") }
        case [""]:
            return await only([.get, .head]) { await home(renderer, session) }
        case ["login"]:
            return await only([.post]) { await login(request, renderer, previous: session) }
        case ["logout"]:
            return await only([.post]) { logout(request, renderer, session) }
        case ["notices"]:
            return await only([.post]) { await postNotice(request, renderer, session) }
        case ["notices", "withdraw"]:
            return await only([.post]) { await withdrawNotice(request, renderer, session) }
        case ["programme"]:
            return await only([.post]) { await pushProgramme(request, renderer, session) }
        case ["screen"]:
            return await only([.get, .head]) { await screen(renderer, session) }
        case ["screen.png"]:
            return await only([.get, .head]) { await screenImage(renderer, session) }
        default:
            return Self.page(renderer.message(renderer.strings.notFound, session: session), status: .notFound)
        }
    }

    // MARK: Routes

    private func home(_ renderer: StaffPageRenderer, _ session: StaffSessions.Session?) async -> HTTPResponse {
        guard let session else { return Self.page(renderer.signIn()) }
        var page = StaffPageRenderer.Dashboard()
        switch sessions.takeFlash(for: session.id) {
        case .programme(let report)?:
            page.report = report
            if report.source.hasPrefix("push:") { page.programme.name = String(report.source.dropFirst(5)) }
        case let other: page.flash = other
        }
        return await dashboard(renderer, session, page)
    }

    private func login(_ request: HTTPRequest, _ renderer: StaffPageRenderer, previous: StaffSessions.Session?) async -> HTTPResponse {
        guard let fields = Self.urlencodedFields(request) else {
            return Self.page(renderer.signIn(error: renderer.strings.fileNotRead), status: .badRequest)
        }
        let token = (fields["token"] ?? "").trimmingCharacters(in: .whitespacesAndNewlines)
        guard !token.isEmpty else {
            return Self.page(renderer.signIn(error: renderer.strings.emptyToken), status: .unauthorized)
        }
        guard let principal = await backend.principal(forToken: token) else {
            return Self.page(renderer.signIn(error: renderer.strings.wrongToken), status: .unauthorized)
        }
        if let previous { sessions.close(id: previous.id) }
        let session = sessions.open(for: principal, now: clock.now())
        sessions.setFlash(.signedIn, for: session.id)
        var response = Self.redirect("/staff/")
        response.headers.add(
            "Set-Cookie",
            "\(Self.cookieName)=\(session.id); Path=/staff; HttpOnly; SameSite=Strict; Max-Age=\(Int(sessions.lifetime))")
        return response
    }

    private func logout(_ request: HTTPRequest, _ renderer: StaffPageRenderer, _ session: StaffSessions.Session?) -> HTTPResponse {
        if let session {
            guard let fields = Self.urlencodedFields(request), StaffSessions.csrfMatches(fields["csrf"], session) else {
                return Self.page(renderer.message(renderer.strings.forbiddenForm, session: session), status: .forbidden)
            }
            sessions.close(id: session.id)
        }
        var response = Self.redirect("/staff/")
        response.headers.add("Set-Cookie", "\(Self.cookieName)=; Path=/staff; HttpOnly; SameSite=Strict; Max-Age=0")
        return response
    }

    private func postNotice(_ request: HTTPRequest, _ renderer: StaffPageRenderer, _ current: StaffSessions.Session?) async -> HTTPResponse {
        let session: StaffSessions.Session, fields: HTTPFormFields
        switch checkedForm(request, renderer, current) {
        case .refused(let response): return response
        case .accepted(let checked): (session, fields) = checked
        }
        var form = StaffNoticeForm(fields: fields)
        let venue = renderer.venue
        guard let draft = form.validate(now: clock.now(), timeZone: venue.timeZone, strings: renderer.strings) else {
            return await dashboard(renderer, session, .init(noticeForm: form), status: .unprocessableContent)
        }
        do {
            let notice = try await backend.postNotice(draft, as: session.principal)
            sessions.setFlash(.noticePosted(title: notice.title), for: session.id)
            return Self.redirect("/staff/#live")
        } catch {
            let (alert, status) = Self.describe(error, renderer)
            return await dashboard(renderer, session, .init(alert: alert, noticeForm: form), status: status)
        }
    }

    private func withdrawNotice(_ request: HTTPRequest, _ renderer: StaffPageRenderer, _ current: StaffSessions.Session?) async -> HTTPResponse {
        let session: StaffSessions.Session, fields: HTTPFormFields
        switch checkedForm(request, renderer, current) {
        case .refused(let response): return response
        case .accepted(let checked): (session, fields) = checked
        }
        guard let id = fields["id"], !id.isEmpty else {
            return await dashboard(renderer, session, .init(alert: renderer.strings.fileNotRead), status: .badRequest)
        }
        do {
            let title = try await backend.liveNotices(as: session.principal).first { $0.id == id }?.title ?? id
            let removed = try await backend.withdrawNotice(id: id, as: session.principal)
            sessions.setFlash(removed ? .noticeWithdrawn(title: title) : .noticeAlreadyGone, for: session.id)
            return Self.redirect("/staff/#live")
        } catch {
            let (alert, status) = Self.describe(error, renderer)
            return await dashboard(renderer, session, .init(alert: alert), status: status)
        }
    }

    private func pushProgramme(_ request: HTTPRequest, _ renderer: StaffPageRenderer, _ session: StaffSessions.Session?) async -> HTTPResponse {
        guard let session else {
            return Self.page(renderer.signIn(error: renderer.strings.sessionExpired), status: .unauthorized)
        }
        let strings = renderer.strings
        let multipart: MultipartFormData
        do {
            guard let parsed = try MultipartFormData(request: request) else {
                return Self.page(renderer.message(strings.unsupportedForm, session: session), status: .unsupportedMediaType)
            }
            multipart = parsed
        } catch {
            return await dashboard(renderer, session, .init(alert: strings.fileNotRead), status: .badRequest)
        }
        guard StaffSessions.csrfMatches(multipart.text("csrf"), session) else {
            return Self.page(renderer.message(strings.forbiddenForm, session: session), status: .forbidden)
        }
        var form = StaffPageRenderer.ProgrammeForm()
        form.name = (multipart.text("name") ?? "").trimmingCharacters(in: .whitespaces)
        form.checkOnly = !(multipart.text("check_only") ?? "").isEmpty
        if !Self.isSourceName(form.name) { form.nameError = strings.badSourceName }
        let file = multipart["file"]
        if file == nil || file!.content.isEmpty { form.fileError = strings.noFile }
        guard form.nameError == nil, form.fileError == nil, let file else {
            return await dashboard(renderer, session, .init(programme: form), status: .unprocessableContent)
        }
        do {
            let report = try await backend.pushProgramme(name: form.name, file: file.content, checkOnly: form.checkOnly, as: session.principal)
            guard report.errors.isEmpty else {
                return await dashboard(renderer, session, .init(programme: form, report: report), status: .unprocessableContent)
            }
            sessions.setFlash(.programme(report), for: session.id)
            return Self.redirect("/staff/#programme")
        } catch {
            let (alert, status) = Self.describe(error, renderer)
            return await dashboard(renderer, session, .init(alert: alert, programme: form), status: status)
        }
    }

    private func screen(_ renderer: StaffPageRenderer, _ session: StaffSessions.Session?) async -> HTTPResponse {
        guard let session else { return Self.redirect("/staff/") }
        do {
            let text = try await backend.screenText(as: session.principal)
            let picture = await backend.drawsScreenImage()
            return Self.page(renderer.screen(session, text: text, picture: picture))
        } catch {
            let (alert, status) = Self.describe(error, renderer)
            return Self.page(renderer.message(alert, session: session), status: status)
        }
    }

    private func screenImage(_ renderer: StaffPageRenderer, _ session: StaffSessions.Session?) async -> HTTPResponse {
        guard let session else {
            return Self.page(renderer.message(renderer.strings.sessionExpired, session: nil), status: .unauthorized)
        }
        do {
            guard let png = try await backend.screenImage(as: session.principal) else {
                return Self.page(renderer.message(renderer.strings.notFound, session: session), status: .notFound)
            }
            var response = HTTPResponse(status: .ok, headers: ["Content-Type": "image/png"], body: png)
            Self.addSecurityHeaders(&response)
            return response
        } catch {
            let (alert, status) = Self.describe(error, renderer)
            return Self.page(renderer.message(alert, session: session), status: status)
        }
    }

    // MARK: Pieces

    /// The dashboard with the live notices loaded.
    private func dashboard(
        _ renderer: StaffPageRenderer, _ session: StaffSessions.Session, _ page: StaffPageRenderer.Dashboard, status: HTTPStatus = .ok
    ) async -> HTTPResponse {
        var page = page
        do {
            page.notices = try await backend.liveNotices(as: session.principal)
        } catch {
            page.alert = page.alert ?? Self.describe(error, renderer).alert
        }
        return Self.page(renderer.dashboard(session, page), status: status)
    }

    /// The session and the fields of an urlencoded POST whose CSRF token matches, or the
    /// response refusing it.
    private func checkedForm(
        _ request: HTTPRequest, _ renderer: StaffPageRenderer, _ session: StaffSessions.Session?
    ) -> CheckedForm {
        guard let session else {
            return .refused(Self.page(renderer.signIn(error: renderer.strings.sessionExpired), status: .unauthorized))
        }
        guard Self.mediaType(request) == "application/x-www-form-urlencoded" else {
            return .refused(Self.page(renderer.message(renderer.strings.unsupportedForm, session: session), status: .unsupportedMediaType))
        }
        guard let fields = HTTPFormFields(body: request.body) else {
            return .refused(Self.page(renderer.message(renderer.strings.fileNotRead, session: session), status: .badRequest))
        }
        guard StaffSessions.csrfMatches(fields["csrf"], session) else {
            return .refused(Self.page(renderer.message(renderer.strings.forbiddenForm, session: session), status: .forbidden))
        }
        return .accepted((session, fields))
    }

    /// A form POST let through (its session and fields), or the answer refusing it.
    enum CheckedForm {
        case accepted((StaffSessions.Session, HTTPFormFields))
        case refused(HTTPResponse)
    }

    private func currentSession(_ request: HTTPRequest) -> StaffSessions.Session? {
        guard let id = Self.cookie(Self.cookieName, in: request.headers) else { return nil }
        return sessions.session(id: id, now: clock.now())
    }

    /// The value of cookie `name` in the request's `Cookie` fields (RFC 6265 section 5.4).
    static func cookie(_ name: String, in headers: HTTPHeaders) -> String? {
        for header in headers.values("Cookie") {
            for pair in header.split(separator: ";") {
                let trimmed = pair.drop { $0 == " " }
                guard let eq = trimmed.firstIndex(of: "=") else { continue }
                if trimmed[..<eq] == name { return String(trimmed[trimmed.index(after: eq)...]) }
            }
        }
        return nil
    }

    static func mediaType(_ request: HTTPRequest) -> String? {
        request.headers["Content-Type"].map { MediaTypeParameters.split($0).type }
    }

    static func urlencodedFields(_ request: HTTPRequest) -> HTTPFormFields? {
        guard mediaType(request) == "application/x-www-form-urlencoded" else { return nil }
        return HTTPFormFields(body: request.body)
    }

    /// False when the browser says the form came from another origin: an `Origin` that is
    /// not `http(s)://HOST` for this request's `Host` (including the opaque `null`), or
    /// `Sec-Fetch-Site` other than `same-origin`/`none`. Clients that send neither
    /// (curl, tests) pass; the CSRF token still applies to them.
    static func isSameOrigin(_ request: HTTPRequest) -> Bool {
        if let site = request.headers["Sec-Fetch-Site"]?.lowercased(), site != "same-origin", site != "none" { return false }
        guard let origin = request.headers["Origin"] else { return true }
        guard let host = request.headers["Host"] else { return false }
        let lowered = origin.lowercased()
        return lowered == "http://" + host.lowercased() || lowered == "https://" + host.lowercased()
    }

    /// `push:NAME` names: 1 to 40 of `a-z 0-9 - _`.
    static func isSourceName(_ name: String) -> Bool {
        (1...40).contains(name.utf8.count)
            && name.utf8.allSatisfy { (0x61...0x7A).contains($0) || (0x30...0x39).contains($0) || $0 == 0x2D || $0 == 0x5F }
    }

    /// What to tell the user about a backend error, and the status to send.
    static func describe(_ error: any Error, _ renderer: StaffPageRenderer) -> (alert: String, status: HTTPStatus) {
        if let http = error as? HTTPError, (400..<500).contains(http.status.code) {
            return ("\(renderer.strings.refusedByServer) : \(http.reason)", http.status)
        }
        return (renderer.strings.internalError, .internalServerError)
    }

    /// An HTML page with the security headers every staff response carries.
    static func page(_ html: String, status: HTTPStatus = .ok) -> HTTPResponse {
        var response = HTTPResponse.text(html, status: status, contentType: "text/html; charset=utf-8")
        addSecurityHeaders(&response)
        return response
    }

    /// 303 See Other to `location` (after a successful POST, or `/staff` to `/staff/`).
    static func redirect(_ location: String) -> HTTPResponse {
        var response = HTTPResponse(status: .seeOther, headers: ["Location": location])
        addSecurityHeaders(&response)
        return response
    }

    static func addSecurityHeaders(_ response: inout HTTPResponse) {
        response.headers.set("Content-Security-Policy", contentSecurityPolicy)
        response.headers.set("X-Content-Type-Options", "nosniff")
        response.headers.set("X-Frame-Options", "DENY")
        response.headers.set("Referrer-Policy", "same-origin")
        response.headers.set("Cache-Control", "no-store")
    }
}
