import KioskCore

/// Where a renderer reads a picture's bytes by the key a scene names it by
/// (`ScenePicture.key`, the `PictureRef.key` of the snapshot). The daemon's source reads
/// the state directory's picture files and the venue's logo, with a size limit.
public protocol PictureSource: Sendable {
    /// The file's bytes; throws (a reason a maintainer can act on) when it cannot be read.
    func pictureBytes(for key: String) throws -> [UInt8]
}

/// The pictures a `SceneRenderer` draws: each decoded once, as small as its box allows
/// (`PictureReduction`: a JPEG's DCT scaling), scaled to the box (area averaging down,
/// bilinear up, in linear light) and kept at that size in a `PictureCache` bounded in
/// bytes; the decode at source size is dropped at once.
///
/// A picture that cannot be read or decoded is reported once through `warn` (the journal,
/// in the daemon) and drawn as its placeholder from then on: never a crash, never a blank
/// screen. A value type owned by its renderer.
public struct ScenePictureShelf: Sendable {
    public let source: any PictureSource
    public var limits: PictureLimits
    public private(set) var cache: PictureCache
    /// Keys that failed, with the reason, not tried again until `forget(_:)`.
    public private(set) var failures: [String: String] = [:]
    private let warn: @Sendable (String) -> Void
    private let note: (@Sendable (String) -> Void)?

    /// The cache's default budget: a full-panel poster and the featured picture at
    /// 1920x1080 (about 3.5 MB and 2 MB at 4 bytes a pixel) and the logo.
    public static let defaultBudgetBytes = 6 << 20
    /// Failures remembered at most (a feed naming ever new broken pictures cannot grow it).
    static let maximumFailures = 256

    public init(source: any PictureSource, budgetBytes: Int = Self.defaultBudgetBytes, limits: PictureLimits = .standard,
                warn: @escaping @Sendable (String) -> Void, note: (@Sendable (String) -> Void)? = nil) {
        self.source = source
        self.limits = limits
        self.cache = PictureCache(budgetBytes: budgetBytes)
        self.warn = warn
        self.note = note
    }

    /// The picture for `picture` scaled into a `width` x `height` box, and where it goes in
    /// the box (relative to its top-left corner); nil when it cannot be shown.
    public mutating func picture(_ picture: ScenePicture, width: Int, height: Int) -> (picture: Picture, placement: PicturePlacement)? {
        guard width > 0, height > 0, failures[picture.key] == nil else { return nil }
        let fit: PictureFit = picture.fit == .cover ? .coverCentred : .inside
        let key = PictureCache.Key(source: picture.key, width: width, height: height, fit: fit)
        let (source, limits) = (self.source, self.limits)
        do {
            var decoded: (width: Int, height: Int, bytes: Int)?
            let result = try cache.picture(key) {
                let bytes = try source.pictureBytes(for: picture.key)
                let full = try PictureDecoder.decode(bytes, limits: limits, reduction: .toAtLeast(width: width, height: height))
                decoded = (full.width, full.height, bytes.count)
                return full
            }
            if let decoded, let note {
                note("picture \(picture.key): \(decoded.bytes) bytes decoded at \(decoded.width)x\(decoded.height), shown at "
                     + "\(result.picture.width)x\(result.picture.height); picture cache \(cache.bytes) of \(cache.budgetBytes) bytes")
            }
            return result
        } catch {
            if failures.count >= Self.maximumFailures { failures.removeAll() }
            failures[picture.key] = "\(error)"
            warn("picture \(picture.key): \(error); shown without it")
            return nil
        }
    }

    /// Forgets `key`'s scaled copies and its failure (its file was replaced or removed).
    public mutating func forget(_ key: String) {
        cache.remove(source: key)
        failures[key] = nil
    }

    /// Bytes the cache holds now.
    public var cachedBytes: Int { cache.bytes }
}
