import Foundation
import Testing
import KioskCore
import KioskDisplay
import KioskFeeds
import KioskStore
@testable import KioskDaemon

/// The staff API at the router: every endpoint, its authentication and role checks, the
/// audit rows, the atomic programme push, the ETags of the open-data feeds.
@Suite struct APIRouterTests {
    typealias Bed = APITestBed
    static let staff = Bed.staffToken
    static let maintainer = Bed.maintainerToken

    // MARK: Authentication

    /// Every protected endpoint and the least role it needs.
    static let protected: [(HTTPMethod, String, APIRole)] = [
        (.get, "/api/v1/programme", .staff),
        (.put, "/api/v1/programme/soiree", .staff),
        (.delete, "/api/v1/programme/soiree", .staff),
        (.get, "/api/v1/notices", .staff),
        (.post, "/api/v1/notices", .staff),
        (.get, "/api/v1/notices/n-1", .staff),
        (.put, "/api/v1/notices/n-1", .staff),
        (.delete, "/api/v1/notices/n-1", .staff),
        (.get, "/api/v1/screen", .staff),
        (.get, "/api/v1/residents", .maintainer),
        (.post, "/api/v1/residents", .maintainer),
        (.get, "/api/v1/presence", .maintainer),
        (.get, "/api/v1/attendance", .maintainer),
        (.get, "/api/v1/audit", .maintainer),
    ]

    @Test func everyProtectedEndpointRefusesNoTokenAndWrongTokens() async throws {
        let bed = try await Bed()
        let before = try bed.programmeState()
        for (method, path, role) in Self.protected {
            for (token, label) in [(nil, "no token"), ("kiosk_" + String(repeating: "00", count: 32), "wrong token"), ("", "empty token")] as [(String?, String)] {
                let response = await bed.send(method, path, token: token, text: "{}", contentType: "application/json")
                #expect(response.status == .unauthorized, "\(method) \(path) with \(label)")
                #expect(response.headers["WWW-Authenticate"] == "Bearer realm=\"kiosk\"", "\(method) \(path)")
                #expect(response.errorReason != nil)
            }
            // Another scheme, or the token without its scheme, is not a bearer token.
            for header in ["Basic \(Self.staff)", Self.staff, "Bearer"] {
                let response = await bed.send(method, path, body: [], headers: ["Authorization": header])
                #expect(response.status == .unauthorized, "\(method) \(path) with Authorization: \(header.prefix(12))")
            }
            if role == .maintainer {
                let response = await bed.send(method, path, token: Self.staff, text: "name\nX\n", contentType: "text/csv")
                #expect(response.status == .forbidden, "\(method) \(path) as staff")
                #expect(response.errorReason?.contains("maintainer") == true)
            }
        }
        #expect(try bed.programmeState() == before)
    }

    @Test func bearerSchemeIsCaseInsensitiveAndMaintainerMayDoStaffWork() async throws {
        let bed = try await Bed()
        let lower = await bed.send(.get, "/api/v1/notices", headers: ["Authorization": "bearer \(Self.staff)"])
        #expect(lower.status == .ok)
        let asMaintainer = await bed.send(.get, "/api/v1/programme", token: Self.maintainer)
        #expect(asMaintainer.status == .ok)
    }

    @Test func publicEndpointsNeedNoToken() async throws {
        let bed = try await Bed()
        for path in ["/healthz", "/feeds/programme.ics", "/feeds/programme.json"] {
            #expect(await bed.send(.get, path).status == .ok, "\(path)")
            #expect(await bed.send(.head, path).status == .ok, "HEAD \(path)")
        }
    }

    @Test func tokensAreReplacedOnReload() async throws {
        let bed = try await Bed()
        #expect(await bed.send(.get, "/api/v1/notices", token: Self.staff).status == .ok)
        var config = bed.config
        let fresh = APIToken.generate()
        config.tokens = [KioskConfig.Token(name: "nouveau", role: .staff, digest: fresh.digest)]
        bed.router.apply(config)
        #expect(await bed.send(.get, "/api/v1/notices", token: Self.staff).status == .unauthorized)
        #expect(await bed.send(.get, "/api/v1/notices", token: fresh.text).status == .ok)
    }

    // MARK: Routing errors

    @Test func unknownPathsAre404JSONAndWrongMethods405WithAllow() async throws {
        let bed = try await Bed()
        for path in ["/", "/api", "/api/v1", "/api/v2/notices", "/api/v1/nothing", "/api/v1/notices/a/b", "/feeds/other.ics", "/staffroom"] {
            let response = await bed.send(.get, path, token: Self.staff)
            #expect(response.status == .notFound, "\(path)")
            #expect(response.headers["Content-Type"] == "application/json; charset=utf-8")
            #expect((response.json["error"] as? [String: Any])?["status"] as? Int == 404)
        }
        let cases: [(HTTPMethod, String, String)] = [
            (.post, "/healthz", "GET, HEAD"),
            (.delete, "/feeds/programme.ics", "GET, HEAD"),
            (.post, "/api/v1/programme", "GET, HEAD"),
            (.get, "/api/v1/programme/soiree", "PUT, DELETE"),
            (.delete, "/api/v1/notices", "GET, HEAD, POST"),
            (.post, "/api/v1/notices/n-1", "GET, HEAD, PUT, DELETE"),
            (.put, "/api/v1/residents", "GET, HEAD, POST"),
            (.patch, "/api/v1/audit", "GET, HEAD"),
        ]
        for (method, path, allow) in cases {
            let response = await bed.send(method, path, token: Self.maintainer)
            #expect(response.status == .methodNotAllowed, "\(method) \(path)")
            #expect(response.headers["Allow"] == allow, "\(method) \(path)")
        }
    }

