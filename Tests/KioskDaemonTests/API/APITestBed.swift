import Foundation
import KioskCore
import KioskDisplay
import KioskStore
@testable import KioskDaemon

/// A staff API over a temporary state directory, as kioskd runs it: the lobby on a
/// `MemoryDisplay` with its own connection, the `StaffDesk` with another, and a third
/// connection for the test to look at what is stored.
final class APITestBed: @unchecked Sendable {
    // @unchecked: every stored property is immutable; the classes they point to are
    // Sendable or (the directory path) values.
    static let staffToken = "kiosk_" + String(repeating: "5a", count: 32)
    static let maintainerToken = "kiosk_" + String(repeating: "3c", count: 32)
    static let paris = IANATimeZone(identifier: "Europe/Paris")!
    /// Tuesday 24 November 2026, 15:05 in Paris.
    static let start = ISO8601.parse("2026-11-24T14:05:00Z")!

    let directory: String
    let clock: FixedClock
    let config: KioskConfig
    let display: MemoryDisplay
    let lobby: Lobby
    let desk: StaffDesk
    let router: APIRouter
    let tokens: APITokenTable
    let throttle: SignInThrottle
    /// The staff pages over the bed's desk and tokens (behind the router too when
    /// `staffPages` was not given).
    let pages: StaffPages
    let log = APILog()

    /// `throttle`: the limit on wrong tokens per address (by default loose enough for tests
    /// that try many wrong tokens on purpose).
    init(
        columns: Int = 120, rows: Int = 40, staffPages: (any HTTPHandler)? = nil,
        throttle: SignInThrottle = SignInThrottle(allowedFailures: 10_000), configure: (inout KioskConfig) -> Void = { _ in }
    ) async throws {
        directory = FileManager.default.temporaryDirectory.appendingPathComponent("kiosk-api-\(UUID().uuidString)").path
        clock = FixedClock(Self.start)
        var config = LobbyFixtures.config
        config.tokens = [
            KioskConfig.Token(name: "accueil", role: .staff, digest: APIToken(text: Self.staffToken).digest, line: 10),
            KioskConfig.Token(name: "regie", role: .maintainer, digest: APIToken(text: Self.maintainerToken).digest, line: 13),
        ]
        configure(&config)
        self.config = config
        let logger = log.logger
        let lobbyStore = try StateStore(stateDirectory: directory, timeZone: config.venue.timeZone)
        display = MemoryDisplay(columns: columns, rows: rows)
        lobby = Lobby(clock: clock, config: config, store: lobbyStore, display: display, logger: logger)
        try await lobby.start()
        desk = try StaffDesk(stateDirectory: directory, config: config, clock: clock, lobby: lobby, logger: logger)
        tokens = APITokenTable(config.tokens)
        self.throttle = throttle
        pages = StaffPages(desk: desk, tokens: tokens, throttle: throttle, screenImage: StaffScreenImage(assets: PixelAssets.locate(), reuseFor: 0))
        router = APIRouter(desk: desk, tokens: tokens, throttle: throttle, staffPages: staffPages ?? pages, logger: logger)
    }

    deinit { try? FileManager.default.removeItem(atPath: directory) }

    /// Runs `body` on a fresh connection of the test's own.
    func inspect<T>(_ body: (StateStore) throws -> T) throws -> T {
        try body(try StateStore(stateDirectory: directory, timeZone: config.venue.timeZone))
    }

    /// The request as the server would hand it to the router, and the answer the server
    /// would send (an `HTTPError` becomes its JSON response; anything else a 500).
    func send(
        _ method: HTTPMethod, _ target: String, token: String? = nil, body: [UInt8] = [], contentType: String? = nil,
        headers extra: HTTPHeaders = HTTPHeaders()
    ) async -> HTTPResponse {
        var headers: HTTPHeaders = ["Host": "kiosk.local"]
        if let token { headers.add("Authorization", "Bearer \(token)") }
        if let contentType { headers.add("Content-Type", contentType) }
        for field in extra { headers.append(field) }
        let request = HTTPRequest(method: method, target: target, headers: headers, body: body)
        do {
            return try await router.respond(to: request, from: HTTPPeer(address: "127.0.0.1:50000", isLoopback: true))
        } catch let error as HTTPError {
            return error.response()
        } catch {
            return HTTPError(.internalServerError, "\(error)").response()
        }
    }

