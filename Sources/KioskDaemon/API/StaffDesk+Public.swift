import Foundation
import KioskCore
import KioskDisplay
import KioskFeeds
import KioskStore

extension StaffDesk {
    /// Days of occurrences listed in `programme.json` from the start of today.
    public static let jsonLDDays = 90

    // MARK: Health (public)

    /// `/healthz`: the body, and why the store could not be read (logged, never sent);
    /// the answer is 503 when `problem` is set.
    public func health() async -> (body: HealthBody, problem: String?) {
        let config = self.config, now = clock.now()
        let reader: String
        switch await lobby?.readerState ?? .notConfigured {
        case .notConfigured: reader = "none"
        case .connecting: reader = "connecting"
        case .connected: reader = "connected"
        case .disconnected: reader = "disconnected"
        }
        do {
            let (statuses, alert) = try await onQueue { store in (try store.programme.sourceStatuses(), try store.alerts.inForce(at: now)) }
            let configured = Set(config.feeds.map(\.name))
            let last = statuses.filter { $0.kind != .push && configured.contains($0.id) }.compactMap(\.lastSuccess).max()
            let stale = !configured.isEmpty && (last.map { now.timeIntervalSince($0) > config.feedSettings.offlineAfter } ?? true)
            return (HealthBody(status: "ok", programme: .init(lastSuccess: last, stale: stale), reader: reader, alert: alert.map(AlertBody.init)), nil)
        } catch {
            return (HealthBody(status: "unavailable", programme: .init(lastSuccess: nil, stale: true), reader: reader, alert: nil), "\(error)")
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

    // MARK: Open data (public)

    /// The programme as `format`, with a strong ETag. The same stored programme gives the
    /// same bytes: the iCalendar file's DTSTAMP is the time this content was first
    /// exported by this process, not the time of each request.
    public func exportProgramme(_ format: ProgrammeExportFormat) async throws -> FeedExport {
        let config = self.config, now = clock.now()
        let zone = config.venue.timeZone
        let (events, alert) = try await onQueue { store in (try store.programme.allEvents().map(\.event), try store.alerts.inForce(at: now)) }
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
            let announcement = alert.map { alert in
                ProgrammeJSONLDExporter.Announcement(
                    name: alert.title, text: alert.text, category: alert.level.rawValue, posted: alert.raised, expires: alert.expires)
            }
            return try await onQueue { _ in
                let body = exporter.export(events, from: from, to: to, announcement: announcement)
                return FeedExport(body: body, etag: Self.etag(of: body), contentType: format.contentType)
            }
        }
    }

    /// A strong entity tag: the first 128 bits of the body's SHA-256, quoted.
    static func etag(of body: [UInt8]) -> String {
        "\"" + String(SHA256.hash(body).hex.prefix(32)) + "\""
    }
}
