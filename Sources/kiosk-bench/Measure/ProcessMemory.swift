#if canImport(Glibc)
import Glibc
#endif
import Foundation
import KioskSystem

/// Resident memory of this process, in KiB, as Linux reports it.
///
/// `peak` is `VmHWM` from `/proc/self/status`: the high-water mark of this process's own
/// address space since its `exec`. Not `getrusage`'s `ru_maxrss`: when the process was
/// started by posix_spawn (glibc's `clone(CLONE_VM | CLONE_VFORK)`, what Foundation's
/// `Process` uses), `ru_maxrss` starts at the *parent's* resident set, so a small child of
/// the 70 MB summary process reported 70 MB. It never goes down, so a figure for one piece
/// of work needs a fresh process (`kiosk-bench feeds --once`, `kiosk-bench hostile`).
enum ProcessMemory {
    static var peakKiB: Int {
        if let hwm = statusKiB("VmHWM:") { return hwm }
        var usage = rusage()
        guard getrusage(RUSAGE_SELF.rawValue, &usage) == 0 else { return 0 }
        return Int(usage.ru_maxrss)
    }

    /// A `kB` line of `/proc/self/status`, nil when unreadable.
    private static func statusKiB(_ key: String) -> Int? {
        guard let status = ProcFile.read("/proc/self/status") else { return nil }
        for line in status.split(separator: "\n") where line.hasPrefix(key) {
            return Int(line.dropFirst(key.count).split(whereSeparator: { $0 == " " || $0 == "\t" }).first ?? "")
        }
        return nil
    }

    /// `VmRSS` from `/proc/self/status`: the resident set now; 0 when unreadable.
    static var currentKiB: Int { statusKiB("VmRSS:") ?? 0 }
}
