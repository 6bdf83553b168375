import Foundation

extension BenchSummary {
    /// Each hostile calendar in a fresh `kiosk-bench hostile` process; the worst time and
    /// the worst peak, or why they could not be measured.
    func hostileRow() -> Row {
        let figure = "hostile calendars (issue #12's shapes, Tests/Fixtures/feeds/hostile): decode + expand the lobby's 9 days, each file in a fresh process, worst"
        let directory = HostileFeedBenchmark.directory
        let files = ((try? FileManager.default.contentsOfDirectory(atPath: directory)) ?? []).filter { $0.hasSuffix(".ics") }.sorted()
        guard !files.isEmpty else { return Row(figure: figure, value: "not measured: run from the repository (no \(directory))", target: "", met: nil, peer: "") }
        let executable = Bundle.main.executableURL ?? URL(fileURLWithPath: CommandLine.arguments[0])
        var worstTime: (ms: Double, file: String) = (0, ""), worstPeak: (kib: Int, start: Int, file: String) = (0, 0, "")
        for file in files {
            let process = Process()
            process.executableURL = executable
            process.arguments = ["hostile", "--file", directory + "/" + file, "--format", "kv"]
            let out = Pipe()
            process.standardOutput = out
            process.standardError = FileHandle.nullDevice
            guard (try? process.run()) != nil else { return Row(figure: figure, value: "not measured: cannot run \(executable.path)", target: "", met: nil, peer: "") }
            let data = out.fileHandleForReading.readDataToEndOfFile()
            process.waitUntilExit()
            var kv: [String: Double] = [:]
            for line in String(decoding: data, as: UTF8.self).split(separator: "\n") {
                let parts = line.split(separator: "=", maxSplits: 1)
                if parts.count == 2 { kv[String(parts[0])] = Double(parts[1]) }
            }
            guard process.terminationStatus == 0, let ms = kv["hostile.time_ms"], let peak = kv["hostile.rss.peak_kib"] else {
                return Row(figure: figure, value: "\(file): kiosk-bench hostile failed (status \(process.terminationStatus))", target: "< 1 s; < 50 MB", met: false, peer: "")
            }
            if ms > worstTime.ms { worstTime = (ms, file) }
            if Int(peak) > worstPeak.kib { worstPeak = (Int(peak), Int(kv["hostile.rss.start_kib"] ?? 0), file) }
        }
        let mb = { (kib: Int) in Double(kib) * 1024 / 1e6 }
        let value = String(format: "%.0f ms (%@); peak %.1f MB VmHWM (%@), %.1f MB of it the process before reading",
                           worstTime.ms, worstTime.file, mb(worstPeak.kib), worstPeak.file, mb(worstPeak.start))
        return Row(figure: figure, value: value, target: "< 1 s; < 50 MB", met: worstTime.ms < 1000 && mb(worstPeak.kib) < 50, peer: "")
    }
}
