import Foundation
import KioskSystem
#if canImport(Glibc)
import Glibc
#endif

/// The figures only the running daemon gives: `kioskd` (release build, beside
/// `kiosk-bench`) on a 1920x1080 XRGB8888 DRM/KMS output in RAM (`$KIOSK_DEBUG_MEMORY_DRM`:
/// two dumb buffers and page flips, the path of a board, frames drawn into the back buffer
/// in place; `drawsThroughCanvas` keeps a canvas as before issue #18)
/// with 2,000 events (its `[feed "programme"]`, a file it ingests on its first pull) and
/// 500 residents, a badge reader on a pseudo-terminal, the clock at a busy afternoon
/// (`--at`, running at the real pace).
///
/// 1. Steady memory: `/proc/PID/status` after the feed is ingested and the lobby settled,
///    and where it goes (`MemoryBreakdown`: smaps, pagemap and the binary's symbols).
/// 2. Idle CPU: utime + stime from `/proc/PID/stat` over `idleSeconds`, nobody scanning.
/// 3. Badge to welcome: an RDM6300 frame written to the pty, then the daemon's debug line
///    "check-in: acknowledged TAG", which it writes after the commit and after the welcome
///    frame was copied to the framebuffer; the instant the line reaches this process ends
///    the measure (a pipe read, some microseconds late at most). Then again with a CPU
///    hog on every core (busy `sh` loops at the daemon's priority), `hogScans` times.
/// 4. Start-up: spawn to `READY=1` on the `$NOTIFY_SOCKET` we bind (sent after the first
///    frame), the database warm (already holding the programme), `startups` times.
/// 5. Disk per check-in, under `strace -f -y` (a separate run, as tracing slows it):
///    fsync/fdatasync calls and bytes of pwrite64 to the database files while scanning.
struct DaemonBenchmark {
    var kioskd: String
    var assets: String
    var work: String
    var idleSeconds = 60
    var scans = 1_000
    var hogScans = 300
    /// Only the steady memory and its breakdown (`kiosk-bench memory`).
    var memoryOnly = false
    /// Frames drawn through a canvas (`$KIOSK_DEBUG_DRAW_THROUGH_CANVAS=1`), as before
    /// issue #18, for `kiosk-bench memory`'s side-by-side figure.
    var drawsThroughCanvas = false
    /// `kiosk-bench memory`: also read the memory again this many seconds after kioskd gave
    /// back its start-up pages (20 s after it started), a whole turn of the panel (0: not).
    var turnSeconds = 0
    var tracedScans = 300
    var startups = 5
    var at = "2026-11-24T14:05:00+01:00"
    var progress: (String) -> Void = { _ in }

    struct Results {
        var memory = ProcessReadings.Memory()
        var memoryAfterScans = ProcessReadings.Memory()
        var breakdown: MemoryBreakdown?
        var breakdownError: String?
        /// After the start-up pages were given back and a whole turn (`turnSeconds`).
        var memoryAfterTurn: ProcessReadings.Memory?
        var breakdownAfterTurn: MemoryBreakdown?
        /// The daemon's line saying what it gave back, if it said it.
        var releaseLine: String?
        /// How the daemon said it draws (its "display: DRM ..." line).
        var displayPath: String?
        var hogLatencies: [Double] = []
        var hogs = 0
        var descriptors = 0
        var cpuPercent = 0.0
        var idleSeconds = 0
        var latencies: [Double] = []
        var startups: [Double] = []
        var trace: DiskTrace?
        var traceSkipped: String?
    }

    struct DiskTrace {
        var checkIns = 0
        var fsyncs = 0
        var fsyncsByFile: [String: Int] = [:]
        var bytes = 0
        var bytesByFile: [String: Int] = [:]
    }

    struct Failure: Error, CustomStringConvertible {
        var description: String
    }