    @Test func staffPathsGoToTheInjectedHandler() async throws {
        struct Pages: HTTPHandler {
            func respond(to request: HTTPRequest, from peer: HTTPPeer) async throws -> HTTPResponse {
                .text("pages saw \(request.path)", contentType: "text/html; charset=utf-8")
            }
        }
        let bed = try await Bed(staffPages: Pages())
        for path in ["/staff", "/staff/", "/staff/notices/new"] {
            let response = await bed.send(.get, path)
            #expect(response.status == .ok)
            #expect(response.text == "pages saw \(path)")
        }
        #expect(await bed.send(.get, "/staffroom").status == .notFound)
    }

    // MARK: Programme

    @Test func pushedProgrammeIsStoredAuditedAndShown() async throws {
        let bed = try await Bed()
        let response = await bed.send(.put, "/api/v1/programme/soiree", token: Self.staff, text: ProgrammeSamples.soiree, contentType: "text/calendar; charset=utf-8")
        #expect(response.status == .ok, "\(response.text)")
        let report = response.json
        #expect(report["source"] as? String == "push:soiree")
        #expect(report["format"] as? String == "ics")
        #expect(report["applied"] as? Bool == true)
        #expect(report["eventsRead"] as? Int == 2)
        #expect((report["errors"] as? [Any])?.isEmpty == true)

        let (events, source, audit) = try bed.inspect { store in
            (try store.programme.events(ofSource: "push:soiree"), try store.programme.sourceStatus(id: "push:soiree"), try store.audit.entries())
        }
        #expect(events.map(\.title).sorted() == ["Blind test musical", "Soirée jeux de société"])
        #expect(source?.kind == .push)
        #expect(source?.eventCount == 2)
        #expect(source?.lastSuccess == Bed.start)
        #expect(audit.first?.actor == "accueil")
        #expect(audit.first?.action == "programme.push")
        #expect(audit.first?.detail == "push:soiree: 2 events (ics), 0 warnings")
        // The lobby reloaded before the answer: the new event is on the screen already.
        #expect(bed.screenText.contains("Soirée jeux de société"))

        // Listed among the sources.
        let list = await bed.send(.get, "/api/v1/programme", token: Self.staff)
        let sources = list.json["sources"] as? [[String: Any]] ?? []
        #expect(sources.count == 1)
        #expect(sources.first?["id"] as? String == "push:soiree")
        #expect(sources.first?["kind"] as? String == "push")
        #expect(sources.first?["events"] as? Int == 2)
        #expect(sources.first?["lastSuccess"] as? String == "2026-11-24T14:05:00Z")
        #expect(sources.first?["lastError"] is NSNull)

        // A second push replaces the first whole.
        let replacement = ProgrammeSamples.calendar([("quiz@test", "Quiz de la soirée", "20261124T190000Z", "20261124T200000Z")])
        #expect(await bed.send(.put, "/api/v1/programme/soiree", token: Self.staff, text: replacement, contentType: "text/calendar").status == .ok)
        #expect(try bed.inspect { try $0.programme.events(ofSource: "push:soiree").map(\.title) } == ["Quiz de la soirée"])
    }

    @Test func aRefusedProgrammeChangesNothing() async throws {
        let bed = try await Bed()
        #expect(await bed.send(.put, "/api/v1/programme/soiree", token: Self.staff, text: ProgrammeSamples.soiree, contentType: "text/calendar").status == .ok)
        let before = try bed.programmeState()
        let framesBefore = bed.display.frames
        bed.clock.advance(by: 5)

        // Two events of three are broken: the file is refused whole.
        let response = await bed.send(.put, "/api/v1/programme/soiree", token: Self.staff, text: ProgrammeSamples.broken, contentType: "text/calendar")
        #expect(response.status == .unprocessableContent)
        #expect(response.json["applied"] as? Bool == false)
        let errors = response.json["errors"] as? [[String: Any]] ?? []
        #expect(errors.compactMap { $0["line"] as? Int } == [15])
        #expect((errors.first?["message"] as? String)?.hasPrefix("2 of 3 events are broken, the first: event bad@test: dropped: DTSTART value '20261301T170000Z'") == true)
        // Events, source status and audit: byte for byte as before.
        #expect(try bed.programmeState() == before)
        #expect(bed.display.frames == framesBefore)

        // A new source refused is not even created; a truncated file is refused too.
        let other = await bed.send(.put, "/api/v1/programme/autre", token: Self.staff, text: ProgrammeSamples.broken, contentType: "text/calendar")
        #expect(other.status == .unprocessableContent)
        let cut = String(ProgrammeSamples.soiree.dropLast(40))
        let truncated = await bed.send(.put, "/api/v1/programme/soiree", token: Self.staff, text: cut, contentType: "text/calendar")
        #expect(truncated.status == .unprocessableContent)
        #expect((truncated.json["errors"] as? [[String: Any]])?.first?["message"] as? String == "BEGIN:VEVENT is never closed (truncated calendar?)")
        #expect(try bed.programmeState() == before)
    }

