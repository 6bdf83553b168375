import Foundation
import KioskCore

/// The staff web page at `/staff/`, for a coordinator on a phone ten minutes before doors
/// open: plain HTML forms, no JavaScript, French or English after the venue's language,
/// one column laid out for 390 px first. Each section (programme, notices, posters, alert,
/// screen, presence, attendance) is a page of its own, routed by `routes` and written by
/// `StaffPages+SECTION.swift` and `StaffPageRenderer+SECTION.swift`: a new section adds
/// its routes to the table and a tile to the home page.
///
/// Everything goes through the same `StaffDesk` as the API (validated, stored, audited
/// under the token's name, shown at once) with the API's contract types.
///
/// Security: the cookie `kiosk_staff` holds only a random session id
/// (`HttpOnly; SameSite=Strict; Path=/staff`; not `Secure`, because the lobby network
/// speaks plain HTTP, so anyone who can sniff that network can take a session until it
/// expires). Every request re-checks the session's token against the configuration (a
/// removed or changed token ends its sessions at once). Failed sign-ins are limited per
/// address (`SignInThrottle`) and logged at warning with the address. Every POST but
/// sign-in carries the session's CSRF token; any POST whose `Origin` is not this host, or
/// whose `Sec-Fetch-Site` says another site, is refused (403). Pages are sent with a
/// strict Content-Security-Policy (no script, no external resource, no framing) and
/// `Cache-Control: no-store`. Successful POSTs answer 303 (post/redirect/get) to a page
/// whose first heading is the result; a refused form comes back filled in.
public struct StaffPages: HTTPHandler {
    public static let cookieName = "kiosk_staff"
    public static let contentSecurityPolicy =
        "default-src 'none'; style-src 'unsafe-inline'; img-src 'self'; form-action 'self'; frame-ancestors 'none'"

    let desk: StaffDesk
    let tokens: APITokenTable
    let throttle: SignInThrottle
    public let sessions: StaffSessions
    let screenImage: StaffScreenImage
    let thumbnails: StaffPosterThumbnails
    let logger: JournalLogger

    public init(
        desk: StaffDesk, tokens: APITokenTable, throttle: SignInThrottle = SignInThrottle(), sessions: StaffSessions = StaffSessions(),
        screenImage: StaffScreenImage = .shared, thumbnails: StaffPosterThumbnails = .shared
    ) {
        self.desk = desk
        self.tokens = tokens
        self.throttle = throttle
        self.sessions = sessions
        self.screenImage = screenImage
        self.thumbnails = thumbnails
        self.logger = desk.logger
    }

    var clock: any Clock { desk.clock }

    /// One page of the table: its path under `/staff/`, methods, who may see it, and what
    /// answers it (`session` is nil only on public routes).
    struct Route: Sendable {
        enum Access: Sendable { case everyone, staff, maintainer }
        var path: [String]
        var methods: [HTTPMethod]
        var access: Access
        var handle: @Sendable (StaffPages, Context) async -> HTTPResponse
    }

    /// What a route handler gets.
    struct Context: Sendable {
        var request: HTTPRequest
        var peer: HTTPPeer
        var renderer: StaffPageRenderer
        var session: StaffSessions.Session?
        /// Why there is no session although the browser sent a cookie (the token changed).
        var sessionEnded: String?
        var strings: StaffPageStrings { renderer.strings }
        /// The session of a route that needs one (the router checked it).
        var signedIn: StaffSessions.Session { session! }
    }

    static let routes: [Route] = signInRoutes + homeRoutes + programmeRoutes + noticeRoutes + posterRoutes + alertRoutes + screenRoutes
        + presenceRoutes + attendanceRoutes

