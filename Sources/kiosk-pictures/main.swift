// kiosk-pictures: a test hook over the picture decoders, for Tests/pictures/ and the
// benchmark; not installed, not part of kioskd or kioskctl (see Tests/pictures/README.md).
//
//   kiosk-pictures decode [--max-bytes N] [--max-side N] [--at-least WxH] --out-dir DIR FILE...
//       Decodes each FILE (with --at-least, reduced as the renderer asks: PictureReduction); writes DIR/NAME.rgba (width and height as 4-byte big-endian
//       numbers, then R, G, B, A bytes row after row) or DIR/NAME.err (the reason), and
//       prints one line per file. Exit 0 even when files fail (the .err is the answer).
//   kiosk-pictures peak [--max-bytes N] FILE
//       Decodes FILE once and prints `ok WxH` or `error REASON`, then `peak_kib=N` (the
//       process's resident high-water mark), for the bounded-memory checks.
//   kiosk-pictures time --runs N FILE
//       Decodes FILE N times after one warm-up and prints `median_ms=` and `best_ms=`.
import Foundation
import KioskDisplay
#if canImport(Glibc)
import Glibc
#endif

func fail(_ text: String) -> Never {
    FileHandle.standardError.write(Data("kiosk-pictures: \(text)\n".utf8))
    exit(64)
}

var arguments = Array(CommandLine.arguments.dropFirst())
guard let command = arguments.first else { fail("usage: kiosk-pictures decode|peak|time ... (see the source)") }
arguments.removeFirst()
@MainActor func option(_ name: String) -> String? {
    guard let i = arguments.firstIndex(of: name), i + 1 < arguments.count else { return nil }
    defer { arguments.removeSubrange(i...(i + 1)) }
    return arguments[i + 1]
}
var limits = PictureLimits.standard
func number(_ text: String) -> Int {
    guard let n = Int(text), n > 0 else { fail("\(text) is not a positive number") }
    return n
}
if let text = option("--max-bytes") { limits.maximumBytes = number(text) }
if let text = option("--max-side") { limits.maximumSide = number(text) }
var reduction = PictureReduction.none
if let text = option("--at-least") {
    let sides = text.split(separator: "x").map(String.init)
    guard sides.count == 2 else { fail("--at-least wants WxH, not \(text)") }
    reduction = .toAtLeast(width: number(sides[0]), height: number(sides[1]))
}

func read(_ path: String) -> [UInt8] {
    guard let data = FileManager.default.contents(atPath: path) else { fail("cannot read \(path)") }
    return [UInt8](data)
}

switch command {
case "decode":
    guard let dir = option("--out-dir") else { fail("decode needs --out-dir DIR") }
    for path in arguments {
        let name = URL(fileURLWithPath: path).lastPathComponent
        let bytes = read(path)
        do {
            let picture = try PictureDecoder.decode(bytes, limits: limits, reduction: reduction)
            var out = [UInt8]()
            for v in [picture.width, picture.height] { out += [UInt8(v >> 24 & 0xFF), UInt8(v >> 16 & 0xFF), UInt8(v >> 8 & 0xFF), UInt8(v & 0xFF)] }
            out += picture.rgbaBytes
            _ = FileManager.default.createFile(atPath: dir + "/" + name + ".rgba", contents: Data(out))
            print("\(name): \(picture.width)x\(picture.height)")
        } catch {
            _ = FileManager.default.createFile(atPath: dir + "/" + name + ".err", contents: Data("\(error)\n".utf8))
            print("\(name): \(error)")
        }
    }
case "peak":
    guard let path = arguments.first else { fail("peak needs FILE") }
    let bytes = read(path)
    do {
        let picture = try PictureDecoder.decode(bytes, limits: limits)
        print("ok \(picture.width)x\(picture.height)")
    } catch {
        print("error \(error)")
    }
    var usage = rusage()
    getrusage(RUSAGE_SELF.rawValue, &usage)
    print("peak_kib=\(usage.ru_maxrss)")
case "time":
    guard let runs = option("--runs").flatMap({ Int($0) }), runs > 0, let path = arguments.first else { fail("time needs --runs N FILE") }
    let bytes = read(path)
    do {
        _ = try PictureDecoder.decode(bytes, limits: limits)
        var samples: [Double] = []
        for _ in 0..<runs {
            let start = ContinuousClock.now
            _ = try PictureDecoder.decode(bytes, limits: limits)
            let d = (ContinuousClock.now - start).components
            samples.append(Double(d.seconds) * 1000 + Double(d.attoseconds) / 1e15)
        }
        samples.sort()
        print("median_ms=\(samples[samples.count / 2])")
        print("best_ms=\(samples[0])")
    } catch {
        fail("\(path): \(error)")
    }
default:
    fail("unknown command \(command)")
}
