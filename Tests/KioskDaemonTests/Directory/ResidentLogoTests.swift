import Foundation
import Synchronization
import Testing
import KioskCore
import KioskStore
@testable import KioskDisplay
@testable import KioskDaemon

/// Residents' logos from a venue's spreadsheet export: files beside it read and stored at
/// import, URLs fetched by the feed helper from a real HTTP server on 127.0.0.1. Whatever
/// a logo does, its resident stays in the directory.
@Suite(.serialized) struct ResidentLogoTests {
    static func png(_ rgb: UInt32, width: Int = 40, height: Int = 24) -> [UInt8] {
        var canvas = PixelCanvas(width: width, height: height, color: PixelColor(rgb: rgb))
        canvas.fill(PixelRect(x: 4, y: 4, width: 8, height: 8), .white)
        return PNGEncoder.encode(canvas)
    }

    /// A folder as a venue keeps it: `annuaire.csv` (LibreOffice/Excel "CSV UTF-8" in a
    /// French locale: BOM, `;`, quoted cells, CRLF) beside `logos/`.
    static func export(in directory: URL, base: URL) throws -> URL {
        let logos = directory.appendingPathComponent("logos")
        try FileManager.default.createDirectory(at: logos, withIntermediateDirectories: true)
        try Data(png(0x2255AA)).write(to: logos.appendingPathComponent("distorsion.png"))
        try Data(png(0x2255AA)).write(to: logos.appendingPathComponent("copie.png"))  // same bytes: one stored file
        try Data("<html>pas une image</html>".utf8).write(to: logos.appendingPathComponent("cassé.png"))
        let truncated = png(0x883300)
        try Data(truncated.prefix(truncated.count / 2)).write(to: logos.appendingPathComponent("tronqué.png"))
        let rows = [
            "nom;type;secteur;lieu;membre;logo",
            "\"Distorsion\";\"association\";\"Arts numériques\";\"Bât. A; atelier 3\";\"installé\";\"logos/distorsion.png\"",
            "Zinc;entreprise;Jeu vidéo;Bât. B;installé;\(base.absoluteString)/zinc.png",
            "Labora;entreprise;Design;\"Bât. A,\r\n1er étage\";installé;",
            "Sonolab;entreprise;Son;Bât. D;installé;logos/absent.png",
            "Cabaroc;association;Spectacle vivant;Bât. C;installé;logos/cassé.png",
            "Kaksi design;entreprise;Design produit;Bât. C;installé;logos/tronqué.png",
            "1D Lab;entreprise;Musique;Bât. B;installé;\(base.absoluteString)/missing.png",
            "Imagilink;entreprise;Web;Bât. B;installé;\(base.absoluteString)/huge.png",
            "Digital Lift;entreprise;Web;Bât. B;installé;\(base.absoluteString)/slow.png",
            "PixelsMill;entreprise;Animation;Bât. B;installé;\(base.absoluteString)/page.png",
            "Fertil Ink;artiste;Sérigraphie;Bât. C;installé;ftp://example.org/logo.png",
            "Atelier Diptyc;artiste;Illustration;Bât. C;installé;logos/copie.png",
        ]
        let file = directory.appendingPathComponent("annuaire.csv")
        try Data(("\u{FEFF}" + rows.joined(separator: "\r\n") + "\r\n").utf8).write(to: file)
        return file
    }

