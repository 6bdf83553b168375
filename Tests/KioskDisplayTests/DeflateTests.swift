import Foundation
import KioskTestSupport
import Testing
@testable import KioskDisplay

/// The deflate compressor and the compressed PNG: read back by an inflater written here
/// from RFC 1951 (a second reading of the format) and by Python's zlib (the reference
/// implementation), on screen-like pictures and adversarial data.
@Suite("Deflate and compressed PNG", .serialized)
struct DeflateTests {
    /// Screen-like bytes, text-like bytes, random bytes, runs and edge sizes.
    static var samples: [(String, [UInt8])] {
        var generator = SplitMix(seed: 42)
        let random = (0..<100_000).map { _ in UInt8.random(in: 0...255, using: &generator) }
        let text = Array(String(repeating: "Atelier sérigraphie — Salle 5, 18:00 – 20:00. Conférence : le design inclusif. ", count: 900).utf8)
        var picture: [UInt8] = []
        for y in 0..<200 { for x in 0..<700 { picture += (x / 50 + y / 40) % 3 == 0 ? [0x1C, 0x1C, 0x1C] : [0x00, 0x5F, 0x87] } }
        return [
            ("empty", []), ("one byte", [7]), ("two bytes", [1, 2]), ("three equal", [9, 9, 9]),
            ("a run of 70,000 zeros", [UInt8](repeating: 0, count: 70_000)), ("random", random), ("text", text),
            ("picture", picture), ("exactly one block", [UInt8](repeating: 3, count: 65_535) ), ("block and one", (0..<65_536).map { UInt8($0 % 251) }),
        ]
    }

    @Test func roundTripsThroughAnIndependentInflater() throws {
        for (name, data) in Self.samples {
            let stream = Deflate.zlib(data)
            #expect((Int(stream[0]) * 256 + Int(stream[1])) % 31 == 0, "\(name): FCHECK")
            var inflater = RFC1951TestInflater(Array(stream.dropFirst(2)))
            let decoded = try inflater.inflate()
            #expect(decoded == data, "\(name)")
            let adler = stream.suffix(4).reduce(UInt32(0)) { $0 << 8 | UInt32($1) }
            #expect(adler == Adler32.checksum(data), "\(name): Adler-32")
            #expect(inflater.position + 4 == stream.count - 2, "\(name): nothing after the last block but the checksum")
            // And the picture decoder's own inflater (written apart, checked against Pillow).
            #expect(try Inflater.zlib(stream, capacity: data.count, exact: true) == data, "\(name): the PNG decoder's inflater")
        }
    }

    @Test func compressesWhatRepeatsAndNeverGrowsRandomDataMuch() {
        for (name, data) in Self.samples where data.count > 1000 {
            let size = Deflate.zlib(data).count
            switch name {
            case "random": #expect(size <= data.count + data.count / 1000 + 32, "\(name): \(size) for \(data.count)")
            default: #expect(size < data.count / 10, "\(name): \(size) for \(data.count)")
            }
        }
    }

    @Test func codeLengthsStayWithinTheirLimitAndFormACompleteCode() {
        // Fibonacci frequencies make the deepest Huffman trees.
        var fibonacci = [1, 1]
        while fibonacci.count < 30 { fibonacci.append(fibonacci[fibonacci.count - 1] + fibonacci[fibonacci.count - 2]) }
        for limit in [7, 15] {
            let lengths = Huffman.lengths(fibonacci, limit: limit)
            #expect(lengths.max()! <= limit)
            let kraft = lengths.filter { $0 > 0 }.reduce(0.0) { $0 + pow(2.0, Double(-$1)) }
            #expect(abs(kraft - 1) < 1e-9, "complete code for limit \(limit)")
        }
        #expect(Huffman.lengths([0, 5, 0], limit: 15) == [0, 1, 0])
    }

    @Test func compressedPNGHasTheSamePixels() throws {
        var canvas = PixelCanvas(width: 321, height: 123, color: PixelColor(rgb: 0x1C1C1C))
        canvas.fill(PixelRect(x: 0, y: 0, width: 321, height: 30), PixelColor(rgb: 0x005F87))
        canvas.fill(PixelRect(x: 17, y: 40, width: 90, height: 50), PixelColor(rgb: 0xFFD75F))
        for x in stride(from: 0, to: 321, by: 7) { canvas.fill(PixelRect(x: x, y: 100, width: 3, height: 3), PixelColor(rgb: UInt32(x * 0x10203))) }
        let png = PNGEncoder.encode(canvas, compression: .deflate)
        let stored = PNGEncoder.encode(canvas)
        #expect(png.count < stored.count / 10, "\(png.count) bytes, \(stored.count) stored")
        let pixels = try Self.decode(png)
        #expect(pixels.width == 321 && pixels.height == 123)
        for y in 0..<123 {
            for x in 0..<321 {
                let v = canvas.pixels[y * 321 + x]
                let p = (y * 321 + x) * 3
                if Array(pixels.rgb[p..<(p + 3)]) != [UInt8(truncatingIfNeeded: v >> 16), UInt8(truncatingIfNeeded: v >> 8), UInt8(truncatingIfNeeded: v)] {
                    Issue.record("pixel \(x),\(y) differs")
                    return
                }
            }
        }
    }

