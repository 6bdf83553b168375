import Foundation
import Testing
@testable import KioskDisplay

@Suite("JPEG decoder")
struct JPEGDecoderTests {
    /// Pillow 13 (libjpeg-turbo), quality 85, 4:2:0, a 16x8 gradient (x * 16, y * 32, 128);
    /// baseline, then progressive. Pillow decodes both to the same three sample pixels.
    static let baseline = "/9j/4AAQSkZJRgABAQAAAQABAAD/2wBDAAUDBAQEAwUEBAQFBQUGBwwIBwcHBw8LCwkMEQ8SEhEPERETFhwXExQaFRERGCEYGh0dHx8fExciJCIeJBweHx7/2wBDAQUFBQcGBw4ICA4eFBEUHh4eHh4eHh4eHh4eHh4eHh4eHh4eHh4eHh4eHh4eHh4eHh4eHh4eHh4eHh4eHh4eHh7/wAARCAAIABADASIAAhEBAxEB/8QAHwAAAQUBAQEBAQEAAAAAAAAAAAECAwQFBgcICQoL/8QAtRAAAgEDAwIEAwUFBAQAAAF9AQIDAAQRBRIhMUEGE1FhByJxFDKBkaEII0KxwRVS0fAkM2JyggkKFhcYGRolJicoKSo0NTY3ODk6Q0RFRkdISUpTVFVWV1hZWmNkZWZnaGlqc3R1dnd4eXqDhIWGh4iJipKTlJWWl5iZmqKjpKWmp6ipqrKztLW2t7i5usLDxMXGx8jJytLT1NXW19jZ2uHi4+Tl5ufo6erx8vP09fb3+Pn6/8QAHwEAAwEBAQEBAQEBAQAAAAAAAAECAwQFBgcICQoL/8QAtREAAgECBAQDBAcFBAQAAQJ3AAECAxEEBSExBhJBUQdhcRMiMoEIFEKRobHBCSMzUvAVYnLRChYkNOEl8RcYGRomJygpKjU2Nzg5OkNERUZHSElKU1RVVldYWVpjZGVmZ2hpanN0dXZ3eHl6goOEhYaHiImKkpOUlZaXmJmaoqOkpaanqKmqsrO0tba3uLm6wsPExcbHyMnK0tPU1dbX2Nna4uPk5ebn6Onq8vP09fb3+Pn6/9oADAMBAAIRAxEAPwDjtC+FP3f9G/8AHa73QvhT93/Rv/HaKK4M0z/Ha+8eHwLxPmPu++f/2Q=="
    static let progressive = "/9j/4AAQSkZJRgABAQAAAQABAAD/2wBDAAUDBAQEAwUEBAQFBQUGBwwIBwcHBw8LCwkMEQ8SEhEPERETFhwXExQaFRERGCEYGh0dHx8fExciJCIeJBweHx7/2wBDAQUFBQcGBw4ICA4eFBEUHh4eHh4eHh4eHh4eHh4eHh4eHh4eHh4eHh4eHh4eHh4eHh4eHh4eHh4eHh4eHh4eHh7/wgARCAAIABADASIAAhEBAxEB/8QAFQABAQAAAAAAAAAAAAAAAAAAAAX/xAAUAQEAAAAAAAAAAAAAAAAAAAAE/9oADAMBAAIQAxAAAAGNfDh//8QAFhAAAwAAAAAAAAAAAAAAAAAAAAMF/9oACAEBAAEFAkShEo//xAAXEQADAQAAAAAAAAAAAAAAAAAABSEE/9oACAEDAQE/AUTPRKf/xAAXEQADAQAAAAAAAAAAAAAAAAAAAwRR/9oACAECAQE/Aar36f/EABUQAQEAAAAAAAAAAAAAAAAAAAAy/9oACAEBAAY/ApS//8QAFhAAAwAAAAAAAAAAAAAAAAAAADHB/9oACAEBAAE/IUwJg//aAAwDAQACAAMAAAAQi//EABQRAQAAAAAAAAAAAAAAAAAAAAD/2gAIAQMBAT8QN//EABURAQEAAAAAAAAAAAAAAAAAAAAh/9oACAECAQE/EKj/xAAUEAEAAAAAAAAAAAAAAAAAAAAQ/9oACAEBAAE/ECUv/9k="
    static let samples: [(x: Int, y: Int, rgb: UInt32)] = [(0, 0, 0x000474), (15, 7, 0xF6DA90), (8, 4, 0x7E837F)]

    static func bytes(_ base64: String) -> [UInt8] { [UInt8](Data(base64Encoded: base64)!) }

