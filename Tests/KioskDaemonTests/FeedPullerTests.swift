import Foundation
import Testing
import KioskCore
import KioskStore
@testable import KioskDaemon

/// The pull loop against a real HTTP server on 127.0.0.1: every failure keeps the last
/// good programme in the store and on the screen.
@Suite(.serialized) struct FeedPullerTests {
    static let calendar = Data("""
    BEGIN:VCALENDAR\r
    VERSION:2.0\r
    PRODID:-//test//EN\r
    BEGIN:VEVENT\r
    UID:serigraphie@test\r
    DTSTART;TZID=Europe/Paris:20261124T180000\r
    DTEND;TZID=Europe/Paris:20261124T200000\r
    SUMMARY:Atelier sérigraphie\r
    LOCATION:Atelier 5\r
    END:VEVENT\r
    BEGIN:VEVENT\r
    UID:concert@test\r
    DTSTART;TZID=Europe/Paris:20261126T200000\r
    DTEND;TZID=Europe/Paris:20261126T220000\r
    SUMMARY:Concert\r
    STATUS:CANCELLED\r
    END:VEVENT\r
    END:VCALENDAR\r

    """.utf8)

    struct Rig {
        let directory: URL
        let store: StateStore
        let display: MemoryDisplay
        let lobby: Lobby
        let feed: KioskConfig.Feed
        let puller: FeedPuller
        let clock: FixedClock
    }

