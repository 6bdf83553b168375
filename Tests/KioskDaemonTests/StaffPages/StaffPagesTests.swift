import Foundation
import Testing
import KioskCore
@testable import KioskDaemon

/// A browser without JavaScript, in memory: keeps the session cookie the pages set and
/// reads the CSRF token out of the last page's forms.
struct PageClient {
    let pages: StaffPages
    var cookie: String?
    var lastPage = ""
    var host = "kiosk.lan:8080"

    init(_ pages: StaffPages) { self.pages = pages }

    static let peer = HTTPPeer(address: "192.168.1.20:50000", isLoopback: false)

    mutating func send(_ method: HTTPMethod, _ target: String, headers: HTTPHeaders = HTTPHeaders(), body: [UInt8] = []) async throws -> HTTPResponse {
        var headers = headers
        headers.set("Host", host)
        if let cookie { headers.add("Cookie", "other=1; \(StaffPages.cookieName)=\(cookie)") }
        let response = try await pages.respond(to: HTTPRequest(method: method, target: target, headers: headers, body: body), from: Self.peer)
        for value in response.headers.values("Set-Cookie") {
            let pair = value.split(separator: ";")[0]
            let parts = pair.split(separator: "=", maxSplits: 1, omittingEmptySubsequences: false)
            if parts[0] == StaffPages.cookieName { cookie = parts[1].isEmpty ? nil : String(parts[1]) }
        }
        // A picture is not a page: the forms (and their CSRF token) stay those of the last page.
        if response.headers["Content-Type"] != "image/png" { lastPage = String(decoding: response.body, as: UTF8.self) }
        return response
    }

    mutating func get(_ target: String) async throws -> HTTPResponse { try await send(.get, target) }

    /// Posts an urlencoded form (the CSRF token of the last page added unless given).
    mutating func post(_ target: String, _ fields: [(String, String)], csrf: String? = nil, headers: HTTPHeaders = HTTPHeaders()) async throws -> HTTPResponse {
        var all = fields.map { HTTPField(name: $0.0, value: $0.1) }
        if let token = csrf ?? csrfToken { all.append(HTTPField(name: "csrf", value: token)) }
        var headers = headers
        headers.set("Content-Type", "application/x-www-form-urlencoded")
        return try await send(.post, target, headers: headers, body: Array(HTTPFormFields(fields: all).encoded.utf8))
    }

    /// The value of the first `name="csrf"` hidden field of the last page.
    var csrfToken: String? {
        guard let range = lastPage.range(of: "name=\"csrf\" value=\"") else { return nil }
        return String(lastPage[range.upperBound...].prefix { $0 != "\"" })
    }

    mutating func signIn() async throws {
        _ = try await post("/staff/login", [("token", FakeStaffBackend.token)], csrf: "")
        _ = try await get("/staff/")
    }
}

@Suite struct StaffPagesTests {
    static let noon = ISO8601.parse("2026-11-24T12:00:00+01:00")!

    static func make(language: Language = .fr) -> (StaffPages, FakeStaffBackend, FixedClock) {
        let clock = FixedClock(noon)
        let backend = FakeStaffBackend(language: language, clock: clock)
        return (StaffPages(backend: backend, clock: clock), backend, clock)
    }

