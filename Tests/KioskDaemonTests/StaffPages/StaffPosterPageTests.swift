import Foundation
import Testing
import KioskCore
import KioskDisplay
import KioskStore
import KioskTestSupport
@testable import KioskDaemon

/// The posters page over the real desk: an upload from a phone (a portrait JPEG stored
/// sideways with its EXIF orientation) listed upright with its thumbnail, each refusal at
/// its field in French with the title and period kept, the withdrawal with its undo, and
/// the session and CSRF checks. The bed's day is Tuesday 2026-11-24, 15:05 in Paris.
@Suite(.serialized) struct StaffPosterPageTests {
    typealias Bed = APITestBed
    typealias Part = PageClient.Part

    /// A phone photo: 1600x900 pixels as stored, EXIF orientation 6 (turn 90° clockwise),
    /// so upright it is 900 wide and 1600 high.
    static func phonePhoto() throws -> [UInt8] {
        let landscape = [UInt8](try Data(contentsOf: PictureGoldenTests.pictures.appendingPathComponent("event-conference.jpg")))
        let exif = Self.exifOrientation(6)
        let app1: [UInt8] = [0xFF, 0xE1, UInt8((exif.count + 2) >> 8), UInt8((exif.count + 2) & 0xFF)] + exif
        return [0xFF, 0xD8] + app1 + landscape.dropFirst(2)
    }

    /// An EXIF APP1 payload (big-endian TIFF) with one tag: Orientation.
    static func exifOrientation(_ value: UInt8) -> [UInt8] {
        Array("Exif".utf8) + [0, 0] + [0x4D, 0x4D, 0, 42, 0, 0, 0, 8] + [0, 1] + [0x01, 0x12, 0, 3, 0, 0, 0, 1, 0, value, 0, 0] + [0, 0, 0, 0]
    }

    static func fields(title: String = "Festival d’hiver", from: String = "2026-11-24", to: String = "2026-11-30") -> [Part] {
        [Part("title", title), Part("from", from), Part("to", to)]
    }

    static func posters(_ bed: Bed) throws -> [Poster] { try bed.inspect { try $0.posters.all() } }

    // MARK: Upload

