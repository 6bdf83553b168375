import Foundation
import KioskCore

extension StaffPages {
    static let signInRoutes: [Route] = [
        Route(path: ["login"], methods: [.post], access: .everyone) { pages, context in await pages.login(context) },
        Route(path: ["logout"], methods: [.post], access: .everyone) { pages, context in pages.logout(context, everywhere: false) },
        Route(path: ["logout-everywhere"], methods: [.post], access: .staff) { pages, context in pages.logout(context, everywhere: true) },
    ]

    /// Signs in with a token: limited per address (`SignInThrottle`), each failure logged
    /// at warning with the address (never the token).
    func login(_ context: Context) async -> HTTPResponse {
        let renderer = context.renderer, strings = context.strings
        guard let fields = Self.urlencodedFields(context.request) else {
            return Self.page(renderer.signIn(error: strings.fileNotRead), status: .badRequest)
        }
        let address = context.peer.host, now = clock.now()
        if case .blocked(let seconds) = throttle.check(address, now: now) {
            var response = Self.page(renderer.signIn(error: strings.tooManyAttempts(seconds)), status: .tooManyRequests)
            response.headers.set("Retry-After", String(seconds))
            return response
        }
        let token = (fields["token"] ?? "").trimmingCharacters(in: .whitespacesAndNewlines)
        guard !token.isEmpty else {
            return Self.page(renderer.signIn(error: strings.emptyToken), status: .unauthorized)
        }
        guard let entry = tokens.entry(presenting: token) else {
            let (recent, blocked) = throttle.recordFailure(address, now: now)
            logger.warning("staff page: failed sign-in from \(address) (\(recent) in the last minute)" + (blocked.map { "; \(address) blocked for \($0) s" } ?? ""))
            let message = blocked.map { strings.wrongToken + " " + strings.tooManyAttempts($0) } ?? strings.wrongToken
            return Self.page(renderer.signIn(error: message), status: .unauthorized)
        }
        throttle.recordSuccess(address, now: now)
        if let previous = context.session { sessions.close(id: previous.id) }
        let session = sessions.open(for: entry, now: now)
        sessions.setFlash(.signedIn, for: session.id)
        logger.info("staff page: \(entry.name) signed in from \(address)")
        var response = Self.redirect("/staff/")
        response.headers.add(
            "Set-Cookie", "\(Self.cookieName)=\(session.id); Path=/staff; HttpOnly; SameSite=Strict; Max-Age=\(Int(sessions.lifetime))")
        return response
    }

    /// Signs this browser out, or every session of its token.
    func logout(_ context: Context, everywhere: Bool) -> HTTPResponse {
        var closed = 0
        if let session = context.session {
            guard let fields = Self.urlencodedFields(context.request), StaffSessions.csrfMatches(fields["csrf"], session) else {
                return Self.page(context.renderer.message(context.strings.forbiddenForm, session: session), status: .forbidden)
            }
            if everywhere {
                closed = sessions.closeAll(tokenDigest: session.tokenDigest)
                logger.notice("staff page: \(session.principal.name) signed out on every device (\(closed) session(s))")
            } else {
                sessions.close(id: session.id)
            }
        }
        var response = everywhere
            ? Self.page(context.renderer.signIn(notice: context.strings.signedOutEverywhere(closed)))
            : Self.redirect("/staff/")
        response.headers.add("Set-Cookie", "\(Self.cookieName)=; Path=/staff; HttpOnly; SameSite=Strict; Max-Age=0")
        return response
    }
}
