#if canImport(Glibc)
import Glibc
#endif
import Foundation

/// Resident memory of this process, in KiB, as Linux reports it.
///
/// `peak` is `getrusage(RUSAGE_SELF).ru_maxrss` (KiB on Linux: the high-water mark of the
/// resident set since the process started, the same figure as `VmHWM`). It never goes down,
/// so a figure for one piece of work needs a fresh process (`kiosk-bench feeds --once`).
enum ProcessMemory {
    static var peakKiB: Int {
        var usage = rusage()
        guard getrusage(RUSAGE_SELF.rawValue, &usage) == 0 else { return 0 }
        return Int(usage.ru_maxrss)
    }

    /// `VmRSS` from `/proc/self/status`: the resident set now; 0 when unreadable.
    static var currentKiB: Int {
        guard let status = try? String(contentsOfFile: "/proc/self/status", encoding: .utf8) else { return 0 }
        for line in status.split(separator: "\n") where line.hasPrefix("VmRSS:") {
            return Int(line.dropFirst(6).split(whereSeparator: { $0 == " " || $0 == "\t" }).first ?? "") ?? 0
        }
        return 0
    }
}
