/// The coverage of one glyph at one size and horizontal phase: one byte a pixel, 0 (none)
/// to 255 (full), row after row.
///
/// Placed relative to the pen: column 0 is `offsetX` pixels right of the pen's whole-pixel
/// position, row 0 is `offsetY` pixels below the baseline (negative: above it).
public struct GlyphBitmap: Sendable, Equatable {
    public let offsetX: Int
    public let offsetY: Int
    public let width: Int
    public let height: Int
    public let coverage: [UInt8]

    public init(offsetX: Int, offsetY: Int, width: Int, height: Int, coverage: [UInt8]) {
        precondition(width >= 0 && height >= 0 && coverage.count == width * height, "coverage does not match the size")
        self.offsetX = offsetX
        self.offsetY = offsetY
        self.width = width
        self.height = height
        self.coverage = coverage
    }

    /// A glyph with no pixels (a space).
    public static let empty = GlyphBitmap(offsetX: 0, offsetY: 0, width: 0, height: 0, coverage: [])

    /// The coverage at (`x`, `y`) of the bitmap, 0 outside it.
    public subscript(x: Int, y: Int) -> UInt8 {
        guard x >= 0, x < width, y >= 0, y < height else { return 0 }
        return coverage[y * width + x]
    }

    /// Bytes this bitmap holds in memory, as the glyph cache counts them: its coverage and
    /// a fixed share for the entry's bookkeeping.
    public var cost: Int { coverage.count + 64 }
}
