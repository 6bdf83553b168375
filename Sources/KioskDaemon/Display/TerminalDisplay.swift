import Foundation
import KioskCore
import KioskDisplay
import KioskSystem

/// The lobby on a terminal: alternate screen, hidden cursor, and after the first frame
/// only the cells that changed are sent (`TerminalFrameEncoder`).
///
/// Owns the terminal while it runs and gives it back as found on `restore()` (normal
/// exit, SIGINT, SIGTERM) and, through `EmergencyTerminalRestore`, on a crash.
public final class TerminalDisplay: CellDisplay {
    public let device: TerminalDevice
    private let session = TerminalSession()
    private let encoder: TerminalFrameEncoder
    private let painter: ScreenPainter
    private var previous: CellGrid?
    private var size: TerminalWindowSize
    private var started = false
    private var restored = false
    /// Bytes written so far (benchmarks and tests read it).
    public private(set) var bytesWritten = 0

    /// - Parameters:
    ///   - colorMode: what the terminal can show (see `ColorMode.detect`).
    ///   - themeName: `default` or `high-contrast`; monochrome terminals get attributes only.
    public init(device: TerminalDevice, colorMode: ColorMode, themeName: String) {
        self.device = device
        encoder = TerminalFrameEncoder(colorMode: colorMode)
        painter = ScreenPainter(theme: TerminalTheme.named(themeName, colorMode: colorMode))
        size = (try? device.windowSize()) ?? TerminalWindowSize(columns: 80, rows: 24)
        if size.columns == 0 || size.rows == 0 { size = TerminalWindowSize(columns: 80, rows: 24) }
    }

    /// The colour mode a configured preference gives on this terminal and environment.
    public static func colorMode(for preference: ColorPreference, environment: [String: String], isTerminal: Bool) -> ColorMode {
        switch preference {
        case .auto: return ColorMode.detect(environment: environment, isTerminal: isTerminal)
        case .truecolor: return .trueColor
        case .ansi256: return .palette256
        case .ansi16: return .ansi16
        case .mono: return .monochrome
        }
    }

    public var metrics: LobbyLayout.Metrics {
        LobbyLayout.Metrics(columns: size.columns, rows: size.rows, headlineScale: 1)
    }

    public func refreshSize() -> Bool {
        guard let now = try? device.windowSize(), now.columns > 0, now.rows > 0, now != size else { return false }
        size = now
        previous = nil
        return true
    }

    public func show(_ model: ScreenModel) throws {
        if !started {
            started = true
            try device.write(session.startBytes)
            try? EmergencyTerminalRestore.install(session.restoreBytes, on: device.output)
        }
        let grid = painter.paint(model)
        let bytes = encoder.encode(from: previous, to: grid)
        if !bytes.isEmpty {
            try device.write(bytes)
            bytesWritten += bytes.count
        }
        previous = grid
    }

    public func restore() {
        guard !restored else { return }
        restored = true
        if started {
            try? device.write(session.restoreBytes)
            EmergencyTerminalRestore.uninstall()
        }
        device.restore()
    }

    deinit { restore() }
}
