import Dispatch
import Foundation
import KioskDisplay
import Synchronization

/// The small pictures of the staff page's posters list: each poster's picture decoded by
/// our decoders (a phone's JPEG at a reduced DCT scale, its EXIF orientation applied),
/// scaled to fit `box` x `box` pixels (a 120 CSS px tile at twice the density) on white
/// and sent as a compressed PNG: never the uploaded bytes themselves.
///
/// Thumbnails are kept by the picture's content hash (so never stale) in a cache bounded
/// in bytes, the oldest dropped first. They are made one at a time on a queue of their
/// own, off the cooperative pool: a page listing ten posters costs at most one decode at
/// once, within the poster limits (`PosterDraft.pictureLimits`).
public final class StaffPosterThumbnails: Sendable {
    /// The largest side of a thumbnail, in pixels.
    public static let box = 240

    /// One per process: every session shares the thumbnails made.
    public static let shared = StaffPosterThumbnails()

    /// Bytes of PNG kept at most.
    public let budgetBytes: Int
    private struct Cache {
        var entries: [String: [UInt8]] = [:]
        /// Hashes, oldest first.
        var order: [String] = []
        var bytes = 0
        /// Each thumbnail's size in pixels, kept apart from the bytes (a few bytes each, so
        /// the page can give every `<img>` its size without making the thumbnail again).
        var sizes: [String: Size] = [:]
    }
    /// A thumbnail's width and height in pixels.
    public struct Size: Sendable, Hashable {
        public var width: Int
        public var height: Int
    }
    /// Sizes remembered at most; past this the table starts again.
    static let maximumSizes = 4096
    private let cache = Mutex(Cache())
    private static let making = DispatchQueue(label: "kioskd.staff-poster-thumbnails", qos: .utility)

    public init(budgetBytes: Int = 1 << 20) {
        self.budgetBytes = budgetBytes
    }

    /// The thumbnail of the picture whose content hash is `hash`: from the cache, or made
    /// from the file `read` gives (nil when it has none). Throws `PictureError` when the
    /// file does not decode.
    public func png(hash: String, read: @Sendable () async throws -> [UInt8]?) async throws -> [UInt8]? {
        if let kept = cache.withLock({ $0.entries[hash] }) { return kept }
        guard let bytes = try await read() else { return nil }
        let (png, size) = try await withCheckedThrowingContinuation { continuation in
            Self.making.async { continuation.resume(with: Result { try Self.make(bytes) }) }
        }
        keep(png, size: size, for: hash)
        return png
    }

    /// The size of the thumbnail `png(hash:read:)` gives, for the page's `width` and
    /// `height` attributes: remembered, or the thumbnail is made (and kept for the request
    /// that follows). Nil when `read` has no file; throws as `png(hash:read:)` does.
    public func size(hash: String, read: @Sendable () async throws -> [UInt8]?) async throws -> Size? {
        if let known = cache.withLock({ $0.sizes[hash] }) { return known }
        guard try await png(hash: hash, read: read) != nil else { return nil }
        return cache.withLock { $0.sizes[hash] }
    }

    /// How many thumbnails are kept, and their bytes (tests).
    var kept: (count: Int, bytes: Int) { cache.withLock { ($0.entries.count, $0.bytes) } }

    private func keep(_ png: [UInt8], size: Size, for hash: String) {
        cache.withLock { cache in
            if cache.sizes.count >= Self.maximumSizes { cache.sizes.removeAll() }
            cache.sizes[hash] = size
            guard png.count <= budgetBytes, cache.entries[hash] == nil else { return }
            cache.entries[hash] = png
            cache.order.append(hash)
            cache.bytes += png.count
            while cache.bytes > budgetBytes, !cache.order.isEmpty {
                let oldest = cache.order.removeFirst()
                cache.bytes -= cache.entries.removeValue(forKey: oldest)?.count ?? 0
            }
        }
    }

    /// Decodes `bytes` (reduced as far as the box allows), scales the upright picture to
    /// fit `box` x `box` (never up), lays it on white and compresses it; with its size.
    static func make(_ bytes: [UInt8]) throws -> ([UInt8], Size) {
        let picture = try PictureDecoder.decode(bytes, limits: PosterDraft.pictureLimits, reduction: .toAtLeast(width: box, height: box))
        let scale = min(1, Double(box) / Double(picture.width), Double(box) / Double(picture.height))
        let width = max(1, Int((Double(picture.width) * scale).rounded()))
        let height = max(1, Int((Double(picture.height) * scale).rounded()))
        var canvas = PixelCanvas(width: width, height: height, color: .white)
        canvas.draw(PictureScaler.scale(picture, width: width, height: height), x: 0, y: 0)
        return (PNGEncoder.encode(canvas, compression: .deflate), Size(width: width, height: height))
    }
}
