import Foundation
import Testing
import KioskCore
import KioskStore
import KioskSystem
@testable import KioskDaemon
import kioskctl

/// kioskctl as the client of the staff API: the real `APIRouter` behind the real
/// `HTTPServer` on 127.0.0.1, with a handler in front that records every request kioskctl
/// sends (method, target, Authorization, Content-Type, body).
@Suite struct KioskctlRemoteTests {
    typealias Bed = APITestBed

    /// Records what reaches the server, then lets the router answer.
    final class RecordingHandler: HTTPHandler, @unchecked Sendable {
        // @unchecked: `seen` is guarded by `lock`; `inner` is Sendable.
        struct Seen: Sendable {
            var method: String
            var target: String
            var authorization: String?
            var contentType: String?
            var body: [UInt8]
        }
        let inner: any HTTPHandler
        private let lock = NSLock()
        private var seen: [Seen] = []
        init(_ inner: any HTTPHandler) { self.inner = inner }
        var requests: [Seen] { lock.withLock { seen } }
        func respond(to request: HTTPRequest, from peer: HTTPPeer) async throws -> HTTPResponse {
            lock.withLock {
                seen.append(Seen(method: request.method.rawValue, target: request.target, authorization: request.headers["Authorization"],
                                 contentType: request.headers["Content-Type"], body: request.body))
            }
            return try await inner.respond(to: request, from: peer)
        }
    }

    /// A running API, token files for both roles, and a way to run kioskctl against it.
    struct Remote {
        let bed: Bed
        let recorder: RecordingHandler
        let url: String
        let directory: String
        var staffTokenFile: String { directory + "/staff.token" }
        var maintainerTokenFile: String { directory + "/maintainer.token" }

        func file(_ name: String, _ text: String, mode: Int = 0o600) throws -> String {
            let path = directory + "/" + name
            try Data(text.utf8).write(to: URL(fileURLWithPath: path))
            try FileManager.default.setAttributes([.posixPermissions: mode], ofItemAtPath: path)
            return path
        }

        /// kioskctl ARGS --url URL --token-file (staff unless `token` says otherwise).
        func run(_ arguments: [String], token: String? = nil) async -> (status: Int32, out: String, err: String) {
            var output = ControlOutput.captured
            let status = await ControlCommand.main(arguments: arguments + ["--url", url, "--token-file", token ?? staffTokenFile], output: &output)
            return (status, output.standardOutput, output.standardError)
        }
    }

    func withRemote(_ body: (Remote) async throws -> Void) async throws {
        URLSessionClient.install()  // what kioskctl's main does
        let bed = try await Bed()
        let recorder = RecordingHandler(bed.router)
        let limits = HTTPServer.Limits(maxConnections: 16, maxBodyBytes: 1 << 20, requestTimeout: .seconds(20), idleTimeout: .seconds(20))
        let server = HTTPServer(address: .loopback(port: 0), limits: limits, handler: recorder, logger: bed.log.logger)
        try server.start()
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("kioskctl-remote-\(UUID().uuidString)").path
        try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
        let remote = Remote(bed: bed, recorder: recorder, url: "http://127.0.0.1:\(server.boundAddress!.port)", directory: directory)
        _ = try remote.file("staff.token", Bed.staffToken + "\n")
        _ = try remote.file("maintainer.token", Bed.maintainerToken + "\n")
        defer { try? FileManager.default.removeItem(atPath: directory) }
        do { try await body(remote) } catch {
            await server.stop()
            throw error
        }
        await server.stop()
    }

    // MARK: programme

