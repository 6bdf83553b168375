import Foundation
import Testing
import KioskCore
import KioskStore
import KioskSystem
@testable import KioskDaemon

/// The staff API through `HTTPServer` on real 127.0.0.1 sockets (a free port): every
/// endpoint once, the authentication failures, and 50 clients pushing programmes at once
/// while the lobby keeps redrawing.
@Suite struct APISocketTests {
    typealias Bed = APITestBed
    static let staff = Bed.staffToken
    static let maintainer = Bed.maintainerToken

    /// Runs `body` with the bed's router behind a started server.
    func withServer(_ bed: Bed, maxConnections: Int = 64, _ body: (UInt16) async throws -> Void) async throws {
        let limits = HTTPServer.Limits(maxConnections: maxConnections, maxBodyBytes: 1 << 20, requestTimeout: .seconds(20), idleTimeout: .seconds(20))
        let server = HTTPServer(address: .loopback(port: 0), limits: limits, handler: bed.router, logger: bed.log.logger)
        try server.start()
        do { try await body(server.boundAddress!.port) } catch {
            await server.stop()
            throw error
        }
        await server.stop()
    }

    /// One request on a new connection; the response.
    func call(
        _ port: UInt16, _ method: String, _ target: String, token: String? = nil, body: String? = nil, contentType: String? = nil,
        extra: [String] = []
    ) async throws -> HTTPTestClient.Response {
        var head = ["\(method) \(target) HTTP/1.1", "Host: 127.0.0.1", "Connection: close"]
        if let token { head.append("Authorization: Bearer \(token)") }
        if let contentType { head.append("Content-Type: \(contentType)") }
        if let body { head.append("Content-Length: \(body.utf8.count)") }
        head += extra
        let client = try await HTTPTestClient.connect(port: port, sending: Array((head.joined(separator: "\r\n") + "\r\n\r\n" + (body ?? "")).utf8))
        defer { client.close() }
        return try await client.readResponse(head: method == "HEAD", timeout: 30)
    }

    func json(_ r: HTTPTestClient.Response) -> [String: Any] {
        (try? JSONSerialization.jsonObject(with: Data(r.body))) as? [String: Any] ?? [:]
    }

