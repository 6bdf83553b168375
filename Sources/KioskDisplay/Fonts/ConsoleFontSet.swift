/// The regular and bold faces of one console font size: what the rasterizer draws with.
///
/// Both faces have the same cell size, which is also the size of one layout cell on a
/// pixel display.
public struct ConsoleFontSet: Sendable {
    public let regular: PSFFont
    public let bold: PSFFont

    /// Fails when the two faces do not have the same cell size.
    public init(regular: PSFFont, bold: PSFFont) throws(PSFError) {
        guard regular.width == bold.width, regular.height == bold.height else {
            throw PSFError(source: bold.source, offset: 0, reason: .invalidHeader(
                "bold face is \(bold.width)x\(bold.height), regular face \(regular.source) is \(regular.width)x\(regular.height)"))
        }
        self.regular = regular
        self.bold = bold
    }

    /// One font for both (when no bold face is available).
    public init(_ font: PSFFont) {
        regular = font
        bold = font
    }

    public var cellWidth: Int { regular.width }
    public var cellHeight: Int { regular.height }

    public func font(bold isBold: Bool) -> PSFFont { isBold ? bold : regular }
}

/// The Terminus console fonts shipped in `assets/fonts` (Debian's `Uni2-Terminus*.psf`,
/// SIL Open Font License, see `assets/fonts/LICENSE-Terminus.txt`), and the choice of a
/// size for a screen.
///
/// The rule: the largest size that still gives the layout at least 80 columns and 30
/// rows, so headlines (drawn at twice the size) and body text stay readable from three
/// metres: 16x32 on 1920x1080, 12x24 on 1280x720 and 1024x768, 14x28 on 1600x900,
/// 10x20 on 800x600. Smaller screens get the smallest size.
public enum ShippedFonts {
    /// One shipped size: cell width and height in pixels and the file name part.
    public struct Size: Sendable, Hashable, CustomStringConvertible {
        public var width: Int
        public var height: Int
        /// "32x16", or "16" for the 8x16 font (Debian's names put the height first).
        public var fileSuffix: String

        public var regularFileName: String { "Uni2-Terminus\(fileSuffix).psf" }
        public var boldFileName: String { "Uni2-TerminusBold\(fileSuffix).psf" }
        public var description: String { "\(width)x\(height)" }
    }

    /// Largest first.
    public static let sizes: [Size] = [
        Size(width: 16, height: 32, fileSuffix: "32x16"),
        Size(width: 14, height: 28, fileSuffix: "28x14"),
        Size(width: 12, height: 24, fileSuffix: "24x12"),
        Size(width: 10, height: 20, fileSuffix: "20x10"),
        Size(width: 8, height: 16, fileSuffix: "16"),
    ]

    public static let minimumColumns = 80
    public static let minimumRows = 30

    /// The size to use on a screen of `pixelWidth` x `pixelHeight`.
    public static func size(forPixelWidth pixelWidth: Int, height pixelHeight: Int) -> Size {
        sizes.first { pixelWidth / $0.width >= minimumColumns && pixelHeight / $0.height >= minimumRows } ?? sizes[sizes.count - 1]
    }

    /// Loads the regular and bold faces of `size` from `directory`.
    public static func load(_ size: Size, fromDirectory directory: String) throws(PSFError) -> ConsoleFontSet {
        let regular = try PSFFont(contentsOfFile: directory + "/" + size.regularFileName)
        let bold = try PSFFont(contentsOfFile: directory + "/" + size.boldFileName)
        return try ConsoleFontSet(regular: regular, bold: bold)
    }

    /// Loads the size that suits the screen from `directory`.
    public static func load(forPixelWidth pixelWidth: Int, height pixelHeight: Int, fromDirectory directory: String) throws(PSFError) -> ConsoleFontSet {
        try load(size(forPixelWidth: pixelWidth, height: pixelHeight), fromDirectory: directory)
    }
}