    @Test func aSpreadsheetWithGoodAndBadLogos() async throws {
        let server = try ScriptedHTTPServer { _ in .init(status: 500) }
        defer { server.stop() }
        let base = server.baseURL
        let huge = Data(repeating: 0x41, count: 50 << 20)
        server.setScript { request in
            switch request.path {
            case "/zinc.png":
                if request.headers["if-none-match"] == "\"z1\"" { return .init(status: 304) }
                return .init(status: 200, headers: ["ETag": "\"z1\"", "Content-Type": "image/png"], body: Data(Self.png(0x11AA33)))
            case "/huge.png": return .init(status: 200, body: huge)
            case "/slow.png": return .init(status: 200, body: Data(Self.png(0x333333)), behaviour: .delay(3))
            case "/page.png": return .init(status: 200, headers: ["Content-Type": "text/html"], body: Data("<html>moved</html>".utf8))
            default: return .init(status: 404)
            }
        }
        let lines = Mutex<[String]>([])
        let logger = JournalLogger(level: .info, underSystemd: false, sink: { line in lines.withLock { $0.append(line) } })
        let rig = try await FeedPullerTests().makeRig(url: base.appendingPathComponent("agenda.ics").absoluteString, logger: logger)
        defer { try? FileManager.default.removeItem(at: rig.directory) }
        let exportDirectory = rig.directory.appendingPathComponent("export")
        let file = try Self.export(in: exportDirectory, base: base)

        // The import, as `kioskctl residents import annuaire.csv` does it.
        let entries = try ResidentImport.entries(Data(contentsOf: file))
        let (residents, warnings) = ResidentLogoImport(importFile: file.path, store: rig.store).residents(entries)
        #expect(residents.count == 12, "every resident kept")
        let byName = Dictionary(uniqueKeysWithValues: residents.map { ($0.name, $0) })
        let files = PictureFileStore(stateDirectory: rig.directory.path)
        let stored = try #require(files.path(for: SHA256.hash(Self.png(0x2255AA)).hex))
        #expect(byName["Distorsion"]?.logo == .stored(hash: SHA256.hash(Self.png(0x2255AA)).hex))
        #expect(byName["Atelier Diptyc"]?.logo == byName["Distorsion"]?.logo)
        #expect(FileManager.default.fileExists(atPath: stored))
        #expect(byName["Zinc"]?.logo == .url(base.absoluteString + "/zinc.png"))
        #expect(byName["Labora"]?.logo == nil && byName["Labora"]?.location == "Bât. A,\r\n1er étage")
        for name in ["Sonolab", "Cabaroc", "Kaksi design", "Fertil Ink"] { #expect(byName[name]?.logo == nil, "\(name)") }
        // Each warning names the file, the line (Labora's quoted line break moves the rest
        // down one), the logo and why.
        let expected: [(line: Int, fragment: String)] = [
            (6, "no such file"), (7, "not a PNG or JPEG"), (8, "PNG"), (13, "only http(s) URLs and file paths"),
        ]
        #expect(warnings.count == expected.count, "\(warnings)")
        for (warning, (line, fragment)) in zip(warnings, expected) {
            #expect(warning.description.hasPrefix("\(file.path): line \(line): logo '"), "\(warning)")
            #expect(warning.line == line && warning.message.contains(fragment) && warning.message.contains("is listed without a logo"), "\(warning)")
        }
        #expect(try files.hashes() == [SHA256.hash(Self.png(0x2255AA)).hex], "only the good file is stored, once")
        try rig.store.residents.replaceAll(residents, at: Date(timeIntervalSince1970: 1_790_000_000))
        try await rig.lobby.reloadFromStore()

        // The URLs, fetched by the feed helper with a feed's limits (short here).
        var fetcher = ResidentLogoFetcher(lobby: rig.lobby, helper: FeedHelperTests.helper, logger: logger)
        (fetcher.timeout, fetcher.maxBytes) = (1, 1 << 20)
        #expect(await fetcher.refresh() == 5)
        let zinc = try #require(try rig.store.eventPictures.get(url: base.absoluteString + "/zinc.png"))
        #expect(zinc.picture == SHA256.hash(Self.png(0x11AA33)).hex && zinc.etag == "\"z1\"")
        for (name, reason) in [("missing.png", "404"), ("huge.png", "limit"), ("slow.png", "timeout"), ("page.png", "not a PNG or JPEG")] {
            let record = try #require(try rig.store.eventPictures.get(url: base.absoluteString + "/" + name), "\(name)")
            #expect(record.picture == nil && record.error?.contains(reason) == true, "\(name): \(record.error ?? "no error")")
        }
        let log = lines.withLock { $0 }
        for (name, resident) in [("missing.png", "1D Lab"), ("huge.png", "Imagilink"), ("slow.png", "Digital Lift"), ("page.png", "PixelsMill")] {
            #expect(log.contains { $0.contains("logo of « \(resident) »") && $0.contains("/\(name)") && $0.contains("shown without a logo") }, "\(name): \(log)")
        }
        #expect(try rig.store.residents.logoPictures() == [
            "distorsion": SHA256.hash(Self.png(0x2255AA)).hex, "atelier-diptyc": SHA256.hash(Self.png(0x2255AA)).hex,
            "zinc": SHA256.hash(Self.png(0x11AA33)).hex,
        ])

        // The screen: the three logos held, every resident listed.
        let now = rig.clock.now()
        let snapshot = LobbySnapshot.make(at: now, inputs: await rig.lobby.inputs(at: now), config: await rig.lobby.config)
        #expect(snapshot.residents.count == 12)
        #expect(Set(snapshot.residents.filter { $0.logo != nil }.map(\.name)) == ["Distorsion", "Atelier Diptyc", "Zinc"])
        #expect(snapshot.residents.first { $0.name == "Zinc" }?.logo.map { ($0.width, $0.height) } ?? (0, 0) == (40, 24))

        // Nothing is due again before the intervals: no request.
        let asked = server.requests.count
        #expect(await fetcher.refresh() == 0)
        #expect(server.requests.count == asked)

        // Six hours on, Zinc's logo is asked for conditionally and kept; the failed ones
        // are tried again. Zinc's server now fails: the logo fetched before stays.
        rig.clock.advance(by: 6 * 3600 + 1)
        lines.withLock { $0.removeAll() }
        server.setScript { request in .init(status: request.path == "/zinc.png" ? 503 : 404) }
        #expect(await fetcher.refresh() == 5)
        #expect(try rig.store.eventPictures.get(url: base.absoluteString + "/zinc.png")?.picture == zinc.picture)
        #expect(lines.withLock { $0 }.contains { $0.contains("« Zinc »") && $0.contains("503") && $0.contains("the logo fetched before stays on screen") })