    @Test func aSalvagedProgrammeIsAppliedAndItsWarningsReported() async throws {
        let bed = try await Bed()
        let response = await bed.send(.put, "/api/v1/programme/soiree", token: Self.staff, text: ProgrammeSamples.salvaged, contentType: "text/calendar")
        #expect(response.status == .ok)
        #expect(response.json["applied"] as? Bool == true)
        #expect(response.json["eventsRead"] as? Int == 1)
        #expect(response.json["eventsDropped"] as? Int == 1)
        let warnings = response.json["warnings"] as? [[String: Any]] ?? []
        #expect(warnings.compactMap { $0["line"] as? Int } == [15])
        #expect(warnings.first?["message"] as? String == "event bad@test: dropped: DTSTART value '20261301T170000Z' is not a DATE or DATE-TIME")
        #expect(bed.screenText.contains("Atelier correct"))
        // The warnings are kept with the source, and listed with it.
        let source = try bed.inspect { try $0.programme.sourceStatus(id: "push:soiree") }
        #expect(source?.warningCount == 1 && source?.eventsRead == 2)
        #expect(source?.warnings.first == SourceWarning(line: 15, message: "event bad@test: dropped: DTSTART value '20261301T170000Z' is not a DATE or DATE-TIME"))
        let listed = await bed.send(.get, "/api/v1/programme", token: Self.staff).json["sources"] as? [[String: Any]] ?? []
        #expect(listed.first?["warningCount"] as? Int == 1)
        #expect((listed.first?["warnings"] as? [[String: Any]])?.first?["line"] as? Int == 15)
    }

    @Test func duplicateUIDsKeepTheLatestAndWrongFormatsAreErrors() async throws {
        let bed = try await Bed()
        let twice = ProgrammeSamples.calendar([
            ("same@test", "Un", "20261124T170000Z", "20261124T180000Z"), ("same@test", "Deux", "20261125T170000Z", "20261125T180000Z"),
        ])
        let duplicate = await bed.send(.put, "/api/v1/programme/x", token: Self.staff, text: twice, contentType: "text/calendar")
        #expect(duplicate.status == .ok)
        #expect((duplicate.json["warnings"] as? [[String: Any]])?.first?["message"] as? String
            == "event same@test: 2 revisions (lines 4, 12); kept SEQUENCE 0 of line 12")
        #expect(try bed.inspect { try $0.programme.events(ofSource: "push:x").map(\.title) } == ["Deux"])
        let before = try bed.programmeState()

