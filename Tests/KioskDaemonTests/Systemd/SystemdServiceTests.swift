import Foundation
import Testing
import KioskDisplay
import KioskSystem
import KioskTestSupport
#if canImport(Glibc)
import Glibc
#endif

/// The built `kioskd` as systemd runs it: `$NOTIFY_SOCKET` is a unix datagram socket the
/// test binds (path and `@abstract` forms), `WATCHDOG_USEC=400000`, the screen on a
/// pseudo-terminal read back through a virtual terminal, logs on a pipe with
/// `$JOURNAL_STREAM` set (sd-daemon `<N>` prefixes).
@Suite(.serialized) struct SystemdServiceTests {
    /// 400 ms: pings are due every 200 ms; a gap of 400 ms would get the service killed.
    static let watchdogUSec = 400_000

    @Test(.timeLimit(.minutes(1)), arguments: [false, true])
    func readyThenWatchdogPingsThenStoppingOnSIGTERM(abstract: Bool) async throws {
        let daemon = try DaemonUnderSystemd(venue: "Alpha Hall", abstractSocket: abstract)
        let ready = try await daemon.ready()
        #expect(!daemon.messages.prefix { !$0.text.contains("READY=1") }.contains { $0.text.contains("WATCHDOG=1") }, "a ping before READY")
        #expect(ready.text.contains("STATUS=Alpha Hall: no programme feed configured"), "\(ready.text)")

        await daemon.collect(seconds: 1.6)
        let pings = daemon.messages.filter { $0.text.contains("WATCHDOG=1") }
        #expect(pings.count >= 4, "\(pings.count) pings in 1.6 s")
        // Each gap as the daemon made it: between the kernel's send times (the test's own
        // lateness in receiving does not count), less the time the daemon's threads waited
        // for a CPU meanwhile (a loaded machine's share, measured in the same run; 0 on a
        // quiet one). Found in CI-like parallel runs: a raw gap of 0.42 s.
        let gaps = zip(pings.dropFirst(), pings).map { later, earlier in
            (raw: later.time.timeIntervalSince(earlier.time), waited: max(0, later.daemonWaited - earlier.daemonWaited))
        }
        let worst = gaps.max { $0.raw - $0.waited < $1.raw - $1.waited }
        let own = worst.map { $0.raw - $0.waited } ?? 1
        #expect(own < Double(Self.watchdogUSec) / 1e6,
            "a gap of \(own) s between pings (\(worst?.raw ?? 0) s, of which the daemon waited \(worst?.waited ?? 0) s for a CPU)")

