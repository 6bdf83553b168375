import Foundation
import Synchronization
import Testing
import KioskCore
import KioskStore
@testable import KioskDisplay
@testable import KioskDaemon

/// Event pictures fetched by the feed puller from a real HTTP server on 127.0.0.1: the
/// events are kept whatever their pictures do.
@Suite(.serialized) struct EventPictureFetchTests {
    static func calendar(_ images: [String], base: URL) -> Data {
        var text = "BEGIN:VCALENDAR\r\nVERSION:2.0\r\nPRODID:-//test//EN\r\n"
        for (i, image) in images.enumerated() {
            text += "BEGIN:VEVENT\r\nUID:e\(i)@test\r\nDTSTART;TZID=Europe/Paris:20261124T1\(i)0000\r\n"
            text += "DTEND;TZID=Europe/Paris:20261124T1\(i)3000\r\nSUMMARY:Événement \(i)\r\n"
            text += "IMAGE;VALUE=URI:\(base.absoluteString)/\(image)\r\nEND:VEVENT\r\n"
        }
        return Data((text + "END:VCALENDAR\r\n").utf8)
    }

    static let png: [UInt8] = {
        var canvas = PixelCanvas(width: 30, height: 20, color: PixelColor(rgb: 0xAA3300))
        canvas.fill(PixelRect(x: 3, y: 3, width: 6, height: 6), .white)
        return PNGEncoder.encode(canvas)
    }()

    @Test func a404AHugeOrASlowPictureLeavesTheEventWithoutIt() async throws {
        let images = ["ok.png", "missing.png", "big.png", "slow.png", "text.png"]
        let huge = Data(repeating: 0x41, count: 50 << 20)
        let server = try ScriptedHTTPServer { _ in .init(status: 500) }
        defer { server.stop() }
        let base = server.baseURL
        server.setScript { request in
            switch request.path {
            case "/agenda.ics": return .init(status: 200, headers: ["Content-Type": "text/calendar"], body: Self.calendar(images, base: base))
            case "/ok.png":
                if request.headers["if-none-match"] == "\"p1\"" { return .init(status: 304) }
                return .init(status: 200, headers: ["ETag": "\"p1\"", "Content-Type": "image/png"], body: Data(Self.png))
            case "/big.png": return .init(status: 200, body: huge)
            case "/slow.png": return .init(status: 200, body: Data(Self.png), behaviour: .delay(3))
            case "/text.png": return .init(status: 200, body: Data("<html>not found</html>".utf8))
            default: return .init(status: 404)
            }
        }
        let rig = try await FeedPullerTests().makeRig(url: base.appendingPathComponent("agenda.ics").absoluteString, timeout: 1, maxBytes: 1 << 20)
        defer { try? FileManager.default.removeItem(at: rig.directory) }

        #expect(await rig.puller.pullOnce())
        #expect(try rig.store.programme.allEvents().count == 5, "every event kept")
        let files = PictureFileStore(stateDirectory: rig.directory.path)
        func record(_ name: String) throws -> EventPictureRecord? { try rig.store.eventPictures.get(url: base.absoluteString + "/" + name) }
        let ok = try #require(try record("ok.png"))
        #expect(ok.error == nil && ok.etag == "\"p1\"")
        #expect(try files.contents(of: try #require(ok.picture), maximumBytes: 1 << 20) == Self.png)
        for (name, reason) in [("missing.png", "404"), ("big.png", "limit"), ("slow.png", "timeout"), ("text.png", "not a PNG or JPEG")] {
            let r = try #require(try record(name), "\(name)")
            #expect(r.picture == nil && r.error?.contains(reason) == true, "\(name): \(r.error ?? "no error")")
        }
        #expect(try files.hashes() == [ok.picture!])

        // The next pull asks for the picture conditionally and keeps it.
        #expect(await rig.puller.pullOnce())
        #expect(server.requests.last { $0.path == "/ok.png" }?.headers["if-none-match"] == "\"p1\"")
        #expect(try record("ok.png")?.picture == ok.picture)

        // The event with the picture goes: its record and its file go too.
        server.setScript { request in
            request.path == "/agenda.ics"
                ? .init(status: 200, headers: ["Content-Type": "text/calendar"], body: Self.calendar(["missing.png"], base: base))
                : .init(status: 404)
        }
        #expect(await rig.puller.pullOnce())
        #expect(try rig.store.programme.allEvents().count == 1)
        #expect(try record("ok.png") == nil)
        #expect(try files.hashes() == [ok.picture!], "a file younger than an hour waits for a later collection")
        try files.age(ok.picture!)
        #expect(await rig.puller.pullOnce())
        #expect(try files.hashes().isEmpty)
    }

