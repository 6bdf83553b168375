import Foundation
import KioskSystem
#if canImport(Glibc)
import Glibc
#endif

/// What Linux says about another process, from `/proc/PID/status` and `/proc/PID/stat`.
struct ProcessReadings {
    /// `VmRSS`, `RssAnon`, `RssFile`, `RssShmem`, `VmHWM` in KiB (0 when missing).
    struct Memory {
        var rss = 0, anon = 0, file = 0, shmem = 0, peak = 0
    }

    let pid: Int32

    var memory: Memory {
        var m = Memory()
        guard let text = ProcFile.read("/proc/\(pid)/status") else { return m }
        for line in text.split(separator: "\n") {
            let parts = line.split(whereSeparator: { $0 == " " || $0 == "\t" })
            guard parts.count >= 2, let kib = Int(parts[1]) else { continue }
            switch parts[0] {
            case "VmRSS:": m.rss = kib
            case "RssAnon:": m.anon = kib
            case "RssFile:": m.file = kib
            case "RssShmem:": m.shmem = kib
            case "VmHWM:": m.peak = kib
            default: break
            }
        }
        return m
    }

    /// utime + stime in clock ticks (fields 14 and 15 of `/proc/PID/stat`, counted after
    /// the parenthesised command name, which may hold spaces).
    var cpuTicks: Int {
        guard let text = ProcFile.read("/proc/\(pid)/stat"),
              let close = text.lastIndex(of: ")") else { return 0 }
        let fields = text[text.index(after: close)...].split(separator: " ")
        // fields[0] is the state (field 3); utime is field 14, stime field 15.
        guard fields.count > 13, let user = Int(fields[11]), let system = Int(fields[12]) else { return 0 }
        return user + system
    }

    /// Open file descriptors (`/proc/PID/fd` entries).
    var openDescriptors: Int {
        (try? FileManager.default.contentsOfDirectory(atPath: "/proc/\(pid)/fd").count) ?? 0
    }

    static var ticksPerSecond: Double { Double(sysconf(Int32(_SC_CLK_TCK))) }
}
