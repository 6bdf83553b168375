import Foundation
import Testing
import KioskCore
@testable import KioskDisplay
import KioskStore
@testable import KioskDaemon

@Suite("Staff API: posters")
struct PosterAPITests {
    static let token = APITestBed.staffToken

    /// A small real PNG (our encoder), distinct per `shade`.
    static func png(_ shade: UInt32 = 0x336699) -> [UInt8] {
        var canvas = PixelCanvas(width: 40, height: 60, color: PixelColor(rgb: shade))
        canvas.fill(PixelRect(x: 5, y: 5, width: 10, height: 10), .white)
        return PNGEncoder.encode(canvas)
    }

    static func object(_ response: HTTPResponse) throws -> [String: Any] {
        try #require(JSONSerialization.jsonObject(with: Data(response.body)) as? [String: Any])
    }

    func post(_ bed: APITestBed, _ query: String, _ body: [UInt8], type: String? = "image/png", token: String? = token) async -> HTTPResponse {
        await bed.send(.post, "/api/v1/posters?" + query, token: token, body: body, contentType: type)
    }

    @Test func uploadListShowAndWithdraw() async throws {
        let bed = try await APITestBed()
        // 2026-11-24 (the bed's day) is a Tuesday; it is 15:05 in Paris.
        let created = await post(bed, "title=Festival%20d%E2%80%99hiver&from=2026-11-20&to=2026-11-30", Self.png())
        #expect(created.status == .created)
        let poster = try Self.object(created)
        let id = try #require(poster["id"] as? String)
        #expect(poster["title"] as? String == "Festival d’hiver" && poster["from"] as? String == "2026-11-20")
        #expect(created.headers["Location"] == "/api/v1/posters/" + id)
        let hash = try #require(poster["picture"] as? String)
        let files = PictureFileStore(stateDirectory: bed.directory)
        #expect(try files.contents(of: hash, maximumBytes: 1 << 20) == Self.png())

        // Out of its hours, out of its days: stored, not showing.
        #expect(await post(bed, "title=Matin&from=2026-11-20&to=2026-11-30&hours=09:00-12:00", Self.png(0x111111)).status == .created)
        #expect(await post(bed, "title=Week-end&from=2026-11-20&to=2026-11-30&days=sam,dim", Self.png()).status == .created)
        let all = try Self.object(await bed.send(.get, "/api/v1/posters", token: Self.token))["posters"] as? [[String: Any]]
        #expect(all?.count == 3)
        let showing = try Self.object(await bed.send(.get, "/api/v1/posters?showing", token: Self.token))["posters"] as? [[String: Any]]
        #expect(showing?.compactMap { $0["title"] as? String } == ["Festival d’hiver"])
        #expect(try files.hashes().count == 2, "the same picture twice is one file")

        #expect(await bed.send(.get, "/api/v1/posters/" + id, token: Self.token).status == .ok)
        #expect(await bed.send(.delete, "/api/v1/posters/" + id, token: Self.token).status == .noContent)
        #expect(try files.contents(of: hash, maximumBytes: 1 << 20) != nil, "the week-end poster still uses the file")
        #expect(await bed.send(.delete, "/api/v1/posters/" + id, token: Self.token).status == .notFound)
        let audit = try bed.inspect { store in try store.database.query("SELECT action FROM audit ORDER BY id").map { row -> String in try row.get("action") } }
        #expect(audit.filter { $0 == "poster.create" }.count == 3 && audit.last == "poster.delete")
    }

    @Test func picturesTheScreenCannotShowAreRefusedInFrench() async throws {
        let bed = try await APITestBed()
        let query = "title=Affiche&from=2026-11-24&to=2026-11-25"
        func reason(_ response: HTTPResponse) -> String { String(decoding: response.body, as: UTF8.self) }
        let text = await post(bed, query, Array("not a picture".utf8), type: "application/octet-stream")
        #expect(text.status == .unprocessableContent && reason(text).contains("n’est pas une image PNG ou JPEG"))
        let png = Self.png()
        let truncated = await post(bed, query, Array(png.prefix(png.count / 2)))
        #expect(truncated.status == .unprocessableContent && reason(truncated).contains("incomplète"))
        var huge = PNGEncoder.signature
        PNGEncoder.appendChunk("IHDR", PNGEncoder.bigEndian(20000) + PNGEncoder.bigEndian(20000) + [8, 2, 0, 0, 0], to: &huge)
        PNGEncoder.appendChunk("IDAT", PNGEncoder.zlibStored([0]), to: &huge)
        PNGEncoder.appendChunk("IEND", [], to: &huge)
        let tooLarge = await post(bed, query, huge)
        #expect(tooLarge.status == .unprocessableContent && reason(tooLarge).contains("trop grande"))
        // Fields, media type, token.
        #expect(await post(bed, "from=2026-11-24&to=2026-11-25", png).status == .unprocessableContent)
        #expect(await post(bed, "title=A&from=2026-11-25&to=2026-11-24", png).status == .unprocessableContent)
        #expect(await post(bed, "title=A&from=2026-11-24&to=2026-11-25&days=funday", png).status == .unprocessableContent)
        #expect(await post(bed, "title=A&from=2026-11-24&to=2026-11-25&hours=18:00-09:00", png).status == .unprocessableContent)
        #expect(await post(bed, query, png, type: "text/plain").status == .unsupportedMediaType)
        #expect(await post(bed, query, png, token: nil).status == .unauthorized)
        #expect(await bed.send(.put, "/api/v1/posters/p-1", token: Self.token).status == .methodNotAllowed)
        // Nothing was stored.
        #expect(try bed.inspect { try $0.posters.all() }.isEmpty)
        #expect(try PictureFileStore(stateDirectory: bed.directory).hashes().isEmpty)
    }
}