    @Test func aPhonePhotoIsPutOnScreenAndListedUprightWithItsThumbnail() async throws {
        let bed = try await Bed()
        var client = try await bed.signedIn()
        #expect(client.lastPage.contains("<a href=\"/staff/posters\">Affiches</a>"))
        _ = try await client.get("/staff/posters")
        #expect(client.lastPage.contains("<nav class=\"noprint\">") && client.lastPage.contains("<a href=\"/staff/posters\">Affiches</a>"))
        #expect(client.lastPage.contains("accept=\"image/png,image/jpeg\""))
        #expect(client.lastPage.contains("enctype=\"multipart/form-data\""))
        // A week from today by default.
        #expect(client.lastPage.contains("name=\"from\" value=\"2026-11-24\"") && client.lastPage.contains("name=\"to\" value=\"2026-11-30\""))
        let photo = try Self.phonePhoto()
        let response = try await client.upload("/staff/posters", parts: Self.fields() + [
            Part("days", "2"), Part("days", "4"), Part("opens", "10:00"), Part("closes", "18:00"),
            Part(file: "picture", "IMG_2041.JPG", type: "image/jpeg", photo),
        ])
        #expect(response.status == .seeOther)
        #expect(response.headers["Location"] == "/staff/posters")
        let poster = try #require(try Self.posters(bed).first)
        #expect(poster.title == "Festival d’hiver" && poster.from.description == "2026-11-24" && poster.to.description == "2026-11-30")
        #expect(poster.weekdays == [2, 4] && poster.hours?.opens.description == "10:00" && poster.hours?.closes.description == "18:00")
        // The file as sent, by its content hash.
        #expect(try PictureFileStore(stateDirectory: bed.directory).contents(of: poster.picture, maximumBytes: 1 << 20) == photo)
        let audit = try bed.inspect { try $0.audit.entries() }
        #expect(audit.contains { $0.action == "poster.create" && $0.actor == "accueil" && $0.detail.contains("900x1600") })

        _ = try await client.get("/staff/posters")
        #expect(client.firstHeading == "Affiche mise à l&#39;écran : « Festival d’hiver ».")
        // Showing now (a Tuesday, between 10:00 and 18:00): in the first list, with its period.
        let now = try #require(client.lastPage.range(of: "<section id=\"posters-now\">"))
        let form = try #require(client.lastPage.range(of: "<section id=\"upload\">"))
        let item = try #require(client.lastPage.range(of: "<li class=\"poster\" id=\"poster-\(poster.id)\">"))
        #expect(now.upperBound < item.lowerBound && item.lowerBound < form.lowerBound)
        // With the thumbnail's real size (checked against the PNG below): no layout shift.
        #expect(client.lastPage.contains("<img class=\"thumb\" src=\"/staff/posters/thumbnail?id=\(poster.id)\" width=\"135\" height=\"240\" alt=\"Affiche « Festival d’hiver »\">"))
        #expect(client.lastPage.contains("<span class=\"meta\">du 24 nov. au 30 nov. · mar., jeu. · de 10:00 à 18:00 · envoyée aujourd&#39;hui à 15:05</span>"))

        // The thumbnail: a PNG made by our code, upright (portrait), at most 240 px.
        let thumbnail = try await client.get("/staff/posters/thumbnail?id=\(poster.id)")
        #expect(thumbnail.status == .ok && thumbnail.headers["Content-Type"] == "image/png")
        #expect(thumbnail.headers["X-Content-Type-Options"] == "nosniff")
        let size = try DeflateDecoding.png(thumbnail.body)
        #expect(size.width == 135 && size.height == 240, "\(size)")
        let decoded = try PictureDecoder.decode(thumbnail.body)
        // (The photo's decode and scaling take seconds in a debug build: on a thread of
        // their own, not on the cooperative pool the bed's server needs.)
        let upright = try await onOwnThread { PictureScaler.scale(try PictureDecoder.decode(photo), width: 135, height: 240) }
        #expect(decoded.width == upright.width && decoded.height == upright.height)
        // Same picture as the upright photo scaled (the left column of the stored
        // landscape is now the top row): compared on average per channel.
        var difference = 0
        for (a, b) in zip(decoded.pixels, upright.pixels) {
            for shift in [16, 8, 0] as [UInt32] { difference += abs(Int((a >> shift) & 0xFF) - Int((b >> shift) & 0xFF)) }
        }
        #expect(difference / (decoded.pixels.count * 3) <= 2, "mean difference \(difference / (decoded.pixels.count * 3))")
        // Kept: a second request costs no decode.
        #expect(bed.pages.thumbnails.kept.count >= 1)
        let again = try await client.get("/staff/posters/thumbnail?id=\(poster.id)")
        #expect(again.body == thumbnail.body)
        // On the lobby's screen model too (the desk reloads it before answering).
        #expect(try await bed.desk.posters(showingOnly: true, as: Principal(name: "t", role: .staff)).map(\.id) == [poster.id])
    }

