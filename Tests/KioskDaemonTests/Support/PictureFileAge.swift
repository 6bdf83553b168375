import Foundation
import KioskStore

extension PictureFileStore {
    /// Dates the files of `hashes` two `minimumUnusedAge`s back, so that a collection may
    /// delete them when nothing names them (a fresh file is kept for a later one).
    func age(_ hashes: String...) throws {
        for hash in hashes {
            try FileManager.default.setAttributes([.modificationDate: Date().addingTimeInterval(-2 * Self.minimumUnusedAge)], ofItemAtPath: path(for: hash)!)
        }
    }
}
