import Foundation
import KioskCore
import KioskDisplay
import KioskStore
import KioskSystem

/// The one owner of the lobby's mutable state: it reads and writes the store, holds the
/// configuration, and asks the display to redraw. Feed pullers, signal handlers, the
/// keyboard and timers send it events; everything they pass is `Sendable`.
///
/// Durable first: whatever changes the programme goes to the store in one transaction,
/// then the screen is recomputed from what the store holds.
///
/// Its own thread: the lobby's executor is a `DedicatedThreadExecutor`, so its blocking
/// work (SQLite commits with their fsync, whole-store reads, display writes) never holds
/// a thread of Swift's cooperative pool, and a busy pool never delays a badge's welcome.
/// Timers that act on the lobby (the welcome's dismissal) run on that thread too.
public actor Lobby {
    /// The thread every job of this actor runs on.
    public nonisolated let executor: DedicatedThreadExecutor
    public nonisolated var unownedExecutor: UnownedSerialExecutor { executor.asUnownedSerialExecutor() }
    let clock: any Clock
    private(set) var config: KioskConfig { didSet { laidOut = nil } }
    /// The database and the output, handed over by the daemon's store and display services
    /// (`attach`) before the lobby service starts it, and closed by those services after
    /// the lobby stopped (`closeStore`, `restoreDisplay`): the lobby owns them in between,
    /// on its thread.
    private var attachedStore: StateStore?
    private var attachedDisplay: (any LobbyDisplay)?
    var store: StateStore {
        guard let attachedStore else { preconditionFailure("the lobby was used before the store service attached its database") }
        return attachedStore
    }
    var display: any LobbyDisplay {
        guard let attachedDisplay else { preconditionFailure("the lobby was used before the display service attached its output") }
        return attachedDisplay
    }
    let logger: JournalLogger
    /// The welcome on screen and the reader's state (see `Lobby+CheckIn.swift`).
    var checkIn = LobbyCheckInState()

    // What the store holds, cached between changes.
    private var events: [StoredEvent] = [] { didSet { laidOut = nil } }
    private(set) var residents: [Resident] = []
    /// `residents` sorted and worded for the directory, in the configured language: worked
    /// out when the residents or the configuration are loaded, not on every frame.
    private var residentLines: [LobbySnapshot.ResidentLine] = [] { didSet { laidOut = nil } }
    /// The venue's day boundaries, kept between frames (replaced when the zone changes).
    private(set) var venueDays: VenueDays
    private var notices: [Notice] = [] { didSet { laidOut = nil } }
    /// Every poster the store holds (those in their period are shown).
    private var posters: [Poster] = [] { didSet { laidOut = nil } }
    /// The content hash of each event's picture, by event uid.
    var eventPictureHashes: [String: String] = [:] { didSet { laidOut = nil } }
    /// The content hash of each resident's logo, by resident id.
    var residentLogoHashes: [String: String] = [:] { didSet { laidOut = nil } }
    /// Pictures checked to decode (see `Lobby+ScreenPictures.swift`).
    private var pictureChecks = ScreenPictureChecks()
    private var sources: [SourceStatus] = [] { didSet { laidOut = nil } }
    /// The staff alert raised last and not withdrawn (drawn while in force).
    private(set) var alert: ScreenAlert? { didSet { laidOut = nil } }
    // Occurrences are expanded for a window and reused until the day changes.
    private var expanded: (from: Date, to: Date, occurrences: [Occurrence])? { didSet { laidOut = nil } }
    /// The lobby last laid out, without the check-in overlay, reused while its snapshot
    /// stands (`LobbySnapshot.validUntil`), the panel rotation has not moved and the grid
    /// (or the picture) is the same: a badge scan lays out only its welcome. Emptied
    /// whenever an input of the snapshot changes (the `didSet`s above).
    private var laidOut: (snapshot: LobbySnapshot, key: LayoutKey, validUntil: Date, screen: LaidOutScreen)?
    /// The screen last shown; nil forces the next redraw (after the screen wakes up).
    var lastShown: LaidOutScreen?
    private var stopped = false
    private var dataVersion: Int64?
    /// Cuts already logged (source, uid, reason), so a daily re-expansion does not repeat them.
    private var reportedCuts = Set<String>()

    /// A lobby that owns `store` and `display` from the start (tests, `kioskctl render`).
    public init(
        clock: any Clock, config: KioskConfig, store: sending StateStore, display: sending any LobbyDisplay, logger: JournalLogger,
        executor: DedicatedThreadExecutor = DedicatedThreadExecutor(name: "kioskd-lobby")
    ) {
        self.init(clock: clock, config: config, store: Optional(store), display: Optional(display), logger: logger, executor: executor)
    }

    /// A lobby whose database and output the daemon's store and display services attach
    /// (`attach`) before `start`.
    public init(clock: any Clock, config: KioskConfig, logger: JournalLogger, executor: DedicatedThreadExecutor = DedicatedThreadExecutor(name: "kioskd-lobby")) {
        self.init(clock: clock, config: config, store: nil, display: nil, logger: logger, executor: executor)
    }

    private init(
        clock: any Clock, config: KioskConfig, store: sending StateStore?, display: sending (any LobbyDisplay)?, logger: JournalLogger,
        executor: DedicatedThreadExecutor
    ) {
        self.executor = executor
        self.attachedStore = store
        self.attachedDisplay = display
        self.clock = clock
        self.config = config
        self.logger = logger
        self.venueDays = VenueDays(timeZone: config.venue.timeZone)
    }

    /// The store service hands over the database it opened (kioskd's start).
    public func attach(_ store: sending StateStore) {
        attachedStore = store
    }

    /// The display service hands over the output it opened (kioskd's start).
    public func attach(_ display: sending any LobbyDisplay) {
        attachedDisplay = display
    }

    /// The store service, once everything that used the database has stopped: closes the
    /// connection (SQLite checkpoints the write-ahead log). Later reads fail with "the
    /// database is closed" instead of touching a closed handle.
    public func closeStore() throws {
        try attachedStore?.database.close()
    }

    /// The display service, once the lobby has stopped: puts the output back as it was
    /// found (terminal modes, the console in text mode, DRM master dropped).
    public func restoreDisplay() {
        attachedDisplay?.restore()
    }

    /// Loads everything from the store and draws the first frame.
    public func start() throws {
        try reloadFromStore()
        try redraw()
    }

    /// Re-reads the store (after an import done by another process, or a reload).
    public func reloadFromStore() throws {
        // What is read below is at least this version, so the next tick's
        // `refreshIfStoreChanged` does not read it all again (the staff API reloads the
        // lobby itself right after its commits).
        dataVersion = try currentDataVersion()
        events = try store.programme.allEvents()
        residents = try store.residents.all()
        residentLines = LobbySnapshot.residentLines(residents, strings: LobbyStrings(config.venue.language))
        if venueDays.timeZone != config.venue.timeZone { venueDays = VenueDays(timeZone: config.venue.timeZone) }
        notices = try store.notices.all()
        try reloadPosters()
        try reloadPictureHashes()
        pictureChecks.removeAll()
        sources = try store.programme.sourceStatuses()
        alert = try store.alerts.latest()
        expanded = nil
    }

    /// Re-reads which picture each event and each resident has.
    func reloadPictureHashes() throws {
        eventPictureHashes = try store.eventPictures.picturesByEvent()
        residentLogoHashes = try store.residents.logoPictures()
    }

    /// Re-reads the posters alone (after the lobby itself deleted some): the other tables
    /// and the pictures' checks stay as they are.
    func reloadPosters() throws {
        posters = try store.posters.all()
    }

    /// Reloads when another process (kioskctl) committed to the database since we last read
    /// it (`PRAGMA data_version` changes only for other connections' commits).
    public func refreshIfStoreChanged() throws {
        let version = try currentDataVersion()
        if let seen = dataVersion, seen != version {
            try reloadFromStore()
        } else {
            dataVersion = version
        }
    }

    private func currentDataVersion() throws -> Int64 {
        try store.database.scalar("PRAGMA data_version", as: Int64.self) ?? 0
    }

    /// Redraws if anything visible changed (the display flushes only the differences).
    public func redraw() throws {
        guard !stopped else { return }
        guard try screenIsLit() else { return }
        let screen = currentScreen()
        guard screen != lastShown else { return }
        switch (screen, display) {
        case (.cells(let model), let cells as any CellDisplay): try cells.show(model)
        case (.pixels(let scene), let pixels as any PixelDisplay): try pixels.show(scene)
        default: return
        }
        lastShown = screen
    }

    /// The screen as it should be now, laid out for the display: the cell layout for a
    /// `CellDisplay`, the pixel layout for a `PixelDisplay`, the check-in on top.
    func currentScreen() -> LaidOutScreen {
        let now = clock.now()
        let key = layoutKey(at: now)
        let snapshot: LobbySnapshot
        var screen: LaidOutScreen
        if let cached = laidOut, cached.key == key, cached.snapshot.instant <= now, now < cached.validUntil {
            snapshot = cached.snapshot
            screen = cached.screen
        } else {
            snapshot = LobbySnapshot.make(at: now, inputs: inputs(at: now), config: config)
            let next: Date?
            switch key {
            case .cells(let metrics):
                let laid = LobbyLayout(config: config).layoutWithNextPanelChange(snapshot, metrics: metrics)
                (screen, next) = (.cells(laid.screen), laid.nextPanelChange)
            case .pixels(let metrics, let surface):
                let laid = surface.layout(config: config).layoutWithNextPanelChange(snapshot, metrics: metrics)
                (screen, next) = (.pixels(laid.scene), laid.nextPanelChange)
            }
            // `inputs(at:)` may have expanded the window again, which empties the cache:
            // store after it.
            laidOut = (snapshot, key, min(snapshot.validUntil, next ?? .distantFuture), screen)
        }
        let overlay = checkInOverlay(snapshot)
        switch (screen, key) {
        case (.cells(var model), .cells(let metrics)):
            LobbyLayout(config: config).addCheckIn(overlay, to: &model, metrics: metrics)
            screen = .cells(model)
        case (.pixels(var scene), .pixels(let metrics, let surface)):
            surface.layout(config: config).addCheckIn(overlay, to: &scene, metrics: metrics, strings: snapshot.strings)
            screen = .pixels(scene)
        default: break
        }
        return screen
    }

    /// The screen as the cell layout says it now: on a cell display what it shows; on a
    /// pixel display the same lobby on a 120x40 grid (the screen's text for the staff
    /// API and `kioskctl screen`).
    public func currentModel() -> ScreenModel {
        if case .cells(let model) = currentScreen() { return model }
        let now = clock.now()
        let metrics = LobbyLayout.Metrics(columns: 120, rows: 40)
        let snapshot = laidOut.flatMap { $0.snapshot.instant <= now && now < $0.validUntil ? $0.snapshot : nil }
            ?? LobbySnapshot.make(at: now, inputs: inputs(at: now), config: config)
        let layout = LobbyLayout(config: config)
        var model = layout.layout(snapshot, metrics: metrics)
        layout.addCheckIn(checkInOverlay(snapshot), to: &model, metrics: metrics)
        return model
    }

    /// The inputs of a snapshot at `now`, expanding occurrences only when the window moved.
    func inputs(at now: Date) -> LobbySnapshot.Inputs {
        let window = LobbySnapshot.window(at: now, config: config, days: venueDays)
        // An untrusted clock still shows the programme after the last good fetch.
        let from = ClockSanity.isTrustworthy(now, lastSuccessfulFetch: freshness.lastSuccess) ? window.from : (freshness.lastSuccess ?? window.from)
        let to = max(window.to, from.addingTimeInterval(Double(config.screen.upcomingDays + 1) * 86400))
        if expanded == nil || expanded!.from != from || expanded!.to != to {
            let zone = config.venue.timeZone
            var all: [Occurrence] = []
            // Each source has the expander's budgets; all of them together keep at most
            // `maxLobbyOccurrences`, so that many pushed sources cannot add up either.
            var remaining = Self.maxLobbyOccurrences
            for (source, group) in Dictionary(grouping: events, by: \.source).sorted(by: { $0.key < $1.key }) {
                var limits = OccurrenceExpander.Limits()
                limits.maxOccurrences = min(limits.maxOccurrences, remaining)
                let result = OccurrenceExpander.expand(group.map(\.event), from: from, to: to, venueTimeZone: zone, source: source, limits: limits)
                remaining -= result.occurrences.count
                all += result.occurrences
                reportCuts(result, source: source)
            }
            expanded = (from, to, all)
        }
        var inputs = LobbySnapshot.Inputs(
            occurrences: expanded!.occurrences, residents: residents, notices: notices, freshness: freshness,
            days: venueDays, residentLines: residentLines, alert: alert)
        let logger = self.logger
        inputs.add(pictureChecks.pictures(config: config, eventPictures: eventPictureHashes, posters: posters, residentLogos: residentLogoHashes, files: pictureFiles,
                                          warn: { logger.warning(TerminalText.sanitized($0)) }))
        return inputs
    }

    /// Occurrences the lobby keeps for its window, all sources together (a source alone
    /// keeps at most `OccurrenceExpander.Limits().maxOccurrences`).
    static let maxLobbyOccurrences = 50_000

    /// Logs the events an expansion cut (a budget was exceeded), each once per process.
    private func reportCuts(_ result: OccurrenceExpander.Result, source: String) {
        guard result.cutCount > 0 else { return }
        if reportedCuts.count > 10_000 { reportedCuts.removeAll() }
        for cut in result.cuts where reportedCuts.insert(source + "\u{0}" + cut.uid + "\u{0}" + cut.reason.rawValue).inserted {
            logger.warning("feed \(source): \(TerminalText.sanitized(cut.description))")
        }
        if result.cutCount > result.cuts.count, reportedCuts.insert(source + "\u{0}more:\(result.cutCount)").inserted {
            logger.warning("feed \(source): \(result.cutCount - result.cuts.count) more events cut by the expansion budgets")
        }
    }

    var freshness: ProgrammeFreshness {
        let pulled = sources.filter { $0.kind != .push }
        let configured = Set(config.feeds.map(\.name))
        let relevant = pulled.filter { configured.contains($0.id) }
        return ProgrammeFreshness(
            lastSuccess: relevant.compactMap(\.lastSuccess).max(),
            allFailing: !relevant.isEmpty && relevant.allSatisfy { $0.lastError != nil },
            hasPulledSources: !config.feeds.isEmpty,
            lastChange: sources.filter { $0.kind == .push || configured.contains($0.id) }.compactMap(\.lastSuccess).max())
    }

    /// When the screen next needs a redraw without any event: the next minute (clock),
    /// the next panel change, or midnight, whichever comes first.
    public func nextWakeup() -> Date {
        let now = clock.now()
        let nextMinute = Date(timeIntervalSince1970: (now.timeIntervalSince1970 / 60).rounded(.down) * 60 + 60)
        var wake = nextMinute
        if let cached = laidOut, cached.snapshot.instant <= now, now < cached.validUntil {
            // The screen laid out last knows when it next changes: a panel or page turn
            // (15 s panels and 10 s pages turn at 15, 25, 35 s…, not at multiples of 10),
            // an event starting or ending at odd seconds, a notice going up or down.
            wake = min(wake, cached.validUntil)
        } else if let next = rotationChange(after: now) {
            wake = min(wake, next)
        }
        return wake
    }

    /// Before anything is laid out (or after the cache was dropped): a wake at every
    /// multiple of the shortest period, a safe over-approximation.
    private func rotationChange(after now: Date) -> Date? {
        let period = min(config.screen.panelDuration, config.screen.directoryPageDuration)
        let t = now.timeIntervalSince1970
        // Rotation slots start at multiples of whole seconds of the cycle; waking at the next
        // multiple of the shortest period catches every change without computing pages here.
        return Date(timeIntervalSince1970: ((t / period).rounded(.down) + 1) * period)
    }

    // MARK: Events

    /// The output changed size (SIGWINCH): lay out again.
    public func resized() throws {
        if display.refreshSize() { lastShown = nil }
        try redraw()
    }

    /// SIGHUP: a new, already validated configuration replaces the running one and the
    /// screen is recomputed from it; the display flushes only what changed, so the
    /// screen is never blanked (see `DaemonRuntime+Reload.swift`).
    public func apply(_ newConfig: KioskConfig) throws {
        config = newConfig
        try reloadFromStore()
        try redraw()
    }

    /// A feed delivered a valid programme: replace that source's events atomically.
    public func acceptFeed(
        _ feed: KioskConfig.Feed, events newEvents: [ProgrammeEvent], etag: String?, lastModified: String?, report: SourceReadReport? = nil
    ) throws {
        let now = clock.now()
        try store.programme.replaceEvents(
            ofSource: feed.name, kind: SourceKind(feed.format), url: feed.url, with: newEvents, fetchedAt: now, etag: etag,
            lastModified: lastModified, report: report)
        logger.info("feed \(feed.name): \(newEvents.count) events stored", .feed(feed.name))
        // Only this source changed: swap its events in what the lobby holds (what the
        // store now holds for it, byte for byte) instead of reading the whole store again.
        events.removeAll { $0.source == feed.name }
        events += newEvents.map { StoredEvent(source: feed.name, event: $0) }
        expanded = nil
        sources = try store.programme.sourceStatuses()
        try redraw()
    }

    /// A feed answered 304 or its file did not change.
    public func feedUnchanged(_ feed: KioskConfig.Feed) throws {
        try store.programme.recordNotModified(source: feed.name, at: clock.now())
        sources = try store.programme.sourceStatuses()
        try redraw()
    }

    /// A fetch or parse failed: the last good copy stays; the failure is recorded.
    public func feedFailed(_ feed: KioskConfig.Feed, error: String) throws {
        try store.programme.recordFailure(source: feed.name, kind: SourceKind(feed.format), url: feed.url, at: clock.now(), error: error)
        sources = try store.programme.sourceStatuses()
        try redraw()
    }

    /// Every programme source's state as last read from the store (the status socket).
    var sourceStatuses: [SourceStatus] { sources }

    /// The programme events the lobby holds (tests compare them with the store's).
    var heldEvents: [StoredEvent] { events }

    /// The posters the lobby holds (tests compare them with the store's).
    var heldPosters: [Poster] { posters }

    /// Validators of the copy we hold, for a conditional GET.
    public func validators(for feed: KioskConfig.Feed) -> (etag: String?, lastModified: String?) {
        guard let s = sources.first(where: { $0.id == feed.name }), s.eventCount > 0 || s.lastSuccess != nil else { return (nil, nil) }
        return (s.etag, s.lastModified)
    }

    /// Stops drawing and cancels the lobby's timers (the welcome's dismissal). The output
    /// is given back by `restoreDisplay()`, which the display service calls after.
    public func stop() {
        guard !stopped else { return }
        stopped = true
        executor.cancelAllTimers()
    }
}
