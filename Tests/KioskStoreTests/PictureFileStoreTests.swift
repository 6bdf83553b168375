import Foundation
import Testing
import KioskCore
@testable import KioskStore

@Suite("Picture files by content hash")
struct PictureFileStoreTests {
    @Test func storesOnceByContentAndCollectsUnreferencedFiles() throws {
        try withTemporaryDirectory { dir in try check(PictureFileStore(stateDirectory: dir)) }
    }

    func check(_ store: PictureFileStore) throws {
        #expect(try store.hashes() == [])
        let a = try store.store(Array("poster A".utf8))
        let again = try store.store(Array("poster A".utf8))
        let b = try store.store(Array("logo B".utf8))
        #expect(a == again && a == SHA256.hash(Array("poster A".utf8)).hex)
        #expect(try store.hashes() == [a, b].sorted())
        #expect(try store.contents(of: a, maximumBytes: 100) == Array("poster A".utf8))
        #expect(throws: PictureFileError.self) { try store.contents(of: a, maximumBytes: 3) }
        #expect(try store.contents(of: String(repeating: "0", count: 64), maximumBytes: 100) == nil)
        // Names that are not hashes never reach the file system.
        #expect(store.path(for: "../kiosk.sqlite3") == nil)
        #expect(try store.contents(of: "../../etc/passwd", maximumBytes: 100) == nil)
        // A temporary file left by an interrupted write and an unreferenced picture go once
        // they are an hour old; a foreign file stays.
        let temporary = store.directory + "/" + a + ".tmp-1-2"
        #expect(FileManager.default.createFile(atPath: temporary, contents: Data([1])))
        #expect(FileManager.default.createFile(atPath: store.directory + "/README", contents: Data([1])))
        try setBack(store.path(for: b)!, store.directory + "/README", temporary, by: PictureFileStore.minimumUnusedAge + 1)
        #expect(try store.removeAll(except: [a]) == [b])
        #expect(try FileManager.default.contentsOfDirectory(atPath: store.directory).sorted() == [a, "README"].sorted())
        // The directory and files are private.
        let mode = try FileManager.default.attributesOfItem(atPath: store.path(for: a)!)[.posixPermissions] as? Int
        #expect(mode == 0o600)
    }

    /// Another process may have written a file whose record it has not committed yet: a
    /// collection keeps unreferenced files (and temporary files) younger than
    /// `minimumUnusedAge`, and deletes them at a later collection.
    @Test func aFreshUnreferencedFileSurvivesACollectionAndAnOldOneGoes() throws {
        try withTemporaryDirectory { dir in
            let store = PictureFileStore(stateDirectory: dir)
            let fresh = try store.store(Array("a logo kioskctl just wrote".utf8))
            let old = try store.store(Array("a poster withdrawn last week".utf8))
            let writing = store.directory + "/" + fresh + ".tmp-7-9"
            #expect(FileManager.default.createFile(atPath: writing, contents: Data([1])))
            try setBack(store.path(for: old)!, by: 7 * 86_400)
            #expect(try store.removeAll(except: []) == [old])
            #expect(try store.hashes() == [fresh])
            #expect(FileManager.default.fileExists(atPath: writing), "a write under way is left alone")

            // Just under the age it stays, just over it goes (the age is measured against
            // the given instant, so the test does not depend on how long it runs).
            let now = Date()
            try FileManager.default.setAttributes([.modificationDate: now.addingTimeInterval(-PictureFileStore.minimumUnusedAge + 60)],
                                                  ofItemAtPath: store.path(for: fresh)!)
            #expect(try store.removeAll(except: [], now: now) == [])
            #expect(try store.removeAll(except: [], now: now.addingTimeInterval(61)) == [fresh])
            #expect(FileManager.default.fileExists(atPath: writing), "still young at that instant")
            #expect(try store.hashes().isEmpty)

            // A file dated in the future (the clock was set back) stays.
            let future = try store.store(Array("written before the clock went back".utf8))
            try setBack(store.path(for: future)!, by: -86_400)
            #expect(try store.removeAll(except: []) == [])
        }
    }

    /// Storing the content of an old unreferenced file again makes it young: a collection
    /// running between that store and the record's commit keeps it.
    @Test func storingTheSameContentAgainRefreshesTheFilesAge() throws {
        try withTemporaryDirectory { dir in
            let store = PictureFileStore(stateDirectory: dir)
            let bytes = Array("a poster put up again".utf8)
            let hash = try store.store(bytes)
            try setBack(store.path(for: hash)!, by: 30 * 86_400)
            #expect(try store.store(bytes) == hash)
            #expect(try store.removeAll(except: []) == [])
            #expect(try store.contents(of: hash, maximumBytes: 100) == bytes)
        }
    }
}
