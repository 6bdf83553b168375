import Foundation
import KioskDisplay

/// The daemon's `PictureSource`: a picture's key is its file's absolute path (a file of
/// the state directory's `pictures/`, named by content hash, or the venue's logo), read
/// whole when it is at most `maximumBytes`.
public struct PictureFileReader: PictureSource {
    /// Larger than any poster upload or event picture the feeds keep.
    public static let defaultMaximumBytes = 32 << 20
    public var maximumBytes: Int

    public init(maximumBytes: Int = Self.defaultMaximumBytes) {
        self.maximumBytes = maximumBytes
    }

    public func pictureBytes(for key: String) throws -> [UInt8] {
        guard key.hasPrefix("/") else { throw PictureFileReadError(path: key, reason: "not an absolute path") }
        guard let attributes = try? FileManager.default.attributesOfItem(atPath: key), let size = attributes[.size] as? Int else {
            throw PictureFileReadError(path: key, reason: "no such file")
        }
        guard size <= maximumBytes else { throw PictureFileReadError(path: key, reason: "\(size) bytes, over the limit of \(maximumBytes)") }
        guard let data = FileManager.default.contents(atPath: key) else { throw PictureFileReadError(path: key, reason: "cannot be read") }
        guard data.count <= maximumBytes else { throw PictureFileReadError(path: key, reason: "grew past \(maximumBytes) bytes while read") }
        return [UInt8](data)
    }
}

/// A picture file that could not be read.
public struct PictureFileReadError: Error, CustomStringConvertible {
    public var path: String
    public var reason: String
    public var description: String { "\(path): \(reason)" }
}