    @Test func aPictureWhoseFileWentIsFetchedAgainWithoutValidators() async throws {
        let server = try ScriptedHTTPServer { _ in .init(status: 500) }
        defer { server.stop() }
        let base = server.baseURL
        server.setScript { request in
            switch request.path {
            case "/agenda.ics": return .init(status: 200, headers: ["Content-Type": "text/calendar"], body: Self.calendar(["ok.png"], base: base))
            case "/ok.png":
                if request.headers["if-none-match"] == "\"p1\"" { return .init(status: 304) }
                return .init(status: 200, headers: ["ETag": "\"p1\"", "Content-Type": "image/png"], body: Data(Self.png))
            default: return .init(status: 404)
            }
        }
        let rig = try await FeedPullerTests().makeRig(url: base.appendingPathComponent("agenda.ics").absoluteString, timeout: 2)
        defer { try? FileManager.default.removeItem(at: rig.directory) }
        #expect(await rig.puller.pullOnce())
        let files = PictureFileStore(stateDirectory: rig.directory.path)
        let hash = try #require(try rig.store.eventPictures.get(url: base.absoluteString + "/ok.png")?.picture)
        #expect(files.holds(hash))
        // Another process's clean-up removed the file while its record stayed.
        try FileManager.default.removeItem(atPath: try #require(files.path(for: hash)))
        #expect(!files.holds(hash))

        #expect(await rig.puller.pullOnce())
        let asked = server.requests.filter { $0.path == "/ok.png" }
        #expect(asked.count == 2 && asked[1].headers["if-none-match"] == nil, "asked without validators the second time")
        #expect(try files.contents(of: hash, maximumBytes: 1 << 20) == Self.png, "the file is back")
    }

    @Test func theLogSaysWhetherAPictureFetchedBeforeStays() async throws {
        let images = ["kept.png", "never.png"]
        let server = try ScriptedHTTPServer { _ in .init(status: 500) }
        defer { server.stop() }
        let base = server.baseURL
        let keptAnswers = Mutex(true)
        server.setScript { request in
            switch request.path {
            case "/agenda.ics": return .init(status: 200, headers: ["Content-Type": "text/calendar"], body: Self.calendar(images, base: base))
            case "/kept.png": return keptAnswers.withLock { $0 } ? .init(status: 200, body: Data(Self.png)) : .init(status: 404)
            default: return .init(status: 404)
            }
        }
        let lines = Mutex<[String]>([])
        let logger = JournalLogger(level: .info, underSystemd: false, sink: { line in lines.withLock { $0.append(line) } })
        let rig = try await FeedPullerTests().makeRig(url: base.appendingPathComponent("agenda.ics").absoluteString, timeout: 2, logger: logger)
        defer { try? FileManager.default.removeItem(at: rig.directory) }

        #expect(await rig.puller.pullOnce())
        let held = try #require(try rig.store.eventPictures.get(url: base.absoluteString + "/kept.png")?.picture)
        keptAnswers.withLock { $0 = false }
        lines.withLock { $0.removeAll() }
        #expect(await rig.puller.pullOnce())
        #expect(try rig.store.eventPictures.get(url: base.absoluteString + "/kept.png")?.picture == held, "the copy fetched before is kept")
        let log = lines.withLock { $0 }
        let kept = log.filter { $0.contains("/kept.png") }, never = log.filter { $0.contains("/never.png") }
        #expect(kept.count == 1 && kept[0].contains("404") && kept[0].contains("the copy fetched before stays on screen") && !kept[0].contains("without it"), "\(log)")
        #expect(never.count == 1 && never[0].contains("the event is shown without it"), "\(log)")
    }
}
