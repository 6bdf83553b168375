/// The `IHDR` of a PNG (ISO/IEC 15948 section 11.2.2), validated, with the sizes the
/// decoder derives from it.
struct PNGHeader: Sendable, Equatable {
    enum ColorType: Int, Sendable {
        case grey = 0, rgb = 2, palette = 3, greyAlpha = 4, rgba = 6

        var channels: Int {
            switch self {
            case .grey, .palette: return 1
            case .greyAlpha: return 2
            case .rgb: return 3
            case .rgba: return 4
            }
        }

        var allowedDepths: [Int] {
            switch self {
            case .grey: return [1, 2, 4, 8, 16]
            case .palette: return [1, 2, 4, 8]
            case .rgb, .greyAlpha, .rgba: return [8, 16]
            }
        }
    }

    /// One pass of Adam7 (or the single pass of a plain image): the first pixel and the
    /// step between pixels of the pass, in image pixels.
    struct Pass: Sendable {
        var x: Int, y: Int, dx: Int, dy: Int
    }

    static let adam7 = [
        Pass(x: 0, y: 0, dx: 8, dy: 8), Pass(x: 4, y: 0, dx: 8, dy: 8), Pass(x: 0, y: 4, dx: 4, dy: 8),
        Pass(x: 2, y: 0, dx: 4, dy: 4), Pass(x: 0, y: 2, dx: 2, dy: 4), Pass(x: 1, y: 0, dx: 2, dy: 2),
        Pass(x: 0, y: 1, dx: 1, dy: 2),
    ]

    var width: Int
    var height: Int
    var bitDepth: Int
    var colorType: ColorType
    var interlaced: Bool

    init(_ data: ArraySlice<UInt8>) throws {
        guard data.count == 13 else { throw PictureError(.png, .corrupt, "IHDR of \(data.count) bytes, not 13") }
        let d = Array(data)
        func u32(_ i: Int) -> Int { Int(d[i]) << 24 | Int(d[i + 1]) << 16 | Int(d[i + 2]) << 8 | Int(d[i + 3]) }
        width = u32(0)
        height = u32(4)
        bitDepth = Int(d[8])
        guard let type = ColorType(rawValue: Int(d[9])) else { throw PictureError(.png, .corrupt, "colour type \(d[9])") }
        colorType = type
        guard type.allowedDepths.contains(bitDepth) else {
            throw PictureError(.png, .corrupt, "bit depth \(bitDepth) with colour type \(type.rawValue)")
        }
        guard d[10] == 0 else { throw PictureError(.png, .unsupported, "compression method \(d[10])") }
        guard d[11] == 0 else { throw PictureError(.png, .unsupported, "filter method \(d[11])") }
        guard d[12] <= 1 else { throw PictureError(.png, .unsupported, "interlace method \(d[12])") }
        interlaced = d[12] == 1
    }

    var bitsPerPixel: Int { colorType.channels * bitDepth }
    /// The distance, in bytes, the Sub, Average and Paeth filters look back (at least 1).
    var filterStride: Int { max(1, bitsPerPixel / 8) }
    var passes: [Pass] { interlaced ? Self.adam7 : [Pass(x: 0, y: 0, dx: 1, dy: 1)] }

    /// Bytes of one row of `pixels` pixels, without its filter-type byte.
    func rowBytes(_ pixels: Int) -> Int { (pixels * bitsPerPixel + 7) / 8 }

    /// The size of a pass: its pixels across and its rows (either may be 0).
    func size(of pass: Pass) -> (width: Int, height: Int) {
        (width > pass.x ? (width - pass.x + pass.dx - 1) / pass.dx : 0,
         height > pass.y ? (height - pass.y + pass.dy - 1) / pass.dy : 0)
    }

    /// Bytes the inflated image data must hold: every row of every pass with its filter byte.
    /// Called after the sides are checked against `PictureLimits` (no overflow then).
    var rawByteCount: Int {
        passes.reduce(0) { total, pass in
            let (w, h) = size(of: pass)
            return w == 0 || h == 0 ? total : total + h * (1 + rowBytes(w))
        }
    }
}
