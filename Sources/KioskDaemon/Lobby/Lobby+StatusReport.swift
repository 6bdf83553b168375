import Foundation
import KioskCore
import KioskStore

extension Lobby {
    /// The parts of kioskd's status report the lobby owns: the display's grid, the reader,
    /// the configured feeds and the store (`DaemonStatusSocket`). The display's failure and
    /// the process facts are the runtime's.
    func statusReport(displayFailure: String?, http: String?, version: String) -> DaemonStatusReport {
        let screen = config.screen
        let metrics = (display as? any CellDisplay)?.metrics ?? LobbyLayout.Metrics(columns: 0, rows: 0)
        let picture = (display as? any PixelDisplay).map { "\($0.surface.width)x\($0.surface.height)" }
        var reader: DaemonStatusReport.Reader?
        if let device = config.checkIn.readerDevice {
            let state: String
            switch checkIn.reader {
            case .notConfigured, .connecting: state = "connecting"
            case .connected: state = "connected"
            case .disconnected: state = "disconnected"
            }
            reader = .init(device: device, protocol: config.checkIn.readerProtocol.rawValue, state: state, problem: checkIn.readerProblem)
        }
        let statuses = Dictionary(sourceStatuses.map { ($0.id, $0) }, uniquingKeysWith: { first, _ in first })
        let feeds = config.feeds.map { feed -> DaemonStatusReport.Feed in
            let status = statuses[feed.name]
            return .init(name: feed.name, url: feed.url, lastSuccess: status?.lastSuccess, lastAttempt: status?.lastAttempt,
                         lastError: status?.lastError, consecutiveFailures: status?.consecutiveFailures ?? 0, events: status?.eventCount ?? 0)
        }
        var store = DaemonStatusReport.Store(path: self.store.database.path, schemaVersion: nil, problem: nil)
        do { store.schemaVersion = Int(try self.store.database.userVersion()) } catch { store.problem = "\(error)" }
        var status = serviceStatus()
        if let displayFailure { status += "; display failing: \(displayFailure)" }
        return DaemonStatusReport(
            pid: getpid(), version: version, configPath: config.path, status: status,
            display: .init(backend: screen.backend.rawValue, device: screen.drawnDevice,
                           columns: metrics.columns, rows: metrics.rows, failure: displayFailure, picture: picture),
            reader: reader, feeds: feeds, store: store, http: http)
    }
}

extension KioskConfig.Screen {
    /// The device the lobby is drawn on, for messages and `KIOSK_DEVICE=`: the framebuffer,
    /// the DRM cards (the card is chosen when kioskd starts), or the terminal.
    var drawnDevice: String {
        switch backend {
        case .framebuffer: return framebuffer
        case .drm: return "/dev/dri"
        case .auto: return "/dev/dri or \(framebuffer)"
        case .terminal: return terminal
        }
    }
}
