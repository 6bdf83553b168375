import Dispatch
import Foundation
import KioskCore
import KioskStore
import Synchronization

/// What event staff and maintainers can do over the network: push and remove programmes,
/// manage notices, import residents, read presence, attendance, the audit log, the
/// screen, and the open-data exports. The API router and the `/staff/` pages both call it
/// with the `Principal` of the request.
///
/// It owns **its own** connection to the state database (SQLite in WAL mode, with a busy
/// timeout), used only on its private serial queue: API writes never wait for the
/// `Lobby` actor, and the lobby never waits for them beyond SQLite's own write lock. All
/// blocking work (SQLite, parsing a pushed file, exporting) runs on that queue, not on
/// Swift's cooperative thread pool (two threads on the board), so the screen keeps
/// refreshing while many clients push. Every write is recorded in the audit log in the
/// same transaction, with the token's name as actor; after a write the lobby is asked to
/// reload from the store so the screen shows it at once.
public final class StaffDesk: @unchecked Sendable {
    // @unchecked: `store` is not Sendable; it is only touched by blocks run on `queue`
    // (see `onQueue`), which is serial. The other stored properties are Sendable.
    private let store: StateStore
    private let queue = DispatchQueue(label: "kioskd.staff-desk", qos: .userInitiated)
    private let settings: Mutex<KioskConfig>
    let clock: any Clock
    let lobby: Lobby?
    let logger: JournalLogger
    private let refresher: ScreenRefresher?
    /// The last exports, so that the same programme keeps the same bytes and ETag.
    let exportCache = Mutex<[String: CachedExport]>([:])

    /// A body served under `/feeds/`, with the hash of what it was made from.
    struct CachedExport: Sendable {
        var contentKey: SHA256Digest
        var body: [UInt8]
        var etag: String
    }

    /// Opens a second connection to `<stateDirectory>/kiosk.sqlite3` (already created and
    /// migrated by the daemon's own `StateStore`).
    public convenience init(
        stateDirectory: String, config: KioskConfig, clock: any Clock, lobby: Lobby?, logger: JournalLogger,
        busyTimeout: Duration = .seconds(10)
    ) throws {
        var configuration = Database.Configuration()
        configuration.busyTimeout = busyTimeout
        let store = try StateStore(stateDirectory: stateDirectory, timeZone: config.venue.timeZone, configuration: configuration)
        self.init(store: store, config: config, clock: clock, lobby: lobby, logger: logger)
    }

    /// Takes ownership of `store` (nothing else may use it afterwards).
    public init(store: sending StateStore, config: KioskConfig, clock: any Clock, lobby: Lobby?, logger: JournalLogger) {
        self.store = store
        self.settings = Mutex(config)
        self.clock = clock
        self.lobby = lobby
        self.logger = logger
        self.refresher = lobby.map { ScreenRefresher(lobby: $0, logger: logger) }
    }

    /// The configuration in force (venue, zone, feeds); replaced on SIGHUP.
    public var config: KioskConfig { settings.withLock { $0 } }

    /// Takes a reloaded configuration (venue name, time zone of new reads, freshness).
    public func apply(_ config: KioskConfig) {
        settings.withLock { $0 = config }
        exportCache.withLock { $0.removeAll() }
    }

    /// Runs `body` with the store on the desk's serial queue, off the cooperative pool.
    func onQueue<T: Sendable>(_ body: @escaping @Sendable (StateStore) throws -> T) async throws -> T {
        try await withCheckedThrowingContinuation { continuation in
            queue.async {
                continuation.resume(with: Result { try body(self.store) })
            }
        }
    }

    /// Runs store-free blocking work (decoding a request body) on a utility queue, off the
    /// cooperative pool, without waiting behind the store's queue.
    public func offPool<T: Sendable>(_ body: @escaping @Sendable () throws -> T) async throws -> T {
        try await withCheckedThrowingContinuation { continuation in
            Self.parsingQueue.async { continuation.resume(with: Result { try body() }) }
        }
    }

    private static let parsingQueue = DispatchQueue(label: "kioskd.staff-desk.parsing", qos: .userInitiated, attributes: .concurrent)

    /// Throws 403 unless `principal` may act as `role`.
    func require(_ role: APIRole, _ principal: Principal) throws(HTTPError) {
        guard principal.may(role) else {
            throw HTTPError(.forbidden, "token \"\(principal.name)\" has the \(principal.role.rawValue) role; this needs \(role.rawValue)")
        }
    }

    /// Asks the lobby to reload what changed and redraw; returns once the screen shows it.
    func storeChanged() async {
        await refresher?.refresh()
    }
}

/// Coalesces reload requests: a burst of writes costs the lobby one or two reloads, and
/// every caller returns only after a reload that started after its write.
actor ScreenRefresher {
    let lobby: Lobby
    let logger: JournalLogger
    private var requested = 0
    private var completed = 0
    private var running: Task<Void, Never>?

    init(lobby: Lobby, logger: JournalLogger) {
        self.lobby = lobby
        self.logger = logger
    }

    func refresh() async {
        requested += 1
        let mine = requested
        while completed < mine {
            if let running {
                await running.value
                continue
            }
            let target = requested
            let task = Task { await self.reload(upTo: target) }
            running = task
            await task.value
        }
    }

    private func reload(upTo target: Int) async {
        do {
            try await lobby.reloadFromStore()
            try await lobby.redraw()
        } catch {
            logger.error("staff API: the screen could not reload after a change: \(error)")
        }
        completed = max(completed, target)
        running = nil
    }
}