        let notCalendar = await bed.send(.put, "/api/v1/programme/x", token: Self.staff, text: "{\"events\": []}", contentType: "text/calendar")
        #expect(notCalendar.status == .unprocessableContent)
        let garbage = await bed.send(.put, "/api/v1/programme/x", token: Self.staff, text: "hello", contentType: nil)
        #expect(garbage.status == .unprocessableContent)
        #expect(garbage.json["format"] is NSNull)
        let badJSON = await bed.send(.put, "/api/v1/programme/x", token: Self.staff, text: "{\"events\": [{\"title\": 3}]}", contentType: "application/json")
        #expect(badJSON.status == .unprocessableContent)
        #expect(badJSON.json["format"] as? String == "json")
        #expect(try bed.programmeState() == before)
    }

    @Test func programmeRequestErrors() async throws {
        let bed = try await Bed()
        let wrongType = await bed.send(.put, "/api/v1/programme/soiree", token: Self.staff, text: ProgrammeSamples.soiree, contentType: "text/plain")
        #expect(wrongType.status == .unsupportedMediaType)
        for name in ["Soiree", "a.b", String(repeating: "a", count: 41), "push%3Ax"] {
            let response = await bed.send(.put, "/api/v1/programme/\(name)", token: Self.staff, text: ProgrammeSamples.soiree, contentType: "text/calendar")
            #expect(response.status == .badRequest, "\(name)")
        }
        let badFlag = await bed.send(.put, "/api/v1/programme/soiree?dry-run=maybe", token: Self.staff, text: ProgrammeSamples.soiree, contentType: "text/calendar")
        #expect(badFlag.status == .badRequest)
    }

    @Test func dryRunValidatesOnly() async throws {
        let bed = try await Bed()
        let before = try bed.programmeState()
        let response = await bed.send(.put, "/api/v1/programme/soiree?dry-run=1", token: Self.staff, text: ProgrammeSamples.soiree, contentType: "text/calendar")
        #expect(response.status == .ok)
        #expect(response.json["applied"] as? Bool == false)
        #expect(response.json["eventsRead"] as? Int == 2)
        #expect(try bed.programmeState() == before)
    }

    @Test func nativeJSONAndOpenAgendaAreToldApartByContent() async throws {
        let bed = try await Bed()
        let native = #"{"events": [{"uid": "n1", "title": "Projection", "start": "2026-11-25T19:00:00+01:00", "end": "2026-11-25T21:00:00+01:00"}]}"#
        let response = await bed.send(.put, "/api/v1/programme/natif", token: Self.staff, text: native, contentType: "application/json")
        #expect(response.status == .ok, "\(response.text)")
        #expect(response.json["format"] as? String == "json")
        let agenda = #"{"total": 1, "events": [{"uid": 7, "title": {"fr": "Visite guidée"}, "timings": [{"begin": "2026-11-26T10:00:00+01:00", "end": "2026-11-26T11:00:00+01:00"}]}]}"#
        let oa = await bed.send(.put, "/api/v1/programme/oa", token: Self.staff, text: agenda, contentType: "application/json")
        #expect(oa.json["format"] as? String == "openagenda", "\(oa.text)")
        #expect(oa.status == .ok, "\(oa.text)")
    }

    @Test func removingAPushedProgramme() async throws {
        let bed = try await Bed()
        #expect(await bed.send(.put, "/api/v1/programme/soiree", token: Self.staff, text: ProgrammeSamples.soiree, contentType: "text/calendar").status == .ok)
        #expect(bed.screenText.contains("Soirée jeux de société"))
        let removed = await bed.send(.delete, "/api/v1/programme/soiree", token: Self.staff)
        #expect(removed.status == .noContent)
        #expect(removed.body.isEmpty)
        #expect(try bed.inspect { try $0.programme.sourceStatus(id: "push:soiree") } == nil)
        #expect(try bed.inspect { try $0.programme.allEvents() }.isEmpty)
        #expect(!bed.screenText.contains("Soirée jeux de société"))
        let audit = try bed.inspect { try $0.audit.entries() }
        #expect(audit.first?.action == "programme.delete")
        #expect(audit.first?.detail == "push:soiree")
        #expect(await bed.send(.delete, "/api/v1/programme/soiree", token: Self.staff).status == .notFound)
        // A pulled feed's source cannot be removed through the API.
        try bed.inspect { try $0.programme.replaceEvents(ofSource: "soiree", kind: .ics, with: [], fetchedAt: Bed.start) }
        #expect(await bed.send(.delete, "/api/v1/programme/soiree", token: Self.staff).status == .notFound)
    }

    // MARK: Notices

    @Test func noticeLifecycle() async throws {
        let bed = try await Bed()
        let created = await bed.send(
            .post, "/api/v1/notices", token: Self.staff,
            text: #"{"kind": "offer", "title": "Bureau à partager", "body": "Deux postes\n\nau 2e étage", "author": "Atelier 3", "terms": "rental", "urgent": true}"#,
            contentType: "application/json")
        #expect(created.status == .created, "\(created.text)")
        let notice = created.json
        let id = try #require(notice["id"] as? String)
        #expect(id.hasPrefix("n-") && id.count == 10)
        #expect(created.headers["Location"] == "/api/v1/notices/\(id)")
        #expect(notice["posted"] as? String == "2026-11-24T14:05:00Z")
        #expect(notice["expires"] as? String == "2026-12-08T14:05:00Z")
        #expect(notice["terms"] as? String == "rental")
        #expect(notice["deadline"] is NSNull)
        #expect(notice["body"] as? String == "Deux postes\n\nau 2e étage")
        #expect(notice["urgent"] as? Bool == true)
        #expect(try bed.inspect { try $0.notices.createdBy(id: id) } == "accueil")

        let got = await bed.send(.get, "/api/v1/notices/\(id)", token: Self.staff)
        #expect(got.status == .ok)
        #expect(got.json["title"] as? String == "Bureau à partager")
        let list = await bed.send(.get, "/api/v1/notices", token: Self.staff)
        #expect((list.json["notices"] as? [[String: Any]])?.map { $0["id"] as? String } == [id])

        let updated = await bed.send(
            .put, "/api/v1/notices/\(id)", token: Self.staff,
            text: #"{"kind": "call", "title": "Appel à projets", "deadline": "2026-12-03", "expires": "2026-12-04"}"#, contentType: "application/json")
        #expect(updated.status == .ok, "\(updated.text)")
        #expect(updated.json["posted"] as? String == "2026-11-24T14:05:00Z")
        #expect(updated.json["expires"] as? String == "2026-12-04T23:00:00Z")  // end of that day in Paris
        #expect(updated.json["deadline"] as? String == "2026-12-03")
        #expect(try bed.inspect { try $0.notices.get(id: id)?.title } == "Appel à projets")

        #expect(await bed.send(.delete, "/api/v1/notices/\(id)", token: Self.staff).status == .noContent)
        #expect(await bed.send(.get, "/api/v1/notices/\(id)", token: Self.staff).status == .notFound)
        #expect(await bed.send(.delete, "/api/v1/notices/\(id)", token: Self.staff).status == .notFound)
        #expect(await bed.send(.put, "/api/v1/notices/\(id)", token: Self.staff, text: #"{"title": "x"}"#, contentType: "application/json").status == .notFound)

        let audit = try bed.inspect { try $0.audit.entries() }
        #expect(audit.map(\.action) == ["notice.delete", "notice.update", "notice.create"])
        #expect(Set(audit.map(\.actor)) == ["accueil"])
        #expect(audit.allSatisfy { $0.detail.hasPrefix(id) })
    }

    @Test func postedNoticeIsOnTheScreenAtOnce() async throws {
        let bed = try await Bed()
        let created = await bed.send(.post, "/api/v1/notices", token: Self.staff, text: #"{"title": "Atelier annulé ce soir", "urgent": true}"#, contentType: "application/json")
        #expect(created.status == .created)
        // The notices panel rotates in; the lobby's model holds the notice whatever panel shows.
        let snapshot = try bed.inspect { try LobbySnapshotReader.snapshot(at: Bed.start, store: $0, config: bed.config) }
        #expect(snapshot.notices.map(\.title).contains("Atelier annulé ce soir"))
        let screen = await bed.send(.get, "/api/v1/screen", token: Self.staff)
        #expect(screen.status == .ok)
        #expect(screen.headers["Content-Type"] == "text/plain; charset=utf-8")
        #expect(screen.text.contains("Le Mixeur"))
    }

    @Test func listShowsLiveNoticesUnlessAll() async throws {
        let bed = try await Bed()
        let old = await bed.send(.post, "/api/v1/notices", token: Self.staff, text: #"{"title": "Bientôt fini", "expires": "2026-11-24T15:00:00Z"}"#, contentType: "application/json")
        #expect(old.status == .created)
        #expect(await bed.send(.post, "/api/v1/notices", token: Self.staff, text: #"{"title": "Reste"}"#, contentType: "application/json").status == .created)
        bed.clock.advance(by: 3600)
        let live = await bed.send(.get, "/api/v1/notices", token: Self.staff)
        #expect((live.json["notices"] as? [[String: Any]])?.compactMap { $0["title"] as? String } == ["Reste"])
        let all = await bed.send(.get, "/api/v1/notices?all=1", token: Self.staff)
        #expect((all.json["notices"] as? [[String: Any]])?.count == 2)
    }

    @Test(arguments: [
        (#"{"kind": "call", "title": "Appel"}"#, "deadline"),
        (#"{"kind": "professional-event", "title": "Rencontre"}"#, "eventDate"),
        (#"{"kind": "rumour", "title": "x"}"#, "kind"),
        (#"{"kind": "information", "title": "x", "terms": "gift"}"#, "terms"),
        (#"{"kind": "offer", "title": "x", "terms": "swap"}"#, "terms"),
        (#"{"title": ""}"#, "title"),
        (#"{"title": "\u001b[2J\u0007"}"#, "title"),
        (#"{"body": "sans titre"}"#, "title"),
        (#"{"title": 12}"#, "title"),
        (#"{"title": "x", "urgent": 1}"#, "urgent"),
        (#"{"title": "x", "expires": "demain"}"#, "expires"),
        (#"{"title": "x", "expires": "2026-11-01"}"#, "expires"),
        (#"{"title": "x", "deadline": "2026-02-30"}"#, "deadline"),
        (#"{"title": "x", "colour": "red"}"#, "colour"),
        (#"["title"]"#, "object"),
    ])
    func invalidNoticesAre422(body: String, field: String) async throws {
        let bed = try await Bed()
        let long = await bed.send(.post, "/api/v1/notices", token: Self.staff, text: "{\"title\": \"\(String(repeating: "é", count: 121))\"}", contentType: "application/json")
        #expect(long.status == .unprocessableContent)
        let response = await bed.send(.post, "/api/v1/notices", token: Self.staff, text: body, contentType: "application/json")
        #expect(response.status == .unprocessableContent, "\(body): \(response.text)")
        #expect(response.errorReason?.contains(field) == true, "\(response.errorReason ?? "")")
        #expect(try bed.inspect { try $0.notices.all() }.isEmpty)
        #expect(try bed.inspect { try $0.audit.entries() }.isEmpty)
    }

    @Test func noticeBodyErrors() async throws {
        let bed = try await Bed()
        #expect(await bed.send(.post, "/api/v1/notices", token: Self.staff, text: "{\"title\": ", contentType: "application/json").status == .badRequest)
        #expect(await bed.send(.post, "/api/v1/notices", token: Self.staff, body: [], contentType: "application/json").status == .badRequest)
        #expect(await bed.send(.post, "/api/v1/notices", token: Self.staff, text: "title=x", contentType: "application/x-www-form-urlencoded").status == .unsupportedMediaType)
        #expect(await bed.send(.post, "/api/v1/notices", token: Self.staff, text: "{\"title\": \"x\"}", contentType: "nonsense").status == .badRequest)
    }

    @Test func noticeTextIsCleanedOfControlCharacters() async throws {
        let bed = try await Bed()
        let created = await bed.send(
            .post, "/api/v1/notices", token: Self.staff,
            text: #"{"title": "Expo\u001b]0;pwned\u0007 \u001b[5mclignote", "author": "\u009b31mRouge", "body": "ligne 1\r\nligne\u0000 2"}"#,
            contentType: "application/json")
        #expect(created.status == .created, "\(created.text)")
        #expect(created.json["title"] as? String == "Expo clignote")
        #expect(created.json["author"] as? String == "Rouge")
        #expect(created.json["body"] as? String == "ligne 1\nligne 2")
    }

    // MARK: Residents, presence, attendance, audit (maintainer)

    @Test func residentsImport() async throws {
        let bed = try await Bed()
        let csv = "name,kind,sector,location\nDistorsion,association,Arts numériques,Bât. A\n360 secondes,entreprise,Audiovisuel,Bât. A\n"
        let first = await bed.send(.post, "/api/v1/residents", token: Self.maintainer, text: csv, contentType: "text/csv")
        #expect(first.status == .ok, "\(first.text)")
        #expect(first.json["added"] as? Int == 2)
        #expect(first.json["updated"] as? Int == 0)
        #expect(first.json["removed"] as? Int == 0)

        let json = #"{"residents": [{"name": "Distorsion", "kind": "association", "sector": "Jeux vidéo"}, {"name": "Fertil Ink", "kind": "artiste"}]}"#
        let second = await bed.send(.post, "/api/v1/residents?replace=1", token: Self.maintainer, text: json, contentType: "application/json")
        #expect(second.status == .ok, "\(second.text)")
        #expect(second.json["added"] as? Int == 1)
        #expect(second.json["updated"] as? Int == 1)
        #expect(second.json["removed"] as? Int == 1)

        let list = await bed.send(.get, "/api/v1/residents", token: Self.maintainer)
        let residents = list.json["residents"] as? [[String: Any]] ?? []
        #expect(residents.compactMap { $0["name"] as? String } == ["Distorsion", "Fertil Ink"])
        #expect(residents.first?["sector"] as? String == "Jeux vidéo")

        let before = try bed.inspect { try $0.residents.all() }
        let bad = "name,kind\nNouveau,entreprise\nMauvais,pirate\n,artiste\n"
        let refused = await bed.send(.post, "/api/v1/residents", token: Self.maintainer, text: bad, contentType: "text/csv")
        #expect(refused.status == .unprocessableContent)
        let errors = refused.json["errors"] as? [[String: Any]] ?? []
        #expect(errors.compactMap { $0["line"] as? Int } == [3, 4], "every invalid row: \(errors)")
        #expect(errors.last?["message"] as? String == "the name is empty")
        #expect(try bed.inspect { try $0.residents.all() } == before)
        #expect(await bed.send(.post, "/api/v1/residents", token: Self.maintainer, text: bad, contentType: "application/xml").status == .unsupportedMediaType)

        let audit = try bed.inspect { try $0.audit.entries() }
        #expect(audit.map(\.action) == ["residents.import", "residents.import"])
        #expect(audit.allSatisfy { $0.actor == "regie" })
        #expect(audit.first?.detail == "2 rows: 1 added, 1 updated, 1 removed (replace)")

        // Logos in an upload: URLs taken (fetched by kioskd), paths a warning with their line.
        let withLogos = "name;logo\r\nDistorsion;https://cdn.example.org/distorsion.png\r\nFertil Ink;logos/fertil.png\r\n"
        let third = await bed.send(.post, "/api/v1/residents", token: Self.maintainer, text: withLogos, contentType: "text/csv")
        #expect(third.status == .ok, "\(third.text)")
        let warnings = third.json["warnings"] as? [[String: Any]] ?? []
        #expect(warnings.count == 1 && warnings.first?["line"] as? Int == 3, "\(third.text)")
        #expect((warnings.first?["message"] as? String)?.contains("in an upload give an http(s) URL") == true, "\(third.text)")
        #expect(try bed.inspect { try $0.residents.get(id: "distorsion")?.logo } == .url("https://cdn.example.org/distorsion.png"))
        #expect(try bed.inspect { try $0.residents.get(id: "fertil-ink")?.logo } == nil)

        // The list shows the logos as an import takes them back: the URL, or a picture read
        // from a file on the kiosk by its hash. Posted back as it is, every logo is kept.
        let stored = try bed.inspect { store -> String in
            let hash = try #require(store.pictureFiles).store(PNGEncoder.encode(PixelCanvas(width: 8, height: 8, color: .white)))
            try store.residents.upsert(Resident(name: "Fertil Ink", kind: .artiste, logo: .stored(hash: hash)), at: Bed.start)
            return hash
        }
        let listed = await bed.send(.get, "/api/v1/residents", token: Self.maintainer)
        let logos = (listed.json["residents"] as? [[String: Any]] ?? []).map { "\($0["id"] ?? "") \($0["logo"] ?? "")" }
        #expect(logos == ["distorsion https://cdn.example.org/distorsion.png", "fertil-ink sha256:\(stored)"], "\(listed.text)")
        let beforeRepost = try bed.inspect { try $0.residents.all() }
        let posted = await bed.send(.post, "/api/v1/residents?replace=1", token: Self.maintainer, text: listed.text, contentType: "application/json")
        #expect(posted.status == .ok && (posted.json["warnings"] as? [Any])?.isEmpty == true, "\(posted.text)")
        #expect(try bed.inspect { try $0.residents.all() } == beforeRepost)
        // A picture this kiosk does not hold (an export from another kiosk): a warning.
        let elsewhere = "name,logo\nFertil Ink,sha256:\(String(repeating: "ab", count: 32))\n"
        let foreign = await bed.send(.post, "/api/v1/residents", token: Self.maintainer, text: elsewhere, contentType: "text/csv")
        let foreignWarnings = foreign.json["warnings"] as? [[String: Any]] ?? []
        #expect(foreign.status == .ok && (foreignWarnings.first?["message"] as? String)?.contains("no such picture on this kiosk") == true, "\(foreign.text)")
        #expect(try bed.inspect { try $0.residents.get(id: "fertil-ink")?.logo } == nil)
    }

    @Test func presenceAndAttendance() async throws {
        let bed = try await Bed()
        try bed.inspect { store in
            let ledger = store.checkIns
            let camille = try ledger.addPerson(firstName: "Camille", lastName: "Martin", role: .member, at: Bed.start.addingTimeInterval(-7200))
            try ledger.enrol(tag: "62E3086CED", personID: camille.id, at: Bed.start.addingTimeInterval(-7200))
            _ = try ledger.recordScan(tag: "62E3086CED", at: Bed.start.addingTimeInterval(-3600), runningOccurrences: [], settings: CheckInSettings())
        }
        let presence = await bed.send(.get, "/api/v1/presence", token: Self.maintainer)
        #expect(presence.status == .ok)
        let present = presence.json["present"] as? [[String: Any]] ?? []
        #expect(present.count == 1)
        #expect(present.first?["name"] as? String == "Camille Martin")
        #expect(present.first?["role"] as? String == "member")
        #expect(present.first?["since"] as? String == "2026-11-24T13:05:00Z")
        #expect(present.first?["personID"] as? Int != nil)

        let attendance = await bed.send(.get, "/api/v1/attendance?from=2026-11-24&to=2026-11-24&by=day", token: Self.maintainer)
        #expect(attendance.status == .ok, "\(attendance.text)")
        let rows = attendance.json["rows"] as? [[String: Any]] ?? []
        #expect(rows.count == 1)
        #expect(rows.first?["day"] as? String == "2026-11-24")
        #expect(rows.first?["count"] as? Int == 1)
        let byDefault = await bed.send(.get, "/api/v1/attendance", token: Self.maintainer)
        #expect((byDefault.json["rows"] as? [[String: Any]])?.count == 1)
        #expect(byDefault.json["from"] as? String == "2026-11-24")
        let hourly = await bed.send(.get, "/api/v1/attendance?by=hour", token: Self.maintainer)
        #expect((hourly.json["rows"] as? [[String: Any]])?.first?["hour"] as? Int == 14)

        let weekly = await bed.send(.get, "/api/v1/attendance?from=2026-11-23&to=2026-11-29&by=week", token: Self.maintainer)
        #expect((weekly.json["rows"] as? [[String: Any]])?.first?["week"] as? String == "2026-W48")
        #expect((weekly.json["rows"] as? [[String: Any]])?.first?["weekStart"] as? String == "2026-11-23")
        for query in ["by=month", "from=2026-11-25&to=2026-11-24", "from=24/11/2026", "from=2026-02-30"] {
            #expect(await bed.send(.get, "/api/v1/attendance?\(query)", token: Self.maintainer).status == .badRequest, "\(query)")
        }
    }

    @Test func auditListsWritesNewestFirst() async throws {
        let bed = try await Bed()
        #expect(await bed.send(.put, "/api/v1/programme/soiree", token: Self.staff, text: ProgrammeSamples.soiree, contentType: "text/calendar").status == .ok)
        bed.clock.advance(by: 60)
        #expect(await bed.send(.post, "/api/v1/notices", token: Self.maintainer, text: #"{"title": "Info"}"#, contentType: "application/json").status == .created)
        let audit = await bed.send(.get, "/api/v1/audit?limit=10", token: Self.maintainer)
        let entries = audit.json["entries"] as? [[String: Any]] ?? []
        #expect(entries.compactMap { $0["action"] as? String } == ["notice.create", "programme.push"])
        #expect(entries.compactMap { $0["actor"] as? String } == ["regie", "accueil"])
        #expect(entries.compactMap { $0["at"] as? String } == ["2026-11-24T14:06:00Z", "2026-11-24T14:05:00Z"])
        let one = await bed.send(.get, "/api/v1/audit?limit=1", token: Self.maintainer)
        #expect((one.json["entries"] as? [Any])?.count == 1)
        #expect(await bed.send(.get, "/api/v1/audit?limit=0", token: Self.maintainer).status == .badRequest)
        #expect(await bed.send(.get, "/api/v1/audit?limit=x", token: Self.maintainer).status == .badRequest)
    }

    // MARK: Screen, health

    @Test func screenAsTextAndModel() async throws {
        let bed = try await Bed(columns: 100, rows: 30)
        let text = await bed.send(.get, "/api/v1/screen", token: Self.staff)
        #expect(text.status == .ok)
        let lines = text.text.split(separator: "\n", omittingEmptySubsequences: false)
        #expect(lines.count == 31)  // 30 rows and the final newline
        #expect(text.text.contains("Le Mixeur"))
        #expect(!text.text.contains("\u{1B}"))
        let model = await bed.send(.get, "/api/v1/screen?format=json", token: Self.staff)
        #expect(model.json["columns"] as? Int == 100)
        #expect(model.json["rows"] as? Int == 30)
        let runs = model.json["runs"] as? [[String: Any]] ?? []
        #expect(runs.contains { $0["text"] as? String == "Le Mixeur" })
        #expect(await bed.send(.get, "/api/v1/screen?format=png", token: Self.staff).status == .badRequest)
    }

    @Test func healthReportsFreshnessAndReader() async throws {
        let bed = try await Bed { config in
            config.feeds = [KioskConfig.Feed(name: "agenda", url: "https://example.org/a.ics", format: .ics)]
        }
        let stale = await bed.send(.get, "/healthz")
        #expect(stale.status == .ok)
        #expect(stale.json["status"] as? String == "ok")
        #expect(stale.json["reader"] as? String == "none")
        #expect((stale.json["programme"] as? [String: Any])?["stale"] as? Bool == true)
        #expect((stale.json["programme"] as? [String: Any])?["lastSuccess"] is NSNull)

        try bed.inspect { try $0.programme.replaceEvents(ofSource: "agenda", kind: .ics, with: [], fetchedAt: Bed.start.addingTimeInterval(-600)) }
        // A pushed programme does not make the pulled feeds fresh; the feed's success does.
        let fresh = await bed.send(.get, "/healthz")
        #expect((fresh.json["programme"] as? [String: Any])?["stale"] as? Bool == false)
        #expect((fresh.json["programme"] as? [String: Any])?["lastSuccess"] as? String == "2026-11-24T13:55:00Z")
        await bed.lobby.readerStateChanged(.disconnected)
        #expect(await bed.send(.get, "/healthz").json["reader"] as? String == "disconnected")
    }

    // MARK: Open data

    @Test func feedsHaveStrongETagsAnd304() async throws {
        let bed = try await Bed()
        #expect(await bed.send(.put, "/api/v1/programme/soiree", token: Self.staff, text: ProgrammeSamples.soiree, contentType: "text/calendar").status == .ok)
        for (path, type) in [("/feeds/programme.ics", "text/calendar; charset=utf-8"), ("/feeds/programme.json", "application/ld+json; charset=utf-8")] {
            let first = await bed.send(.get, path)
            #expect(first.status == .ok)
            #expect(first.headers["Content-Type"] == type)
            #expect(first.headers["Cache-Control"] == "public, max-age=300")
            let etag = try #require(first.headers["ETag"])
            #expect(etag.hasPrefix("\"") && etag.hasSuffix("\"") && !etag.hasPrefix("W/"))
            #expect(etag == "\"" + String(SHA256.hash(first.body).hex.prefix(32)) + "\"")

            // Later, same programme: same bytes, same tag.
            bed.clock.advance(by: 30)
            let again = await bed.send(.get, path)
            #expect(again.body == first.body)
            #expect(again.headers["ETag"] == etag)

            for condition in [etag, "\"other\", \(etag)", "W/\(etag)", "*"] {
                let conditional = await bed.send(.get, path, headers: ["If-None-Match": condition])
                #expect(conditional.status == .notModified, "\(condition)")
                #expect(conditional.headers["ETag"] == etag)
                #expect(conditional.headers["Cache-Control"] == "public, max-age=300")
                #expect(conditional.body.isEmpty)
            }
            let stale = await bed.send(.get, path, headers: ["If-None-Match": "\"0123\""])
            #expect(stale.status == .ok)
            let head = await bed.send(.head, path)
            #expect(head.status == .ok)
            #expect(head.headers["ETag"] == etag)
        }
        let ics = await bed.send(.get, "/feeds/programme.ics")
        let jsonBefore = await bed.send(.get, "/feeds/programme.json")
        // The exported calendar reads back to the pushed events.
        let document = try ICalendarParser(venueTimeZone: Bed.paris).parse(ics.body)
        #expect(document.events.map(\.uid).sorted() == ["soiree-1@test", "soiree-2@test"])
        #expect(String(decoding: jsonBefore.body, as: UTF8.self).contains("Blind test musical"))

        // A new programme changes both tags.
        let other = ProgrammeSamples.calendar([("quiz@test", "Quiz", "20261125T190000Z", "20261125T200000Z")])
        #expect(await bed.send(.put, "/api/v1/programme/soiree", token: Self.staff, text: other, contentType: "text/calendar").status == .ok)
        let icsAfter = await bed.send(.get, "/feeds/programme.ics", headers: ["If-None-Match": ics.headers["ETag"]!])
        #expect(icsAfter.status == .ok)
        #expect(icsAfter.headers["ETag"] != ics.headers["ETag"])
        let jsonAfter = await bed.send(.get, "/feeds/programme.json", headers: ["If-None-Match": jsonBefore.headers["ETag"]!])
        #expect(jsonAfter.status == .ok)
        #expect(jsonAfter.headers["ETag"] != jsonBefore.headers["ETag"])
    }
}
