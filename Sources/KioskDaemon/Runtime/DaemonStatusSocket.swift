import Dispatch
import Foundation
import KioskSystem
import Synchronization

/// kioskd's status socket: whoever connects to `$RUNTIME_DIRECTORY/kioskd.sock`
/// (`/run/kiosk/kioskd.sock` under the unit's `RuntimeDirectory=kiosk`) reads one
/// `DaemonStatusReport` as JSON, then the connection is closed. `kioskctl doctor` asks it
/// what the daemon holds instead of opening the devices itself.
///
/// Nothing is read from the client, so no request parser is exposed; who may connect is
/// decided by the file system (the directory is 0750 `kiosk`, the socket 0660: root and
/// the kiosk user). At most ``maximumInFlight`` answers are prepared at once; further
/// connections are closed unanswered. The report is built by the lobby actor, so an
/// answer waits for the lobby's current work, never the other way round.
public final class DaemonStatusSocket: @unchecked Sendable {
    // @unchecked: `listener`, `source` and `connections` are touched on `queue` only
    // (the read source's handler, `finish`, and `stop` through `queue.sync`).
    private let listener: UnixStreamListener
    private let queue = DispatchQueue(label: "kioskd.status-socket")
    private var source: (any DispatchSourceRead)?
    private var connections: [Int32: FileDescriptor] = [:]
    private let report: @Sendable () async -> DaemonStatusReport
    private let logger: JournalLogger

    public static let fileName = "kioskd.sock"
    public static let maximumInFlight = 4

    /// Where kioskd listens: in systemd's `$RUNTIME_DIRECTORY` (its first entry); nil
    /// when the unit gave none (kioskd run by hand: no socket).
    public static func path(environment: [String: String]) -> String? {
        guard let directory = environment["RUNTIME_DIRECTORY"]?.split(separator: ":").first, !directory.isEmpty else { return nil }
        return "\(directory)/\(fileName)"
    }

    /// Where `kioskctl doctor` looks by default.
    public static let defaultPath = "/run/kiosk/\(fileName)"

    private init(listener: UnixStreamListener, logger: JournalLogger, report: @escaping @Sendable () async -> DaemonStatusReport) {
        self.listener = listener
        self.logger = logger
        self.report = report
    }

    /// Listens at `path` and answers until ``stop()``.
    public static func start(path: String, logger: JournalLogger, report: @escaping @Sendable () async -> DaemonStatusReport) throws(SystemCallError) -> DaemonStatusSocket {
        let listener = try UnixStreamListener.listening(at: path, mode: 0o660)
        let socket = DaemonStatusSocket(listener: listener, logger: logger, report: report)
        socket.queue.sync {
            let source = DispatchSource.makeReadSource(fileDescriptor: listener.descriptor.rawValue, queue: socket.queue)
            source.setEventHandler { [weak socket] in socket?.acceptPending() }
            // The descriptor is closed only once the source no longer watches it.
            source.setCancelHandler { [weak socket] in socket?.listener.close() }
            source.resume()
            socket.source = source
        }
        logger.debug("status socket: listening on \(path)")
        return socket
    }

    private func acceptPending() {
        while true {
            let connection: FileDescriptor?
            do { connection = try listener.accept() } catch {
                logger.warning("status socket: \(error)")
                return
            }
            guard let connection else { return }
            guard connections.count < Self.maximumInFlight else { continue }  // closed unanswered (deinit)
            let fd = connection.rawValue
            connections[fd] = connection
            let report = self.report
            Task { [weak self] in
                let bytes = (try? await report().encoded()).map { [UInt8]($0) } ?? Array("{}".utf8)
                guard let self else { return }
                self.queue.async { self.finish(fd, bytes) }
            }
        }
    }

    /// Writes the answer (giving up after two seconds on a client that does not read) and closes.
    private func finish(_ fd: Int32, _ bytes: [UInt8]) {
        guard let connection = connections.removeValue(forKey: fd) else { return }
        var offset = 0
        let deadline = DispatchTime.now() + .seconds(2)
        while offset < bytes.count, DispatchTime.now() < deadline {
            let n = bytes.withUnsafeBytes { write(fd, $0.baseAddress! + offset, bytes.count - offset) }
            if n > 0 { offset += n; continue }
            let error = Errno.current
            guard error == .wouldBlock || error == .interrupted else { break }
            var poller = pollfd(fd: fd, events: Int16(POLLOUT), revents: 0)
            _ = poll(&poller, 1, 100)
        }
        connection.close()
    }

    /// Stops answering and removes the socket file.
    public func stop() {
        queue.sync {
            connections.removeAll()
            if let source {
                source.cancel()
                self.source = nil
            } else {
                listener.close()
            }
        }
    }
}
