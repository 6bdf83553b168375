import Foundation
import Glibc
import KioskTestSupport
import Synchronization
@testable import KioskSystem

/// A temporary directory holding a symlink that plays the udev `/dev/badge-reader`.
final class TemporaryLink {
    let directory: String
    let path: String

    init() {
        var template = Array("/tmp/kiosk-serial-XXXXXX".utf8CString)
        directory = template.withUnsafeMutableBufferPointer { String(cString: mkdtemp($0.baseAddress!)) }
        path = directory + "/badge-reader"
    }

    /// Points the link at `target`, atomically (like udev: rename over the old link).
    func point(at target: String) {
        let staging = directory + "/.staging"
        unlink(staging)
        precondition(symlink(target, staging) == 0 && rename(staging, path) == 0, "symlink: \(Errno.current)")
    }

    deinit {
        unlink(path)
        unlink(directory + "/.staging")
        rmdir(directory)
    }
}

/// Collects what a `SerialReader` reports, from its thread, for the test to wait on.
final class SerialEventRecorder: Sendable {
    private let events = Mutex<[SerialReader.Event]>([])

    var handler: @Sendable (SerialReader.Event) -> Void {
        { event in self.events.withLock { $0.append(event) } }
    }

    var all: [SerialReader.Event] { events.withLock { $0 } }

    var statuses: [SerialReader.Status] {
        all.compactMap { event -> SerialReader.Status? in
            if case .status(let status) = event { status } else { nil }
        }
    }

    var bytes: [UInt8] {
        all.flatMap { event -> [UInt8] in
            if case .bytes(let bytes) = event { bytes } else { [] }
        }
    }

    /// Looks at `condition` every 10 ms until it holds or 3 s pass (suspending between
    /// looks); returns whether it held.
    func wait(until condition: (SerialEventRecorder) -> Bool) async -> Bool {
        await eventually(timeout: 3, every: .milliseconds(10)) { condition(self) }
    }

    func count(where predicate: (SerialReader.Status) -> Bool) -> Int {
        statuses.filter(predicate).count
    }
}

extension SerialReader.Status {
    var isConnected: Bool { if case .connected = self { true } else { false } }
    var isDisconnected: Bool { if case .disconnected = self { true } else { false } }
    var isReconnecting: Bool { if case .reconnecting = self { true } else { false } }
}

extension PseudoTerminal {
    /// Reads what the code under test wrote to the device side, waiting up to 2 s for
    /// `count` bytes (suspending, not holding a thread, while none are there).
    func received(count: Int) async throws -> [UInt8] {
        var received: [UInt8] = []
        _ = try await eventually(timeout: 2, every: .milliseconds(10)) {
            var p = pollfd(fd: controller.rawValue, events: Int16(POLLIN), revents: 0)
            if Glibc.poll(&p, 1, 0) > 0 { received += try controller.read(upTo: 4096) }
            return received.count >= count
        }
        return received
    }
}
