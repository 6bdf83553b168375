import Foundation
import Testing
import KioskCore
import KioskStore
@testable import KioskDaemon

/// The staff pages over the real `StaffDesk` (its own connection to a temporary database)
/// and token table, as kioskd wires them: sign-in and sessions, notices, the forms'
/// checks, escaping. The programme, alert, screen, presence and attendance pages have
/// suites of their own.
@Suite(.serialized) struct StaffPagesTests {
    typealias Bed = APITestBed

    // MARK: Sign-in and sessions

    @Test func signInFormIsServedWithTheSecurityHeadersAndNoScript() async throws {
        let bed = try await Bed()
        var client = PageClient(bed.pages)
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
        let bed = try await Bed()
        var client = PageClient(bed.pages)
        let response = try await client.post("/staff/login", [("token", "kiosk_wrong<b>")], csrf: "")
        #expect(response.status == .unauthorized)
        #expect(response.headers["Set-Cookie"] == nil)
        #expect(client.firstHeading == "Jeton inconnu : vérifiez qu&#39;il est complet.")
        #expect(client.lastPage.contains("action=\"/staff/login\""))
        #expect(!client.lastPage.contains("kiosk_wrong"))
        #expect(bed.pages.sessions.count == 0)
        let empty = try await client.post("/staff/login", [("token", "  ")], csrf: "")
        #expect(empty.status == .unauthorized)
    }

    @Test func signInSetsARandomSessionCookieNeverTheToken() async throws {
        let bed = try await Bed()
        var client = PageClient(bed.pages)
        let response = try await client.post("/staff/login", [("token", Bed.staffToken)], csrf: "")
        #expect(response.status == .seeOther)
        #expect(response.headers["Location"] == "/staff/")
        let setCookie = try #require(response.headers["Set-Cookie"])
        #expect(setCookie.contains("; HttpOnly") && setCookie.contains("; SameSite=Strict") && setCookie.contains("; Path=/staff"))
        #expect(setCookie.contains("Max-Age=43200"))
        let id = try #require(client.cookie)
        #expect(id.count == 64 && id.allSatisfy(\.isHexDigit))
        #expect(!setCookie.contains(Bed.staffToken) && !Bed.staffToken.contains(id))
        let page = try await client.get("/staff/")
        #expect(page.status == .ok)
        #expect(client.lastPage.contains("Connecté en tant que accueil"))
        #expect(client.firstHeading == "Vous êtes connecté.")
        #expect(!client.lastPage.contains(Bed.staffToken))
        var other = try await bed.signedIn()
        #expect(other.cookie != client.cookie)
        _ = try await other.get("/staff/")
        #expect(other.csrfToken != client.csrfToken)
    }