    static let python = ["/usr/bin/python3", "/usr/local/bin/python3"].first { FileManager.default.isExecutableFile(atPath: $0) }

    /// Python's zlib (the reference) inflates every sample to the same bytes.
    @Test(.enabled(if: python != nil, "needs python3"))
    func pythonZlibInflatesEverySample() async throws {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("kiosk-deflate-\(getpid())")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: directory) }
        for (index, (_, data)) in Self.samples.enumerated() {
            try Data(data).write(to: directory.appendingPathComponent("\(index).raw"))
            try Data(Deflate.zlib(data)).write(to: directory.appendingPathComponent("\(index).z"))
        }
        let script = """
        import sys, zlib, os
        d = sys.argv[1]
        for n in range(int(sys.argv[2])):
            raw = open(os.path.join(d, f'{n}.raw'), 'rb').read()
            z = open(os.path.join(d, f'{n}.z'), 'rb').read()
            assert zlib.decompress(z) == raw, n
        print('ok')
        """
        let (status, text) = try await runToEnd(Self.python!, ["-c", script, directory.path, String(Self.samples.count)], withErrors: true)
        #expect(status == 0 && text.contains("ok"), "\(text)")
    }

    /// Pixels of an 8-bit RGB PNG, unfiltered (None, Sub, Up, Average, Paeth).
    static func decode(_ png: [UInt8]) throws -> (width: Int, height: Int, rgb: [UInt8]) {
        func u32(_ at: Int) -> Int { Int(png[at]) << 24 | Int(png[at + 1]) << 16 | Int(png[at + 2]) << 8 | Int(png[at + 3]) }
        var i = 8, width = 0, height = 0, idat: [UInt8] = []
        while i < png.count {
            let length = u32(i), type = String(decoding: png[(i + 4)..<(i + 8)], as: UTF8.self)
            if type == "IHDR" { (width, height) = (u32(i + 8), u32(i + 12)) }
            if type == "IDAT" { idat += png[(i + 8)..<(i + 8 + length)] }
            i += 12 + length
        }
        var inflater = RFC1951TestInflater(Array(idat.dropFirst(2)))
        let raw = try inflater.inflate()
        let stride = width * 3
        var out = [UInt8](repeating: 0, count: width * height * 3)
        for y in 0..<height {
            let filter = raw[y * (stride + 1)]
            for x in 0..<stride {
                let value = Int(raw[y * (stride + 1) + 1 + x])
                let a = x >= 3 ? Int(out[y * stride + x - 3]) : 0
                let b = y > 0 ? Int(out[(y - 1) * stride + x]) : 0
                let c = x >= 3 && y > 0 ? Int(out[(y - 1) * stride + x - 3]) : 0
                var predictor = 0
                switch filter {
                case 1: predictor = a
                case 2: predictor = b
                case 3: predictor = (a + b) / 2
                case 4:
                    let p = a + b - c, pa = abs(p - a), pb = abs(p - b), pc = abs(p - c)
                    predictor = pa <= pb && pa <= pc ? a : (pb <= pc ? b : c)
                default: predictor = 0
                }
                out[y * stride + x] = UInt8(truncatingIfNeeded: value + predictor)
            }
        }
        return (width, height, out)
    }
}

/// An inflater from RFC 1951 (stored, fixed and dynamic Huffman blocks), for the tests.
struct RFC1951TestInflater {
    struct Failure: Error { var reason: String }
    let input: [UInt8]
    private var bitBuffer = 0, bitCount = 0
    private(set) var position = 0

    init(_ input: [UInt8]) { self.input = input }

    private mutating func bits(_ n: Int) throws -> Int {
        while bitCount < n {
            guard position < input.count else { throw Failure(reason: "input ends in a block") }
            bitBuffer |= Int(input[position]) << bitCount
            position += 1
            bitCount += 8
        }
        let value = bitBuffer & ((1 << n) - 1)
        bitBuffer >>= n
        bitCount -= n
        return value
    }

