import Foundation
import Glibc
import KioskCore
import Testing
@testable import KioskSystem

@Suite("Serial reader: delivery, unplug, reconnection (pseudo-terminals)", .serialized, .timeLimit(.minutes(1)))
struct SerialReaderTests {
    static let fastBackoff = SerialReconnectBackoff(initial: .milliseconds(20), maximum: .milliseconds(160), stableAfter: .seconds(5))
    static func rdm6300(_ ascii: String) -> [UInt8] { [0x02] + Array(ascii.utf8) + [0x03] }

    /// Feeds every delivered chunk to a fresh decoder.
    static func decodedIDs(_ recorder: SerialEventRecorder) -> [String] {
        var decoder = BadgeFrameDecoder(protocol: .rdm6300)
        return recorder.all.flatMap { event -> [String] in
            guard case .bytes(let bytes) = event else { return [] }
            return decoder.decode(bytes).map(\.tagID)
        }
    }

    @Test("frames written to the pty reach the decoder; unplug and a new device behind the symlink are followed")
    func unplugAndReplug() async throws {
        let link = TemporaryLink()
        let first = try PseudoTerminal()
        link.point(at: first.devicePath)
        let recorder = SerialEventRecorder()
        let reader = try SerialReader(path: link.path, baudRate: .b9600, backoff: Self.fastBackoff, handler: recorder.handler)
        reader.start()
        defer { reader.stop() }

        #expect(await recorder.wait { $0.statuses.first == .connected(path: link.path) })
        let frame = Self.rdm6300("62E3086CED08")
        try first.controller.writeAll(Array(frame.prefix(5)))
        try await Task.sleep(for: .milliseconds(20))
        try first.controller.writeAll(Array(frame.dropFirst(5)))
        #expect(await recorder.wait { Self.decodedIDs($0) == ["62E3086CED"] })

        // Unplug: the slave now reads EIO / polls POLLHUP.
        first.controller.close()
        #expect(await recorder.wait { $0.count(where: \.isDisconnected) >= 1 })
        #expect(await recorder.wait { $0.count(where: \.isReconnecting) >= 1 })
        let disconnection = recorder.statuses.first(where: \.isDisconnected)
        #expect(disconnection == .disconnected(.readFailed(.ioError)) || disconnection == .disconnected(.hangUp)
            || disconnection == .disconnected(.endOfFile))

        // Plug in "another" reader: udev points the symlink at a new device.
        let second = try PseudoTerminal()
        link.point(at: second.devicePath)
        #expect(await recorder.wait { $0.count(where: \.isConnected) == 2 })
        try second.controller.writeAll(Self.rdm6300("2900DEB30A4E"))
        #expect(await recorder.wait { Self.decodedIDs($0) == ["62E3086CED", "2900DEB30A"] })