        // A new directory without the logos: their records and files go.
        try rig.store.residents.replaceAll([Resident(name: "Labora")], at: Date(timeIntervalSince1970: 1_790_000_100))
        try await rig.lobby.reloadFromStore()
        for hash in try files.hashes() { try files.age(hash) }
        try await rig.lobby.collectUnusedPictures()
        #expect(try files.hashes().isEmpty)
        #expect(try rig.store.eventPictures.get(url: base.absoluteString + "/zinc.png") == nil)
    }

    @Test func anUploadTakesURLsButNoPaths() throws {
        let csv = "name,logo\r\nZinc,https://cdn.example.org/zinc.png\r\nSonolab,/etc/passwd\r\nLabora,logos/labora.png\r\n"
        let (residents, warnings) = ResidentLogoImport(baseDirectory: nil, source: "upload", files: nil).residents(try ResidentImport.entriesCSV(csv))
        #expect(residents.map(\.logo) == [.url("https://cdn.example.org/zinc.png"), nil, nil])
        #expect(warnings.map(\.line) == [3, 4])
        #expect(warnings.allSatisfy { $0.message.contains("in an upload give an http(s) URL") }, "\(warnings)")
    }

    /// `sha256:HASH` (what the list shows for a logo read from a file) names a picture the
    /// kiosk stores, in an upload too; it is touched so that a collection running before the
    /// import commits keeps it (`PictureFileStore.minimumUnusedAge`).
    @Test func aStoredPictureIsTakenBackByItsHash() throws {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("kiosk-logo-hash-\(UUID().uuidString)").path
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let files = PictureFileStore(stateDirectory: dir)
        let hash = try files.store(Self.png(0x2255AA))
        try files.age(hash)
        let csv = "name,logo\nZinc,sha256:\(hash)\nLabora,SHA256:\(hash.uppercased())\nSonolab,sha256:\(String(repeating: "0", count: 64))\nKaksi,sha256:../../etc/passwd\n"
        let (residents, warnings) = ResidentLogoImport(baseDirectory: nil, source: "upload", files: files).residents(try ResidentImport.entriesCSV(csv))
        #expect(residents.map(\.logo) == [.stored(hash: hash), .stored(hash: hash), nil, nil])
        #expect(warnings.map(\.line) == [4, 5])
        #expect(warnings.first?.message.contains("no such picture on this kiosk") == true, "\(warnings)")
        #expect(warnings.last?.message.contains("64 hex digits") == true, "\(warnings)")
        #expect(try files.removeAll(except: []) == [], "the picture taken back is young again")
        // The same reference without a picture store (an in-memory one): a warning.
        let (none, refused) = ResidentLogoImport(baseDirectory: nil, source: "upload", files: nil).residents(try ResidentImport.entriesCSV("name,logo\nZinc,sha256:\(hash)\n"))
        #expect(none.map(\.logo) == [nil] && refused.count == 1)
        // What the list shows imports back as the same logo.
        #expect(Resident.Logo.stored(hash: hash).importCell == "sha256:\(hash)")
        #expect(Resident.Logo.url("https://cdn.example.org/zinc.png").importCell == "https://cdn.example.org/zinc.png")
    }

    @Test func aLogoOverTheDecodersLimitsIsLeftOut() throws {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("kiosk-logos-\(UUID().uuidString)").path
        try FileManager.default.createDirectory(atPath: dir, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(atPath: dir) }
        do {
            // A PNG header claiming 100000x100000 pixels: refused before any allocation.
            var bomb: [UInt8] = [0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A, 0, 0, 0, 13]
            var ihdr: [UInt8] = Array("IHDR".utf8)
            for side in [UInt32(100_000), 100_000] { ihdr += withUnsafeBytes(of: side.bigEndian, Array.init) }
            ihdr += [8, 6, 0, 0, 0]
            bomb += ihdr + withUnsafeBytes(of: CRC32.checksum(ihdr).bigEndian, Array.init)
            try Data(bomb).write(to: URL(fileURLWithPath: dir + "/grand.png"))
            try Data(Self.png(0x123456)).write(to: URL(fileURLWithPath: dir + "/petit.png"))
            let files = PictureFileStore(stateDirectory: dir + "/state")
            var importer = ResidentLogoImport(baseDirectory: dir, source: "annuaire.csv", files: files)
            importer.maximumFileBytes = 4096
            try Data(repeating: 0, count: 5000).write(to: URL(fileURLWithPath: dir + "/lourd.png"))
            let csv = "name,logo\nA,grand.png\nB,lourd.png\nC,\(dir)/petit.png\n"
            let (residents, warnings) = importer.residents(try ResidentImport.entriesCSV(csv))
            #expect(residents.map { $0.logo == nil } == [true, true, false], "an absolute path is read as it is")
            #expect(warnings.count == 2)
            #expect(warnings[0].message.contains("100000x100000") && warnings[0].location == "annuaire.csv: line 2", "\(warnings)")
            #expect(warnings[1].message.contains("over the limit of 4096"), "\(warnings)")
        }
    }
}
