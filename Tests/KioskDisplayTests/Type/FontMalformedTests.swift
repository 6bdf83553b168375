import Foundation
import Testing
import KioskTestSupport
import KioskDisplay

/// Corrupt and truncated fonts: every one is an error naming the table, or a face whose
/// broken parts draw as nothing; none traps (a trap ends the test process).
@Suite("Malformed fonts")
struct FontMalformedTests {
    static let lato = ShippedType.bytes(ShippedTypefaces.regular)

    /// The table directory read here by hand: tag → (record offset, table offset, length).
    static func directory(_ bytes: [UInt8]) -> [String: (record: Int, offset: Int, length: Int)] {
        func u32(_ i: Int) -> Int { Int(bytes[i]) << 24 | Int(bytes[i + 1]) << 16 | Int(bytes[i + 2]) << 8 | Int(bytes[i + 3]) }
        let count = Int(bytes[4]) << 8 | Int(bytes[5])
        var result: [String: (Int, Int, Int)] = [:]
        for i in 0..<count {
            let record = 12 + i * 16
            result[String(decoding: bytes[record..<record + 4], as: UTF8.self)] = (record, u32(record + 8), u32(record + 12))
        }
        return result
    }

    /// Uses everything a face offers on text and glyphs, as the lobby would.
    static func exercise(_ face: FontFace) {
        let engine = TypeEngine(regular: face, cacheCapacity: 64 * 1024)
        let style = TextStyle(pixelSize: 24)
        var canvas = PixelCanvas(width: 120, height: 40)
        let text = "AV Te « À » œ€’ 18:30 Wé"
        _ = engine.width(of: text, style: style)
        _ = engine.lineMetrics(style)
        engine.draw(text, style: style, x: 0.5, baseline: 30, color: .white, clip: canvas.bounds, into: &canvas)
        engine.draw("12", style: TextStyle(weight: .bold, pixelSize: 30, tabularFigures: true), x: 0, baseline: 30, color: .white, clip: canvas.bounds, into: &canvas)
        for glyph in stride(from: 0, to: min(face.glyphCount, 3100), by: 37) {
            if let outline = try? face.outline(of: UInt16(glyph)) {
                _ = GlyphRasterizer.rasterize(outline, scale: 0.02, shiftX: 0.25)
            }
        }
    }

    static let requiredTables = ["head", "hhea", "maxp", "hmtx", "loca", "cmap"]
    static let otherTables = ["glyf", "OS/2", "GPOS", "GSUB", "kern"]

