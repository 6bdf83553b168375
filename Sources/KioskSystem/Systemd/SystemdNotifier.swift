import Glibc

/// Tells systemd how the service is doing, the sd_notify(3) protocol without libsystemd:
/// newline-separated `KEY=value` lines in one datagram to the AF_UNIX socket named by
/// `$NOTIFY_SOCKET` (a path, or `@name` in the abstract namespace).
///
/// Outside systemd (no `$NOTIFY_SOCKET`) every call does nothing, so the daemon calls it
/// unconditionally. Like sd_notify, each message opens a fresh socket: nothing is kept
/// open between messages, so the notifier is a plain `Sendable` value.
///
/// The watchdog: with `WatchdogSec=` systemd sets `$WATCHDOG_USEC` (and `$WATCHDOG_PID`);
/// `watchdogInterval` is half of it, the cadence sd_watchdog_enabled(3) recommends. The
/// `WATCHDOG=1` pings must come from the loop that does the work, so that a hung loop
/// stops them and systemd restarts the service.
public struct SystemdNotifier: Sendable {
    /// One line of a notification (systemd.exec(5)'s "notify" assignments).
    public enum State: Sendable, Hashable {
        /// Start-up finished (`Type=notify` units leave "activating").
        case ready
        /// Free-form status shown by `systemctl status`.
        case status(String)
        /// The watchdog keep-alive.
        case watchdog
        /// A reload started; systemd ≥ 253 wants `MONOTONIC_USEC` with it (`Type=notify-reload`).
        case reloading(monotonicMicroseconds: UInt64)
        /// Shutdown started.
        case stopping

        public var line: String {
            switch self {
            case .ready: return "READY=1"
            case .status(let text):
                // A value ends at the newline: keep a status to one line.
                return "STATUS=" + String(text.map { $0.isNewline ? " " : $0 })
            case .watchdog: return "WATCHDOG=1"
            case .reloading(let usec): return "RELOADING=1\nMONOTONIC_USEC=\(usec)"
            case .stopping: return "STOPPING=1"
            }
        }
    }

    /// Where notifications go; nil when not started by systemd (or `$NOTIFY_SOCKET` is unusable).
    public let socketAddress: UnixSocketAddress?
    /// How often to send `WATCHDOG=1` (half of `$WATCHDOG_USEC`); nil when the watchdog
    /// is off or meant for another process (`$WATCHDOG_PID` names someone else).
    public let watchdogInterval: Duration?

    /// Reads `NOTIFY_SOCKET`, `WATCHDOG_USEC` and `WATCHDOG_PID` from `environment`.
    public init(environment: [String: String], processID: pid_t = getpid()) {
        socketAddress = environment["NOTIFY_SOCKET"].flatMap(UnixSocketAddress.init)
        watchdogInterval = Self.watchdogInterval(environment: environment, processID: processID)
    }

    /// Sends to `socketAddress` with the given watchdog cadence (tests).
    public init(socketAddress: UnixSocketAddress?, watchdogInterval: Duration? = nil) {
        self.socketAddress = socketAddress
        self.watchdogInterval = watchdogInterval
    }

    /// Half of `$WATCHDOG_USEC` when it is a positive number and `$WATCHDOG_PID` is unset
    /// or ours (sd_watchdog_enabled(3)).
    public static func watchdogInterval(environment: [String: String], processID: pid_t) -> Duration? {
        guard let text = environment["WATCHDOG_USEC"], let usec = UInt64(text), usec > 0 else { return nil }
        if let pidText = environment["WATCHDOG_PID"], !pidText.isEmpty {
            guard let pid = pid_t(pidText), pid == processID else { return nil }
        }
        return .microseconds(Int64(clamping: usec / 2))
    }

    public var isEnabled: Bool { socketAddress != nil }

    /// Sends `states` in one datagram. Does nothing when not under systemd.
    public func notify(_ states: [State]) throws(SystemCallError) {
        guard let socketAddress, !states.isEmpty else { return }
        let payload = Array(states.map(\.line).joined(separator: "\n").utf8)
        try UnixDatagramSocket.unbound().send(payload, to: socketAddress)
    }

    public func notify(_ state: State) throws(SystemCallError) { try notify([state]) }

    /// `CLOCK_MONOTONIC` in microseconds, the clock `MONOTONIC_USEC=` is read against.
    public static func monotonicMicroseconds() -> UInt64 {
        var now = timespec()
        clock_gettime(CLOCK_MONOTONIC, &now)
        return UInt64(now.tv_sec) * 1_000_000 + UInt64(now.tv_nsec) / 1000
    }
}
