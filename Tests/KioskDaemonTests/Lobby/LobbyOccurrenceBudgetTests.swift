import Foundation
import KioskCore
import KioskStore
import Testing

@testable import KioskDaemon

/// Issue #12: each source has the expander's budgets, and all sources together keep at most
/// `Lobby.maxLobbyOccurrences`, so that many pushed programmes cannot add up to an OOM.
@Suite("Lobby occurrence budget")
struct LobbyOccurrenceBudgetTests {
    /// A source of `series` events recurring every minute from `start`: each series is cut at
    /// the expander's per-series budget (5,000), so a source of four gives 20,000 in a
    /// week-long window.
    static func minutely(source: String, series: Int, start: Date) -> [ProgrammeEvent] {
        (0..<series).map { index in
            let begin = start.addingTimeInterval(Double(index) * 15)
            return ProgrammeEvent(
                uid: "\(source)-\(index)@budget.test", title: "Chaque minute \(index)",
                start: .instant(begin), end: .instant(begin.addingTimeInterval(30)),
                recurrence: Recurrence(rules: ["FREQ=MINUTELY"]))
        }
    }

    @Test func allSourcesTogetherStopAtTheLobbyBudgetAndTheCutIsLogged() async throws {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("lobby-budget-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: directory) }
        let config = LobbyFixtures.config
        let now = LobbyFixtures.at("2026-11-24T13:05:00Z")
        let store = try StateStore(stateDirectory: directory.path, timeZone: config.venue.timeZone)
        let sourceCount = 4
        for index in 0..<sourceCount {
            let source = "push-\(index)"
            try store.programme.replaceEvents(
                ofSource: source, kind: .push, with: Self.minutely(source: source, series: 4, start: now.addingTimeInterval(-3600)), fetchedAt: now)
        }
        let lines = LineCollector()
        let lobby = Lobby(
            clock: FixedClock(now), config: config, store: store,
            display: MemoryDisplay(columns: 120, rows: 40),
            logger: JournalLogger(level: .warning, underSystemd: false, sink: { lines.append($0) }))
        try await lobby.start()

        let occurrences = await lobby.inputs(at: now).occurrences
        // Four sources of 20,000 each would be 80,000: the lobby keeps its 50,000.
        #expect(occurrences.count == Lobby.maxLobbyOccurrences)
        // The sources are taken in name order: the first ones are whole, the last one is cut.
        let perSource = Dictionary(grouping: occurrences, by: \.source)
        #expect(perSource["push-0"]?.count == 20_000)
        #expect(perSource["push-1"]?.count == 20_000)
        #expect(perSource["push-2"]?.count == 10_000)
        #expect(perSource["push-3"] == nil)
        // The maintainer reads which source was cut in the journal.
        #expect(lines.all.contains { $0.contains("push-2") }, "the cut is logged: \(lines.all.prefix(5))")
        #expect(lines.all.contains { $0.contains("push-3") })
    }
}

/// Collects log lines from the logger's sink, which may be called from any thread.
final class LineCollector: @unchecked Sendable {
    private let lock = NSLock()
    private var lines: [String] = []
    func append(_ line: String) { lock.withLock { lines.append(line) } }
    var all: [String] { lock.withLock { lines } }
}