    func send(_ method: HTTPMethod, _ target: String, token: String? = nil, text: String, contentType: String?) async -> HTTPResponse {
        await send(method, target, token: token, body: Array(text.utf8), contentType: contentType)
    }

    /// Every row of the programme tables and the audit count: what "nothing changed" compares.
    func programmeState() throws -> [[Row]] {
        try inspect { store in
            [
                try store.database.query("SELECT * FROM sources ORDER BY id"),
                try store.database.query("SELECT * FROM events ORDER BY id"),
                try store.database.query("SELECT count(*) FROM audit"),
            ]
        }
    }

    /// The lobby's last frame as text.
    var screenText: String {
        guard let model = display.lastModel else { return "" }
        return model.runs.map(\.text).joined(separator: "\n")
    }
}

/// Journal lines captured in memory.
final class APILog: @unchecked Sendable {
    // @unchecked: `lines` is guarded by `lock`.
    private let lock = NSLock()
    private var captured: [String] = []
    var lines: [String] { lock.withLock { captured } }
    var logger: JournalLogger {
        JournalLogger(level: .debug, underSystemd: false) { [weak self] line in
            self?.lock.withLock { self?.captured.append(line) }
        }
    }
}

/// Helpers for tests of the staff pages.
extension APITestBed {
    /// A signed-in browser (the staff token unless another is given).
    func signedIn(_ token: String = APITestBed.staffToken, peer: String = "192.168.1.20:50000") async throws -> PageClient {
        var client = PageClient(pages, peer: peer)
        _ = try await client.post("/staff/login", [("token", token)], csrf: "")
        guard client.cookie != nil else { throw PageClient.Failure(description: "sign-in failed: \(client.lastPage.prefix(300))") }
        _ = try await client.get("/staff/")
        return client
    }
}

extension HTTPResponse {
    var json: [String: Any] {
        (try? JSONSerialization.jsonObject(with: Data(body))) as? [String: Any] ?? [:]
    }
    var errorReason: String? { (json["error"] as? [String: Any])?["reason"] as? String }
    var text: String { String(decoding: body, as: UTF8.self) }
}

/// Programme files for the tests, with CRLF line ends as RFC 5545 wants.
enum ProgrammeSamples {
    static func calendar(_ events: [(uid: String, title: String, start: String, end: String)]) -> String {
        var lines = ["BEGIN:VCALENDAR", "VERSION:2.0", "PRODID:-//kiosk tests//FR"]
        for e in events {
            lines += ["BEGIN:VEVENT", "UID:\(e.uid)", "DTSTAMP:20261120T090000Z", "DTSTART:\(e.start)", "DTEND:\(e.end)", "SUMMARY:\(e.title)", "LOCATION:Cafétéria", "END:VEVENT"]
        }
        lines.append("END:VCALENDAR")
        return lines.joined(separator: "\r\n") + "\r\n"
    }

    /// Two events today in Paris (18:00 and 19:30 UTC+1).
    static let soiree = calendar([
        ("soiree-1@test", "Soirée jeux de société", "20261124T170000Z", "20261124T190000Z"),
        ("soiree-2@test", "Blind test musical", "20261124T183000Z", "20261124T203000Z"),
    ])

    /// One good event and one with an impossible date (DTSTART on line 15, DTEND on 16):
    /// salvaged, the bad event dropped with a warning.
    static let salvaged = calendar([
        ("ok@test", "Atelier correct", "20261124T170000Z", "20261124T190000Z"),
        ("bad@test", "Atelier cassé", "20261301T170000Z", "20261301T190000Z"),
    ])

    /// Two of its three events have impossible dates (the first DTSTART on line 15): more
    /// than half broken, refused whole.
    static let broken = calendar([
        ("ok@test", "Atelier correct", "20261124T170000Z", "20261124T190000Z"),
        ("bad@test", "Atelier cassé", "20261301T170000Z", "20261301T190000Z"),
        ("worse@test", "Atelier perdu", "20261232T170000Z", "20261232T190000Z"),
    ])
}
