import Foundation
import KioskDisplay

/// Decode time of a 1920x1080 JPEG and PNG, ours and Pillow's on the same files in the same
/// run. The files are written by the peer script (`scripts/peers/picture_peer.py`, Pillow),
/// so the benchmark needs Python with Pillow (`Tests/pictures/check-pictures.sh` makes
/// `.build-venv/pictures/` with it); without it the figures say so.
struct PicturesBenchmark {
    var python: String
    var work: String
    var runs: Int

    struct Result {
        var kind: String
        var bytes: Int
        var ours: Double
        var peer: Double
    }

    /// The Python to use: `.build-venv/pictures/bin/python` when it has Pillow, else `python`.
    static func pythonWithPillow(_ python: String) -> String? {
        for candidate in [".build-venv/pictures/bin/python", python] {
            let process = Process()
            process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
            process.arguments = [candidate, "-c", "import PIL"]
            process.standardOutput = FileHandle.nullDevice
            process.standardError = FileHandle.nullDevice
            guard (try? process.run()) != nil else { continue }
            process.waitUntilExit()
            if process.terminationStatus == 0 { return candidate }
        }
        return nil
    }

    func measure() throws -> [Result] {
        guard let python = Self.pythonWithPillow(python) else {
            throw CocoaError(.featureUnsupported, userInfo: [NSLocalizedDescriptionKey: "Pillow not installed (Tests/pictures/check-pictures.sh makes .build-venv/pictures/)"])
        }
        try FileManager.default.createDirectory(atPath: work, withIntermediateDirectories: true)
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        process.arguments = [python, "scripts/peers/picture_peer.py", "--out", work, "--runs", String(runs)]
        let out = Pipe()
        process.standardOutput = out
        try process.run()
        let data = out.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        guard process.terminationStatus == 0 else { throw CocoaError(.fileReadUnknown, userInfo: [NSLocalizedDescriptionKey: "picture_peer.py failed"]) }
        var peer: [String: Double] = [:]
        for line in String(decoding: data, as: UTF8.self).split(separator: "\n") {
            let parts = line.split(separator: "=", maxSplits: 1)
            if parts.count == 2, let value = Double(parts[1]) { peer[String(parts[0])] = value }
        }
        var results: [Result] = []
        for (kind, file) in [("jpeg", "bench-1920x1080.jpg"), ("png", "bench-1920x1080.png")] {
            guard let contents = FileManager.default.contents(atPath: work + "/" + file) else { continue }
            let bytes = [UInt8](contents)
            _ = try PictureDecoder.decode(bytes)
            var samples = WallTimeSamples()
            for _ in 0..<runs {
                let start = ContinuousClock.now
                let picture = try PictureDecoder.decode(bytes)
                samples.add(ContinuousClock.now - start)
                precondition(picture.width == 1920 && picture.height == 1080)
            }
            results.append(Result(kind: kind, bytes: bytes.count, ours: samples.median * 1000, peer: peer["\(kind).median_ms"] ?? .nan))
        }
        return results
    }

    static func figures(_ results: [Result]) -> [BenchFigure] {
        results.flatMap { r in [
            BenchFigure(key: "pictures.\(r.kind).median_ms", label: "\(r.kind.uppercased()) 1920x1080 (\(r.bytes) bytes) decode, median", value: r.ours, unit: "ms"),
            BenchFigure(key: "pictures.\(r.kind).pillow_ms", label: "the same file with Pillow, median", value: r.peer, unit: "ms"),
            BenchFigure(key: "pictures.\(r.kind).ratio", label: "ours / Pillow", value: r.ours / r.peer, unit: "x"),
        ] }
    }
}