    @Test(arguments: [baseline, progressive])
    func decodesLikeLibjpeg(_ file: String) throws {
        let picture = try PictureDecoder.decode(Self.bytes(file))
        #expect(picture.width == 16 && picture.height == 8 && picture.isOpaque)
        for s in Self.samples { #expect(picture[s.x, s.y] == 0xFF00_0000 | s.rgb, "pixel (\(s.x), \(s.y))") }
    }

    func error(_ bytes: [UInt8], limits: PictureLimits = .standard) -> PictureError? { decodingError(bytes, limits: limits) }

    /// The baseline file with its SOF0 segment's bytes changed.
    func patchedFrame(_ change: (inout [UInt8], Int) -> Void) -> [UInt8] {
        var bytes = Self.bytes(Self.baseline)
        let sof = (0..<(bytes.count - 1)).first { bytes[$0] == 0xFF && bytes[$0 + 1] == 0xC0 }!
        change(&bytes, sof)
        return bytes
    }

    @Test func refusalsSayWhy() {
        // Declared sizes: checked before any allocation.
        #expect(error(patchedFrame { b, at in b[at + 5] = 0xEA; b[at + 6] = 0x60; b[at + 7] = 0xEA; b[at + 8] = 0x60 })?.kind == .tooLarge)
        #expect(error(patchedFrame { b, at in b[at + 5] = 0x1F; b[at + 6] = 0x40; b[at + 7] = 0x1F; b[at + 8] = 0x40 })?.kind == .tooLarge)
        #expect(error(patchedFrame { b, at in b[at + 4] = 12 })?.detail.contains("12-bit") == true)
        #expect(error(patchedFrame { b, at in b[at + 1] = 0xC3 })?.detail.contains("lossless") == true)
        #expect(error(patchedFrame { b, at in b[at + 1] = 0xC9 })?.detail.contains("arithmetic") == true)
        #expect(error(patchedFrame { b, at in b[at + 5] = 0; b[at + 6] = 0 })?.detail.contains("DNL") == true)
        #expect(error([0xFF, 0xD8, 0xFF, 0xD9])?.kind == .corrupt)
        #expect(error([0x00, 0x01])?.kind == .notAPicture)
    }

    @Test func truncatedFilesAreErrors() {
        for file in [Self.baseline, Self.progressive] {
            let bytes = Self.bytes(file)
            for end in 2..<bytes.count {
                #expect(error(Array(bytes.prefix(end))) != nil, "cut at \(end) of \(bytes.count)")
            }
        }
    }

    /// DCT-scaled decoding (checked against Pillow in Tests/pictures/check-pictures.sh):
    /// the size asked decides the scale, each reduced pixel is the mean of the square it
    /// stands for, and a budget too small for the whole picture asks for a smaller decode
    /// instead of a refusal when a reduction is allowed.
    @Test(arguments: [baseline, progressive])
    func reducedDecodesAreTheMeanOfTheirSquares(_ file: String) throws {
        let bytes = Self.bytes(file)
        let full = try PictureDecoder.decode(bytes)
        #expect(try PictureDecoder.decode(bytes, reduction: .toAtLeast(width: 16, height: 8)).width == 16)
        for (asked, scale) in [((8, 4), 2), ((4, 2), 4), ((3, 1), 4), ((1, 1), 8)] {
            let small = try PictureDecoder.decode(bytes, reduction: .toAtLeast(width: asked.0, height: asked.1))
            #expect(small.width == 16 / scale && small.height == 8 / scale, "asked \(asked)")
            for y in 0..<small.height {
                for x in 0..<small.width {
                    for shift in [16, 8, 0] as [UInt32] {
                        var sum = 0
                        for dy in 0..<scale { for dx in 0..<scale { sum += Int(full[x * scale + dx, y * scale + dy] >> shift & 0xFF) } }
                        let mean = sum / (scale * scale), got = Int(small[x, y] >> shift & 0xFF)
                        #expect(abs(got - mean) <= 12, "1/\(scale) at (\(x), \(y)): \(got) against a mean of \(mean)")
                    }
                }
            }
        }
        #expect(try PictureDecoder.decode(bytes, reduction: .most).width == 2)
        // A progressive file keeps its full-size coefficients until the end: only a
        // sequential one can be made to fit a budget below its full size.
        guard file == Self.baseline else { return }
        let tight = PictureLimits(maximumSide: 8192, maximumBytes: 16 * 8 * 4 / 4)
        #expect(error(bytes, limits: tight)?.kind == .tooLarge)
        let fitted = try PictureDecoder.decode(bytes, limits: tight, reduction: .toAtLeast(width: 16, height: 8))
        #expect(fitted.width * fitted.height * 4 <= tight.maximumBytes)
    }
}