    /// Finding: failed sign-ins were neither limited nor logged.
    @Test func failedSignInsAreLimitedPerAddressAndLoggedWithTheAddressNeverTheToken() async throws {
        let bed = try await Bed(throttle: SignInThrottle())
        var guesser = PageClient(bed.pages, peer: "192.168.1.66:40000")
        let guesses = (0..<5).map { "kiosk_guess\($0)" + String(repeating: "a", count: 50) }
        for (index, guess) in guesses.enumerated() {
            let response = try await guesser.post("/staff/login", [("token", guess)], csrf: "")
            #expect(response.status == .unauthorized, "guess \(index)")
            bed.clock.advance(by: 1)
        }
        // Five a minute: the next attempt is refused without the token being checked,
        // even the right one.
        let blocked = try await guesser.post("/staff/login", [("token", Bed.staffToken)], csrf: "")
        #expect(blocked.status == .tooManyRequests)
        #expect(blocked.headers["Retry-After"].flatMap(Int.init).map { $0 > 0 && $0 <= 30 } == true)
        #expect(guesser.cookie == nil)
        #expect(guesser.firstHeading?.contains("Trop d&#39;essais depuis cet appareil") == true)
        // Another address is not affected.
        let colleague = try await bed.signedIn(peer: "192.168.1.20:50000")
        #expect(colleague.cookie != nil)
        // Logged at warning with the address, never the token.
        let lines = bed.log.lines
        #expect(lines.filter { $0.contains("WARNING") && $0.contains("failed sign-in from 192.168.1.66") }.count == 5)
        #expect(lines.contains { $0.contains("192.168.1.66 blocked for 30 s") })
        for guess in guesses + [Bed.staffToken] { #expect(!lines.contains { $0.contains(guess) }) }
        // The delay grows: after the 30 s, one more wrong token blocks for 60 s.
        bed.clock.advance(by: 31)
        #expect(try await guesser.post("/staff/login", [("token", "kiosk_again")], csrf: "").status == .unauthorized)
        let again = try await guesser.post("/staff/login", [("token", Bed.staffToken)], csrf: "")
        #expect(again.status == .tooManyRequests)
        #expect(again.headers["Retry-After"] == "60")
        bed.clock.advance(by: 61)
        #expect(try await guesser.post("/staff/login", [("token", Bed.staffToken)], csrf: "").status == .seeOther)
    }

    /// The API shares the limit: wrong bearer tokens from one address are blocked too.
    @Test func wrongBearerTokensAreLimitedToo() async throws {
        let bed = try await Bed(throttle: SignInThrottle())
        for index in 0..<5 {
            let response = await bed.send(.get, "/api/v1/notices", token: "kiosk_wrong\(index)")
            #expect(response.status == .unauthorized)
        }
        let blocked = await bed.send(.get, "/api/v1/notices", token: Bed.staffToken)
        #expect(blocked.status == .tooManyRequests)
        #expect(blocked.headers["Retry-After"] != nil)
        #expect(bed.log.lines.contains { $0.contains("WARNING") && $0.contains("wrong token from 127.0.0.1") })
        #expect(!bed.log.lines.contains { $0.contains("kiosk_wrong") })
    }

    /// Finding: a token removed from the configuration kept its web sessions for 12 hours.
    @Test func removingOrChangingATokenEndsItsSessionsAtOnce() async throws {
        let bed = try await Bed()
        var staff = try await bed.signedIn()
        var maintainer = try await bed.signedIn(Bed.maintainerToken)
        #expect(staff.lastPage.contains("Connecté en tant que accueil"))
        // The configuration is reloaded without "accueil".
        var config = bed.config
        config.tokens.removeAll { $0.name == "accueil" }
        bed.router.apply(config)
        let page = try await staff.get("/staff/")
        #expect(page.status == .unauthorized)
        #expect(staff.firstHeading?.contains("Votre session est terminée : le jeton a été retiré ou changé") == true)
        #expect(staff.lastPage.contains("action=\"/staff/login\""))
        // Its forms do nothing any more.
        let csrf = try #require(maintainer.csrfToken)
        let post = try await staff.post("/staff/notices", [("kind", "information"), ("title", "Après révocation")], csrf: csrf)
        #expect(post.status == .unauthorized)
        #expect(try bed.inspect { try $0.notices.all() }.isEmpty)
        #expect(!(try bed.inspect { try $0.audit.entries() }).contains { $0.actor == "accueil" })
        // The other token's session goes on; changing its role ends it too.
        _ = try await maintainer.get("/staff/")
        #expect(maintainer.lastPage.contains("Connecté en tant que regie"))
        config.tokens = config.tokens.map { var t = $0; t.role = .staff; return t }
        bed.router.apply(config)
        _ = try await maintainer.get("/staff/")
        #expect(maintainer.lastPage.contains("Votre session est terminée"))
        #expect(bed.log.lines.contains { $0.contains("sessions of accueil ended") })
    }

    @Test func signOutEverywhereEndsEverySessionOfTheToken() async throws {
        let bed = try await Bed()
        var phone = try await bed.signedIn(peer: "192.168.1.20:1")
        var laptop = try await bed.signedIn(peer: "192.168.1.21:1")
        var other = try await bed.signedIn(Bed.maintainerToken)
        let response = try await phone.post("/staff/logout-everywhere", [])
        #expect(response.status == .ok)
        #expect(phone.firstHeading == "2 session(s) fermée(s) pour ce jeton.")
        #expect(phone.cookie == nil)
        _ = try await laptop.get("/staff/")
        #expect(laptop.lastPage.contains("action=\"/staff/login\""))
        _ = try await other.get("/staff/")
        #expect(other.lastPage.contains("Connecté en tant que regie"))
    }

    @Test func signOutEndsTheSession() async throws {
        let bed = try await Bed()
        var client = try await bed.signedIn()
        let oldCookie = try #require(client.cookie)
        let response = try await client.post("/staff/logout", [])
        #expect(response.status == .seeOther)
        #expect(response.headers["Set-Cookie"]?.contains("Max-Age=0") == true)
        #expect(client.cookie == nil)
        client.cookie = oldCookie
        _ = try await client.get("/staff/")
        #expect(client.lastPage.contains("action=\"/staff/login\""))
        #expect(bed.pages.sessions.count == 0)
    }

    @Test func sessionsExpireAfterTwelveHours() async throws {
        let bed = try await Bed()
        var client = try await bed.signedIn()
        bed.clock.advance(by: 12 * 3600 - 1)
        _ = try await client.get("/staff/")
        #expect(client.lastPage.contains("Connecté en tant que"))
        bed.clock.advance(by: 2)
        _ = try await client.get("/staff/")
        #expect(client.lastPage.contains("action=\"/staff/login\""))
    }

    @Test func postsWithoutTheRightCSRFTokenAreRefused() async throws {
        let bed = try await Bed()
        var client = try await bed.signedIn()
        _ = try await client.get("/staff/notices")
        let real = try #require(client.csrfToken)
        let form = [("kind", "information"), ("title", "Piège")]
        #expect(try await client.post("/staff/notices", form, csrf: String(repeating: "0", count: 64)).status == .forbidden)
        #expect(try await client.post("/staff/notices", form, csrf: "").status == .forbidden)
        let other = try await bed.signedIn()
        #expect(try await client.post("/staff/notices", form, csrf: other.csrfToken).status == .forbidden)
        for header in [["Origin": "http://evil.example"], ["Sec-Fetch-Site": "cross-site"], ["Origin": "null"]] as [HTTPHeaders] {
            #expect(try await client.post("/staff/notices", form, csrf: real, headers: header).status == .forbidden)
        }
        #expect(try bed.inspect { try $0.notices.all() }.isEmpty)
        let ok = try await client.post(
            "/staff/notices", [("kind", "information"), ("title", "Vrai")], csrf: real,
            headers: ["Origin": "http://kiosk.lan:8080", "Sec-Fetch-Site": "same-origin"])
        #expect(ok.status == .seeOther)
        #expect(try bed.inspect { try $0.notices.all() }.map(\.title) == ["Vrai"])
    }

    @Test func postsWithoutASessionAskToSignIn() async throws {
        let bed = try await Bed()
        var client = PageClient(bed.pages)
        let response = try await client.post("/staff/notices", [("kind", "information"), ("title", "x")], csrf: "abc")
        #expect(response.status == .unauthorized)
        #expect(client.lastPage.contains("Votre session a expiré"))
        #expect(try bed.inspect { try $0.notices.all() }.isEmpty)
        let screen = try await client.get("/staff/screen")
        #expect(screen.status == .ok)
        #expect(client.lastPage.contains("action=\"/staff/login\""))
        #expect(try await client.get("/staff/screen.png").headers["Content-Type"] != "image/png")
    }

    // MARK: Notices

    @Test func postedNoticeIsStoredAuditedAndListedAfterARedirect() async throws {
        let bed = try await Bed()
        var client = try await bed.signedIn()
        _ = try await client.get("/staff/notices")
        let response = try await client.post("/staff/notices", [
            ("kind", "offer"), ("title", "Bureau à partager"), ("body", "Deux postes, lumière du jour"),
            ("author", "Atelier Diptyc"), ("terms", "rental"), ("deadline", ""), ("event_date", ""),
            ("expires_days", "3"), ("urgent", "1"),
        ])
        #expect(response.status == .seeOther)
        #expect(response.headers["Location"] == "/staff/notices")
        let notice = try #require(try bed.inspect { try $0.notices.all() }.first)
        #expect(notice.title == "Bureau à partager" && notice.kind == .offer && notice.terms == .rental && notice.urgent)
        #expect(notice.author == "Atelier Diptyc")
        // Three days, today included: until the end of Thursday 26 November in Paris.
        #expect(notice.expires == ISO8601.parse("2026-11-27T00:00:00+01:00"))
        #expect(try bed.inspect { try $0.notices.createdBy(id: notice.id) } == "accueil")
        #expect(try bed.inspect { try $0.audit.entries() }.contains { $0.actor == "accueil" && $0.action == "notice.create" })
        _ = try await client.get("/staff/notices")
        #expect(client.firstHeading == "Annonce publiée : « Bureau à partager ».")
        #expect(client.lastPage.contains("<strong>Urgent · Bureau à partager</strong>"))
        #expect(client.lastPage.contains("Offre · location · Atelier Diptyc · jusqu&#39;au 26 nov."))
        // The result is shown once.
        _ = try await client.get("/staff/notices")
        #expect(!client.lastPage.contains("Annonce publiée"))
        // On the screen at once (the lobby reloaded): the notice board is one panel.
        let snapshot = try bed.inspect { try LobbySnapshotReader.snapshot(at: Bed.start, store: $0, config: bed.config) }
        #expect(snapshot.notices.map(\.title) == ["Bureau à partager"])
    }

    /// Finding: notices could not be edited.
    @Test func aNoticeIsEditedInPlace() async throws {
        let bed = try await Bed()
        var client = try await bed.signedIn()
        _ = try await client.get("/staff/notices")
        _ = try await client.post("/staff/notices", [("kind", "information"), ("title", "Atelier annulé"), ("expires_days", "2")])
        let notice = try #require(try bed.inspect { try $0.notices.all() }.first)
        _ = try await client.get("/staff/notices")
        #expect(client.lastPage.contains("href=\"/staff/notices/edit?id=\(notice.id)\""))
        let edit = try await client.get("/staff/notices/edit?id=\(notice.id)")
        #expect(edit.status == .ok)
        #expect(client.lastPage.contains("value=\"Atelier annulé\""))
        #expect(client.lastPage.contains("name=\"id\" value=\"\(notice.id)\""))
        #expect(client.lastPage.contains("id=\"expires_days\" name=\"expires_days\" value=\"2\""))
        let saved = try await client.post("/staff/notices/edit", [
            ("id", notice.id), ("kind", "information"), ("title", "Atelier reporté à jeudi"), ("body", "Même heure"), ("expires_days", "5"),
        ])
        #expect(saved.status == .seeOther)
        let stored = try #require(try bed.inspect { try $0.notices.get(id: notice.id) })
        #expect(stored.title == "Atelier reporté à jeudi" && stored.body == "Même heure")
        #expect(stored.posted == notice.posted)
        #expect(stored.expires == ISO8601.parse("2026-11-29T00:00:00+01:00"))
        #expect(try bed.inspect { try $0.audit.entries() }.contains { $0.action == "notice.update" && $0.detail == notice.id })
        _ = try await client.get("/staff/notices")
        #expect(client.firstHeading == "Annonce modifiée : « Atelier reporté à jeudi ».")
        // A notice gone meanwhile.
        #expect(try await client.get("/staff/notices/edit?id=n-nothere").status == .seeOther)
        _ = try await client.get("/staff/notices")
        #expect(client.firstHeading == "Cette annonce n&#39;existe plus.")
    }

    /// Finding: "Retirer" had no confirmation and no undo.
    @Test func withdrawingAsksFirstAndCanBeUndoneForAMinute() async throws {
        let bed = try await Bed()
        var client = try await bed.signedIn()
        _ = try await client.get("/staff/notices")
        _ = try await client.post("/staff/notices", [("kind", "information"), ("title", "Fermeture jeudi")])
        let notice = try #require(try bed.inspect { try $0.notices.all() }.first)
        _ = try await client.get("/staff/notices")
        // The button asks first: nothing is withdrawn yet.
        let question = try await client.post("/staff/notices/withdraw", [("id", notice.id)])
        #expect(question.status == .ok)
        #expect(client.firstHeading == "Retirer l&#39;annonce « Fermeture jeudi » de l&#39;écran\u{00A0}?")
        #expect(client.lastPage.contains("name=\"confirm\" value=\"1\""))
        #expect(try bed.inspect { try $0.notices.get(id: notice.id) } != nil)
        let withdrawn = try await client.post("/staff/notices/withdraw", [("id", notice.id), ("confirm", "1")])
        #expect(withdrawn.status == .seeOther)
        #expect(try bed.inspect { try $0.notices.get(id: notice.id) } == nil)
        _ = try await client.get("/staff/notices")
        #expect(client.firstHeading == "Annonce retirée : « Fermeture jeudi ».")
        #expect(client.lastPage.contains("action=\"/staff/notices/undo\""))
        // Undone within the minute: the same notice is back, with its author.
        bed.clock.advance(by: 50)
        #expect(try await client.post("/staff/notices/undo", []).status == .seeOther)
        let back = try #require(try bed.inspect { try $0.notices.get(id: notice.id) })
        #expect(back == notice)
        #expect(try bed.inspect { try $0.notices.createdBy(id: notice.id) } == "accueil")
        #expect(try bed.inspect { try $0.audit.entries() }.contains { $0.action == "notice.restore" })
        _ = try await client.get("/staff/notices")
        #expect(client.firstHeading == "Annonce remise à l&#39;écran : « Fermeture jeudi ».")
        // After a minute it is too late.
        _ = try await client.post("/staff/notices/withdraw", [("id", notice.id), ("confirm", "1")])
        bed.clock.advance(by: 61)
        _ = try await client.get("/staff/notices")
        #expect(!client.lastPage.contains("action=\"/staff/notices/undo\""))
        _ = try await client.post("/staff/notices/undo", [])
        _ = try await client.get("/staff/notices")
        #expect(client.firstHeading == "Trop tard pour annuler : publiez l&#39;annonce à nouveau.")
        #expect(try bed.inspect { try $0.notices.get(id: notice.id) } == nil)
    }

    @Test func invalidFieldsComeBackNextToTheFormWithTheInputKept() async throws {
        let bed = try await Bed()
        var client = try await bed.signedIn()
        _ = try await client.get("/staff/notices")
        let response = try await client.post("/staff/notices", [
            ("kind", "call"), ("title", "Appel \"Résidences\" 2027"), ("body", "Ligne 1\nLigne 2"), ("terms", "gift"),
            ("deadline", ""), ("expires_days", "0"),
        ])
        #expect(response.status == .unprocessableContent)
        #expect(try bed.inspect { try $0.notices.all() }.isEmpty)
        let page = client.lastPage
        #expect(client.firstHeading == "L&#39;annonce n&#39;est pas publiée : corrigez les champs signalés.")
        #expect(page.contains("<p class=\"error\" id=\"deadline-error\">Un appel à projets a besoin d&#39;une date limite.</p>"))
        #expect(page.contains("<p class=\"error\" id=\"terms-error\">Les conditions ne concernent que les offres et les recherches.</p>"))
        #expect(page.contains("id=\"expires_days-error\""))
        #expect(page.contains("value=\"Appel &quot;Résidences&quot; 2027\""))
        #expect(page.contains(">Ligne 1\nLigne 2</textarea>"))
        #expect(page.contains("<option value=\"call\" selected>Appel à projets</option>"))
        #expect(page.contains("aria-invalid=\"true\" aria-describedby=\"deadline-error\""))
        _ = try await client.post("/staff/notices", [("kind", "call"), ("title", "x"), ("deadline", "2026-11-23")])
        #expect(client.lastPage.contains("La date limite est déjà passée."))
        _ = try await client.post("/staff/notices", [("kind", "professional-event"), ("title", "x"), ("event_date", "2026-02-30")])
        #expect(client.lastPage.contains("id=\"event_date-error\">Date invalide"))
        #expect(try bed.inspect { try $0.notices.all() }.isEmpty)
    }

    @Test func hostileTextIsEscapedEverywhere() async throws {
        let bed = try await Bed()
        let hostile = "<script>alert('x')</script>\"><img src=x onerror=alert(1)>&amp;"
        try bed.inspect { store in
            try store.notices.create(Notice(
                id: "\"><script>id</script>", kind: .information, title: hostile, author: "<i>moi</i>",
                posted: Bed.start - 60, expires: Bed.start + 86400))
        }
        try await bed.lobby.reloadFromStore()
        var client = try await bed.signedIn()
        _ = try await client.get("/staff/notices")
        let page = client.lastPage
        #expect(!page.contains("<script") && !page.contains("<img") && !page.contains("<i>"))
        #expect(page.contains("&lt;script&gt;alert(&#39;x&#39;)&lt;/script&gt;&quot;&gt;&lt;img src=x onerror=alert(1)&gt;&amp;amp;"))
        #expect(page.contains("name=\"id\" value=\"&quot;&gt;&lt;script&gt;id&lt;/script&gt;\""))
        _ = try await client.get("/staff/screen")
        #expect(!client.lastPage.contains("<script"))
    }

    @Test func englishVenuesGetEnglishPages() async throws {
        let bed = try await Bed { $0.venue.language = .en }
        var client = PageClient(bed.pages)
        _ = try await client.get("/staff/")
        #expect(client.lastPage.contains("<html lang=\"en\">"))
        #expect(client.lastPage.contains("Sign in"))
        _ = try await client.post("/staff/login", [("token", "bad")], csrf: "")
        #expect(client.lastPage.contains("Unknown token"))
        client = try await bed.signedIn()
        _ = try await client.get("/staff/notices")
        #expect(client.lastPage.contains("Post a notice"))
        #expect(client.lastPage.contains("<option value=\"offer\">Offer</option>"))
    }

    @Test func wrongMethodsAndUnknownPages() async throws {
        let bed = try await Bed()
        var client = PageClient(bed.pages)
        let get = try await client.get("/staff/login")
        #expect(get.status == .methodNotAllowed)
        #expect(get.headers["Allow"] == "POST")
        let post = try await client.post("/staff/", [])
        #expect(post.status == .methodNotAllowed)
        #expect(post.headers["Allow"] == "GET, HEAD")
        #expect(try await client.get("/staff/nope").status == .notFound)
        #expect(try await client.get("/staff/%zz").status == .notFound)
    }

    @Test func maintainerPagesNeedTheMaintainerRole() async throws {
        let bed = try await Bed()
        var client = try await bed.signedIn()
        #expect(!client.lastPage.contains("href=\"/staff/presence\""))
        for path in ["/staff/presence", "/staff/attendance", "/staff/attendance.csv"] {
            #expect(try await client.get(path).status == .forbidden, "\(path)")
        }
        var maintainer = try await bed.signedIn(Bed.maintainerToken)
        #expect(maintainer.lastPage.contains("href=\"/staff/presence\""))
        #expect(try await maintainer.get("/staff/presence").status == .ok)
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