    @Test func everyEndpointOnceThroughTheSocket() async throws {
        let bed = try await Bed()
        try bed.inspect { store in
            let person = try store.checkIns.addPerson(firstName: "Camille", role: .member, at: Bed.start.addingTimeInterval(-600))
            try store.checkIns.enrol(tag: "0A0B0C0D0E", personID: person.id, at: Bed.start.addingTimeInterval(-600))
            _ = try store.checkIns.recordScan(tag: "0A0B0C0D0E", at: Bed.start.addingTimeInterval(-300), runningOccurrences: [], settings: CheckInSettings())
        }
        try await withServer(bed) { port in
            // Public.
            let health = try await call(port, "GET", "/healthz")
            #expect(health.status == 200)
            #expect(json(health)["status"] as? String == "ok")
            #expect(try await call(port, "HEAD", "/healthz").status == 200)

            // Programme.
            let push = try await call(port, "PUT", "/api/v1/programme/soiree", token: Self.staff, body: ProgrammeSamples.soiree, contentType: "text/calendar")
            #expect(push.status == 200, "\(push.bodyText)")
            #expect(json(push)["eventsRead"] as? Int == 2)
            let broken = try await call(port, "PUT", "/api/v1/programme/soiree", token: Self.staff, body: ProgrammeSamples.broken, contentType: "text/calendar")
            #expect(broken.status == 422)
            #expect(((json(broken)["errors"] as? [[String: Any]])?.first?["line"] as? Int) == 15)
            let sources = try await call(port, "GET", "/api/v1/programme", token: Self.staff)
            #expect((json(sources)["sources"] as? [[String: Any]])?.first?["events"] as? Int == 2)

            // Feeds, with their validators.
            for path in ["/feeds/programme.ics", "/feeds/programme.json"] {
                let first = try await call(port, "GET", path)
                #expect(first.status == 200)
                #expect(first.header("Cache-Control") == "public, max-age=300")
                let etag = try #require(first.header("ETag"))
                let again = try await call(port, "GET", path, extra: ["If-None-Match: \(etag)"])
                #expect(again.status == 304)
                #expect(again.body.isEmpty)
                let head = try await call(port, "HEAD", path)
                #expect(head.status == 200)
                #expect(head.header("ETag") == etag)
                #expect(head.header("Content-Length") == String(first.body.count))
            }
            #expect(String(decoding: try await call(port, "GET", "/feeds/programme.ics").body, as: UTF8.self).contains("SUMMARY:Blind test musical"))

            // Notices.
            let created = try await call(port, "POST", "/api/v1/notices", token: Self.staff, body: #"{"title": "Atelier annulé", "urgent": true}"#, contentType: "application/json")
            #expect(created.status == 201, "\(created.bodyText)")
            let id = try #require(json(created)["id"] as? String)
            #expect(created.header("Location") == "/api/v1/notices/\(id)")
            #expect(try await call(port, "GET", "/api/v1/notices", token: Self.staff).status == 200)
            #expect(json(try await call(port, "GET", "/api/v1/notices/\(id)", token: Self.staff))["title"] as? String == "Atelier annulé")
            let replaced = try await call(port, "PUT", "/api/v1/notices/\(id)", token: Self.staff, body: #"{"title": "Atelier reporté"}"#, contentType: "application/json")
            #expect(json(replaced)["title"] as? String == "Atelier reporté")
            #expect(try await call(port, "DELETE", "/api/v1/notices/\(id)", token: Self.staff).status == 204)
            #expect(try await call(port, "GET", "/api/v1/notices/\(id)", token: Self.staff).status == 404)

            // Screen.
            let screen = try await call(port, "GET", "/api/v1/screen", token: Self.staff)
            #expect(screen.status == 200)
            #expect(screen.bodyText.contains("Le Mixeur"))
            #expect(json(try await call(port, "GET", "/api/v1/screen?format=json", token: Self.staff))["columns"] as? Int == 120)

            // Maintainer.
            let imported = try await call(port, "POST", "/api/v1/residents", token: Self.maintainer, body: "name,kind\nDistorsion,association\n", contentType: "text/csv")
            #expect(imported.status == 200)
            #expect(json(imported)["added"] as? Int == 1)
            #expect((json(try await call(port, "GET", "/api/v1/residents", token: Self.maintainer))["residents"] as? [Any])?.count == 1)
            #expect((json(try await call(port, "GET", "/api/v1/presence", token: Self.maintainer))["present"] as? [Any])?.count == 1)
            #expect((json(try await call(port, "GET", "/api/v1/attendance?by=day", token: Self.maintainer))["rows"] as? [Any])?.count == 1)
            let audit = json(try await call(port, "GET", "/api/v1/audit", token: Self.maintainer))["entries"] as? [[String: Any]] ?? []
            #expect(audit.compactMap { $0["action"] as? String }.prefix(5) == ["residents.import", "notice.delete", "notice.update", "notice.create", "programme.push"])

            // Removing the programme.
            #expect(try await call(port, "DELETE", "/api/v1/programme/soiree", token: Self.staff).status == 204)
            #expect(try await call(port, "DELETE", "/api/v1/programme/soiree", token: Self.staff).status == 404)

            // Errors through the socket.
            let missing = try await call(port, "GET", "/api/v1/notices")
            #expect(missing.status == 401)
            #expect(missing.header("WWW-Authenticate") == "Bearer realm=\"kiosk\"")
            #expect(missing.errorStatus == 401)
            #expect(try await call(port, "GET", "/api/v1/notices", token: "kiosk_nope").status == 401)
            let forbidden = try await call(port, "GET", "/api/v1/presence", token: Self.staff)
            #expect(forbidden.status == 403)
            #expect(forbidden.errorStatus == 403)
            let notAllowed = try await call(port, "DELETE", "/healthz")
            #expect(notAllowed.status == 405)
            #expect(notAllowed.header("Allow") == "GET, HEAD")
            #expect(try await call(port, "GET", "/nowhere").errorStatus == 404)
            #expect(try await call(port, "PUT", "/api/v1/programme/x", token: Self.staff, body: "x", contentType: "image/png").status == 415)
        }
    }

    /// 50 clients push whole programmes to the same source at once while the lobby
    /// redraws a changing clock: every push is answered, the source ends up holding one
    /// of the pushed programmes whole, and frames kept coming while pushes were pending.
    @Test func fiftyConcurrentPushesWhileTheDisplayRedraws() async throws {
        let bed = try await Bed()
        let clients = 50, eventsEach = 3
        func programme(_ client: Int) -> String {
            ProgrammeSamples.calendar((0..<eventsEach).map { k in
                ("c\(client)-e\(k)@test", "Client \(client) événement \(k)", "20261124T1\(7 + k)0000Z", "20261124T1\(7 + k)3000Z")
            })
        }
        let pending = APICounter(clients)
        let framesWhilePending = APICounter(0)
        try await withServer(bed, maxConnections: 64) { port in
            let redrawing = Task {
                var loops = 0
                while !Task.isCancelled {
                    bed.clock.advance(by: 60)  // a new minute: the clock on screen changes
                    let before = bed.display.frames
                    try? await bed.lobby.redraw()
                    if bed.display.frames > before, pending.value > 0 { framesWhilePending.add(1) }
                    loops += 1
                    await Task.yield()
                }
                return loops
            }
            let statuses = try await withThrowingTaskGroup(of: (Int, Int, Bool).self) { group in
                for client in 0..<clients {
                    group.addTask {
                        defer { pending.add(-1) }
                        let response = try await call(
                            port, "PUT", "/api/v1/programme/main", token: Self.staff, body: programme(client), contentType: "text/calendar")
                        let applied = (try? JSONSerialization.jsonObject(with: Data(response.body)) as? [String: Any])?["applied"] as? Bool ?? false
                        return (client, response.status, applied)
                    }
                }
                var all: [(Int, Int, Bool)] = []
                for try await result in group { all.append(result) }
                return all
            }
            redrawing.cancel()
            let loops = await redrawing.value
            #expect(statuses.count == clients)
            #expect(statuses.allSatisfy { $0.1 == 200 && $0.2 }, "\(statuses.filter { $0.1 != 200 })")
            #expect(loops > 0)
        }
        // One programme, whole.
        let titles = try bed.inspect { try $0.programme.events(ofSource: "push:main").map(\.title) }
        #expect(titles.count == eventsEach)
        let owners = Set(titles.compactMap { $0.split(separator: " ").dropFirst().first.flatMap { Int($0) } })
        #expect(owners.count == 1)
        if let owner = owners.first {
            #expect(titles.sorted() == (0..<eventsEach).map { "Client \(owner) événement \($0)" })
        }
        #expect(try bed.inspect { try $0.programme.sourceStatus(id: "push:main")?.eventCount } == eventsEach)
        let audit = try bed.inspect { try $0.audit.entries(limit: 1000) }
        #expect(audit.filter { $0.action == "programme.push" }.count == clients)
        // The screen was redrawn while pushes were waiting or being stored.
        #expect(framesWhilePending.value > 0)
        // And it shows the final programme (the lobby reloaded after the last write).
        try await bed.lobby.reloadFromStore()
        bed.clock.set(Bed.start)
        try await bed.lobby.redraw()
        #expect(bed.screenText.contains("Client \(owners.first ?? -1) événement"))
    }

    // MARK: The service kioskd starts

    @Test func serviceStartsOnAnExplicitAddressAndRefusesABusyOne() async throws {
        let bed = try await Bed()
        var config = bed.config
        config.http.listen = HTTPListenAddress(host: "127.0.0.1", port: 0)
        config.http.listenLine = 20
        config.path = "/etc/kiosk/kiosk.conf"
        let service = try #require(try StaffAPIService.start(config: config, stateDirectory: bed.directory, clock: bed.clock, lobby: bed.lobby, logger: bed.log.logger, bestEffort: false))
        let port = try #require(service.server.boundAddress?.port)
        #expect(bed.log.lines.contains { $0.contains("listening on 127.0.0.1:\(port)") })
        #expect(try await call(port, "GET", "/healthz").status == 200)
        // The staff pages are served by the same server.
        #expect(try await call(port, "GET", "/staff/").status == 200)

        // Another server on the same port: explicit address fails; the demo runs on without.
        config.http.listen = HTTPListenAddress(host: "127.0.0.1", port: port)
        #expect(throws: StaffAPIService.StartError.self) {
            _ = try StaffAPIService.start(config: config, stateDirectory: bed.directory, clock: bed.clock, lobby: bed.lobby, logger: bed.log.logger, bestEffort: false)
        }
        do {
            _ = try StaffAPIService.start(config: config, stateDirectory: bed.directory, clock: bed.clock, lobby: bed.lobby, logger: bed.log.logger, bestEffort: false)
        } catch {
            #expect("\(error)".hasPrefix("/etc/kiosk/kiosk.conf:20: cannot listen on 127.0.0.1:\(port)"), "\(error)")
        }
        let demo = try StaffAPIService.start(config: config, stateDirectory: bed.directory, clock: bed.clock, lobby: bed.lobby, logger: bed.log.logger, bestEffort: true)
        #expect(demo == nil)
        #expect(bed.log.lines.contains { $0.contains("cannot listen on 127.0.0.1:\(port)") && $0.contains("running without the API") })
        await service.stop()

        config.http.listen = nil
        #expect(try StaffAPIService.start(config: config, stateDirectory: bed.directory, clock: bed.clock, lobby: bed.lobby, logger: bed.log.logger, bestEffort: false) == nil)
    }
}

/// A thread-safe counter for the concurrency test.
final class APICounter: @unchecked Sendable {
    // @unchecked: `count` is guarded by `lock`.
    private let lock = NSLock()
    private var count: Int
    init(_ start: Int) { count = start }
    var value: Int { lock.withLock { count } }
    func add(_ n: Int) { lock.withLock { count += n } }
}