    @Test func postersAreListedNowScheduledAndRecentlyEnded() async throws {
        let bed = try await Bed()
        let png = PosterAPITests.png()
        for (title, from, to) in [("Bientôt", "2026-12-01", "2026-12-05"), ("Hier", "2026-11-10", "2026-11-23"), ("Il y a longtemps", "2026-09-01", "2026-10-01")] {
            let query = "title=\(PercentEncoding.encode(title))&from=\(from)&to=\(to)"
            #expect(await bed.send(.post, "/api/v1/posters?" + query, token: Bed.staffToken, body: png, contentType: "image/png").status == .created)
        }
        var client = try await bed.signedIn()
        _ = try await client.get("/staff/posters")
        let page = client.lastPage
        #expect(page.contains("<section id=\"posters-now\">\n<h2>À l&#39;écran en ce moment</h2>\n<p>Aucune affiche à l&#39;écran en ce moment.</p>"))
        let scheduled = try #require(page.range(of: "<section id=\"posters-scheduled\">"))
        let ended = try #require(page.range(of: "<section id=\"posters-ended\">\n<h2>Terminées récemment</h2>"))
        let soon = try #require(page.range(of: "<strong>Bientôt</strong>"))
        let yesterday = try #require(page.range(of: "<strong>Hier</strong>"))
        #expect(scheduled.upperBound < soon.lowerBound && soon.lowerBound < ended.lowerBound && ended.upperBound < yesterday.lowerBound)
        #expect(page.contains("du 1 déc. au 5 déc."))
        // Over 30 days ago: no longer listed.
        #expect(!page.contains("Il y a longtemps"))
    }

    // MARK: Refusals

    /// Each refusal: 422, the reason in French at its field (marked `aria-invalid`, the
    /// message linked by `aria-describedby`), the title and period as typed, nothing stored.
    func expectRefused(
        _ bed: Bed, _ client: inout PageClient, file: Part?, fields: [Part] = fields(), field: String, message: String,
        sourceLocation: SourceLocation = #_sourceLocation
    ) async throws {
        _ = try await client.get("/staff/posters")
        let response = try await client.upload("/staff/posters", parts: fields + (file.map { [$0] } ?? []))
        #expect(response.status == .unprocessableContent, sourceLocation: sourceLocation)
        let page = client.lastPage
        #expect(client.firstHeading == "L&#39;affiche n&#39;est pas publiée : corrigez les champs signalés.", sourceLocation: sourceLocation)
        #expect(page.contains("<p class=\"error\" id=\"\(field)-error\">\(message)</p>"), sourceLocation: sourceLocation)
        let marked = field == "picture" ? " aria-invalid=\"true\" aria-describedby=\"picture-error picture-help\"" : " aria-invalid=\"true\" aria-describedby=\"\(field)-error\""
        #expect(page.contains("id=\"\(field)\" name=\"\(field)\"") && page.contains(marked), sourceLocation: sourceLocation)
        for part in fields where part.name != "days" {
            #expect(page.contains("name=\"\(part.name)\" value=\"\(HTMLText.escape(String(decoding: part.content, as: UTF8.self)))\""), sourceLocation: sourceLocation)
        }
        #expect(try Self.posters(bed).isEmpty, sourceLocation: sourceLocation)
        #expect(try PictureFileStore(stateDirectory: bed.directory).hashes().isEmpty, sourceLocation: sourceLocation)
    }

    @Test func aFileThatIsNotAPictureIsRefusedAtItsField() async throws {
        let bed = try await Bed()
        var client = try await bed.signedIn()
        let calendar = Part(file: "picture", "programme.ics", type: "text/calendar", Array(StaffSectionsTests.good.utf8))
        try await expectRefused(bed, &client, file: calendar, field: "picture",
                                message: "« programme.ics » n&#39;est pas une image PNG ou JPEG : choisissez une photo, ou enregistrez l&#39;affiche en PNG ou JPEG.")
        try await expectRefused(bed, &client, file: nil, field: "picture", message: "Choisissez une image PNG ou JPEG.")
    }

    @Test func aPictureThatDoesNotDecodeIsRefusedWithTheReason() async throws {
        let bed = try await Bed()
        var client = try await bed.signedIn()
        let photo = try Self.phonePhoto()
        let cut = Part(file: "picture", "IMG_2041.JPG", type: "image/jpeg", Array(photo.prefix(photo.count / 3)))
        _ = try await client.get("/staff/posters")
        try await expectRefused(bed, &client, file: cut, field: "picture",
                                message: "image refusée, l’image est incomplète (fichier tronqué) : envoyez-la de nouveau (JPEG truncated: the file ends inside a scan)")
    }