        let exit = await daemon.terminate()
        #expect(exit.seconds < 2, "SIGTERM took \(exit.seconds) s")
        #expect(exit.status == 0)
        #expect(daemon.messages.contains { $0.text.contains("STOPPING=1") })
        #expect(!daemon.screen.isAlternateScreenActive, "terminal not given back")
    }

    @Test(.timeLimit(.minutes(1)))
    func stalledTickLoopStopsThePings() async throws {
        let daemon = try DaemonUnderSystemd(venue: "Alpha Hall", abstractSocket: false, environment: ["KIOSK_DEBUG_STALL_AFTER": "1"])
        let ready = try await daemon.ready()
        await daemon.collect(seconds: 3)
        let pings = daemon.messages.filter { $0.text.contains("WATCHDOG=1") }.map(\.time)
        #expect(pings.count >= 2, "no pings before the stall")
        let last = try #require(pings.last)
        #expect(last.timeIntervalSince(ready.time) < 1.6, "pings went on \(last.timeIntervalSince(ready.time)) s after READY")
        #expect(Date().timeIntervalSince(last) > 1.2, "pings did not stop")
        let exit = await daemon.terminate()
        #expect(exit.status == 0)
        #expect(daemon.log.contains("<4>KIOSK_DEBUG_STALL_AFTER"), "\(daemon.log)")
    }

    @Test(.timeLimit(.minutes(1)))
    func sighupAppliesAGoodConfigurationWithoutBlankingTheScreen() async throws {
        let daemon = try DaemonUnderSystemd(venue: "Alpha Hall", abstractSocket: true)
        _ = try await daemon.ready()
        await daemon.pumpScreen(until: { $0.contains("Alpha Hall") }, seconds: 5)
        #expect(daemon.screenText.contains("Alpha Hall"))

        try daemon.writeConfig(venue: "Beta Hall")
        let before = daemon.messages.count
        daemon.screenBytes = []
        kill(daemon.process.processIdentifier, SIGHUP)
        let reloaded = await daemon.waitFor("READY=1", seconds: 5, after: before)
        let reloading = daemon.messages[before...].first { $0.text.contains("RELOADING=1") }
        #expect(reloading?.text.contains("MONOTONIC_USEC=") == true, "\(daemon.messages[before...].map(\.text))")
        if let reloading, let reloaded { #expect(reloading.time <= reloaded.time) }
        #expect(reloaded?.text.contains("STATUS=Beta Hall") == true, "\(reloaded?.text ?? "no READY after RELOADING")")
        await daemon.pumpScreen(until: { $0.contains("Beta Hall") }, seconds: 5)
        #expect(daemon.screenText.contains("Beta Hall"), "\(daemon.screenText)")
        #expect(!daemon.screenText.contains("Alpha Hall"))
        let clear = Array("\u{1B}[2J".utf8)
        let bytes = daemon.screenBytes
        let cleared = bytes.count >= clear.count && (0...(bytes.count - clear.count)).contains { bytes[$0..<($0 + clear.count)].elementsEqual(clear) }
        #expect(!bytes.isEmpty, "nothing redrawn after the reload")
        #expect(!cleared, "the screen was cleared on reload")

        #expect(await daemon.terminate().status == 0)
        #expect(daemon.log.contains("<5>SIGHUP: configuration reloaded"), "\(daemon.log)")
    }

    @Test(.timeLimit(.minutes(1)))
    func sighupWithABadConfigurationKeepsTheRunningOne() async throws {
        let daemon = try DaemonUnderSystemd(venue: "Alpha Hall", abstractSocket: false)
        _ = try await daemon.ready()
        await daemon.pumpScreen(until: { $0.contains("Alpha Hall") }, seconds: 5)

        try Data("[venue]\nname = Beta Hall\nrotation = fast\n".utf8).write(to: daemon.configFile)
        let before = daemon.messages.count
        kill(daemon.process.processIdentifier, SIGHUP)
        let ready = await daemon.waitFor("READY=1", seconds: 5, after: before)
        #expect(ready?.text.contains("reload failed") == true, "\(ready?.text ?? "no READY")")
        await daemon.collect(seconds: 1)
        #expect(daemon.process.isRunning)
        #expect(daemon.messages[before...].contains { $0.text.contains("WATCHDOG=1") }, "pings stopped after a bad reload")
        await daemon.pumpScreen(until: { _ in false }, seconds: 0.3)
        #expect(daemon.screenText.contains("Alpha Hall"))
        #expect(!daemon.screenText.contains("Beta Hall"))

        #expect(await daemon.terminate().status == 0)
        #expect(daemon.log.contains("<3>SIGHUP: configuration not reloaded, the running one stays: \(daemon.configFile.path):3: unknown key 'rotation' in [venue]"), "\(daemon.log)")
    }
}

/// One `kioskd` child with a temporary config and state directory, the notify socket,
/// the pty it draws on and the pipe it logs to.
///
/// A thread of its own receives the notifications and reads the screen all the time the
/// child runs, as systemd and a terminal would: the test's waits only look at what it
/// collected, suspending between looks, so they hold no thread of the cooperative pool,
/// and a test held off the pool for a while does not leave the pty unread (a full pty
/// blocks the daemon's drawing, and with it its watchdog pings).
final class DaemonUnderSystemd: @unchecked Sendable {
    // @unchecked: what the reader thread collects (`collected`, `screenClosed`) is guarded
    // by `lock`; `log` is written once by `terminate`, which the test awaits before reading
    // it; the other stored properties are set in init.
    /// One notification: when the daemon sent it (the kernel's stamp, `SO_TIMESTAMPNS`),
    /// and how long the daemon's threads had waited for a CPU by the time it was read.
    struct Message: Sendable { var time: Date; var text: String; var daemonWaited: Double = 0 }

    let directory: URL
    let configFile: URL
    let socket: UnixDatagramSocket
    let pty: PseudoTerminal
    let process = Process()
    let errors = Pipe()
    private(set) var log = ""

    private let lock = NSLock()
    private var collected = (messages: [Message](), screen: VirtualTerminal(width: 100, height: 30), screenBytes: [UInt8](), reading: true)
    private var screenClosed = false
    private let readerDone = DispatchSemaphore(value: 0)

    var messages: [Message] { lock.withLock { collected.messages } }
    var screen: VirtualTerminal { lock.withLock { collected.screen } }
    /// The bytes drawn on the pty since the test last emptied them.
    var screenBytes: [UInt8] {
        get { lock.withLock { collected.screenBytes } }
        set { lock.withLock { collected.screenBytes = newValue } }
    }