    @Test func pushSendsTheFileAndPrintsTheReport() async throws {
        try await withRemote { remote in
            let path = try remote.file("soiree.ics", ProgrammeSamples.soiree)
            let pushed = await remote.run(["push", "soiree", path])
            #expect(pushed.status == 0, "\(pushed.err)")
            #expect(pushed.out.contains("push:soiree"))
            #expect(pushed.out.contains("2 events read"))
            #expect(pushed.out.contains("applied"))
            let request = try #require(remote.recorder.requests.last)
            #expect(request.method == "PUT")
            #expect(request.target == "/api/v1/programme/soiree")
            #expect(request.authorization == "Bearer \(Bed.staffToken)")
            #expect(request.contentType == "text/calendar")
            #expect(request.body == Array(ProgrammeSamples.soiree.utf8))
            let stored = try remote.bed.inspect { try $0.programme.allEvents().filter { $0.source == "push:soiree" }.count }
            #expect(stored == 2)

            // The server's sources, readable and as JSON.
            let sources = await remote.run(["programme"])
            #expect(sources.status == 0)
            #expect(sources.out.contains("push:soiree [push] ok, 2 events"))
            let json = await remote.run(["programme", "--format", "json"])
            let object = try JSONSerialization.jsonObject(with: Data(json.out.utf8)) as? [String: Any]
            #expect((object?["sources"] as? [[String: Any]])?.contains { $0["id"] as? String == "push:soiree" } == true)

            let removed = await remote.run(["push", "remove", "soiree"])
            #expect(removed.status == 0, "\(removed.err)")
            #expect(remote.recorder.requests.last?.method == "DELETE")
            #expect(remote.recorder.requests.last?.target == "/api/v1/programme/soiree")
            #expect(try remote.bed.inspect { try $0.programme.allEvents().filter { $0.source == "push:soiree" }.isEmpty })
            // Removing it again: the server's 404 reason, exit 1.
            let again = await remote.run(["push", "remove", "soiree"])
            #expect(again.status == 1)
            #expect(again.err.contains("HTTP 404"))
            #expect(again.err.contains("no pushed programme named 'soiree'"))
        }
    }

    @Test func aRefusedPushShowsTheLinesAndExits1() async throws {
        try await withRemote { remote in
            let path = try remote.file("broken.ics", ProgrammeSamples.broken)
            let before = try remote.bed.programmeState()
            let result = await remote.run(["push", "atelier", path])
            #expect(result.status == 1)
            #expect(result.out.contains("nothing changed"))
            #expect(result.out.contains("line 15 (Atelier cassé): error:"))
            #expect(try remote.bed.programmeState() == before)

            // A dry run of a good file validates without applying.
            let good = try remote.file("soiree.ics", ProgrammeSamples.soiree)
            let dry = await remote.run(["push", "soiree", good, "--dry-run"])
            #expect(dry.status == 0, "\(dry.err)")
            #expect(dry.out.contains("not applied (dry run)"))
            #expect(remote.recorder.requests.last?.target == "/api/v1/programme/soiree?dry-run=1")
            #expect(try remote.bed.programmeState() == before)
        }
    }

    // MARK: notices

    @Test func noticesThroughTheAPI() async throws {
        try await withRemote { remote in
            let posted = await remote.run(["notices", "post", "--kind", "offer", "--title", "Bureau à partager", "--terms", "rental", "--author", "Atelier 3"])
            #expect(posted.status == 0, "\(posted.err)")
            let post = try #require(remote.recorder.requests.last)
            #expect(post.method == "POST")
            #expect(post.target == "/api/v1/notices")
            #expect(post.contentType == "application/json")
            let sent = try JSONSerialization.jsonObject(with: Data(post.body)) as? [String: Any]
            #expect(sent?["kind"] as? String == "offer")
            #expect(sent?["title"] as? String == "Bureau à partager")
            #expect(sent?["terms"] as? String == "rental")
            let stored = try remote.bed.inspect { try $0.notices.all() }
            let notice = try #require(stored.first { $0.title == "Bureau à partager" })
            #expect(posted.out.contains(notice.id))

            let list = await remote.run(["notices", "list"])
            #expect(list.status == 0)
            #expect(list.out.contains("\(notice.id): [offer] Bureau à partager"))
            let show = await remote.run(["notices", "show", notice.id])
            #expect(show.out.contains("author: Atelier 3"))

            // update sends the whole notice with the changed field.
            let updated = await remote.run(["notices", "update", notice.id, "--urgent", "yes"])
            #expect(updated.status == 0, "\(updated.err)")
            let put = try #require(remote.recorder.requests.last)
            #expect(put.method == "PUT")
            #expect(put.target == "/api/v1/notices/\(notice.id)")
            let whole = try JSONSerialization.jsonObject(with: Data(put.body)) as? [String: Any]
            #expect(whole?["urgent"] as? Bool == true)
            #expect(whole?["title"] as? String == "Bureau à partager")
            #expect(try remote.bed.inspect { try $0.notices.all().first { $0.id == notice.id }?.urgent } == true)

            let removed = await remote.run(["notices", "remove", notice.id])
            #expect(removed.status == 0)
            #expect(remote.recorder.requests.last?.method == "DELETE")
            #expect(try remote.bed.inspect { try $0.notices.all().contains { $0.id == notice.id } } == false)

            // The audit log, as the maintainer, names the token that did it.
            let audit = await remote.run(["audit", "--limit", "10"], token: remote.maintainerTokenFile)
            #expect(audit.status == 0, "\(audit.err)")
            #expect(audit.out.contains("accueil  notice.create"))
            #expect(audit.out.contains("accueil  notice.delete"))
            #expect(remote.recorder.requests.last?.target == "/api/v1/audit?limit=10")
        }
    }

