import Foundation
import KioskCore
import KioskSystem
#if canImport(Glibc)
import Glibc
#endif

/// One entry per event, for the systemd journal or a terminal.
///
/// Where it goes, decided once at start (``Output``):
/// - **native**: under systemd, when `$JOURNAL_STREAM` names standard error itself, each
///   entry is a datagram to journald (`SystemdJournal`) with `PRIORITY=`,
///   `SYSLOG_IDENTIFIER=` and the entry's own fields (`KIOSK_FEED=`, `KIOSK_DEVICE=`:
///   ``JournalField``), so that `journalctl -u kioskd -p warning` and
///   `journalctl KIOSK_FEED=programme` answer a maintainer. If journald does not take a
///   datagram, that entry goes to standard error as a prefixed line;
/// - **prefixed**: `$JOURNAL_STREAM` set but not naming standard error (or a sink given
///   under systemd): each line starts with the sd-daemon priority prefix (`<3>` error,
///   `<4>` warning, `<5>` notice, `<6>` info, `<7>` debug), which the journal turns into
///   the entry's priority;
/// - **plain**: elsewhere, a time stamp and a level word.
///
/// What each level means here: `error` a fatal or lost operation (start-up refused, a scan
/// not recorded, the display unwritable), `warning` a degraded state (reader gone or not
/// allowed, a feed failing past its threshold, the screen not powering down), `notice` the
/// daemon's life (started, reloaded, stopping), `info` routine, `debug` detail. Messages
/// below the configured level are dropped. Control characters in messages (from feeds,
/// requests) are replaced so that an entry stays one line.
public final class JournalLogger: @unchecked Sendable {
    // @unchecked: `level`, `output` and `warningCount` are guarded by `lock`; writes are
    // serialised by it too.
    private let lock = NSLock()
    private var level: KioskConfig.Log.Level
    private var output: Output
    /// `SYSLOG_IDENTIFIER=` of native entries.
    public let identifier: String
    /// Lines at warning level or above seen so far (tests of quiet runs read it).
    public private(set) var warningCount = 0

    /// Where entries go.
    enum Output {
        case native(SystemdJournal, fallback: (String) -> Void)
        case prefixed((String) -> Void)
        case plain((String) -> Void)

        var name: String {
            switch self {
            case .native: "native"
            case .prefixed: "prefixed"
            case .plain: "plain"
            }
        }
    }

    /// - Parameters:
    ///   - underSystemd: whether `$JOURNAL_STREAM` is set (systemd connected stdout or
    ///     stderr to the journal).
    ///   - identifier: `SYSLOG_IDENTIFIER=` of native entries.
    ///   - environment: read for `$JOURNAL_STREAM` (does it name standard error?) and the
    ///     test hook `$KIOSK_DEBUG_JOURNAL_SOCKET` (another socket than journald's).
    ///   - sink: where lines go instead of standard error (a file, a test); never native.
    public init(
        level: KioskConfig.Log.Level = .info,
        underSystemd: Bool = ProcessInfo.processInfo.environment["JOURNAL_STREAM"] != nil,
        identifier: String = "kioskd",
        environment: [String: String] = ProcessInfo.processInfo.environment,
        sink: ((String) -> Void)? = nil
    ) {
        self.level = level
        self.identifier = identifier
        let lines = sink ?? Self.standardErrorLine
        if sink == nil, underSystemd, SystemdJournal.standardErrorIsJournal(environment: environment),
           let journal = SystemdJournal(socketPath: environment["KIOSK_DEBUG_JOURNAL_SOCKET"] ?? SystemdJournal.defaultSocketPath) {
            output = .native(journal, fallback: lines)
        } else if underSystemd {
            output = .prefixed(lines)
        } else {
            output = .plain(lines)
        }
    }

    /// `native`, `prefixed` or `plain` (tests, diagnostics).
    var outputName: String { lock.withLock { output.name } }

    private static func standardErrorLine(_ line: String) {
        var bytes = Array(line.utf8)
        bytes.append(0x0A)
        _ = bytes.withUnsafeBytes { Glibc.write(2, $0.baseAddress, $0.count) }
    }

    public func setLevel(_ newLevel: KioskConfig.Log.Level) { lock.withLock { level = newLevel } }

    public func debug(_ message: @autoclosure () -> String, _ fields: JournalField...) { log(.debug, message(), fields: fields) }
    public func info(_ message: @autoclosure () -> String, _ fields: JournalField...) { log(.info, message(), fields: fields) }
    public func notice(_ message: @autoclosure () -> String, _ fields: JournalField...) { log(.notice, message(), fields: fields) }
    public func warning(_ message: @autoclosure () -> String, _ fields: JournalField...) { log(.warning, message(), fields: fields) }
    public func error(_ message: @autoclosure () -> String, _ fields: JournalField...) { log(.error, message(), fields: fields) }

    public func log(_ messageLevel: KioskConfig.Log.Level, _ message: @autoclosure () -> String, fields: [JournalField] = []) {
        lock.withLock {
            guard messageLevel >= level else { return }
            if messageLevel >= .warning { warningCount += 1 }
            let text = Self.oneLine(message())
            switch output {
            case .native(let journal, let fallback):
                do { try journal.send(Self.entry(text, level: messageLevel, identifier: identifier, fields: fields)) } catch {
                    fallback("<\(Self.priority(messageLevel))>\(text)")
                }
            case .prefixed(let sink):
                sink("<\(Self.priority(messageLevel))>\(text)")
            case .plain(let sink):
                sink("\(ISO8601.format(Date())) \(messageLevel.rawValue.uppercased()) \(text)")
            }
        }
    }

    /// The fields of one native entry, in order: `MESSAGE`, `PRIORITY`,
    /// `SYSLOG_IDENTIFIER`, then the entry's own.
    static func entry(_ message: String, level: KioskConfig.Log.Level, identifier: String, fields: [JournalField]) -> [(name: String, value: String)] {
        [("MESSAGE", message), ("PRIORITY", String(priority(level))), ("SYSLOG_IDENTIFIER", identifier)]
            + fields.map { ($0.name, $0.value) }
    }

    /// syslog priority numbers (sd-daemon(3), syslog(3)): what `journalctl -p` filters on.
    static func priority(_ level: KioskConfig.Log.Level) -> Int {
        switch level {
        case .debug: return 7
        case .info: return 6
        case .notice: return 5
        case .warning: return 4
        case .error: return 3
        }
    }

    static func oneLine(_ text: String) -> String {
        String(String.UnicodeScalarView(text.unicodeScalars.map { s in
            (s.value < 0x20 || s.value == 0x7F || (0x80...0x9F).contains(s.value)) ? " " : s
        }))
    }
}