    @Test func signInFormIsServedWithTheSecurityHeadersAndNoScript() async throws {
        let (pages, _, _) = Self.make()
        var client = PageClient(pages)
        let response = try await client.get("/staff/")
        #expect(response.status == .ok)
        #expect(response.headers["Content-Type"] == "text/html; charset=utf-8")
        #expect(response.headers["Content-Security-Policy"]
            == "default-src 'none'; style-src 'unsafe-inline'; img-src 'self'; form-action 'self'; frame-ancestors 'none'")
        #expect(response.headers["Cache-Control"] == "no-store")
        #expect(response.headers["X-Frame-Options"] == "DENY")
        #expect(client.lastPage.contains("<html lang=\"fr\">"))
        #expect(client.lastPage.contains("name=\"viewport\""))
        #expect(client.lastPage.contains("action=\"/staff/login\""))
        #expect(client.lastPage.contains("Se connecter"))
        #expect(!client.lastPage.lowercased().contains("<script"))
        #expect(!client.lastPage.contains("http://") && !client.lastPage.contains("https://"))
        let bare = try await client.get("/staff")
        #expect(bare.status == .seeOther)
        #expect(bare.headers["Location"] == "/staff/")
    }

    @Test func wrongTokenGivesTheFormAgainWith401AndNoCookie() async throws {
        let (pages, _, _) = Self.make()
        var client = PageClient(pages)
        let response = try await client.post("/staff/login", [("token", "kiosk_wrong<b>")], csrf: "")
        #expect(response.status == .unauthorized)
        #expect(response.headers["Set-Cookie"] == nil)
        #expect(client.lastPage.contains("Jeton inconnu"))
        #expect(client.lastPage.contains("action=\"/staff/login\""))
        #expect(!client.lastPage.contains("kiosk_wrong"))
        #expect(pages.sessions.count == 0)
        let empty = try await client.post("/staff/login", [("token", "  ")], csrf: "")
        #expect(empty.status == .unauthorized)
    }

    @Test func signInSetsARandomSessionCookieNeverTheToken() async throws {
        let (pages, _, _) = Self.make()
        var client = PageClient(pages)
        let response = try await client.post("/staff/login", [("token", FakeStaffBackend.token)], csrf: "")
        #expect(response.status == .seeOther)
        #expect(response.headers["Location"] == "/staff/")
        let setCookie = try #require(response.headers["Set-Cookie"])
        #expect(setCookie.contains("; HttpOnly"))
        #expect(setCookie.contains("; SameSite=Strict"))
        #expect(setCookie.contains("; Path=/staff"))
        #expect(setCookie.contains("Max-Age=43200"))
        let id = try #require(client.cookie)
        #expect(id.count == 64 && id.allSatisfy(\.isHexDigit))
        #expect(!setCookie.contains(FakeStaffBackend.token) && !FakeStaffBackend.token.contains(id))
        let page = try await client.get("/staff/")
        #expect(page.status == .ok)
        #expect(client.lastPage.contains("Connecté en tant que accueil"))
        #expect(client.lastPage.contains("Vous êtes connecté."))
        #expect(!client.lastPage.contains(FakeStaffBackend.token))
        // A second sign-in gets another id.
        var other = PageClient(pages)
        try await other.signIn()
        #expect(other.cookie != client.cookie)
        #expect(other.csrfToken != client.csrfToken)
    }

    @Test func postedNoticeIsStoredAndListedAfterARedirect() async throws {
        let (pages, backend, _) = Self.make()
        var client = PageClient(pages)
        try await client.signIn()
        let response = try await client.post("/staff/notices", [
            ("kind", "offer"), ("title", "Bureau à partager"), ("body", "Deux postes, lumière du jour"),
            ("author", "Atelier Diptyc"), ("terms", "rental"), ("deadline", ""), ("event_date", ""),
            ("expires_days", "3"), ("urgent", "1"),
        ])
        #expect(response.status == .seeOther)
        #expect(response.headers["Location"] == "/staff/#live")
        let stored = await backend.notices
        #expect(stored.count == 1)
        let notice = try #require(stored.first)
        #expect(notice.title == "Bureau à partager")
        #expect(notice.kind == .offer && notice.terms == .rental && notice.urgent)
        #expect(notice.author == "Atelier Diptyc")
        // Three days, today included: until the end of Thursday 26 November in Paris.
        #expect(notice.expires == ISO8601.parse("2026-11-27T00:00:00+01:00"))
        #expect(await backend.postedBy == ["accueil"])
        _ = try await client.get("/staff/")
        #expect(client.lastPage.contains("Annonce publiée : « Bureau à partager »."))
        #expect(client.lastPage.contains("<strong>Urgent · Bureau à partager</strong>"))
        #expect(client.lastPage.contains("Offre · location · Atelier Diptyc · jusqu&#39;au 26 nov."))
        // The flash is shown once.
        _ = try await client.get("/staff/")
        #expect(!client.lastPage.contains("Annonce publiée"))
    }

    @Test func postsWithoutTheRightCSRFTokenAreRefused() async throws {
        let (pages, backend, _) = Self.make()
        var client = PageClient(pages)
        try await client.signIn()
        let real = try #require(client.csrfToken)
        let wrong = try await client.post("/staff/notices", [("kind", "information"), ("title", "Piège")], csrf: String(repeating: "0", count: 64))
        #expect(wrong.status == .forbidden)
        let missing = try await client.post("/staff/notices", [("kind", "information"), ("title", "Piège")], csrf: "")
        #expect(missing.status == .forbidden)
        // Another session's token does not work in this one.
        var other = PageClient(pages)
        try await other.signIn()
        let borrowed = try await client.post("/staff/notices", [("kind", "information"), ("title", "Piège")], csrf: other.csrfToken)
        #expect(borrowed.status == .forbidden)
        #expect(await backend.notices.isEmpty)
        // The right token, but the browser says the form came from elsewhere.
        let crossOrigin = try await client.post(
            "/staff/notices", [("kind", "information"), ("title", "Piège")], csrf: real, headers: ["Origin": "http://evil.example"])
        #expect(crossOrigin.status == .forbidden)
        let crossSite = try await client.post(
            "/staff/notices", [("kind", "information"), ("title", "Piège")], csrf: real, headers: ["Sec-Fetch-Site": "cross-site"])
        #expect(crossSite.status == .forbidden)
        let nullOrigin = try await client.post(
            "/staff/notices", [("kind", "information"), ("title", "Piège")], csrf: real, headers: ["Origin": "null"])
        #expect(nullOrigin.status == .forbidden)
        #expect(await backend.notices.isEmpty)
        // Same origin with the token: accepted.
        let ok = try await client.post(
            "/staff/notices", [("kind", "information"), ("title", "Vrai")], csrf: real,
            headers: ["Origin": "http://kiosk.lan:8080", "Sec-Fetch-Site": "same-origin"])
        #expect(ok.status == .seeOther)
        #expect(await backend.notices.map(\.title) == ["Vrai"])
    }

    @Test func postsWithoutASessionAskToSignIn() async throws {
        let (pages, backend, _) = Self.make()
        var client = PageClient(pages)
        let response = try await client.post("/staff/notices", [("kind", "information"), ("title", "x")], csrf: "abc")
        #expect(response.status == .unauthorized)
        #expect(client.lastPage.contains("Votre session a expiré"))
        #expect(await backend.notices.isEmpty)
        let screen = try await client.get("/staff/screen")
        #expect(screen.status == .seeOther)
    }

    @Test func invalidFieldsComeBackNextToTheFormWithTheInputKept() async throws {
        let (pages, backend, _) = Self.make()
        var client = PageClient(pages)
        try await client.signIn()
        let response = try await client.post("/staff/notices", [
            ("kind", "call"), ("title", "Appel \"Résidences\" 2027"), ("body", "Ligne 1\nLigne 2"), ("terms", "gift"),
            ("deadline", ""), ("expires_days", "0"),
        ])
        #expect(response.status == .unprocessableContent)
        #expect(await backend.notices.isEmpty)
        let page = client.lastPage
        #expect(page.contains("L&#39;annonce n&#39;est pas publiée"))
        #expect(page.contains("<p class=\"error\" id=\"deadline-error\">Un appel à projets a besoin d&#39;une date limite.</p>"))
        #expect(page.contains("<p class=\"error\" id=\"terms-error\">Les conditions ne concernent que les offres et les recherches.</p>"))
        #expect(page.contains("id=\"expires_days-error\""))
        #expect(page.contains("value=\"Appel &quot;Résidences&quot; 2027\""))
        #expect(page.contains(">Ligne 1\nLigne 2</textarea>"))
        #expect(page.contains("<option value=\"call\" selected>Appel à projets</option>"))
        #expect(page.contains("aria-invalid=\"true\" aria-describedby=\"deadline-error\""))
        // A past deadline and an impossible date.
        _ = try await client.post("/staff/notices", [("kind", "call"), ("title", "x"), ("deadline", "2026-11-23")])
        #expect(client.lastPage.contains("La date limite est déjà passée."))
        _ = try await client.post("/staff/notices", [("kind", "professional-event"), ("title", "x"), ("event_date", "2026-02-30")])
        #expect(client.lastPage.contains("id=\"event_date-error\">Date invalide"))
        #expect(await backend.notices.isEmpty)
    }

    @Test func aRefusalFromTheKioskIsShownWithTheInputKept() async throws {
        let (pages, backend, _) = Self.make()
        var client = PageClient(pages)
        try await client.signIn()
        await backend.failNext(HTTPError(.unprocessableContent, "title: <too> long"))
        let response = try await client.post("/staff/notices", [("kind", "information"), ("title", "Gardé")])
        #expect(response.status == .unprocessableContent)
        #expect(client.lastPage.contains("Refusé par le kiosque : title: &lt;too&gt; long"))
        #expect(client.lastPage.contains("value=\"Gardé\""))
    }

    @Test func hostileTextIsEscapedEverywhere() async throws {
        let (pages, backend, _) = Self.make()
        let hostile = "<script>alert('x')</script>\"><img src=x onerror=alert(1)>&amp;"
        await backend.setNotices([
            Notice(
                id: "\"><script>id</script>", kind: .information, title: hostile, author: "<i>moi</i>",
                posted: Self.noon - 60, expires: Self.noon + 86400)
        ])
        var client = PageClient(pages)
        try await client.signIn()
        let page = client.lastPage
        #expect(!page.contains("<script"))
        #expect(!page.contains("<img"))
        #expect(!page.contains("<i>"))
        #expect(page.contains("&lt;script&gt;alert(&#39;x&#39;)&lt;/script&gt;&quot;&gt;&lt;img src=x onerror=alert(1)&gt;&amp;amp;"))
        #expect(page.contains("name=\"id\" value=\"&quot;&gt;&lt;script&gt;id&lt;/script&gt;\""))
        // The screen page too.
        _ = try await client.get("/staff/screen")
        #expect(client.lastPage.contains("<pre id=\"screen-text\">Le Mixeur   14:05\n&lt;script&gt;"))
        #expect(!client.lastPage.contains("<script"))
    }

    @Test func withdrawingANoticeRemovesItAndSaysSo() async throws {
        let (pages, backend, _) = Self.make()
        await backend.setNotices([
            Notice(id: "n-1", kind: .information, title: "Atelier annulé", posted: Self.noon - 60, expires: Self.noon + 86400),
            Notice(id: "n-2", kind: .information, title: "Fermeture jeudi", posted: Self.noon - 60, expires: Self.noon + 86400),
        ])
        var client = PageClient(pages)
        try await client.signIn()
        #expect(client.lastPage.contains("name=\"id\" value=\"n-1\""))
        #expect(client.lastPage.contains(">Retirer</button>"))
        let response = try await client.post("/staff/notices/withdraw", [("id", "n-1")])
        #expect(response.status == .seeOther)
        #expect(await backend.notices.map(\.id) == ["n-2"])
        _ = try await client.get("/staff/")
        #expect(client.lastPage.contains("Annonce retirée : « Atelier annulé »."))
        #expect(!client.lastPage.contains("value=\"n-1\""))
        _ = try await client.post("/staff/notices/withdraw", [("id", "n-1")])
        _ = try await client.get("/staff/")
        #expect(client.lastPage.contains("Cette annonce n&#39;existe plus."))
    }

    static func multipart(_ parts: [(name: String, filename: String?, content: String)], boundary: String = "----formBoundaryQx7") -> (HTTPHeaders, [UInt8]) {
        var body = ""
        for part in parts {
            body += "--\(boundary)\r\nContent-Disposition: form-data; name=\"\(part.name)\""
            if let filename = part.filename { body += "; filename=\"\(filename)\"\r\nContent-Type: text/calendar" }
            body += "\r\n\r\n\(part.content)\r\n"
        }
        body += "--\(boundary)--\r\n"
        return (["Content-Type": "multipart/form-data; boundary=\(boundary)"], Array(body.utf8))
    }

    static let calendar = "BEGIN:VCALENDAR\r\nBEGIN:VEVENT\r\nSUMMARY:Vernissage\r\nEND:VEVENT\r\nBEGIN:VEVENT\r\nSUMMARY:Atelier\r\nEND:VEVENT\r\nEND:VCALENDAR"

    @Test func uploadingAProgrammeShowsTheReportAfterARedirect() async throws {
        let (pages, backend, _) = Self.make()
        var client = PageClient(pages)
        try await client.signIn()
        let csrf = try #require(client.csrfToken)
        let (headers, body) = Self.multipart([
            ("csrf", nil, csrf), ("name", nil, "soiree"), ("file", "soiree.ics", Self.calendar),
        ])
        let response = try await client.send(.post, "/staff/programme", headers: headers, body: body)
        #expect(response.status == .seeOther)
        #expect(response.headers["Location"] == "/staff/#programme")
        let pushes = await backend.pushes
        #expect(pushes.count == 1)
        #expect(pushes.first?.name == "soiree" && pushes.first?.checkOnly == false && pushes.first?.by == "accueil")
        #expect(pushes.first?.file == Array(Self.calendar.utf8))
        _ = try await client.get("/staff/")
        #expect(client.lastPage.contains("Programme mis à jour."))
        #expect(client.lastPage.contains("<dd id=\"events-read\">2</dd>"))
        #expect(client.lastPage.contains("<dd>push:soiree</dd>"))
        #expect(client.lastPage.contains("name=\"name\" value=\"soiree\""))
    }

    @Test func aProgrammeWithErrorsShowsThemWithLineNumbers() async throws {
        let (pages, backend, _) = Self.make()
        var client = PageClient(pages)
        try await client.signIn()
        let csrf = try #require(client.csrfToken)
        let file = "BEGIN:VCALENDAR\nBEGIN:VEVENT\nDTSTART:BROKEN\nEND:VEVENT\nEND:VCALENDAR"
        let (headers, body) = Self.multipart([
            ("csrf", nil, csrf), ("name", nil, "soiree"), ("check_only", nil, "1"), ("file", "x.ics", file),
        ])
        let response = try await client.send(.post, "/staff/programme", headers: headers, body: body)
        #expect(response.status == .unprocessableContent)
        #expect(await backend.pushes.first?.checkOnly == true)
        let page = client.lastPage
        #expect(page.contains("Fichier refusé : rien n&#39;a changé."))
        #expect(page.contains("<tr><td>3</td><td>&lt;b&gt;bad&lt;/b&gt; line</td></tr>"))
        #expect(page.contains("name=\"check_only\" value=\"1\" checked"))
        #expect(page.contains("name=\"name\" value=\"soiree\""))
    }

    @Test func programmeUploadsAreCheckedBeforeReachingTheKiosk() async throws {
        let (pages, backend, _) = Self.make()
        var client = PageClient(pages)
        try await client.signIn()
        let csrf = try #require(client.csrfToken)
        // Wrong CSRF token.
        var (headers, body) = Self.multipart([("csrf", nil, "nope"), ("name", nil, "a"), ("file", "x.ics", Self.calendar)])
        #expect(try await client.send(.post, "/staff/programme", headers: headers, body: body).status == .forbidden)
        // Bad source name, no file chosen (browsers send an empty part with filename "").
        (headers, body) = Self.multipart([("csrf", nil, csrf), ("name", nil, "Soirée!"), ("file", "", "")])
        #expect(try await client.send(.post, "/staff/programme", headers: headers, body: body).status == .unprocessableContent)
        #expect(client.lastPage.contains("id=\"name-error\""))
        #expect(client.lastPage.contains("Choisissez un fichier."))
        // Not multipart at all.
        let urlencoded = try await client.post("/staff/programme", [("name", "a")])
        #expect(urlencoded.status == .unsupportedMediaType)
        // A broken multipart body.
        let broken = try await client.send(
            .post, "/staff/programme", headers: ["Content-Type": "multipart/form-data; boundary=zz"], body: Array("--zz\r\nno end".utf8))
        #expect(broken.status == .badRequest)
        #expect(await backend.pushes.isEmpty)
    }

    @Test func signOutEndsTheSession() async throws {
        let (pages, _, _) = Self.make()
        var client = PageClient(pages)
        try await client.signIn()
        let oldCookie = try #require(client.cookie)
        let response = try await client.post("/staff/logout", [])
        #expect(response.status == .seeOther)
        #expect(response.headers["Set-Cookie"]?.contains("Max-Age=0") == true)
        #expect(client.cookie == nil)
        client.cookie = oldCookie
        _ = try await client.get("/staff/")
        #expect(client.lastPage.contains("action=\"/staff/login\""))
        #expect(pages.sessions.count == 0)
    }

    @Test func sessionsExpireAfterTwelveHours() async throws {
        let (pages, _, clock) = Self.make()
        var client = PageClient(pages)
        try await client.signIn()
        clock.advance(by: 12 * 3600 - 1)
        _ = try await client.get("/staff/")
        #expect(client.lastPage.contains("Connecté en tant que"))
        clock.advance(by: 2)
        _ = try await client.get("/staff/")
        #expect(client.lastPage.contains("action=\"/staff/login\""))
    }

    @Test func englishVenuesGetEnglishPages() async throws {
        let (pages, _, _) = Self.make(language: .en)
        var client = PageClient(pages)
        _ = try await client.get("/staff/")
        #expect(client.lastPage.contains("<html lang=\"en\">"))
        #expect(client.lastPage.contains("Sign in"))
        _ = try await client.post("/staff/login", [("token", "bad")], csrf: "")
        #expect(client.lastPage.contains("Unknown token"))
        try await client.signIn()
        #expect(client.lastPage.contains("Post a notice"))
        #expect(client.lastPage.contains("<option value=\"offer\">Offer</option>"))
    }

    @Test func wrongMethodsAndUnknownPages() async throws {
        let (pages, _, _) = Self.make()
        var client = PageClient(pages)
        let get = try await client.get("/staff/login")
        #expect(get.status == .methodNotAllowed)
        #expect(get.headers["Allow"] == "POST")
        let post = try await client.post("/staff/", [])
        #expect(post.status == .methodNotAllowed)
        #expect(post.headers["Allow"] == "GET, HEAD")
        #expect(try await client.get("/staff/nope").status == .notFound)
        #expect(try await client.get("/staff/%zz").status == .notFound)
    }

    @Test func screenPageShowsTheScreenText() async throws {
        let (pages, backend, _) = Self.make()
        await backend.setNotices([Notice(id: "a", kind: .information, title: "Atelier annulé", posted: Self.noon - 60, expires: Self.noon + 60)])
        var client = PageClient(pages)
        try await client.signIn()
        let response = try await client.get("/staff/screen")
        #expect(response.status == .ok)
        #expect(client.lastPage.contains("<pre id=\"screen-text\">Le Mixeur   14:05\nAtelier annulé</pre>"))
    }

    @Test func screenPictureIsLinkedOnlyWhenTheBackendDrawsOne() async throws {
        let (pages, backend, _) = Self.make()
        var client = PageClient(pages)
        #expect(try await client.get("/staff/screen.png").status == .unauthorized)
        try await client.signIn()
        _ = try await client.get("/staff/screen")
        #expect(!client.lastPage.contains("<img"))
        #expect(try await client.get("/staff/screen.png").status == .notFound)
        let png: [UInt8] = [0x89, 0x50, 0x4E, 0x47, 1, 2, 3]
        await backend.setPicture(png)
        _ = try await client.get("/staff/screen")
        #expect(client.lastPage.contains("<img id=\"screen-image\" src=\"/staff/screen.png\" width=\"960\" height=\"540\" alt=\"Image de l&#39;écran du hall\">"))
        let picture = try await client.get("/staff/screen.png")
        #expect(picture.status == .ok)
        #expect(picture.headers["Content-Type"] == "image/png")
        #expect(picture.headers["Cache-Control"] == "no-store")
        #expect(picture.body == png)
    }

    @Test func htmlEscaping() {
        #expect(HTMLText.escape("a<b>&\"c'\u{0}\u{7}d\te\u{7F}") == "a&lt;b&gt;&amp;&quot;c&#39;d\te")
        #expect(HTMLText.escape("Café « déjà »") == "Café « déjà »")
    }

    @Test func cookieParsing() {
        let headers: HTTPHeaders = ["Cookie": "a=1; kiosk_staff=abc; b=2", "cookie": "kiosk_staff=later"]
        #expect(StaffPages.cookie("kiosk_staff", in: headers) == "abc")
        #expect(StaffPages.cookie("kiosk_staf", in: headers) == nil)
        #expect(StaffPages.cookie("c", in: ["Cookie": "c"]) == nil)
    }
}