    @Test func remoteOnlyOptionsNeedURL() async throws {
        var output = ControlOutput.captured
        let status = await ControlCommand.main(arguments: ["notices", "list", "--title", "x", "--config", "/nonexistent"], output: &output)
        #expect(status == 2)
        #expect(output.standardError.contains("--title needs --url"))
    }

    // MARK: maintainer endpoints

    @Test func residentsPresenceAttendanceHealthScreen() async throws {
        try await withRemote { remote in
            let csv = try remote.file("residents.csv", "name,kind,sector,location\nDistorsion,association,Arts numériques,Bât. A\n360 secondes,entreprise,Audiovisuel,Bât. A\n")
            let imported = await remote.run(["residents", "import", csv], token: remote.maintainerTokenFile)
            #expect(imported.status == 0, "\(imported.err)")
            #expect(imported.out.contains("2 added"))
            #expect(remote.recorder.requests.last?.contentType == "text/csv")
            #expect(try remote.bed.inspect { try $0.residents.all().count } == 2)
            let list = await remote.run(["residents", "list"], token: remote.maintainerTokenFile)
            #expect(list.out.contains("Distorsion — association"))

            let bad = try remote.file("bad.csv", "name,kind\nNouveau,entreprise\nMauvais,pirate\n")
            let refused = await remote.run(["residents", "import", bad, "--replace"], token: remote.maintainerTokenFile)
            #expect(refused.status == 1)
            #expect(refused.out.contains("line 3: error:"))
            #expect(remote.recorder.requests.last?.target == "/api/v1/residents?replace=1")

            let presence = await remote.run(["presence"], token: remote.maintainerTokenFile)
            #expect(presence.status == 0, "\(presence.err)")
            #expect(presence.out.contains("0 in the building"))
            let attendance = await remote.run(["attendance", "--from", "2026-11-01", "--to", "2026-11-24", "--format", "json"], token: remote.maintainerTokenFile)
            #expect(attendance.status == 0, "\(attendance.err)")
            #expect(remote.recorder.requests.last?.target == "/api/v1/attendance?from=2026-11-01&to=2026-11-24&by=day")
            #expect((try JSONSerialization.jsonObject(with: Data(attendance.out.utf8)) as? [String: Any])?["rows"] != nil)

            // /healthz needs no token.
            var output = ControlOutput.captured
            let health = await ControlCommand.main(arguments: ["health", "--url", remote.url], output: &output)
            #expect(health == 0, "\(output.standardError)")
            #expect(output.standardOutput.contains("status:    ok"))
            #expect(remote.recorder.requests.last?.authorization == nil)

            let screen = await remote.run(["screen"])
            #expect(screen.status == 0, "\(screen.err)")
            #expect(screen.out.contains(remote.bed.config.venue.name))
            #expect(!screen.out.contains("\u{1B}"))
        }
    }

    // MARK: tokens and errors

    @Test func tokenProblemsSayWhatToDo() async throws {
        try await withRemote { remote in
            let wrong = try remote.file("wrong.token", "kiosk_" + String(repeating: "00", count: 32))
            let unauthorised = await remote.run(["programme"], token: wrong)
            #expect(unauthorised.status == 1)
            #expect(unauthorised.err.contains("HTTP 401"))
            #expect(unauthorised.err.contains("hint:"))

            // A staff token on a maintainer endpoint.
            let forbidden = await remote.run(["presence"])
            #expect(forbidden.status == 1)
            #expect(forbidden.err.contains("HTTP 403"))
            #expect(forbidden.err.contains("maintainer token"))

            // A token file anyone may read is refused before anything is sent.
            let count = remote.recorder.requests.count
            let open = try remote.file("open.token", Bed.staffToken, mode: 0o644)
            let refused = await remote.run(["programme"], token: open)
            #expect(refused.status == 1)
            #expect(refused.err.contains("chmod 600"))
            #expect(remote.recorder.requests.count == count)

            // No server there.
            var output = ControlOutput.captured
            let down = await ControlCommand.main(arguments: ["programme", "--url", "http://127.0.0.1:1", "--token-file", remote.staffTokenFile], output: &output)
            #expect(down == 1)
            #expect(output.standardError.contains("cannot reach http://127.0.0.1:1"))
        }
    }
}
