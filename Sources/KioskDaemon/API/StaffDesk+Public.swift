import Foundation
import KioskCore
import KioskDisplay
import KioskFeeds
import KioskStore

extension StaffDesk {
    /// Days of occurrences listed in `programme.json` from the start of today.
    public static let jsonLDDays = 90

    // MARK: Health (public)

    public func health() async -> HealthReport {
        let config = self.config, now = clock.now()
        let reader: String
        switch await lobby?.readerState ?? .notConfigured {
        case .notConfigured: reader = "none"
        case .connecting: reader = "connecting"
        case .connected: reader = "connected"
        case .disconnected: reader = "disconnected"
        }
        do {
            let statuses = try await onQueue { store in try store.programme.sourceStatuses() }
            let configured = Set(config.feeds.map(\.name))
            let last = statuses.filter { $0.kind != .push && configured.contains($0.id) }.compactMap(\.lastSuccess).max()
            let stale = !configured.isEmpty && (last.map { now.timeIntervalSince($0) > config.feedSettings.offlineAfter } ?? true)
            return HealthReport(storeReadable: true, lastSuccess: last, stale: stale, reader: reader)
        } catch {
            return HealthReport(storeReadable: false, lastSuccess: nil, stale: true, reader: reader, problem: "\(error)")
        }
    }

    // MARK: Screen (staff)

    /// What the screen shows now as plain text lines (the terminal rendering without
    /// colours, trailing spaces removed), and the model it comes from.
    public func screen(as principal: Principal) async throws -> (text: String, model: ScreenModel) {
        try require(.staff, principal)
        let config = self.config, now = clock.now()
        let model: ScreenModel
        if let lobby {
            model = await lobby.currentModel()
        } else {
            model = try await onQueue { store in
                let snapshot = try LobbySnapshotReader.snapshot(at: now, store: store, config: config)
                return LobbyLayout(config: config).layout(snapshot, metrics: .init(columns: 100, rows: 30))
            }
        }
        let text = try await onQueue { _ in
            ScreenPainter(theme: TerminalTheme.named("default", colorMode: .monochrome)).paint(model).lines
                .map { String($0.reversed().drop(while: { $0 == " " }).reversed()) }
                .joined(separator: "\n") + "\n"
        }
        return (text, model)
    }

    /// The screen model as JSON: size, fills and text runs in cells.
    public static func json(_ model: ScreenModel) -> [String: Any] {
        [
            "columns": model.columns, "rows": model.rows,
            "fills": model.fills.map { f -> [String: Any] in
                ["column": f.rect.column, "row": f.rect.row, "width": f.rect.width, "height": f.rect.height, "role": f.role.rawValue]
            },
            "runs": model.runs.map { r -> [String: Any] in
                let alignment: String
                switch r.alignment {
                case .leading: alignment = "leading"
                case .center: alignment = "center"
                case .trailing: alignment = "trailing"
                }
                return [
                    "column": r.column, "row": r.row, "width": r.width, "text": r.text, "role": r.role.rawValue,
                    "scale": r.scale, "alignment": alignment, "bold": r.bold,
                ]
            },
        ]
    }

    // MARK: Open data (public)

    /// The programme as `format`, with a strong ETag. The same stored programme gives the
    /// same bytes: the iCalendar file's DTSTAMP is the time this content was first
    /// exported by this process, not the time of each request.
    public func exportProgramme(_ format: ProgrammeExportFormat) async throws -> FeedExport {
        let config = self.config, now = clock.now()
        let zone = config.venue.timeZone
        let events = try await onQueue { store in try store.programme.allEvents().map(\.event) }
        switch format {
        case .iCalendar:
            let exporter = ICalendarExporter(calendarName: config.venue.name, venueTimeZone: zone)
            let key = try await onQueue { _ in SHA256.hash(exporter.export(events, now: Date(timeIntervalSince1970: 0))) }
            if let cached = exportCache.withLock({ $0[format.rawValue] }), cached.contentKey == key {
                return FeedExport(body: cached.body, etag: cached.etag, contentType: format.contentType)
            }
            let stamp = Date(timeIntervalSince1970: now.timeIntervalSince1970.rounded(.down))
            let (body, etag) = try await onQueue { _ in
                let body = exporter.export(events, now: stamp)
                return (body, Self.etag(of: body))
            }
            exportCache.withLock { $0[format.rawValue] = CachedExport(contentKey: key, body: body, etag: etag) }
            return FeedExport(body: body, etag: etag, contentType: format.contentType)
        case .jsonLD:
            let from = CivilDate(now, in: zone).start(in: zone)
            let to = CivilDate(now, in: zone).adding(days: Self.jsonLDDays).start(in: zone)
            let exporter = ProgrammeJSONLDExporter(
                venue: .init(name: config.venue.name, address: config.venue.address), venueTimeZone: zone, includeSchedules: true)
            return try await onQueue { _ in
                let body = exporter.export(events, from: from, to: to)
                return FeedExport(body: body, etag: Self.etag(of: body), contentType: format.contentType)
            }
        }
    }

    /// A strong entity tag: the first 128 bits of the body's SHA-256, quoted.
    static func etag(of body: [UInt8]) -> String {
        "\"" + String(SHA256.hash(body).hex.prefix(32)) + "\""
    }
}
