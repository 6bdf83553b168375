import Foundation
import KioskCore
import Testing

@testable import KioskStore

/// Residents' logos in the store: both kinds kept, the pictures fetched by URL shared with
/// events, and the pictures no event, resident or poster names any more removed.
@Suite struct ResidentLogoStoreTests {
    static let at = Date(timeIntervalSince1970: 1_790_000_000)

    @Test func logosRoundTripAndUnusedPicturesGo() throws {
        try withTemporaryDirectory { dir in
            let store = try StateStore(stateDirectory: dir, timeZone: IANATimeZone(identifier: "Europe/Paris")!)
            let files = try #require(store.pictureFiles)
            let fileLogo = try files.store(Array("logo read at import".utf8))
            let fetched = try files.store(Array("logo fetched by URL".utf8))
            let stray = try files.store(Array("a file no record names".utf8))
            try store.residents.replaceAll([
                Resident(name: "Distorsion", logo: .stored(hash: fileLogo)),
                Resident(name: "Zinc", logo: .url("https://cdn.example.org/zinc.png")),
                Resident(name: "Sonolab", logo: .url("https://cdn.example.org/sonolab.png")),
                Resident(name: "Labora"),
            ], at: Self.at)
            try store.eventPictures.save(EventPictureRecord(url: "https://cdn.example.org/zinc.png", picture: fetched, etag: "\"z\"", lastModified: nil, checked: Self.at, error: nil))
            try store.eventPictures.save(EventPictureRecord(url: "https://cdn.example.org/sonolab.png", picture: nil, etag: nil, lastModified: nil, checked: Self.at, error: "HTTP 404"))

            #expect(try store.residents.get(id: "distorsion")?.logo == .stored(hash: fileLogo))
            #expect(try store.residents.get(id: "zinc")?.logo == .url("https://cdn.example.org/zinc.png"))
            #expect(try store.residents.get(id: "labora")?.logo == nil)
            #expect(try store.residents.logoPictures() == ["distorsion": fileLogo, "zinc": fetched])
            let urls = try store.residents.logoURLs()
            #expect(urls.map(\.url) == ["https://cdn.example.org/sonolab.png", "https://cdn.example.org/zinc.png"])
            #expect(urls.map(\.failed) == [true, false])

            // Only the stray file goes: the logos' records and files stay (all are old).
            try setBack(files.path(for: fileLogo)!, files.path(for: fetched)!, files.path(for: stray)!, by: 2 * PictureFileStore.minimumUnusedAge)
            #expect(try store.collectUnusedPictures() == [stray])
            #expect(try Set(files.hashes()) == [fileLogo, fetched])
            #expect(try store.eventPictures.get(url: "https://cdn.example.org/zinc.png") != nil)

            // A new directory without those residents: their logos go, rows and files.
            try store.residents.replaceAll([Resident(name: "Labora")], at: Self.at)
            #expect(try store.collectUnusedPictures() == [fileLogo, fetched].sorted())
            #expect(try files.hashes().isEmpty)
            #expect(try store.eventPictures.get(url: "https://cdn.example.org/zinc.png") == nil)
            #expect(try store.eventPictures.get(url: "https://cdn.example.org/sonolab.png") == nil)
        }
    }

    @Test func aPictureAnEventAndAResidentShareStaysWhileEitherNamesIt() throws {
        try withTemporaryDirectory { dir in
            let store = try StateStore(stateDirectory: dir, timeZone: IANATimeZone(identifier: "Europe/Paris")!)
            let files = try #require(store.pictureFiles)
            let shared = try files.store(Array("the same logo".utf8))
            // The file read at import has the same content as a picture fetched by URL.
            try store.residents.replaceAll([Resident(name: "Zinc", logo: .stored(hash: shared))], at: Self.at)
            try store.eventPictures.save(EventPictureRecord(url: "https://cdn.example.org/old.png", picture: shared, etag: nil, lastModified: nil, checked: Self.at, error: nil))
            try setBack(files.path(for: shared)!, by: 2 * PictureFileStore.minimumUnusedAge)
            #expect(try store.collectUnusedPictures() == [])
            #expect(try store.eventPictures.get(url: "https://cdn.example.org/old.png") == nil, "no event nor resident names the URL")
            #expect(try files.hashes() == [shared], "the resident still names the file")
        }
    }
}