    @Test func aPictureTooLargeIsRefusedWithTheLimit() async throws {
        let bed = try await Bed()
        var client = try await bed.signedIn()
        let wide = PNGEncoder.encode(PixelCanvas(width: 9000, height: 2, color: .white), compression: .deflate)
        try await expectRefused(bed, &client, file: Part(file: "picture", "bandeau.png", type: "image/png", wide), field: "picture",
                                message: "image refusée, l’image est trop grande : au plus 8192 pixels de côté et 16 millions de pixels (PNG too large: 9000x2 pixels: each side may be at most 8192)")
        // The form says the limits before anything is sent.
        #expect(client.lastPage.contains("<p class=\"hint\" id=\"picture-help\">Au plus 8 Mo, et 8192 pixels de côté.</p>"))
        // A file over max-body never reaches the page: the server answers a French page
        // with the limit and the way back to the posters.
        let page = try #require(bed.router.framingErrorResponse(HTTPError(.contentTooLarge, "body larger than 8388608 bytes"), target: "/staff/posters"))
        #expect(page.status == .contentTooLarge && page.text.contains("au plus 8 Mo par envoi") && page.text.contains("href=\"/staff/posters\""))
    }

    @Test func aPeriodThatEndsBeforeItStartsIsRefusedAtTheLastDay() async throws {
        let bed = try await Bed()
        var client = try await bed.signedIn()
        let photo = Part(file: "picture", "IMG_2041.JPG", type: "image/jpeg", try Self.phonePhoto())
        try await expectRefused(bed, &client, file: photo, fields: Self.fields(from: "2026-11-30", to: "2026-11-25"), field: "to",
                                message: "Le dernier jour (25 nov.) est avant le premier (30 nov.).")
        try await expectRefused(bed, &client, file: photo, fields: Self.fields(from: "2026-11-01", to: "2026-11-20"), field: "to",
                                message: "Ce dernier jour est déjà passé.")
        try await expectRefused(bed, &client, file: photo, fields: Self.fields(title: ""), field: "title", message: "Le titre est obligatoire.")
        try await expectRefused(bed, &client, file: photo, fields: Self.fields() + [Part("opens", "18:00"), Part("closes", "10:00")], field: "closes",
                                message: "L&#39;heure de fin doit venir après l&#39;heure de début.")
        try await expectRefused(bed, &client, file: photo, fields: Self.fields() + [Part("opens", "18:00")], field: "closes",
                                message: "Indiquez l&#39;heure de début et l&#39;heure de fin, ou aucune des deux.")
    }

    // MARK: Withdraw