    func makeRig(url: String, timeout: TimeInterval = 2, maxBytes: Int = 1 << 20, format: FeedFormat = .ics, key: String? = nil,
                 logger: JournalLogger = JournalLogger(level: .error, underSystemd: false, sink: { _ in })) async throws -> Rig {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("kiosk-pull-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        var config = KioskConfig()
        config.path = dir.appendingPathComponent("kiosk.conf").path
        var feed = KioskConfig.Feed(name: "programme", url: url, format: format, line: 1)
        feed.key = key
        feed.timeout = timeout
        feed.maxBytes = maxBytes
        config.feeds = [feed]
        let clock = FixedClock(ISO8601.parse("2026-11-24T10:00:00Z")!)
        let store = try StateStore(stateDirectory: dir.path, timeZone: config.venue.timeZone)
        let display = MemoryDisplay(columns: 120, rows: 40)
        let lobby = Lobby(clock: clock, config: config, store: store, display: display, logger: logger)
        try await lobby.start()
        var puller = try FeedPuller(feed: feed, configPath: config.path, config: config, lobby: lobby, logger: logger)
        // Each fetch runs in the real helper: the kioskd built beside this test bundle.
        puller.helper = FeedHelperTests.helper
        // A second connection to check what is durably stored.
        let check = try StateStore(stateDirectory: dir.path, timeZone: config.venue.timeZone)
        return Rig(directory: dir, store: check, display: display, lobby: lobby, feed: feed, puller: puller, clock: clock)
    }

    func screenText(_ rig: Rig) async -> String {
        let model = await rig.lobby.currentModel()
        return model.runs.map(\.text).joined(separator: "\n")
    }

    @Test func everyFailureKeepsTheLastGoodProgramme() async throws {
        let server = try ScriptedHTTPServer { request in
            if request.headers["if-none-match"] == "\"v1\"" { return .init(status: 304) }
            return .init(status: 200, headers: ["ETag": "\"v1\"", "Content-Type": "text/calendar"], body: Self.calendar)
        }
        defer { server.stop() }
        let rig = try await makeRig(url: server.baseURL.appendingPathComponent("agenda.ics").absoluteString, timeout: 1, maxBytes: 20 << 20)
        defer { try? FileManager.default.removeItem(at: rig.directory) }

        // 200 with an ETag: stored and shown.
        #expect(await rig.puller.pullOnce())
        #expect(try rig.store.programme.allEvents().count == 2)
        #expect(await screenText(rig).contains("Atelier sérigraphie"))
        let first = try #require(try rig.store.programme.sourceStatus(id: "programme"))
        #expect(first.etag == "\"v1\"")
        #expect(first.lastError == nil)

        // Conditional GET: 304.
        #expect(await rig.puller.pullOnce())
        #expect(server.requests.last?.headers["if-none-match"] == "\"v1\"")
        #expect(try rig.store.programme.allEvents().count == 2)

        func expectKept(_ what: String, kind fragment: String) async throws {
            #expect(await rig.puller.pullOnce() == false, "\(what) should fail")
            #expect(try rig.store.programme.allEvents().count == 2, "\(what): events lost")
            let status = try #require(try rig.store.programme.sourceStatus(id: "programme"))
            #expect(status.lastError?.contains(fragment) == true, "\(what): \(status.lastError ?? "no error")")
            #expect(status.etag == "\"v1\"", "\(what): validators changed")
            #expect(await screenText(rig).contains("Atelier sérigraphie"), "\(what): not on screen any more")
        }

        server.setScript { _ in .init(status: 500, body: Data("boom".utf8)) }
        try await expectKept("HTTP 500", kind: "HTTP 500")

        server.setScript { _ in .init(status: 200, body: Self.calendar, behaviour: .delay(3)) }
        try await expectKept("slow server", kind: "timeout")

        server.setScript { _ in .init(status: 200, body: Self.calendar, behaviour: .truncate(120)) }
        try await expectKept("truncated body", kind: "cut short")

        let huge = Data(repeating: UInt8(ascii: "A"), count: 50 << 20)
        server.setScript { _ in .init(status: 200, body: huge) }
        try await expectKept("50 MB body", kind: "limit")

        server.setScript { _ in .init(status: 200, headers: ["Content-Type": "text/html"], body: Data("<html><body>Maintenance</body></html>".utf8)) }
        try await expectKept("not a calendar", kind: "iCalendar line 1")

        // A calendar cut at a line boundary (no END:VCALENDAR) is rejected whole too.
        let cut = Self.calendar.prefix(Self.calendar.count / 2)
        server.setScript { _ in .init(status: 200, body: Data(cut)) }
        try await expectKept("calendar cut short", kind: "iCalendar line")

        // And a new valid programme replaces the old one in one go.
        let updated = String(decoding: Self.calendar, as: UTF8.self).replacingOccurrences(of: "Atelier sérigraphie", with: "Atelier gravure")
        server.setScript { _ in .init(status: 200, headers: ["ETag": "\"v2\""], body: Data(updated.utf8)) }
        #expect(await rig.puller.pullOnce())
        #expect(try rig.store.programme.allEvents().map(\.event.title).sorted() == ["Atelier gravure", "Concert"])
        #expect(await screenText(rig).contains("Atelier gravure"))
        #expect(try rig.store.programme.sourceStatus(id: "programme")?.lastError == nil)
    }

    /// A calendar with broken lines is salvaged: the other events are stored, the warnings
    /// (with their lines) are kept with the source; a truncated copy then keeps it all.
    @Test func aSalvagedFeedIsStoredWithItsWarnings() async throws {
        let fixture = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
            .appendingPathComponent("Fixtures/feeds/exporters/thunderbird.ics")
        let body = try Data(contentsOf: fixture)
        let server = try ScriptedHTTPServer { _ in .init(status: 200, headers: ["Content-Type": "text/calendar"], body: body) }
        defer { server.stop() }
        let rig = try await makeRig(url: server.baseURL.absoluteString + "/thunderbird.ics")
        defer { try? FileManager.default.removeItem(at: rig.directory) }
        #expect(await rig.puller.pullOnce())
        let stored = try rig.store.programme.events(ofSource: "programme").map(\.uid)
        #expect(Set(stored) == ["ciné-club@ecran-total.example", "marathon@ecran-total.example", "club-lecture@ecran-total.example"])
        let status = try #require(try rig.store.programme.sourceStatus(id: "programme"))
        #expect(status.lastError == nil && status.eventsRead == 8 && status.warningCount == 5)
        #expect(status.warnings.map(\.line) == [89, 97, 106, 34, 70])
        #expect(status.warnings[1].message == "event a-definir@ecran-total.example: dropped: DTSTART value 'à définir' is not a DATE or DATE-TIME")

        server.setScript { _ in .init(status: 200, body: body.prefix(body.count - 20)) }
        #expect(await rig.puller.pullOnce() == false)
        #expect(try rig.store.programme.events(ofSource: "programme").count == stored.count)
        #expect(try rig.store.programme.sourceStatus(id: "programme")?.lastError?.contains("never closed (truncated calendar?)") == true)
    }

    /// An OpenAgenda v2 listing in two pages, as the API answers a plain listing (only
    /// firstTiming/lastTiming) and as it answers when asked for the timings.
    static func openAgendaPage(_ page: Int, timings: Bool, removeConcert: Bool = false) -> Data {
        func event(_ uid: Int, _ title: String, _ times: [(String, String)], extra: String = "") -> String {
            let slots = times.map { #"{"begin":"\#($0.0)","end":"\#($0.1)"}"# }
            let when = timings
                ? #""timings":[\#(slots.joined(separator: ","))]"#
                : #""firstTiming":\#(slots.first!),"lastTiming":\#(slots.last!)"#
            return #"{"uid":\#(uid),"title":"\#(title)","location":{"name":"Salle Lumière","timezone":"Europe/Paris"},\#(when)\#(extra)}"#
        }
        let atelier = event(101, "Atelier stop motion", [("2026-11-24T14:00:00+0100", "2026-11-24T16:00:00+0100"), ("2026-11-25T14:00:00+0100", "2026-11-25T16:00:00+0100"), ("2026-11-26T14:00:00.000+01:00", "2026-11-26T16:00:00.000+01:00")], extra: #","status":1,"image":{"base":"https://cdn.openagenda.com/main/","filename":"abc.jpg","variants":[{"filename":"abc.full.jpg","type":"full"}]}"#)
        let live = event(102, "Conférence en ligne", [("2026-11-24T18:00:00+01:00", "2026-11-24T19:30:00+01:00")], extra: #","status":3,"attendanceMode":2"#)
        let concert = removeConcert ? #"{"uid":103,"updatedAt":"2026-11-24T09:00:00.000Z","removed":true}"#
            : event(103, "Concert", [("2026-11-25T20:00:00+01:00", "2026-11-25T22:00:00+01:00")], extra: #","status":6"#)
        let text = page == 1
            ? #"{"total":3,"events":[\#(atelier),\#(live)],"after":[1795388400000,102]}"#
            : #"{"total":3,"events":[\#(concert)],"after":null}"#
        return Data(text.utf8)
    }

    /// The puller asks OpenAgenda for the fields it needs, in the configured language, 300 a
    /// page, with the key header, follows `after[]`; it reads a listing without `timings`
    /// (with a warning), every timing when they are there, status 1-6 and attendance mode,
    /// and an event removed upstream disappears on the next pull.
    @Test func openAgendaAsItAnswers() async throws {
        let state = ScriptedState()
        let server = try ScriptedHTTPServer { request in
            let page = request.path.contains("after%5B%5D=") || request.path.contains("after[]=") ? 2 : 1
            return .init(status: 200, headers: ["Content-Type": "application/json"], body: Self.openAgendaPage(page, timings: state.timings, removeConcert: state.removed))
        }
        defer { server.stop() }
        let rig = try await makeRig(url: server.baseURL.absoluteString + "/v2/agendas/12345/events?relative%5B%5D=upcoming", format: .openagenda, key: "public-key-123")
        defer { try? FileManager.default.removeItem(at: rig.directory) }

        #expect(await rig.puller.pullOnce())
        let requests = server.requests
        #expect(requests.count == 2)
        let first = try #require(URLComponents(string: "http://x" + requests[0].path)?.queryItems)
        #expect(first.filter { $0.name == "includeFields[]" }.compactMap(\.value).contains("timings"))
        #expect(Set(first.filter { $0.name == "includeFields[]" }.compactMap(\.value)).isSuperset(of: ["status", "attendanceMode", "location", "keywords", "image", "accessibility", "firstTiming", "lastTiming"]))
        #expect(first.contains { $0.name == "monolingual" && $0.value == "fr" })
        #expect(first.contains { $0.name == "size" && $0.value == "300" })
        #expect(first.contains { $0.name == "relative[]" && $0.value == "upcoming" })
        #expect(requests.allSatisfy { $0.headers["key"] == "public-key-123" })
        let second = try #require(URLComponents(string: "http://x" + requests[1].path)?.queryItems)
        #expect(second.filter { $0.name == "after[]" }.compactMap(\.value) == ["1795388400000", "102"])

        // Without timings: firstTiming and lastTiming, and a warning saying so.
        let plain = try rig.store.programme.events(ofSource: "programme")
        #expect(plain.filter { $0.uid == "101" }.map { $0.start } == [.instant(ISO8601.parse("2026-11-24T13:00:00Z")!), .instant(ISO8601.parse("2026-11-26T13:00:00Z")!)])
        let status = try #require(try rig.store.programme.sourceStatus(id: "programme"))
        #expect(status.warnings.first?.message.contains("3 events without timings (101, 102, 103)") == true)
        #expect(status.warnings.first?.message.contains("includeFields[]=timings") == true)

        // With timings: every one of them, no warning.
        state.timings = true
        #expect(await rig.puller.pullOnce())
        let full = try rig.store.programme.events(ofSource: "programme")
        #expect(full.filter { $0.uid == "101" }.count == 3)
        #expect(try rig.store.programme.sourceStatus(id: "programme")?.warningCount == 0)
        let atelier = try #require(full.first { $0.uid == "101" })
        #expect(atelier.imageURL == "https://cdn.openagenda.com/main/abc.full.jpg")
        let live = try #require(full.first { $0.uid == "102" })
        #expect(live.status == .movedOnline && live.room == "En ligne")
        #expect(full.first { $0.uid == "103" }?.status == .cancelled)
        let screen = await screenText(rig)
        #expect(screen.contains("Conférence en ligne"))
        #expect(screen.contains("En ligne"))

        // Removed upstream: gone on the next pull.
        state.removed = true
        #expect(await rig.puller.pullOnce())
        #expect(try rig.store.programme.events(ofSource: "programme").contains { $0.uid == "103" } == false)
        #expect(try rig.store.programme.events(ofSource: "programme").filter { $0.uid == "101" }.count == 3)
    }

    @Test func offlineLineAfterEveryFeedFailedLongEnough() async throws {
        let server = try ScriptedHTTPServer { _ in .init(status: 200, headers: ["ETag": "\"v1\""], body: Self.calendar) }
        defer { server.stop() }
        let rig = try await makeRig(url: server.baseURL.absoluteString + "/agenda.ics")
        defer { try? FileManager.default.removeItem(at: rig.directory) }
        #expect(await rig.puller.pullOnce())
        #expect(await screenText(rig).contains("Programme mis à jour à 11:00"))
        server.setScript { _ in .init(status: 503) }
        rig.clock.advance(by: 4 * 3600)
        #expect(await rig.puller.pullOnce() == false)
        #expect(await screenText(rig).contains("Hors ligne depuis 4 h"))
    }

    @Test func localFilesAreReadAndUnchangedFilesSkipped() async throws {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("kiosk-file-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: dir) }
        let file = dir.appendingPathComponent("programme.ics")
        try Self.calendar.write(to: file)
        let rig = try await makeRig(url: file.path)
        defer { try? FileManager.default.removeItem(at: rig.directory) }
        #expect(await rig.puller.pullOnce())
        let before = try #require(try rig.store.programme.sourceStatus(id: "programme"))
        #expect(await rig.puller.pullOnce())
        #expect(try rig.store.programme.sourceStatus(id: "programme")?.etag == before.etag)
        #expect(try rig.store.programme.allEvents().count == 2)
    }

    @Test func backoffGrowsWithJitterAndStaysUnderTheRefresh() {
        let backoff = FeedBackoff(base: 30, cap: 900)
        #expect(backoff.delay(afterFailures: 0, unit: 0.3) == 900)
        #expect(backoff.delay(afterFailures: 1, unit: 0) == 15)
        #expect(backoff.delay(afterFailures: 1, unit: 1) == 30)
        #expect(backoff.delay(afterFailures: 3, unit: 0.5) == 90)
        #expect(backoff.delay(afterFailures: 10, unit: 1) == 900)
        #expect(backoff.delay(afterFailures: 10, unit: 0) == 450)
    }

    @Test func openAgendaCursorAndMerge() throws {
        let url = OpenAgendaPaging.url(URL(string: "https://api.openagenda.com/v2/agendas/1/events?relative[]=upcoming")!, after: ["1700000000000", "42"])
        let query = URLComponents(url: url, resolvingAgainstBaseURL: false)!.queryItems!
        #expect(query.filter { $0.name == "after[]" }.map(\.value) == ["1700000000000", "42"])
        #expect(query.contains { $0.name == "size" && $0.value == "300" })
        let page1 = Data(#"{"total":3,"events":[{"uid":1},{"uid":2}],"after":[1700000000000,42]}"#.utf8)
        let page2 = Data(#"{"total":3,"events":[{"uid":3}],"after":null}"#.utf8)
        #expect(try OpenAgendaPaging.nextCursor(in: page1) == ["1700000000000", "42"])
        #expect(try OpenAgendaPaging.nextCursor(in: page2) == nil)
        let merged = try JSONSerialization.jsonObject(with: OpenAgendaPaging.merge([page1, page2])) as! [String: Any]
        #expect((merged["events"] as! [Any]).count == 3)
    }
}

/// What a scripted server answers, changed by the test while the server runs.
final class ScriptedState: @unchecked Sendable {
    // @unchecked: both fields are guarded by `lock`.
    private let lock = NSLock()
    private var _timings = false, _removed = false
    var timings: Bool {
        get { lock.withLock { _timings } }
        set { lock.withLock { _timings = newValue } }
    }
    var removed: Bool {
        get { lock.withLock { _removed } }
        set { lock.withLock { _removed = newValue } }
    }
}
