@testable import KioskDisplay

/// The `PictureError` that decoding `bytes` throws, nil when it decodes.
func decodingError(_ bytes: [UInt8], limits: PictureLimits = .standard) -> PictureError? {
    thrownPictureError { _ = try PictureDecoder.decode(bytes, limits: limits) }
}

/// The `PictureError` `body` throws (nil when it throws nothing or another error).
func thrownPictureError(_ body: () throws -> Void) -> PictureError? {
    do {
        try body()
        return nil
    } catch {
        return error as? PictureError
    }
}