    @Test func aPosterIsWithdrawnAfterAConfirmationAndCanBePutBackForAMinute() async throws {
        let bed = try await Bed()
        var client = try await bed.signedIn()
        _ = try await client.get("/staff/posters")
        let photo = try Self.phonePhoto()
        #expect(try await client.upload("/staff/posters", parts: Self.fields() + [Part(file: "picture", "IMG.JPG", type: "image/jpeg", photo)]).status == .seeOther)
        let poster = try #require(try Self.posters(bed).first)
        let files = PictureFileStore(stateDirectory: bed.directory)
        _ = try await client.get("/staff/posters")
        // Asked first.
        #expect(try await client.post("/staff/posters/withdraw", [("id", poster.id)]).status == .ok)
        #expect(client.firstHeading == "Retirer l&#39;affiche « Festival d’hiver » de l&#39;écran\u{00A0}?")
        #expect(try Self.posters(bed).count == 1)
        // Its file an hour old, the withdrawal's collection deletes it (a younger one waits
        // for the nightly collection).
        try files.age(poster.picture)
        let withdrawn = try await client.post("/staff/posters/withdraw", [("id", poster.id), ("confirm", "1")])
        #expect(withdrawn.status == .seeOther && withdrawn.headers["Location"] == "/staff/posters")
        #expect(try Self.posters(bed).isEmpty)
        #expect(try files.hashes().isEmpty)
        #expect(try bed.inspect { try $0.audit.entries() }.contains { $0.action == "poster.delete" && $0.actor == "accueil" && $0.detail == poster.id })
        _ = try await client.get("/staff/posters")
        #expect(client.firstHeading == "Affiche retirée : « Festival d’hiver ».")
        #expect(client.lastPage.contains("<form method=\"post\" action=\"/staff/posters/undo\">"))
        // Undone: the same poster, its picture stored again, audited.
        #expect(try await client.post("/staff/posters/undo", []).status == .seeOther)
        #expect(try Self.posters(bed) == [poster])
        #expect(try files.contents(of: poster.picture, maximumBytes: 1 << 20) == photo)
        #expect(try bed.inspect { try $0.audit.entries() }.contains { $0.action == "poster.restore" && $0.detail == poster.id })
        _ = try await client.get("/staff/posters")
        #expect(client.firstHeading == "Affiche remise à l&#39;écran : « Festival d’hiver ».")
        // Withdrawn again, then the minute passes: too late.
        _ = try await client.post("/staff/posters/withdraw", [("id", poster.id), ("confirm", "1")])
        bed.clock.advance(by: 61)
        _ = try await client.post("/staff/posters/undo", [])
        #expect(try Self.posters(bed).isEmpty)
        _ = try await client.get("/staff/posters")
        #expect(client.firstHeading == "Trop tard pour annuler : envoyez l&#39;affiche à nouveau.")
        // A poster already gone.
        _ = try await client.post("/staff/posters/withdraw", [("id", poster.id), ("confirm", "1")])
        _ = try await client.get("/staff/posters")
        #expect(client.firstHeading == "Cette affiche n&#39;existe plus.")
    }

    /// A notice's undo does not put back a poster, nor the reverse.
    @Test func undoPutsBackOnlyWhatItsPageWithdrew() async throws {
        let bed = try await Bed()
        var client = try await bed.signedIn()
        _ = try await client.get("/staff/posters")
        _ = try await client.upload("/staff/posters", parts: Self.fields() + [Part(file: "picture", "a.png", type: "image/png", PosterAPITests.png())])
        let poster = try #require(try Self.posters(bed).first)
        _ = try await client.get("/staff/posters")
        _ = try await client.post("/staff/posters/withdraw", [("id", poster.id), ("confirm", "1")])
        _ = try await client.get("/staff/notices")
        _ = try await client.post("/staff/notices/undo", [])
        #expect(try Self.posters(bed).isEmpty)
    }

    // MARK: Session and CSRF

    @Test func everyPosterActionNeedsTheSessionAndItsCSRFToken() async throws {
        let bed = try await Bed()
        var client = try await bed.signedIn()
        _ = try await client.get("/staff/posters")
        let photo = Part(file: "picture", "IMG.JPG", type: "image/jpeg", try Self.phonePhoto())
        // A wrong CSRF token: refused, nothing stored.
        let forged = try await client.upload("/staff/posters", parts: Self.fields() + [photo], csrf: String(repeating: "0", count: 64))
        #expect(forged.status == .forbidden)
        #expect(try Self.posters(bed).isEmpty)
        // Another site's form: refused before anything is read.
        _ = try await client.get("/staff/posters")
        let (headers, body) = PageClient.multipart([Part("csrf", client.csrfToken ?? "")] + Self.fields() + [photo])
        var crossSite = headers
        crossSite.set("Origin", "http://evil.example")
        #expect(try await client.send(.post, "/staff/posters", headers: crossSite, body: body).status == .forbidden)
        #expect(try Self.posters(bed).isEmpty)
        // The real form goes through.
        _ = try await client.get("/staff/posters")
        #expect(try await client.upload("/staff/posters", parts: Self.fields() + [photo]).status == .seeOther)
        let poster = try #require(try Self.posters(bed).first)
        // Withdraw with a wrong token: the poster stays.
        _ = try await client.get("/staff/posters")
        #expect(try await client.post("/staff/posters/withdraw", [("id", poster.id), ("confirm", "1")], csrf: "x").status == .forbidden)
        #expect(try Self.posters(bed).count == 1)
        // Without a session: the sign-in page, never the thumbnail or the upload.
        var stranger = PageClient(bed.pages)
        let thumbnail = try await stranger.get("/staff/posters/thumbnail?id=\(poster.id)")
        #expect(thumbnail.headers["Content-Type"] == "text/html; charset=utf-8")
        #expect(stranger.lastPage.contains("action=\"/staff/login\""))
        let anonymous = try await stranger.upload("/staff/posters", parts: Self.fields() + [photo])
        #expect(anonymous.status == .unauthorized)
        #expect(try await stranger.post("/staff/posters/withdraw", [("id", poster.id), ("confirm", "1")], csrf: "x").status == .unauthorized)
        #expect(try Self.posters(bed).count == 1)
        // An unknown poster's thumbnail: a page saying so, not a picture.
        let unknown = try await client.get("/staff/posters/thumbnail?id=p-nothere")
        #expect(unknown.status == .notFound && unknown.headers["Content-Type"] == "text/html; charset=utf-8")
    }