    public func respond(to request: HTTPRequest, from peer: HTTPPeer) async throws -> HTTPResponse {
        let renderer = StaffPageRenderer(venue: desk.config.venue, now: clock.now())
        guard let segments = request.pathSegments, segments.first == "staff" else {
            return Self.page(renderer.message(renderer.strings.notFound, session: nil), status: .notFound)
        }
        let path = Array(segments.dropFirst())
        if path.isEmpty { return Self.redirect("/staff/") }
        let (session, ended) = currentSession(request)
        var context = Context(request: request, peer: peer, renderer: renderer, session: session, sessionEnded: ended)
        guard let route = Self.routes.first(where: { $0.path == path }) else {
            return Self.page(renderer.message(renderer.strings.notFound, session: session), status: .notFound)
        }
        var methods = route.methods
        if methods.contains(.get) { methods.append(.head) }
        guard methods.contains(request.method) else {
            var response = Self.page(renderer.message(renderer.strings.notFound, session: session), status: .methodNotAllowed)
            response.headers.set("Allow", methods.map(\.rawValue).joined(separator: ", "))
            return response
        }
        if request.method == .post, !Self.isSameOrigin(request) {
            return Self.page(renderer.message(renderer.strings.forbiddenForm, session: session), status: .forbidden)
        }
        switch route.access {
        case .everyone:
            break
        case .staff, .maintainer:
            guard let session else {
                if request.method == .get || request.method == .head {
                    return Self.page(renderer.signIn(error: ended), status: ended == nil ? .ok : .unauthorized)
                }
                return Self.page(renderer.signIn(error: ended ?? renderer.strings.sessionExpired), status: .unauthorized)
            }
            if route.access == .maintainer && !session.principal.may(.maintainer) {
                return Self.page(renderer.message(renderer.strings.maintainerOnly, session: session), status: .forbidden)
            }
        }
        context.session = session
        return await route.handle(self, context)
    }

    /// A French (or English) page for an upload the server refused before it was whole
    /// (413 over `max-body`, 408 too slow, 411, 400...), with the way back.
    public func framingErrorResponse(_ error: HTTPError, target: String?) -> HTTPResponse? {
        let renderer = StaffPageRenderer(venue: desk.config.venue, now: clock.now())
        let (title, advice) = renderer.strings.transportError(error.status.code, maxBody: desk.config.http.maxBody)
        let path = target.map { HTTPRequest(method: .get, target: $0).path } ?? "/staff/"
        let back = ["/staff/programme", "/staff/notices", "/staff/posters"].first { path.hasPrefix($0) } ?? "/staff/"
        var response = Self.page(renderer.transportError(title: title, advice: advice, detail: error.reason, back: back), status: error.status)
        response.headers.set("Connection", "close")
        return response
    }

    // MARK: Sessions

    /// The session of the request's cookie, if it is live and its token still configured
    /// as it was; else nil and, when the token changed, why.
    private func currentSession(_ request: HTTPRequest) -> (StaffSessions.Session?, String?) {
        guard let id = Self.cookie(Self.cookieName, in: request.headers) else { return (nil, nil) }
        guard let session = sessions.session(id: id, now: clock.now()) else { return (nil, nil) }
        guard tokens.isCurrent(name: session.principal.name, digest: session.tokenDigest, role: session.principal.role) else {
            sessions.closeAll(tokenDigest: session.tokenDigest)
            logger.notice("staff page: sessions of \(session.principal.name) ended: its token was removed or changed")
            return (nil, StaffPageStrings(desk.config.venue.language).sessionRevoked)
        }
        return (session, nil)
    }

    // MARK: Forms

    /// The fields of an urlencoded POST whose CSRF token matches the session's, or the
    /// page refusing it.
    func checkedForm(_ context: Context) -> Result<HTTPFormFields, Refusal> {
        let session = context.signedIn
        guard Self.mediaType(context.request) == "application/x-www-form-urlencoded" else {
            return .failure(Refusal(Self.page(context.renderer.message(context.strings.unsupportedForm, session: session), status: .unsupportedMediaType)))
        }
        guard let fields = HTTPFormFields(body: context.request.body) else {
            return .failure(Refusal(Self.page(context.renderer.message(context.strings.fileNotRead, session: session), status: .badRequest)))
        }
        guard StaffSessions.csrfMatches(fields["csrf"], session) else {
            return .failure(Refusal(Self.page(context.renderer.message(context.strings.forbiddenForm, session: session), status: .forbidden)))
        }
        return .success(fields)
    }

    /// A refused form's answer, as an error for `Result`.
    struct Refusal: Error {
        var response: HTTPResponse
        init(_ response: HTTPResponse) { self.response = response }
    }

    /// What to tell the user about a desk error, and the status to send.
    static func describe(_ error: any Error, _ strings: StaffPageStrings) -> (alert: String, status: HTTPStatus) {
        if let http = error as? HTTPError, (400..<500).contains(http.status.code) {
            return ("\(strings.refusedByServer) : \(http.reason)", http.status)
        }
        return (strings.internalError, .internalServerError)
    }

    // MARK: Responses

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