    func run() throws -> Results {
        try? FileManager.default.removeItem(atPath: work)
        let state = BenchState(directory: work, events: 2_000, residents: 500, badges: scans + hogScans + tracedScans)
        progress("seeding \(state.residents) residents and \(state.badges) badges; writing a \(state.events)-VEVENT feed")
        try state.create(backend: "drm")
        let pty = try readerOnPTY(state)
        let environment = self.environment
        let arguments = ["--config", state.configPath, "--state-dir", state.stateDirectory, "--at", at]
        var results = Results()

        // 1-3: one daemon, settled, idle, then scanned.
        do {
            progress("kioskd: first start, ingest of the feed, settling")
            let startedAt = Date()
            let daemon = try DaemonUnderTest(kioskd: kioskd, arguments: arguments, environment: environment, workDirectory: work)
            try expectStarted(daemon)
            guard daemon.waitForLog("feed programme: \(state.events) events stored", seconds: 120) != nil else {
                throw Failure(description: "the feed was not ingested:\n" + tail(daemon))
            }
            Thread.sleep(forTimeInterval: 5)
            results.displayPath = daemon.waitForLog("display: DRM", seconds: 1)?.text
            let readings = ProcessReadings(pid: daemon.pid)
            let before = readings.cpuTicks
            progress("kioskd: idle for \(idleSeconds) s")
            Thread.sleep(forTimeInterval: Double(idleSeconds))
            results.cpuPercent = Double(readings.cpuTicks - before) / ProcessReadings.ticksPerSecond / Double(idleSeconds) * 100
            results.idleSeconds = idleSeconds
            results.memory = readings.memory
            do { results.breakdown = try MemoryBreakdown.measure(pid: daemon.pid, canvasBytes: 1920 * 1080 * 4) } catch {
                results.breakdownError = "\(error)"
            }
            results.descriptors = readings.openDescriptors
            if memoryOnly, turnSeconds > 0 {
                let wait = max(0, 25 - Date().timeIntervalSince(startedAt)) + Double(turnSeconds)
                progress("kioskd: start-up pages given back at 20 s; a whole turn, \(Int(wait)) s more")
                Thread.sleep(forTimeInterval: wait)
                results.memoryAfterTurn = readings.memory
                results.breakdownAfterTurn = try? MemoryBreakdown.measure(pid: daemon.pid, canvasBytes: 1920 * 1080 * 4)
                results.releaseLine = daemon.waitForLog("memory: start-up pages given back", seconds: 0)?.text
            }
            if memoryOnly {
                daemon.stop()
                return results
            }
            progress("kioskd: \(scans) badge scans")
            results.latencies = try scan(daemon, pty: pty, tags: 0..<scans)
            Thread.sleep(forTimeInterval: 1)
            results.memoryAfterScans = readings.memory
            let hogs = CPUHogs(count: ProcessInfo.processInfo.activeProcessorCount)
            results.hogs = hogs.count
            progress("kioskd: \(hogScans) badge scans with a CPU hog on each of \(hogs.count) cores")
            Thread.sleep(forTimeInterval: 1)
            defer { hogs.stop() }
            results.hogLatencies = try scan(daemon, pty: pty, tags: scans..<(scans + hogScans))
            hogs.stop()
            daemon.stop()
        }

        // 4: start-up with the warm database.
        progress("kioskd: \(startups) start-ups to the first frame")
        for _ in 0..<startups {
            let daemon = try DaemonUnderTest(kioskd: kioskd, arguments: arguments, environment: environment, workDirectory: work)
            guard let ready = try daemon.waitForReady(seconds: 30) else { throw Failure(description: "no READY=1:\n" + tail(daemon)) }
            results.startups.append(seconds(daemon.spawned.duration(to: ready)))
            daemon.stop()
        }

        // 5: the disk, traced.
        if FileManager.default.isExecutableFile(atPath: "/usr/bin/strace") {
            progress("kioskd under strace: \(tracedScans) badge scans")
            let output = work + "/strace.txt"
            let daemon = try DaemonUnderTest(kioskd: kioskd, arguments: arguments, environment: environment, workDirectory: work, straceOutput: output)
            try expectStarted(daemon, seconds: 60)
            Thread.sleep(forTimeInterval: 3)
            let from = Date().timeIntervalSince1970
            _ = try scan(daemon, pty: pty, tags: (scans + hogScans)..<(scans + hogScans + tracedScans))
            let to = Date().timeIntervalSince1970
            daemon.stop()
            results.trace = try Self.parseTrace(output, from: from, to: to, checkIns: tracedScans)
        } else {
            results.traceSkipped = "strace not installed"
        }
        return results
    }

    /// A pseudo-terminal as the badge reader, at the configuration's reader path.
    private func readerOnPTY(_ state: BenchState) throws -> PseudoTerminal {
        let pty = try PseudoTerminal()
        unlink(state.readerLink)
        guard symlink(pty.devicePath, state.readerLink) == 0 else { throw Failure(description: "symlink \(state.readerLink): errno \(errno)") }
        return pty
    }

    /// The daemon's environment: a 1920x1080 DRM/KMS output in RAM.
    private var environment: [String: String] {
        ["PATH": "/usr/bin:/bin", "HOME": work, "TZ": "UTC", "KIOSK_ASSETS": assets, "KIOSK_DEBUG_MEMORY_DRM": "1920x1080",
         "KIOSK_DEBUG_DRAW_THROUGH_CANVAS": drawsThroughCanvas ? "1" : "0"]
    }

