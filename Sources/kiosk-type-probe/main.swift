// kiosk-type-probe: answers questions about the type engine for the test scripts that
// compare it with FreeType and HarfBuzz (Tests/type/). Not installed; not for the board.
//
//   kiosk-type-probe FONT.ttf < requests
//
// One request a line, one answer a line, in the same order:
//   glyph CODEPOINT_HEX SIZE PHASE  ->  glyph CODEPOINT_HEX SIZE PHASE OFFSET_X OFFSET_Y WIDTH HEIGHT COVERAGE_HEX
//   width SIZE TEXT_UTF8_HEX        ->  width SIZE WIDTH_PIXELS
// SIZE is the em size in pixels, PHASE the pen's fraction in quarter pixels (0-3),
// OFFSET_Y the first row's distance below the baseline (negative: above). The glyph is
// the engine's for that character in that face alone (no fallback).
import KioskDisplay
#if canImport(Glibc)
import Glibc
#endif

func fail(_ message: String) -> Never {
    let text = Array("kiosk-type-probe: \(message)\n".utf8)
    _ = text.withUnsafeBytes { write(2, $0.baseAddress, $0.count) }
    exit(2)
}

let arguments = CommandLine.arguments
guard arguments.count == 2 else { fail("usage: kiosk-type-probe FONT.ttf < requests") }
let engine: TypeEngine
do {
    engine = TypeEngine(regular: try FontFace(contentsOfFile: arguments[1]))
} catch {
    fail("\(error)")
}

func hex(_ bytes: [UInt8]) -> String {
    let digits = Array("0123456789abcdef".utf8)
    var out = [UInt8]()
    out.reserveCapacity(bytes.count * 2)
    for b in bytes { out.append(digits[Int(b >> 4)]); out.append(digits[Int(b & 15)]) }
    return String(decoding: out, as: UTF8.self)
}

func unhex(_ text: Substring) -> [UInt8]? {
    let chars = Array(text.utf8)
    guard chars.count % 2 == 0 else { return nil }
    var out = [UInt8]()
    for i in stride(from: 0, to: chars.count, by: 2) {
        guard let pair = UInt8(String(decoding: chars[i...i + 1], as: UTF8.self), radix: 16) else { return nil }
        out.append(pair)
    }
    return out
}

while let line = readLine() {
    let fields = line.split(separator: " ")
    guard let verb = fields.first else { continue }
    switch verb {
    case "glyph":
        guard fields.count == 4, let code = UInt32(fields[1], radix: 16), let scalar = Unicode.Scalar(code),
              let size = Double(fields[2]), let phase = Int(fields[3]) else { fail("bad request: \(line)") }
        let b = engine.glyphBitmap(for: Character(scalar), style: TextStyle(pixelSize: size), phase: phase)
        print("glyph \(fields[1]) \(fields[2]) \(phase) \(b.offsetX) \(b.offsetY) \(b.width) \(b.height) \(hex(b.coverage))")
    case "width":
        guard fields.count == 3, let size = Double(fields[1]), let bytes = unhex(fields[2]) else { fail("bad request: \(line)") }
        let text = String(decoding: bytes, as: UTF8.self)
        print("width \(fields[1]) \(engine.width(of: text, style: TextStyle(pixelSize: size)))")
    default:
        fail("unknown request: \(line)")
    }
}