    /// A canonical Huffman decoding table: (length, code) -> symbol.
    struct Table {
        var symbols: [Int: Int] = [:]
        init(_ lengths: [Int]) throws {
            var count = [Int](repeating: 0, count: 16)
            for l in lengths where l > 0 { count[l] += 1 }
            var next = [Int](repeating: 0, count: 16), code = 0
            for bits in 1..<16 {
                code = (code + count[bits - 1]) << 1
                next[bits] = code
            }
            for (symbol, l) in lengths.enumerated() where l > 0 {
                symbols[l << 16 | next[l]] = symbol
                next[l] += 1
            }
        }
    }

    private mutating func symbol(_ table: Table) throws -> Int {
        var code = 0
        for length in 1...15 {
            code = code << 1 | (try bits(1))
            if let symbol = table.symbols[length << 16 | code] { return symbol }
        }
        throw Failure(reason: "no code")
    }

    mutating func inflate() throws -> [UInt8] {
        var out: [UInt8] = []
        let lengthBase = [3, 4, 5, 6, 7, 8, 9, 10, 11, 13, 15, 17, 19, 23, 27, 31, 35, 43, 51, 59, 67, 83, 99, 115, 131, 163, 195, 227, 258]
        let lengthExtra = [0, 0, 0, 0, 0, 0, 0, 0, 1, 1, 1, 1, 2, 2, 2, 2, 3, 3, 3, 3, 4, 4, 4, 4, 5, 5, 5, 5, 0]
        let distBase = [1, 2, 3, 4, 5, 7, 9, 13, 17, 25, 33, 49, 65, 97, 129, 193, 257, 385, 513, 769, 1025, 1537, 2049, 3073, 4097, 6145, 8193, 12289, 16385, 24577]
        let distExtra = [0, 0, 0, 0, 1, 1, 2, 2, 3, 3, 4, 4, 5, 5, 6, 6, 7, 7, 8, 8, 9, 9, 10, 10, 11, 11, 12, 12, 13, 13]
        var last = 0
        repeat {
            last = try bits(1)
            let type = try bits(2)
            switch type {
            case 0:
                bitBuffer = 0
                bitCount = 0
                guard position + 4 <= input.count else { throw Failure(reason: "stored header") }
                let len = Int(input[position]) | Int(input[position + 1]) << 8
                let nlen = Int(input[position + 2]) | Int(input[position + 3]) << 8
                guard len ^ nlen == 0xFFFF else { throw Failure(reason: "LEN/NLEN") }
                position += 4
                out += input[position..<(position + len)]
                position += len
            case 1, 2:
                var lit: Table, dist: Table
                if type == 1 {
                    lit = try Table((0..<288).map { $0 < 144 ? 8 : $0 < 256 ? 9 : $0 < 280 ? 7 : 8 })
                    dist = try Table([Int](repeating: 5, count: 30))
                } else {
                    let hlit = try bits(5) + 257, hdist = try bits(5) + 1, hclen = try bits(4) + 4
                    let order = [16, 17, 18, 0, 8, 7, 9, 6, 10, 5, 11, 4, 12, 3, 13, 2, 14, 1, 15]
                    var clLengths = [Int](repeating: 0, count: 19)
                    for i in 0..<hclen { clLengths[order[i]] = try bits(3) }
                    let cl = try Table(clLengths)
                    var lengths: [Int] = []
                    while lengths.count < hlit + hdist {
                        let s = try symbol(cl)
                        switch s {
                        case 0...15: lengths.append(s)
                        case 16:
                            guard let previous = lengths.last else { throw Failure(reason: "repeat first") }
                            lengths += [Int](repeating: previous, count: 3 + (try bits(2)))
                        case 17: lengths += [Int](repeating: 0, count: 3 + (try bits(3)))
                        default: lengths += [Int](repeating: 0, count: 11 + (try bits(7)))
                        }
                    }
                    guard lengths.count == hlit + hdist else { throw Failure(reason: "code lengths overrun") }
                    lit = try Table(Array(lengths[..<hlit]))
                    dist = try Table(Array(lengths[hlit...]))
                }
                while true {
                    let s = try symbol(lit)
                    if s < 256 { out.append(UInt8(s)); continue }
                    if s == 256 { break }
                    let code = s - 257
                    let length = lengthBase[code] + (try bits(lengthExtra[code]))
                    let d = try symbol(dist)
                    let distance = distBase[d] + (try bits(distExtra[d]))
                    guard distance <= out.count else { throw Failure(reason: "distance too far") }
                    for _ in 0..<length { out.append(out[out.count - distance]) }
                }
            default:
                throw Failure(reason: "block type 3")
            }
        } while last == 0
        return out
    }
}