    /// The desk's refusals land at the field they name (the picture's by default).
    @Test func aDeskRefusalIsMarkedAtItsField() {
        var form = StaffPosterForm()
        form.mark(HTTPError(.unprocessableContent, "to: a poster runs at most 366 days"))
        form.mark(HTTPError(.unprocessableContent, "hours: a part of the day like 09:00-18:00"))
        form.mark(HTTPError(.unprocessableContent, "picture: image refusée, l’image est endommagée"))
        #expect(form.errors == [.to: "a poster runs at most 366 days", .opens: "a part of the day like 09:00-18:00",
                                .picture: "image refusée, l’image est endommagée"])
    }

    // MARK: Thumbnails and language

    @Test func thumbnailsAreKeptWithinTheirBudget() async throws {
        let thumbnails = StaffPosterThumbnails(budgetBytes: 2_000)
        var made = 0
        for shade in [0x336699, 0x993366, 0x669933] as [UInt32] {
            let png = PosterAPITests.png(shade)
            let thumbnail = try #require(try await thumbnails.png(hash: "\(shade)") { png })
            made += thumbnail.count
            #expect(try DeflateDecoding.png(thumbnail) == (40, 60))
            #expect(thumbnails.kept.bytes <= 2_000)
        }
        #expect(made > 2_000 || thumbnails.kept.count == 3)
        // Every size is remembered, also those whose bytes were dropped: no decode again.
        for shade in [0x336699, 0x993366, 0x669933] as [UInt32] {
            #expect(try await thumbnails.size(hash: "\(shade)") { Issue.record("read again"); return nil } == .init(width: 40, height: 60))
        }
        let wide = PNGEncoder.encode(PixelCanvas(width: 600, height: 200, color: .white))
        #expect(try await thumbnails.size(hash: "wide") { wide } == .init(width: 240, height: 80))
        #expect(try await thumbnails.size(hash: "gone") { nil } == nil)
        // Not a picture: an error, nothing kept.
        await #expect(throws: PictureError.self) { try await thumbnails.png(hash: "text") { Array("hello".utf8) } }
    }

    @Test func thePageSpeaksEnglishWhenTheVenueDoes() async throws {
        let bed = try await Bed { $0.venue.language = .en }
        var client = try await bed.signedIn()
        _ = try await client.get("/staff/posters")
        #expect(client.lastPage.contains("<a href=\"/staff/posters\">Posters</a>"))
        #expect(client.lastPage.contains("<h2>Put a poster on screen</h2>"))
        let wide = PNGEncoder.encode(PixelCanvas(width: 9000, height: 2, color: .white), compression: .deflate)
        _ = try await client.upload("/staff/posters", parts: Self.fields() + [Part(file: "picture", "wide.png", type: "image/png", wide)])
        #expect(client.lastPage.contains("picture refused, the picture is too large: at most 8192 pixels a side"))
    }
}
