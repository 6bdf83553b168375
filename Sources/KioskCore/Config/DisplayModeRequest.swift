/// A video mode asked for in `[screen] mode`: `1920x1080` or `1920x1080@60`, or
/// `preferred` (the connector's own choice, the default).
///
/// The DRM backend takes the connector's mode of that size (and refresh rate, to the
/// nearest hertz, when one is given); when the screen has no such mode it keeps the
/// preferred one and says so.
public struct DisplayModeRequest: Sendable, Hashable, CustomStringConvertible {
    public var width: Int
    public var height: Int
    /// Vertical refresh in Hz; nil: any (the highest the screen offers at that size).
    public var refresh: Int?

    public init(width: Int, height: Int, refresh: Int? = nil) {
        self.width = width
        self.height = height
        self.refresh = refresh
    }

    /// Reads `WIDTHxHEIGHT[@HZ]` (sizes 1 to 16384, refresh 1 to 1000 Hz); nil for
    /// `preferred` or an empty value.
    public static func parse(_ text: String) throws(ConfigValueError) -> DisplayModeRequest? {
        let t = text.lowercased()
        if t.isEmpty || t == "preferred" { return nil }
        let fail = ConfigValueError("'\(text)' is not a mode (examples: 1920x1080@60, 1280x720, preferred)")
        let sizeAndRate = t.split(separator: "@", maxSplits: 1, omittingEmptySubsequences: false)
        let size = sizeAndRate[0].split(separator: "x", omittingEmptySubsequences: false)
        guard size.count == 2, let width = Self.number(size[0], in: 1...16384), let height = Self.number(size[1], in: 1...16384) else { throw fail }
        var refresh: Int?
        if sizeAndRate.count == 2 {
            guard let hz = Self.number(sizeAndRate[1], in: 1...1000) else { throw fail }
            refresh = hz
        }
        return DisplayModeRequest(width: width, height: height, refresh: refresh)
    }

    private static func number(_ text: Substring, in range: ClosedRange<Int>) -> Int? {
        guard !text.isEmpty, text.count <= 5, text.allSatisfy({ $0.isASCII && $0.isNumber }), let n = Int(text), range.contains(n) else { return nil }
        return n
    }

    public var description: String { refresh.map { "\(width)x\(height)@\($0)" } ?? "\(width)x\(height)" }
}
