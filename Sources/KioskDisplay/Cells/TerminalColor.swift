/// A colour a terminal cell can have: the terminal's own default, one of the 16 ANSI
/// colours, an entry of the xterm 256-colour palette, or an RGB value.
///
/// The 16 named colours look different on every terminal (the user's palette); `indexed`
/// 16...255 and `rgb` are fixed. `TerminalFrameEncoder` brings a colour down to what the
/// terminal supports (`ColorMode`): RGB to the nearest palette entry, palette entries to
/// the nearest of the 16, and nothing at all in monochrome.
public enum TerminalColor: Hashable, Sendable {
    /// The terminal's default foreground or background (SGR 39 / 49).
    case `default`
    case black, red, green, yellow, blue, magenta, cyan, white
    case brightBlack, brightRed, brightGreen, brightYellow
    case brightBlue, brightMagenta, brightCyan, brightWhite
    /// An entry of the xterm 256-colour palette (SGR 38;5;n). 0-15 are the named colours.
    case indexed(UInt8)
    /// A 24-bit colour (SGR 38;2;r;g;b), for terminals that announce `COLORTERM=truecolor`.
    case rgb(UInt8, UInt8, UInt8)

    /// The 16 named colours in ANSI order: black, red, ..., white, then the bright ones.
    public static let ansi16: [TerminalColor] = [
        .black, .red, .green, .yellow, .blue, .magenta, .cyan, .white,
        .brightBlack, .brightRed, .brightGreen, .brightYellow,
        .brightBlue, .brightMagenta, .brightCyan, .brightWhite,
    ]

    /// The position of a named colour in `ansi16`, nil for the other cases.
    public var ansiIndex: Int? {
        switch self {
        case .black: 0
        case .red: 1
        case .green: 2
        case .yellow: 3
        case .blue: 4
        case .magenta: 5
        case .cyan: 6
        case .white: 7
        case .brightBlack: 8
        case .brightRed: 9
        case .brightGreen: 10
        case .brightYellow: 11
        case .brightBlue: 12
        case .brightMagenta: 13
        case .brightCyan: 14
        case .brightWhite: 15
        case .default, .indexed, .rgb: nil
        }
    }

    /// An approximate RGB value (xterm's default palette for the named colours), nil for
    /// `default`.
    public var approximateRGB: (red: UInt8, green: UInt8, blue: UInt8)? {
        switch self {
        case .default: return nil
        case .rgb(let r, let g, let b): return (r, g, b)
        case .indexed(let n): return Self.paletteRGB(n)
        default: return Self.paletteRGB(UInt8(ansiIndex!))
        }
    }

    /// The RGB value of an xterm 256-colour palette entry.
    static func paletteRGB(_ index: UInt8) -> (red: UInt8, green: UInt8, blue: UInt8) {
        let n = Int(index)
        switch n {
        case 0..<16:
            let (r, g, b) = xtermSixteen[n]
            return (r, g, b)
        case 16..<232:
            let i = n - 16
            return (cubeLevels[i / 36], cubeLevels[(i / 6) % 6], cubeLevels[i % 6])
        default:
            let level = UInt8(8 + (n - 232) * 10)
            return (level, level, level)
        }
    }

    private static let cubeLevels: [UInt8] = [0, 95, 135, 175, 215, 255]
    private static let xtermSixteen: [(UInt8, UInt8, UInt8)] = [
        (0, 0, 0), (205, 0, 0), (0, 205, 0), (205, 205, 0),
        (0, 0, 238), (205, 0, 205), (0, 205, 205), (229, 229, 229),
        (127, 127, 127), (255, 0, 0), (0, 255, 0), (255, 255, 0),
        (92, 92, 255), (255, 0, 255), (0, 255, 255), (255, 255, 255),
    ]

    /// This colour as a terminal in `mode` can show it: the nearest colour of that mode's
    /// palette, or `default` in monochrome.
    public func adapted(to mode: ColorMode) -> TerminalColor {
        switch (mode, self) {
        case (_, .default): return .default
        case (.monochrome, _): return .default
        case (.trueColor, _): return self
        case (.palette256, .rgb(let r, let g, let b)): return .indexed(Self.nearest256(r, g, b))
        case (.palette256, _): return self
        case (.ansi16, .indexed(let n)) where n < 16: return Self.ansi16[Int(n)]
        case (.ansi16, _):
            if ansiIndex != nil { return self }
            let (r, g, b) = approximateRGB!
            return Self.ansi16[Self.nearestSixteen(r, g, b)]
        }
    }

    /// The nearest entry of the 6x6x6 cube or the grey ramp (16...255).
    static func nearest256(_ r: UInt8, _ g: UInt8, _ b: UInt8) -> UInt8 {
        func cubeStep(_ v: UInt8) -> Int {
            // Nearest of 0, 95, 135, 175, 215, 255.
            var best = 0
            for i in 1..<6 where abs(Int(cubeLevels[i]) - Int(v)) < abs(Int(cubeLevels[best]) - Int(v)) {
                best = i
            }
            return best
        }
        let cube = 16 + 36 * cubeStep(r) + 6 * cubeStep(g) + cubeStep(b)
        let average = (Int(r) + Int(g) + Int(b)) / 3
        let greyStep = max(0, min(23, (average - 8 + 5) / 10))
        let grey = 232 + greyStep
        let candidates = [cube, grey]
        let best = candidates.min { distance(paletteRGB(UInt8($0)), (r, g, b)) < distance(paletteRGB(UInt8($1)), (r, g, b)) }!
        return UInt8(best)
    }

    static func nearestSixteen(_ r: UInt8, _ g: UInt8, _ b: UInt8) -> Int {
        (0..<16).min { distance(xtermSixteen[$0], (r, g, b)) < distance(xtermSixteen[$1], (r, g, b)) }!
    }

    private static func distance(_ a: (UInt8, UInt8, UInt8), _ b: (UInt8, UInt8, UInt8)) -> Int {
        let dr = Int(a.0) - Int(b.0), dg = Int(a.1) - Int(b.1), db = Int(a.2) - Int(b.2)
        // Weighted for the eye's sensitivity (green most, blue least).
        return 3 * dr * dr + 4 * dg * dg + 2 * db * db
    }
}
