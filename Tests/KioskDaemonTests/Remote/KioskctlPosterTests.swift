import Foundation
import Testing
import KioskCore
@testable import KioskDaemon

extension KioskctlRemoteTests {
    @Test func postersThroughTheAPI() async throws {
        try await withRemote { remote in
            let picture = remote.directory + "/affiche.png"
            try Data(PosterAPITests.png()).write(to: URL(fileURLWithPath: picture))
            let posted = await remote.run(["posters", "post", picture, "--title", "Nuit du court", "--from", "2026-11-20", "--to", "2026-11-30", "--days", "mar,mer"])
            #expect(posted.status == 0, "\(posted.err)")
            let post = try #require(remote.recorder.requests.last)
            #expect(post.method == "POST" && post.contentType == "image/png" && post.body == PosterAPITests.png())
            #expect(post.target.hasPrefix("/api/v1/posters?") && post.target.contains("days=mar,mer"))
            let stored = try #require(try remote.bed.inspect { try $0.posters.all() }.first)
            #expect(stored.title == "Nuit du court" && stored.weekdays == [2, 3])
            #expect(posted.out.contains(stored.id))

            let list = await remote.run(["posters", "list", "--showing"])
            #expect(list.status == 0 && list.out.contains("Nuit du court (2026-11-20..2026-11-30 days 2,3)") && list.out.contains("1 posters"))

            // A file that is not a picture: the server's French reason, exit 1, nothing stored.
            let text = try remote.file("notes.txt", "pas une image")
            let refused = await remote.run(["posters", "post", text, "--title", "X", "--from", "2026-11-20", "--to", "2026-11-21"])
            #expect(refused.status == 1 && refused.err.contains("n’est pas une image PNG ou JPEG"))

            let removed = await remote.run(["posters", "remove", stored.id])
            #expect(removed.status == 0)
            #expect(try remote.bed.inspect { try $0.posters.all() }.isEmpty)
            #expect(await remote.run(["posters", "remove", stored.id]).status == 1)
        }
    }
}
