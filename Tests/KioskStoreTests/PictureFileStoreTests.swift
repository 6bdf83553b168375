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
        // A temporary file left by an interrupted write and an unreferenced picture go; a
        // foreign file stays.
        FileManager.default.createFile(atPath: store.directory + "/" + a + ".tmp-1-2", contents: Data([1]))
        FileManager.default.createFile(atPath: store.directory + "/README", contents: Data([1]))
        #expect(try store.removeAll(except: [a]) == [b])
        #expect(try FileManager.default.contentsOfDirectory(atPath: store.directory).sorted() == [a, "README"].sorted())
        // The directory and files are private.
        let mode = try FileManager.default.attributesOfItem(atPath: store.path(for: a)!)[.posixPermissions] as? Int
        #expect(mode == 0o600)
    }
}
