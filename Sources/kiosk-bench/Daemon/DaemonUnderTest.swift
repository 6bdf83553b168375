import Foundation
import KioskSystem
#if canImport(Glibc)
import Glibc
#endif

/// The real `kioskd`, spawned as systemd would run it: `$NOTIFY_SOCKET` names a datagram
/// socket this process binds (so the instant of `READY=1`, sent after the first frame, is
/// known), `$JOURNAL_STREAM` set (log lines carry their `<N>` priority), logs read from a
/// pipe by a thread that stamps each line with the instant it arrived.
///
/// Optionally under `strace` (`straceOutput`), to count the system calls it makes.
/// `stop()` sends SIGTERM and waits; the deinit kills what is left.
final class DaemonUnderTest: @unchecked Sendable {
    // @unchecked: `lines`, `acknowledged` are guarded by `condition`; the rest is set in init.
    struct LogLine {
        var time: ContinuousClock.Instant
        var text: String
    }

    let process = Process()
    let notifySocket: UnixDatagramSocket
    let spawned: ContinuousClock.Instant
    private let condition = NSCondition()
    private var lines: [LogLine] = []
    private var acknowledged: [String: ContinuousClock.Instant] = [:]
    private var logClosed = false
    private let socketPath: String

    let traced: Bool

    /// The daemon's pid: the spawned process, or strace's child when traced.
    var pid: Int32 {
        guard traced else { return process.processIdentifier }
        let strace = process.processIdentifier
        let children = ProcFile.read("/proc/\(strace)/task/\(strace)/children") ?? ""
        return children.split(separator: " ").first.flatMap { Int32($0) } ?? strace
    }

    init(kioskd: String, arguments: [String], environment: [String: String], workDirectory: String, straceOutput: String? = nil) throws {
        socketPath = workDirectory + "/notify-\(UUID().uuidString.prefix(8)).sock"
        unlink(socketPath)
        guard let address = UnixSocketAddress(socketPath) else { throw BenchCommandLine.UsageError(description: "socket path too long: \(socketPath)") }
        notifySocket = try UnixDatagramSocket.bound(to: address)
        var env = environment
        env["NOTIFY_SOCKET"] = socketPath
        env["JOURNAL_STREAM"] = "0:0"
        traced = straceOutput != nil
        if let straceOutput {
            process.executableURL = URL(fileURLWithPath: "/usr/bin/strace")
            process.arguments = ["-f", "-y", "-ttt", "-qq", "-s", "0", "-e", "trace=fsync,fdatasync,pwrite64,write", "-o", straceOutput, kioskd] + arguments
        } else {
            process.executableURL = URL(fileURLWithPath: kioskd)
            process.arguments = arguments
        }
        process.environment = env
        process.standardInput = FileHandle.nullDevice
        process.standardOutput = FileHandle.nullDevice
        let pipe = Pipe()
        process.standardError = pipe
        spawned = ContinuousClock.now
        try process.run()
        let fd = pipe.fileHandleForReading.fileDescriptor
        let reader = Thread { [self] in self.readLog(fd: fd, keeping: pipe) }
        reader.start()
    }

    deinit {
        if process.isRunning { kill(process.processIdentifier, SIGKILL); process.waitUntilExit() }
        unlink(socketPath)
    }

    private func readLog(fd: Int32, keeping pipe: Pipe) {
        var pending: [UInt8] = []
        var buffer = [UInt8](repeating: 0, count: 65536)
        while true {
            let n = buffer.withUnsafeMutableBytes { read(fd, $0.baseAddress, $0.count) }
            if n < 0 && errno == EINTR { continue }
            let now = ContinuousClock.now
            if n <= 0 { break }
            pending += buffer[..<n]
            var newLines: [LogLine] = []
            while let end = pending.firstIndex(of: 0x0A) {
                newLines.append(LogLine(time: now, text: String(decoding: pending[..<end], as: UTF8.self)))
                pending.removeSubrange(...end)
            }
            guard !newLines.isEmpty else { continue }
            condition.withLock {
                for line in newLines {
                    lines.append(line)
                    if let range = line.text.range(of: "check-in: acknowledged ") {
                        acknowledged[String(line.text[range.upperBound...].prefix { $0 != " " })] = line.time
                    }
                }
                condition.broadcast()
            }
        }
        condition.withLock {
            logClosed = true
            condition.broadcast()
        }
        _ = pipe
    }

    /// Waits for the first datagram containing `READY=1`; returns its arrival instant.
    func waitForReady(seconds: Double) throws -> ContinuousClock.Instant? {
        let deadline = Date().addingTimeInterval(seconds)
        while Date() < deadline {
            guard let bytes = try notifySocket.receive(timeout: max(0.001, min(0.1, deadline.timeIntervalSinceNow))) else {
                if !process.isRunning { return nil }
                continue
            }
            let now = ContinuousClock.now
            if String(decoding: bytes, as: UTF8.self).split(separator: "\n").contains("READY=1") { return now }
        }
        return nil
    }

    /// Waits until a log line contains `text`; returns it.
    func waitForLog(_ text: String, seconds: Double) -> LogLine? {
        let deadline = Date().addingTimeInterval(seconds)
        return condition.withLock {
            while true {
                if let line = lines.first(where: { $0.text.contains(text) }) { return line }
                if logClosed || !condition.wait(until: deadline) { return lines.first(where: { $0.text.contains(text) }) }
            }
        }
    }

    /// The instant the daemon logged "check-in: acknowledged TAG", waiting up to `seconds`.
    func waitForAcknowledgement(of tag: String, seconds: Double) -> ContinuousClock.Instant? {
        let deadline = Date().addingTimeInterval(seconds)
        return condition.withLock {
            while true {
                if let time = acknowledged[tag] { return time }
                if logClosed || !condition.wait(until: deadline) { return acknowledged[tag] }
            }
        }
    }

    var log: [LogLine] { condition.withLock { lines } }

    /// SIGTERM, then waits for the exit (SIGKILL after `seconds`); returns the exit status.
    @discardableResult
    func stop(seconds: Double = 10) -> Int32 {
        guard process.isRunning else { return process.terminationStatus }
        kill(pid, SIGTERM)
        let deadline = Date().addingTimeInterval(seconds)
        while process.isRunning, Date() < deadline { usleep(10_000) }
        if process.isRunning { kill(process.processIdentifier, SIGKILL) }
        process.waitUntilExit()
        condition.withLock {
            let until = Date().addingTimeInterval(2)
            while !logClosed, condition.wait(until: until) {}
        }
        return process.terminationStatus
    }
}