    @Test(arguments: requiredTables + otherTables)
    func everyTableTruncated(tag: String) throws {
        let entry = try #require(Self.directory(Self.lato)[tag])
        let lengths = Set([0, 1, 2, 3, 4, 6, 8, 10, 12, 16, 20, 34, 36, 54, 64, 78, 96, 100, 1000,
                           entry.length / 3, entry.length / 2, entry.length - 2, entry.length - 1])
            .filter { $0 < entry.length }.sorted()
        // The bytes of each required table the engine reads: cut shorter, the face is refused.
        let needed = ["head": 52, "hhea": 36, "maxp": 6, "hmtx": entry.length, "loca": entry.length][tag]
        for length in lengths {
            var bytes = Self.lato
            bytes.put32(entry.record + 12, length)
            do {
                let face = try FontFace(bytes: bytes, source: "cut-\(tag)-\(length)")
                Self.exercise(face)
                if let needed { #expect(length >= needed, "\(tag) cut to \(length) was accepted") }
            } catch {
                #expect(error.table == tag, "\(tag) cut to \(length): \(error)")
                #expect(error.description.contains("'\(tag)'"))
            }
        }
        if tag == "glyf" {
            // The face loads (glyf is read per glyph), but outlines past the cut are errors.
            var bytes = Self.lato
            bytes.put32(entry.record + 12, 100)
            let face = try FontFace(bytes: bytes, source: "cut-glyf")
            #expect(throws: FontError.self) { try face.outline(of: 3) }
        }
    }

    @Test func fileTruncated() {
        let table = Self.directory(Self.lato)
        var cuts = [0, 1, 3, 4, 11, 12, 13, 100, 12 + table.count * 16 - 1]
        for entry in table.values { cuts += [entry.offset, entry.offset + 1, entry.offset + entry.length / 2] }
        for cut in Set(cuts) where cut < Self.lato.count {
            do {
                let face = try FontFace(bytes: Array(Self.lato[..<cut]), source: "cut")
                Self.exercise(face)
            } catch {
                #expect(!error.description.isEmpty)
            }
        }
        #expect(throws: FontError.self) { try FontFace(bytes: [], source: "empty") }
        #expect(throws: FontError.self) { try FontFace(bytes: Array("OTTO\0\0\0\0\0\0\0\0".utf8), source: "cff") }
    }

    @Test func unreadableFiles() throws {
        for path in ["/nonexistent/font.ttf", "/tmp", "/dev/null"] {
            #expect(throws: FontError.self, "\(path)") { try FontFace(contentsOfFile: path) }
        }
        // A FIFO is refused without waiting for a writer.
        let fifo = "/tmp/kiosk-font-fifo-\(getpid())"
        #expect(mkfifo(fifo, 0o600) == 0)
        defer { unlink(fifo) }
        #expect(throws: FontError.self) { try FontFace(contentsOfFile: fifo) }
        #expect(throws: FontError.self) { try TypeEngine(fontsDirectory: "/nonexistent") }
    }

    @Test func tableOffsetsOutsideTheFile() throws {
        for (tag, entry) in Self.directory(Self.lato) {
            for bad in [Self.lato.count, Self.lato.count - 1, Int(UInt32.max), Int(UInt32.max) - 3] {
                var bytes = Self.lato
                bytes.put32(entry.record + 8, bad)
                #expect(throws: FontError.self, "\(tag) at \(bad)") { try FontFace(bytes: bytes, source: "bad-offset") }
            }
        }
    }

    @Test func hostileHeaderValues() throws {
        let table = Self.directory(Self.lato)
        func patched(_ tag: String, _ at: Int, _ value: Int) -> [UInt8] {
            var bytes = Self.lato
            bytes.put16(table[tag]!.offset + at, value)
            return bytes
        }
        // unitsPerEm 0, indexToLocFormat 7, numGlyphs 0 and 65535, numberOfHMetrics 0 and past numGlyphs,
        // a table count of 65535.
        for (tag, at, value) in [("head", 18, 0), ("head", 50, 7), ("maxp", 4, 0), ("maxp", 4, 65535), ("hhea", 34, 0), ("hhea", 34, 4000)] {
            #expect(throws: FontError.self, "\(tag)+\(at) = \(value)") { try FontFace(bytes: patched(tag, at, value), source: "hostile") }
        }
        var bytes = Self.lato
        bytes.put16(4, 65535)
        #expect(throws: FontError.self) { try FontFace(bytes: bytes, source: "many-tables") }
    }

    /// Seconds of work: on a thread of its own (`offThePool`), so that other tests' handlers
    /// and timers have the cooperative pool.
    @Test func randomCorruptionNeverTraps() async {
        await offThePool {
            // A fixed seed: the same 400 corrupted files every run.
            var random = SplitMix(seed: 0x5EED_F0E7)
            let tables = Array(Self.directory(Self.lato).values)
            var loaded = 0
            for _ in 0..<400 {
                var bytes = Self.lato
                let entry = tables[Int(random.next() % UInt64(tables.count))]
                for _ in 0..<(1 + Int(random.next() % 8)) {
                    let at = entry.offset + Int(random.next() % UInt64(max(1, min(entry.length, 4096))))
                    bytes[at] = UInt8(truncatingIfNeeded: random.next())
                }
                if let face = try? FontFace(bytes: bytes, source: "corrupt") {
                    loaded += 1
                    Self.exercise(face)
                }
            }
            #expect(loaded > 0)
        }
    }
}

/// A small deterministic generator for the corruption test.
struct SplitMix {
    var state: UInt64
    init(seed: UInt64) { state = seed }
    mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }
}

extension Array where Element == UInt8 {
    mutating func put32(_ at: Int, _ v: Int) {
        for i in 0..<4 { self[at + i] = UInt8((v >> (24 - 8 * i)) & 0xFF) }
    }
}
