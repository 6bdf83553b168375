import Foundation
import KioskCore
import KioskStore
import KioskSystem

/// kioskd's steady memory with pictures on screen against the same scenario without, two
/// daemons in the same run (`kiosk-bench picture-memory`): the memory scenario of
/// `DaemonBenchmark` (2,000 events, 500 residents, a 1920x1080x32 framebuffer in RAM), then
/// again with the venue's logo (PNG with alpha), three events of the afternoon with a
/// picture each (two JPEGs, one stored sideways with an EXIF orientation, and a PNG) and a
/// poster in its period (a portrait JPEG): the pictures of the picture goldens
/// (`Tests/KioskDaemonTests/Golden/pictures/`). Each daemon runs for a whole turn of the
/// rotating panel, so every featured event and the poster have been shown, then
/// `/proc/PID/status` is read. The picture cache's bytes are the daemon's own, from the
/// line it logs after each decode. Target (issue #16): at most 6 MB above the run without.
struct PictureMemoryBenchmark {
    var kioskd: String
    var assets: String
    var work: String
    /// Where the pictures are (the repository's goldens folder).
    var pictures = "Tests/KioskDaemonTests/Golden/pictures"
    var at = "2026-11-24T14:05:00+01:00"
    /// Seconds each daemon runs after the feed is stored: more than a turn of the panel.
    var seconds = 200
    var progress: (String) -> Void = { _ in }

    struct Run {
        var memory = ProcessReadings.Memory()
        var cacheBytes = 0
        var decodes = 0
        var warnings: [String] = []
    }

    struct Failure: Error, CustomStringConvertible { var description: String }

    func run() throws -> (without: Run, with: Run) {
        (try measure(pictures: false), try measure(pictures: true))
    }

    func measure(pictures withPictures: Bool) throws -> Run {
        let directory = work + (withPictures ? "/with-pictures" : "/without-pictures")
        try? FileManager.default.removeItem(atPath: directory)
        let state = BenchState(directory: directory, events: 2_000, residents: 500, badges: 0)
        try state.create()
        if withPictures { try addPictures(state) }
        progress("kioskd \(withPictures ? "with" : "without") pictures: start, ingest, \(seconds) s on screen")
        let environment = ["PATH": "/usr/bin:/bin", "HOME": directory, "TZ": "UTC", "KIOSK_ASSETS": assets, "KIOSK_DEBUG_MEMORY_FRAMEBUFFER": "1920x1080"]
        let daemon = try DaemonUnderTest(kioskd: kioskd, arguments: ["--config", state.configPath, "--state-dir", state.stateDirectory, "--at", at],
                                         environment: environment, workDirectory: directory)
        defer { daemon.stop() }
        guard try daemon.waitForReady(seconds: 60) != nil else { throw Failure(description: "no READY=1") }
        let stored = state.events + (withPictures ? 3 : 0)
        guard daemon.waitForLog("feed programme: \(stored) events stored", seconds: 120) != nil else {
            throw Failure(description: "the feed was not ingested:\n" + daemon.log.suffix(20).map(\.text).joined(separator: "\n"))
        }
        Thread.sleep(forTimeInterval: Double(seconds))
        var run = Run()
        run.memory = ProcessReadings(pid: daemon.pid).memory
        for line in daemon.log.map(\.text) {
            if line.contains("picture cache "), let range = line.range(of: "picture cache ") {
                run.decodes += 1
                run.cacheBytes = Int(line[range.upperBound...].prefix { $0.isNumber }) ?? run.cacheBytes
            }
            if line.contains("; shown without it") { run.warnings.append(line) }
        }
        return run
    }

    /// The logo in the configuration, three events of the day with an `IMAGE` (their
    /// pictures already in the store, as a previous pull would have left them: the URLs
    /// answer nothing here, and a failed fetch keeps the picture held), and a poster.
    func addPictures(_ state: BenchState) throws {
        let fm = FileManager.default
        let source = URL(fileURLWithPath: pictures)
        func bytes(_ name: String) throws -> [UInt8] { [UInt8](try Data(contentsOf: source.appendingPathComponent(name))) }
        let logo = state.directory + "/logo.png"
        try? fm.removeItem(atPath: logo)
        try fm.copyItem(atPath: source.appendingPathComponent("logo.png").path, toPath: logo)
        var config = try String(contentsOfFile: state.configPath, encoding: .utf8)
        config = config.replacingOccurrences(of: "[venue]\n", with: "[venue]\nlogo = \(logo)\n")
        try Data(config.utf8).write(to: URL(fileURLWithPath: state.configPath))

        let files = ["event-conference.jpg", "event-screening.jpg", "event-concert.png"]
        var events = ""
        for (i, file) in files.enumerated() {
            events += """
                BEGIN:VEVENT\r
                UID:bench-picture-\(i)@kiosk-bench\r
                DTSTAMP:20261101T000000Z\r
                DTSTART:20261124T\(15 + 2 * i)3000Z\r
                DTEND:20261124T\(16 + 2 * i)3000Z\r
                SUMMARY:Événement illustré n°\(i + 1)\r
                LOCATION:Auditorium\r
                IMAGE;VALUE=URI:http://127.0.0.1:9/pictures/\(file)\r

                """
            events += "END:VEVENT\r\n"
        }
        var calendar = try String(contentsOfFile: state.calendarPath, encoding: .utf8)
        guard let end = calendar.range(of: "END:VCALENDAR", options: .backwards) else { throw Failure(description: "no END:VCALENDAR in the bench calendar") }
        calendar.replaceSubrange(end.lowerBound..<end.lowerBound, with: events)
        try Data(calendar.utf8).write(to: URL(fileURLWithPath: state.calendarPath))

        let store = try StateStore(stateDirectory: state.stateDirectory, timeZone: IANATimeZone(identifier: "Europe/Paris")!)
        let pictureFiles = PictureFileStore(stateDirectory: state.stateDirectory)
        let now = Date()
        for file in files {
            try store.eventPictures.save(EventPictureRecord(url: "http://127.0.0.1:9/pictures/\(file)", picture: try pictureFiles.store(try bytes(file)),
                                                            etag: nil, lastModified: nil, checked: now, error: nil))
        }
        try store.posters.create(Poster(id: "festival", title: "Festival des arts numériques", from: CivilDate(year: 2026, month: 11, day: 20),
                                        to: CivilDate(year: 2026, month: 11, day: 29), picture: try pictureFiles.store(try bytes("poster-festival.jpg")), posted: now),
                                 createdBy: "kiosk-bench")
    }
}
