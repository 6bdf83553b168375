import Foundation
import Synchronization
import Testing
import KioskCore
import KioskDisplay
import KioskStore
import KioskSystem
import KioskTestSupport
@testable import KioskDaemon
#if canImport(Glibc)
import Glibc
#endif

/// The check-in latency the issue asks for: from the last byte of a frame written to the
/// reader's pty to the welcome frame written to the screen's pty by the terminal display,
/// the durable commit (WAL, synchronous=FULL) included; p50 and p99 over 1,000 scans.
///
/// Prints the figures (a debug build is slower than the release daemon) for the README's
/// performance table; it fails when a scan is not committed and welcomed, never on time.
@Suite(.serialized) struct CheckInLatencyTests {
    /// Forwards to the terminal display and notes when each welcome has been written.
    final class TimedDisplay: CellDisplay, @unchecked Sendable {
        // @unchecked: `inner` is used only by the lobby actor; `shown` is behind a Mutex.
        let inner: TerminalDisplay
        let shown = Mutex<[String: ContinuousClock.Instant]>([:])

        init(_ inner: TerminalDisplay) { self.inner = inner }
        var metrics: LobbyLayout.Metrics { inner.metrics }
        func refreshSize() -> Bool { inner.refreshSize() }
        func restore() { inner.restore() }
        func show(_ model: ScreenModel) throws {
            try inner.show(model)
            let flushed = ContinuousClock.now
            for run in model.runs where run.role == .overlayTitle && run.text.hasPrefix("Bienvenue, ") {
                let name = String(run.text.dropFirst("Bienvenue, ".count))
                shown.withLock { if $0[name] == nil { $0[name] = flushed } }
            }
        }
    }

    /// The reader's pty, handed to the thread that writes the scans.
    final class ReaderSide: @unchecked Sendable {
        // @unchecked: only that thread uses it, while the test awaits it.
        let pty: PseudoTerminal
        init(_ pty: PseudoTerminal) { self.pty = pty }
    }

    @Test(.timeLimit(.minutes(1))) func latencyFromLastByteToWelcomeFlushed() async throws {
        let scans = 1000
        let dir = try CheckInTestSupport.temporaryDirectory("kiosk-latency")
        defer { try? FileManager.default.removeItem(at: dir) }
        let link = ReaderLink(in: dir)
        let reader = try PseudoTerminal()
        link.point(at: reader.devicePath)
        var config = KioskConfig()
        config.checkIn.readerDevice = link.path
        config.checkIn.debounce = .zero
        @Sendable func tag(_ i: Int) -> String { String(format: "B0%08X", i) }
        let check = try StateStore(stateDirectory: dir.path, timeZone: config.venue.timeZone)
        try check.database.transaction {
            for i in 0..<scans {
                let p = try check.checkIns.addPerson(firstName: String(format: "P%04d", i), role: .member, at: Date())
                try check.checkIns.enrol(tag: tag(i), personID: p.id, at: Date())
            }
        }
        let store = try StateStore(stateDirectory: dir.path, timeZone: config.venue.timeZone)

        // The screen: a 120x40 pty, drained by a thread as a terminal emulator would.
        let screen = try PseudoTerminal()
        let terminal = TerminalDevice(input: screen.device, output: screen.device)
        try terminal.setWindowSize(TerminalWindowSize(columns: 120, rows: 40))
        let draining = Atomic<Bool>(true)
        let screenFD = screen.controller.rawValue
        let drain = Thread {
            var buffer = [UInt8](repeating: 0, count: 65536)
            while draining.load(ordering: .relaxed) {
                var p = pollfd(fd: screenFD, events: Int16(POLLIN), revents: 0)
                if poll(&p, 1, 20) > 0 { _ = read(screenFD, &buffer, buffer.count) }
            }
        }
        drain.start()
        defer { draining.store(false, ordering: .relaxed) }

        let display = TimedDisplay(TerminalDisplay(device: terminal, colorMode: .palette256, themeName: "default"))
        let logger = JournalLogger(level: .error, underSystemd: false, sink: { _ in })
        let lobby = Lobby(clock: SystemClock(), config: config, store: store, display: display, logger: logger)
        try await lobby.start()
        let service = try BadgeService(settings: config.checkIn, lobby: lobby, logger: logger)
        service.start()
        #expect(await CheckInTestSupport.eventually { await lobby.readerState == .connected })

        // The scans are written, and each welcome waited for, on a thread of their own: a
        // tight poll (the latency is stamped by the display, not by this loop) would hold a
        // thread of the cooperative pool for the whole run, and through the pool each look
        // waits behind the other tests' jobs.
        let writer = ReaderSide(reader)
        let (latencies, missed) = try await onOwnThread { () throws -> ([Duration], Int?) in
            var latencies: [Duration] = []
            for i in 0..<scans {
                let name = String(format: "P%04d", i)
                try writer.pty.controller.writeAll(CheckInTestSupport.rdm6300Frame(tag(i)))
                let written = ContinuousClock.now
                // A liveness bound, not a performance one: a loaded CI machine may pause a thread.
                let deadline = written + .seconds(10)
                var flushed: ContinuousClock.Instant?
                while flushed == nil, ContinuousClock.now < deadline {
                    flushed = display.shown.withLock { $0[name] }
                    if flushed == nil { usleep(50) }
                }
                guard let flushed else { return (latencies, i) }
                latencies.append(written.duration(to: flushed))
            }
            return (latencies, nil)
        }
        if let missed { Issue.record("scan \(missed) was not welcomed") }
        await service.stop()
        await lobby.stop()

        try #require(latencies.count == scans)
        // Every scan committed once, in the order the frames were written, and each welcome
        // drawn once (a welcome counted for the wrong scan would leave a name out).
        let committed: [String] = try check.database.query("SELECT tag FROM checkins ORDER BY id").map { try $0.get("tag") }
        #expect(committed == (0..<scans).map(tag))
        #expect(display.shown.withLock { $0.count } == scans)
        let sorted = latencies.sorted()
        let p50 = sorted[scans / 2], p99 = sorted[scans * 99 / 100], worst = sorted[scans - 1]
        func ms(_ d: Duration) -> String { String(format: "%.2f ms", Double(d.components.attoseconds) / 1e15 + Double(d.components.seconds) * 1000) }
        // The figures are reported, not asserted: performance is judged from a benchmark run
        // on a quiet machine (README, "Performance"), never from a timed test.
        print("check-in latency over \(scans) scans (last byte written -> welcome frame written, commit included): p50 \(ms(p50)), p99 \(ms(p99)), max \(ms(worst))")
    }
}