    /// - Parameter config: the whole configuration file, instead of one naming `venue`.
    init(venue: String, abstractSocket: Bool, environment extra: [String: String] = [:], config: String? = nil) throws {
        directory = FileManager.default.temporaryDirectory.appendingPathComponent("kiosk-systemd-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        configFile = directory.appendingPathComponent("kiosk.conf")
        let name = abstractSocket ? "@kiosk-test-\(UUID().uuidString)" : directory.appendingPathComponent("notify").path
        socket = try UnixDatagramSocket.bound(to: try #require(UnixSocketAddress(name)))
        var on: Int32 = 1
        _ = setsockopt(socket.descriptor.rawValue, SOL_SOCKET, Self.timestampNanoseconds, &on, socklen_t(MemoryLayout<Int32>.size))
        pty = try PseudoTerminal()
        try TerminalDevice(input: pty.device, output: pty.device).setWindowSize(TerminalWindowSize(columns: 100, rows: 30))
        if let config { try Data(config.utf8).write(to: configFile) } else { try writeConfig(venue: venue) }

        process.executableURL = DemoEndToEndTests.kioskd
        process.arguments = ["--config", configFile.path, "--state-dir", directory.appendingPathComponent("state").path]
        process.environment = ["TERM": "xterm-256color", "PATH": "/usr/bin:/bin", "TZ": "UTC",
                               "NOTIFY_SOCKET": name, "WATCHDOG_USEC": "\(SystemdServiceTests.watchdogUSec)",
                               "JOURNAL_STREAM": "0:0"].merging(extra) { $1 }
        process.standardInput = FileHandle.nullDevice
        process.standardOutput = FileHandle(fileDescriptor: pty.device.rawValue, closeOnDealloc: false)
        process.standardError = errors
        try process.run()
        let reader = Thread { [weak self] in
            while let self, self.lock.withLock({ self.collected.reading }) { self.receiveOnce(timeout: 0.05) }
            self?.readerDone.signal()
        }
        reader.name = "systemd-test-reader"
        reader.start()
    }

    deinit {
        if process.isRunning { process.terminate(); process.waitUntilExit() }
        try? FileManager.default.removeItem(at: directory)
    }

    /// Closes the controller side of the pty (the screen goes away), after which the
    /// reader no longer touches its descriptor (whose number may be reused).
    func closeScreen() {
        lock.withLock {
            screenClosed = true
            pty.controller.close()
        }
    }

    func writeConfig(venue: String) throws {
        try Data("[venue]\nname = \(venue)\ntime-zone = UTC\n\n[log]\nlevel = info\n".utf8).write(to: configFile)
    }

    /// Lets notifications come (and the screen be drawn) for `seconds`.
    func collect(seconds: Double) async {
        try? await Task.sleep(for: .milliseconds(Int64(seconds * 1000)))
    }

    /// The first message at index `after` or later that `matches`, waiting up to `seconds`
    /// (nil at once when the daemon has ended).
    func waitFor(seconds: Double, after: Int = 0, _ matches: @escaping (Message) -> Bool) async -> Message? {
        func found() -> Message? { messages.dropFirst(after).first(where: matches) }
        _ = await eventually(timeout: seconds) { found() != nil || !process.isRunning }
        return found()
    }

    /// The first message at index `after` or later with the line `line`, waiting up to `seconds`.
    func waitFor(_ line: String, seconds: Double, after: Int = 0) async -> Message? {
        await waitFor(seconds: seconds, after: after) { $0.text.split(separator: "\n").contains { $0 == line } }
    }

    /// READY=1; when it does not come within `seconds`, stops the daemon and fails with its log.
    func ready(within seconds: Double = 20) async throws -> Message {
        let ready = await waitFor("READY=1", seconds: seconds)
        let log = ready == nil ? await stopAndLog() : ""
        return try #require(ready, "no READY=1; log:\n\(log)")
    }

    /// Receives one notification (waiting up to `timeout`) and reads the screen; whether
    /// a notification came.
    @discardableResult
    private func receiveOnce(timeout: Double) -> Bool {
        let received = receiveStamped(timeout: timeout)
        if let (datagram, sent) = received {
            let message = Message(time: sent ?? Date(), text: String(decoding: datagram, as: UTF8.self), daemonWaited: daemonWaitedForCPU)
            lock.withLock { collected.messages.append(message) }
        }
        drainScreen()
        return received != nil
    }

    /// `SO_TIMESTAMPNS` (asm-generic/socket.h); Glibc's module does not export it.
    static let timestampNanoseconds: Int32 = 35

    /// One datagram and the kernel's stamp of its sending (nil if it gave none).
    private func receiveStamped(timeout: Double) -> (bytes: [UInt8], sent: Date?)? {
        let fd = socket.descriptor.rawValue
        var poller = pollfd(fd: fd, events: Int16(POLLIN), revents: 0)
        guard poll(&poller, 1, Int32(max(0, timeout * 1000))) > 0 else { return nil }
        var buffer = [UInt8](repeating: 0, count: 4096)
        var control = [UInt8](repeating: 0, count: 64)
        var controlLength = 0
        let count = buffer.withUnsafeMutableBytes { data in
            control.withUnsafeMutableBytes { control in
                var vector = iovec(iov_base: data.baseAddress, iov_len: data.count)
                return withUnsafeMutablePointer(to: &vector) { vector in
                    var header = msghdr()
                    header.msg_iov = vector
                    header.msg_iovlen = 1
                    header.msg_control = control.baseAddress
                    header.msg_controllen = control.count
                    let count = recvmsg(fd, &header, 0)
                    controlLength = Int(header.msg_controllen)
                    return count
                }
            }
        }
        guard count >= 0 else { return nil }
        // One control message: struct cmsghdr (size_t length, int level, int type), then
        // a struct timespec (seconds, nanoseconds; wall clock).
        var sent: Date?
        control.withUnsafeBytes { raw in
            guard controlLength >= 32, raw.load(fromByteOffset: 8, as: Int32.self) == SOL_SOCKET,
                raw.load(fromByteOffset: 12, as: Int32.self) == Self.timestampNanoseconds else { return }
            let seconds = raw.load(fromByteOffset: 16, as: Int64.self), nanoseconds = raw.load(fromByteOffset: 24, as: Int64.self)
            sent = Date(timeIntervalSince1970: Double(seconds) + Double(nanoseconds) / 1e9)
        }
        return (Array(buffer[..<count]), sent)
    }

    /// Seconds the daemon's threads have spent runnable but waiting for a CPU so far (the
    /// second field of /proc/PID/task/*/schedstat, nanoseconds): what a loaded machine
    /// costs it. Threads that ended no longer count.
    var daemonWaitedForCPU: Double {
        let tasks = "/proc/\(process.processIdentifier)/task"
        var nanoseconds: UInt64 = 0
        for task in (try? FileManager.default.contentsOfDirectory(atPath: tasks)) ?? [] {
            guard let text = try? String(contentsOfFile: "\(tasks)/\(task)/schedstat", encoding: .utf8) else { continue }
            let fields = text.split(separator: " ")
            if fields.count >= 2, let waited = UInt64(fields[1]) { nanoseconds &+= waited }
        }
        return Double(nanoseconds) / 1e9
    }

    private func drainScreen() {
        lock.withLock {
            while !screenClosed {
                var p = pollfd(fd: pty.controller.rawValue, events: Int16(POLLIN), revents: 0)
                guard poll(&p, 1, 0) > 0, let bytes = try? pty.controller.read(upTo: 65536), !bytes.isEmpty else { return }
                collected.screenBytes += bytes
                collected.screen.apply(bytes)
            }
        }
    }

    var screenText: String { lock.withLock { collected.screen.lines.joined(separator: "\n") } }

    /// Waits up to `seconds` for the screen's text to satisfy `condition`.
    func pumpScreen(until condition: (String) -> Bool, seconds: Double) async {
        _ = await eventually(timeout: seconds) { condition(screenText) }
    }

    /// SIGTERM, then waits (notifications and screen keep flowing); the status and how long it took.
    func terminate() async -> (status: Int32, seconds: Double) {
        await onOwnThread { self.terminateBlocking() }
    }

    private func terminateBlocking() -> (status: Int32, seconds: Double) {
        let start = Date()
        kill(process.processIdentifier, SIGTERM)
        while process.isRunning && Date().timeIntervalSince(start) < 10 { usleep(20_000) }
        let took = Date().timeIntervalSince(start)
        if process.isRunning { process.terminate() }
        process.waitUntilExit()
        // The reader stops; what the daemon sent last is taken here.
        let wasReading = lock.withLock { () -> Bool in
            defer { collected.reading = false }
            return collected.reading
        }
        if wasReading { readerDone.wait() }
        while receiveOnce(timeout: 0.1) {}
        log = String(decoding: errors.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
        return (process.terminationReason == .exit ? process.terminationStatus : -1, took)
    }

    func stopAndLog() async -> String { _ = await terminate(); return log }
}
