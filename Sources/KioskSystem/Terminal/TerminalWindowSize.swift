/// The size of a terminal window as the kernel reports it (`struct winsize`).
///
/// `columns` and `rows` are character cells; the pixel sizes are 0 when the terminal does
/// not report them (the Linux console and most emulators leave them at 0).
public struct TerminalWindowSize: Hashable, Sendable, CustomStringConvertible {
    public var columns: Int
    public var rows: Int
    public var pixelWidth: Int
    public var pixelHeight: Int

    public init(columns: Int, rows: Int, pixelWidth: Int = 0, pixelHeight: Int = 0) {
        self.columns = columns
        self.rows = rows
        self.pixelWidth = pixelWidth
        self.pixelHeight = pixelHeight
    }

    public var description: String { "\(columns)x\(rows)" }
}