    /// Only the steady memory of step 1, for a peer build: started, the feed ingested,
    /// settled as in `run()`, read, stopped.
    func steadyMemory() throws -> ProcessReadings.Memory {
        try? FileManager.default.removeItem(atPath: work)
        let state = BenchState(directory: work, events: 2_000, residents: 500, badges: 0)
        try state.create(backend: "drm")
        // A reader on a pseudo-terminal, as in `run()`.
        let pty = try readerOnPTY(state)
        defer { withExtendedLifetime(pty) {} }
        let environment = self.environment
        let daemon = try DaemonUnderTest(kioskd: kioskd, arguments: ["--config", state.configPath, "--state-dir", state.stateDirectory, "--at", at],
                                         environment: environment, workDirectory: work)
        defer { daemon.stop() }
        guard try daemon.waitForReady(seconds: 60) != nil else { throw Failure(description: "no READY=1:\n" + tail(daemon)) }
        guard daemon.waitForLog("feed programme: \(state.events) events stored", seconds: 120) != nil else {
            throw Failure(description: "the feed was not ingested:\n" + tail(daemon))
        }
        Thread.sleep(forTimeInterval: 5 + Double(idleSeconds))
        return ProcessReadings(pid: daemon.pid).memory
    }

    private func expectStarted(_ daemon: DaemonUnderTest, seconds: Double = 30) throws {
        guard try daemon.waitForReady(seconds: seconds) != nil else { throw Failure(description: "no READY=1:\n" + tail(daemon)) }
        guard daemon.waitForLog("badge reader connected", seconds: seconds) != nil else {
            throw Failure(description: "the reader was not opened:\n" + tail(daemon))
        }
    }

    /// Scans each tag once, waiting for its acknowledgement; returns the latencies in seconds.
    private func scan(_ daemon: DaemonUnderTest, pty: PseudoTerminal, tags: Range<Int>) throws -> [Double] {
        var latencies: [Double] = []
        for i in tags {
            // Scans 50 ms apart at least (visitors are seconds apart): on the DRM path, flips
            // are spaced by a frame of the mode (16.7 ms), so back-to-back scans would each
            // wait for the previous one's flip, which no visitor sees.
            if i > tags.lowerBound { Thread.sleep(forTimeInterval: 0.05) }
            let tag = BenchState.tag(i)
            try pty.controller.writeAll(BenchState.rdm6300Frame(tag))
            let written = ContinuousClock.now
            guard let acknowledged = daemon.waitForAcknowledgement(of: tag, seconds: 10) else {
                throw Failure(description: "scan of \(tag) not acknowledged within 10 s:\n" + tail(daemon))
            }
            latencies.append(seconds(written.duration(to: acknowledged)))
        }
        return latencies
    }

    private func tail(_ daemon: DaemonUnderTest) -> String {
        daemon.log.suffix(20).map(\.text).joined(separator: "\n")
    }

    /// Reads `strace -f -y -ttt` output: `PID EPOCH.USEC call(FD</path>, ...) = RET`.
    static func parseTrace(_ path: String, from: Double, to: Double, checkIns: Int) throws -> DiskTrace {
        let text = try String(contentsOfFile: path, encoding: .utf8)
        var trace = DiskTrace(checkIns: checkIns)
        for line in text.split(separator: "\n") {
            let fields = line.split(separator: " ", maxSplits: 2)
            guard fields.count == 3, let time = Double(fields[1]), time >= from, time <= to else { continue }
            let call = fields[2]
            guard let open = call.firstIndex(of: "("), let lt = call.firstIndex(of: "<"), let gt = call[lt...].firstIndex(of: ">") else { continue }
            let name = String(call[..<open])
            let file = String(call[call.index(after: lt)..<gt])
            let base = (file as NSString).lastPathComponent
            switch name {
            case "fsync", "fdatasync":
                trace.fsyncs += 1
                trace.fsyncsByFile[base, default: 0] += 1
            case "pwrite64", "write":
                guard base.hasPrefix("kiosk.sqlite3"), let eq = call.range(of: ") = ", options: .backwards),
                      let n = Int(call[eq.upperBound...].prefix { $0.isNumber }) else { continue }
                trace.bytes += n
                trace.bytesByFile[base, default: 0] += n
            default: break
            }
        }
        return trace
    }
}

/// Busy loops, one process per core, at the same priority as the daemon: the machine
/// has no core free while they run. Stopped by `stop()` (SIGKILL) or at deinit.
final class CPUHogs {
    private var processes: [Process] = []
    var count: Int { processes.count }

    init(count: Int) {
        for _ in 0..<count {
            let p = Process()
            p.executableURL = URL(fileURLWithPath: "/bin/sh")
            p.arguments = ["-c", "while :; do :; done"]
            p.standardOutput = FileHandle.nullDevice
            p.standardError = FileHandle.nullDevice
            if (try? p.run()) != nil { processes.append(p) }
        }
    }

    func stop() {
        for p in processes where p.isRunning {
            kill(p.processIdentifier, SIGKILL)
            p.waitUntilExit()
        }
    }

    deinit { stop() }
}

func seconds(_ d: Duration) -> Double {
    Double(d.components.seconds) + Double(d.components.attoseconds) / 1e18
}
