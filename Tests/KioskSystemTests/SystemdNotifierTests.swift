import Foundation
import Testing
import KioskSystem
#if canImport(Glibc)
import Glibc
#endif

/// sd_notify(3) without libsystemd: addresses, the watchdog rules of
/// sd_watchdog_enabled(3), and datagrams as a bound socket receives them.
@Suite struct SystemdNotifierTests {
    @Test func addressForms() throws {
        let path = try #require(UnixSocketAddress("/run/systemd/notify"))
        #expect(!path.isAbstract)
        #expect(path.pathBytes == Array("/run/systemd/notify".utf8))
        let abstract = try #require(UnixSocketAddress("@kiosk/notify"))
        #expect(abstract.isAbstract)
        #expect(abstract.pathBytes == [0] + Array("kiosk/notify".utf8))
        #expect(abstract.description == "@kiosk/notify")
        #expect(UnixSocketAddress("") == nil)
        #expect(UnixSocketAddress("@") == nil)
        #expect(UnixSocketAddress("relative/socket") == nil)
        #expect(UnixSocketAddress("/" + String(repeating: "x", count: 107)) == nil, "no room for the NUL")
        #expect(UnixSocketAddress("/" + String(repeating: "x", count: 106)) != nil)
        #expect(UnixSocketAddress("@" + String(repeating: "x", count: 107)) != nil, "an abstract name may fill sun_path")
    }

    /// The length passed to the kernel is the abstract name's exact length: the name the
    /// kernel reports for the bound socket is ours, not ours padded with NULs.
    @Test func abstractAddressHasItsExactLength() throws {
        let name = "@kiosk-test-\(UUID().uuidString)"
        let socket = try UnixDatagramSocket.bound(to: try #require(UnixSocketAddress(name)))
        var address = sockaddr_un()
        var length = socklen_t(MemoryLayout<sockaddr_un>.size)
        let result = withUnsafeMutablePointer(to: &address) { $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { getsockname(socket.descriptor.rawValue, $0, &length) } }
        #expect(result == 0)
        let pathOffset = MemoryLayout<sockaddr_un>.offset(of: \.sun_path)!
        #expect(Int(length) == pathOffset + name.utf8.count, "the kernel holds a name of another length")
    }

    @Test func watchdogIntervalIsHalfTheTimeoutForUs() {
        #expect(SystemdNotifier.watchdogInterval(environment: ["WATCHDOG_USEC": "30000000"], processID: 42) == .seconds(15))
        #expect(SystemdNotifier.watchdogInterval(environment: ["WATCHDOG_USEC": "400000", "WATCHDOG_PID": "42"], processID: 42) == .milliseconds(200))
        #expect(SystemdNotifier.watchdogInterval(environment: ["WATCHDOG_USEC": "400000", "WATCHDOG_PID": "43"], processID: 42) == nil)
        #expect(SystemdNotifier.watchdogInterval(environment: ["WATCHDOG_USEC": "0"], processID: 42) == nil)
        #expect(SystemdNotifier.watchdogInterval(environment: ["WATCHDOG_USEC": "soon"], processID: 42) == nil)
        #expect(SystemdNotifier.watchdogInterval(environment: [:], processID: 42) == nil)
    }

    @Test func outsideSystemdNothingIsSent() throws {
        let notifier = SystemdNotifier(environment: [:])
        #expect(!notifier.isEnabled)
        try notifier.notify([.ready, .watchdog])
    }

    @Test(arguments: [false, true])
    func oneDatagramPerNotification(abstract: Bool) throws {
        let name = abstract ? "@kiosk-test-\(UUID().uuidString)" : FileManager.default.temporaryDirectory.appendingPathComponent("kiosk-notify-\(UUID().uuidString)").path
        let receiver = try UnixDatagramSocket.bound(to: try #require(UnixSocketAddress(name)))
        let notifier = SystemdNotifier(environment: ["NOTIFY_SOCKET": name])
        #expect(notifier.isEnabled)

        try notifier.notify([.ready, .status("Le Mixeur: programme\nfetched")])
        try notifier.notify(.watchdog)
        try notifier.notify(.reloading(monotonicMicroseconds: 123_456))
        try notifier.notify(.stopping)
        let received = try (0..<4).map { _ in String(decoding: try #require(try receiver.receive(timeout: 2)), as: UTF8.self) }
        #expect(received == ["READY=1\nSTATUS=Le Mixeur: programme fetched", "WATCHDOG=1", "RELOADING=1\nMONOTONIC_USEC=123456", "STOPPING=1"])
        #expect(try receiver.receive(timeout: 0.05) == nil)
        if !abstract {
            withExtendedLifetime(receiver) {}
        }
    }

    @Test func monotonicClockMovesForward() {
        let a = SystemdNotifier.monotonicMicroseconds()
        usleep(2000)
        let b = SystemdNotifier.monotonicMicroseconds()
        #expect(b >= a + 2000)
        var now = timespec()
        clock_gettime(CLOCK_MONOTONIC, &now)
        #expect(UInt64(now.tv_sec) * 1_000_000 >= b / 1_000_000 * 1_000_000)
    }

    @Test func sendingToNobodyFailsWithTheAddress() {
        let notifier = SystemdNotifier(environment: ["NOTIFY_SOCKET": "/nonexistent/kiosk-notify"])
        #expect(throws: SystemCallError.self) { try notifier.notify(.ready) }
    }
}
