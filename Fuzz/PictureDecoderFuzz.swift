// libFuzzer entry point for the picture decoders, compiled together with
// Sources/KioskDisplay/Pictures/{Decoding,Inflate,PNG,JPEG}/*.swift and the CRC file by
// Fuzz/run-picture-fuzz.sh png|jpeg (not part of the package build): -D FUZZ_PNG picks the
// PNG decoder (and the bare zlib inflater), -D FUZZ_JPEG the JPEG one.
//
// Besides "no crash, no sanitizer report", it checks that whatever decodes respects the
// limits it was given and has as many pixels as its sides say. Small limits (256 px a
// side, 256 KiB) keep each run short and reach every limit check. The input's length picks
// the JPEG's DCT scaling (whole, 1/2..1/8 towards a box, or the smallest), so the reduced
// paths are fuzzed as much as the full one.

#if !FUZZ_STANDALONE
import KioskDisplay
#endif

@_cdecl("LLVMFuzzerTestOneInput")
public func pictureDecoderFuzz(_ start: UnsafePointer<UInt8>?, _ count: Int) -> CInt {
    guard let start, count > 0 else { return 0 }
    var bytes = Array(UnsafeBufferPointer(start: start, count: count))
    let limits = PictureLimits(maximumSide: 256, maximumBytes: 256 << 10)
    #if FUZZ_PNG
    // The bare inflater on the input as it is, into a small buffer.
    if let out = try? Inflater.zlib(bytes, capacity: 4096), out.count > 4096 { fatalError("inflated past the capacity") }
    // The fuzzer need not find the signature by itself.
    let signature: [UInt8] = [0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A]
    if !bytes.starts(with: signature) { bytes = signature + bytes }
    #else
    if !bytes.starts(with: [0xFF, 0xD8]) { bytes = [0xFF, 0xD8] + bytes }
    #endif
    let reduction: PictureReduction
    switch count % 4 {
    case 0: reduction = .none
    case 1: reduction = .toAtLeast(width: 31, height: 17)
    case 2: reduction = .toAtLeast(width: 1, height: 1)
    default: reduction = .most
    }
    do {
        let picture = try PictureDecoder.decode(bytes, limits: limits, reduction: reduction)
        guard picture.width > 0, picture.height > 0, picture.width <= 256, picture.height <= 256,
              picture.pixels.count == picture.width * picture.height else {
            fatalError("decoded \(picture.width)x\(picture.height) with \(picture.pixels.count) pixels past the limits")
        }
        if picture.isOpaque, picture.pixels.contains(where: { $0 < 0xFF00_0000 }) { fatalError("an opaque picture with alpha") }
    } catch let error as PictureError {
        _ = error.description
    } catch {
        fatalError("an error that is not a PictureError: \(error)")
    }
    return 0
}