        // Statuses come in a sensible order.
        let kinds = recorder.statuses.map { $0.isConnected ? "c" : $0.isDisconnected ? "d" : "r" }
        #expect(kinds.first == "c" && kinds.last == "c")
        #expect(kinds.firstIndex(of: "d")! < kinds.firstIndex(of: "r")!)
    }

    @Test("a missing device at start is retried with growing delays until it appears")
    func coldStartWithoutDevice() async throws {
        let link = TemporaryLink()
        let recorder = SerialEventRecorder()
        let reader = try SerialReader(path: link.path, baudRate: .b9600, backoff: Self.fastBackoff, handler: recorder.handler)
        reader.start()
        defer { reader.stop() }

        #expect(await recorder.wait { $0.count(where: \.isReconnecting) >= 4 })
        #expect(recorder.statuses.first == .disconnected(.openFailed(call: "open", errno: .noSuchFile)))
        // Only one "disconnected" for a run of failed opens.
        #expect(recorder.count(where: \.isDisconnected) == 1)
        let delays = recorder.statuses.compactMap { status -> Duration? in
            if case .reconnecting(_, let delay) = status { delay } else { nil }
        }
        #expect(Array(delays.prefix(4)) == [.milliseconds(20), .milliseconds(40), .milliseconds(80), .milliseconds(160)])

        let pty = try PseudoTerminal()
        link.point(at: pty.devicePath)
        #expect(await recorder.wait { $0.statuses.last == .connected(path: link.path) })
        try pty.controller.writeAll(Self.rdm6300("67003B51C6CB"))
        #expect(await recorder.wait { Self.decodedIDs($0) == ["67003B51C6"] })
    }

    @Test("writes reach the device while connected and fail with ENODEV otherwise")
    func writes() async throws {
        let link = TemporaryLink()
        let recorder = SerialEventRecorder()
        let reader = try SerialReader(path: link.path, baudRate: .b115200, backoff: Self.fastBackoff, handler: recorder.handler)
        #expect(throws: SystemCallError.self) { try reader.write([0x55]) }
        let pty = try PseudoTerminal()
        link.point(at: pty.devicePath)
        reader.start()
        defer { reader.stop() }
        #expect(await recorder.wait { $0.statuses.last == .connected(path: link.path) })
        try reader.write(PN532Frame.wakeUpBytes + PN532Frame.samConfiguration)
        #expect(try await pty.received(count: 26) == PN532Frame.wakeUpBytes + PN532Frame.samConfiguration)
    }

    @Test("stop returns promptly, even while waiting to reconnect, and silences the handler")
    func stopIsPrompt() async throws {
        let recorder = SerialEventRecorder()
        let slow = SerialReconnectBackoff(initial: .seconds(30), maximum: .seconds(30))
        let reader = try SerialReader(path: "/nonexistent/badge-reader", baudRate: .b9600, backoff: slow, handler: recorder.handler)
        reader.start()
        #expect(await recorder.wait { $0.count(where: \.isReconnecting) == 1 })
        let started = ContinuousClock.now
        reader.stop()
        #expect(started.duration(to: .now) < .seconds(1))
        let countAfterStop = recorder.all.count
        try await Task.sleep(for: .milliseconds(50))
        #expect(recorder.all.count == countAfterStop)
        reader.stop()  // twice is fine
    }

    @Test("the reader sleeps in poll: no busy loop while idle")
    func noBusyLoop() async throws {
        let pty = try PseudoTerminal()
        let recorder = SerialEventRecorder()
        let reader = try SerialReader(path: pty.devicePath, baudRate: .b9600, backoff: Self.fastBackoff, handler: recorder.handler)
        reader.start()
        defer { reader.stop() }
        #expect(await recorder.wait { $0.statuses.last == .connected(path: pty.devicePath) })
        // Measure the reader thread alone (other suites run in parallel in this process):
        // its CPU ticks from /proc/self/task/TID/stat, found by the thread's name.
        let before = try #require(Self.readerThreadCPUTicks())
        try await Task.sleep(for: .milliseconds(300))
        let after = try #require(Self.readerThreadCPUTicks())
        // A spinning thread would burn ~30 ticks (of 10 ms) here; a sleeping one none.
        #expect(after - before <= 2)
        #expect(recorder.statuses.count == 1)
    }

    /// utime + stime of the thread named "serial-reader" (the reader's), in clock ticks.
    static func readerThreadCPUTicks() -> Int? {
        guard let tasks = try? FileManager.default.contentsOfDirectory(atPath: "/proc/self/task") else { return nil }
        for task in tasks {
            guard let name = try? String(contentsOfFile: "/proc/self/task/\(task)/comm", encoding: .utf8),
                  name.hasPrefix("serial-reader"),
                  let stat = try? String(contentsOfFile: "/proc/self/task/\(task)/stat", encoding: .utf8),
                  let close = stat.lastIndex(of: ")") else { continue }
            // Fields after "(comm)": state is field 3; utime and stime are fields 14 and 15.
            let fields = stat[stat.index(after: close)...].split(separator: " ")
            guard fields.count > 12, let user = Int(fields[11]), let system = Int(fields[12]) else { continue }
            return user + system
        }
        return nil
    }
}
