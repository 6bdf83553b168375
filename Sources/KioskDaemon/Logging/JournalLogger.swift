import Foundation
import KioskCore
#if canImport(Glibc)
import Glibc
#endif

/// One line per event on standard error, for the systemd journal or a terminal.
///
/// Under systemd (`$JOURNAL_STREAM` set) each line starts with the sd-daemon priority
/// prefix (`<3>` error, `<4>` warning, `<5>` notice, `<6>` info, `<7>` debug), which the
/// journal turns into the entry's priority. Elsewhere lines carry a time stamp and a level
/// word. Messages below the configured level are dropped. Control characters in messages
/// (from feeds, requests) are replaced so that a line stays one line.
public final class JournalLogger: @unchecked Sendable {
    // @unchecked: `level` and `sink` are guarded by `lock`; writes are serialised by it too.
    private let lock = NSLock()
    private var level: KioskConfig.Log.Level
    private let underSystemd: Bool
    private var sink: (String) -> Void
    /// Lines at warning level or above seen so far (tests of quiet runs read it).
    public private(set) var warningCount = 0

    public init(level: KioskConfig.Log.Level = .info, underSystemd: Bool = ProcessInfo.processInfo.environment["JOURNAL_STREAM"] != nil, sink: ((String) -> Void)? = nil) {
        self.level = level
        self.underSystemd = underSystemd
        self.sink = sink ?? { line in
            var bytes = Array(line.utf8)
            bytes.append(0x0A)
            _ = bytes.withUnsafeBytes { Glibc.write(2, $0.baseAddress, $0.count) }
        }
    }

    public func setLevel(_ newLevel: KioskConfig.Log.Level) { lock.withLock { level = newLevel } }

    public func debug(_ message: @autoclosure () -> String) { log(.debug, message()) }
    public func info(_ message: @autoclosure () -> String) { log(.info, message()) }
    public func notice(_ message: @autoclosure () -> String) { log(.notice, message()) }
    public func warning(_ message: @autoclosure () -> String) { log(.warning, message()) }
    public func error(_ message: @autoclosure () -> String) { log(.error, message()) }

    public func log(_ messageLevel: KioskConfig.Log.Level, _ message: @autoclosure () -> String) {
        lock.withLock {
            guard messageLevel >= level else { return }
            if messageLevel >= .warning { warningCount += 1 }
            let text = Self.oneLine(message())
            if underSystemd {
                sink("<\(Self.priority(messageLevel))>\(text)")
            } else {
                sink("\(ISO8601.format(Date())) \(messageLevel.rawValue.uppercased()) \(text)")
            }
        }
    }

    /// syslog priority numbers (sd-daemon(3)).
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
