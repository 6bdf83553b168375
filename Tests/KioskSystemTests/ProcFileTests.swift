import Foundation
import Testing
import KioskSystem

@Suite("/proc files read to their end")
struct ProcFileTests {
    /// This test process maps far more than a page of smaps: the whole table comes back,
    /// ending with the last mapping's last field, as many mappings as /proc/self/maps has
    /// lines (read through a pipe by `cat`, which reads to the end).
    @Test func aTableLongerThanAPageIsReadWhole() throws {
        let smaps = try #require(ProcFile.read("/proc/self/smaps"))
        #expect(smaps.utf8.count > 4096)
        #expect(smaps.hasSuffix("\n"))
        let lastLine = try #require(smaps.split(separator: "\n").last)
        #expect(lastLine.hasPrefix("VmFlags:"), "cut in the middle: \(lastLine)")
        let headers = smaps.split(separator: "\n").filter { line in
            let first = line.prefix { $0 != " " }
            return first.contains("-") && first.allSatisfy { $0 == "-" || $0.isHexDigit }
        }
        let maps = try #require(ProcFile.read("/proc/self/maps")).split(separator: "\n")
        // Mappings may come and go between the two reads (threads' stacks, malloc): close, not equal.
        #expect(abs(headers.count - maps.count) < max(8, maps.count / 10), "\(headers.count) mappings in smaps, \(maps.count) in maps")
    }

    @Test func theLimitIsKeptAndAMissingFileIsNil() {
        #expect(ProcFile.read("/proc/self/smaps", limit: 100)?.utf8.count == 100)
        #expect(ProcFile.read("/proc/self/no-such-file") == nil)
    }
}
