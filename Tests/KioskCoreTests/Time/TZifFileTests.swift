import Foundation
import Testing
@testable import KioskCore

/// The TZif reader on files we build (every version, odd footers) and on broken ones:
/// cut short anywhere, huge counts, bad footers. Bad bytes give an error, never a crash.
@Suite struct TZifFileTests {
    /// A TZif file with the given transitions and types; version 1 has no footer.
    static func file(version: UInt8, times: [Int64], indices: [UInt8], types: [(Int32, UInt8, UInt8)],
                     abbreviations: String, footer: String?, leaps: Int = 0, counts: [UInt32]? = nil) -> [UInt8] {
        func be(_ v: UInt64, _ size: Int) -> [UInt8] { (0..<size).reversed().map { UInt8(truncatingIfNeeded: v >> (8 * UInt64($0))) } }
        func block(_ timeSize: Int) -> [UInt8] {
            let c = counts ?? [0, 0, UInt32(leaps), UInt32(times.count), UInt32(types.count), UInt32(abbreviations.utf8.count)]
            var out: [UInt8] = Array("TZif".utf8) + [version] + [UInt8](repeating: 0, count: 15)
            for n in c { out += be(UInt64(n), 4) }
            for t in times { out += be(UInt64(bitPattern: t), timeSize) }
            out += indices
            for (offset, dst, index) in types { out += be(UInt64(UInt32(bitPattern: offset)), 4) + [dst, index] }
            out += Array(abbreviations.utf8)
            for i in 0..<leaps { out += be(UInt64(i * 1000), timeSize) + be(UInt64(i + 1), 4) }
            return out
        }
        if version == 0 { return block(4) }
        return block(4) + block(8) + Array("\n\(footer ?? "")\n".utf8)
    }

    static let cetTypes: [(Int32, UInt8, UInt8)] = [(3600, 0, 0), (7200, 1, 4)]

    @Test(arguments: [UInt8(0), UInt8(ascii: "2"), UInt8(ascii: "3"), UInt8(ascii: "4")])
    func readsEveryVersion(version: UInt8) throws {
        let bytes = Self.file(version: version, times: [1_000_000, 2_000_000], indices: [1, 0], types: Self.cetTypes,
                              abbreviations: "CET\0CEST\0", footer: "CET-1CEST,M3.5.0,M10.5.0/3", leaps: 2)
        let file = try TZifFile(bytes: bytes)
        #expect(file.version == (version == 0 ? 1 : Int(version - 0x30)))
        #expect(file.types.map(\.abbreviation) == ["CET", "CEST"])
        #expect(file.utcOffset(at: 0) == 3600 && file.utcOffset(at: 1_500_000) == 7200 && file.utcOffset(at: 2_000_000) == 3600)
        #expect((file.footer == nil) == (version == 0))
    }

    @Test func realFilesOfTheSystemRead() throws {
        let bytes = try [UInt8](Data(contentsOf: URL(fileURLWithPath: "/usr/share/zoneinfo/Europe/Paris")))
        let file = try TZifFile(bytes: bytes)
        #expect(file.footer?.standardName == "CET" && file.footer?.daylight?.name == "CEST")
        // right/ files carry leap-second records; they are skipped, the offsets still read.
        if let right = try? [UInt8](Data(contentsOf: URL(fileURLWithPath: "/usr/share/zoneinfo/right/Europe/Paris"))) {
            #expect(try TZifFile(bytes: right).utcOffset(at: 1_780_000_000) == 7200)
        }
    }

    @Test func truncatedFilesAreErrors() throws {
        for name in ["Europe/Paris", "America/Sao_Paulo", "Australia/Lord_Howe", "UTC"] {
            let bytes = try [UInt8](Data(contentsOf: URL(fileURLWithPath: "/usr/share/zoneinfo/" + name)))
            for sixteenth in 0..<16 {
                let cut = Array(bytes.prefix(bytes.count * sixteenth / 16))
                #expect(throws: TZifError.self, "\(name) cut at \(sixteenth)/16") { try TZifFile(bytes: cut) }
            }
            // And every length near the end, where the footer is.
            for cut in max(0, bytes.count - 40)..<bytes.count {
                #expect(throws: TZifError.self, "\(name) cut at \(cut)") { try TZifFile(bytes: Array(bytes.prefix(cut))) }
            }
        }
    }

    @Test func hugeOrInconsistentCountsAreErrors() {
        let cases: [[UInt32]] = [
            [0, 0, 0, UInt32.max, 2, 9],  // 4 billion transitions
            [0, 0, UInt32.max, 2, 2, 9],  // leap records
            [0, 0, 0, 2, UInt32.max, 9],  // types
            [0, 0, 0, 2, 2, UInt32.max],  // abbreviation bytes
            [0, 0, 0, 2, 0, 9],  // no type at all
            [0, 0, 0, 2, 2, 0],  // no abbreviation byte
            [1, 0, 0, 2, 2, 9],  // UT indicators for one type of two
            [0, 0, 0, 20_000, 2, 9],  // more transitions than allowed, and than the file has
        ]
        for counts in cases {
            let bytes = Self.file(version: UInt8(ascii: "2"), times: [1_000_000, 2_000_000], indices: [1, 0], types: Self.cetTypes,
                                  abbreviations: "CET\0CEST\0", footer: "CET-1", counts: counts)
            #expect(throws: TZifError.self, "\(counts)") { try TZifFile(bytes: bytes) }
        }
    }

    @Test func inconsistentDataIsAnError() {
        let v2 = UInt8(ascii: "2")
        // Transitions out of order, a type index past the types, an offset of -2^31, a bad isdst,
        // an abbreviation index past the bytes, no magic, an unknown version.
        #expect(throws: TZifError.self) { try TZifFile(bytes: Self.file(version: v2, times: [2, 1], indices: [1, 0], types: Self.cetTypes, abbreviations: "CET\0CEST\0", footer: "")) }
        #expect(throws: TZifError.self) { try TZifFile(bytes: Self.file(version: v2, times: [1], indices: [5], types: Self.cetTypes, abbreviations: "CET\0CEST\0", footer: "")) }
        #expect(throws: TZifError.self) { try TZifFile(bytes: Self.file(version: v2, times: [], indices: [], types: [(Int32.min, 0, 0)], abbreviations: "X\0", footer: "")) }
        #expect(throws: TZifError.self) { try TZifFile(bytes: Self.file(version: v2, times: [], indices: [], types: [(0, 7, 0)], abbreviations: "X\0", footer: "")) }
        #expect(throws: TZifError.self) { try TZifFile(bytes: Self.file(version: v2, times: [], indices: [], types: [(0, 0, 9)], abbreviations: "X\0", footer: "")) }
        var noMagic = Self.file(version: v2, times: [], indices: [], types: [(0, 0, 0)], abbreviations: "X\0", footer: "")
        noMagic[0] = UInt8(ascii: "t")
        #expect(throws: TZifError.self) { try TZifFile(bytes: noMagic) }
        #expect(throws: TZifError.self) { try TZifFile(bytes: Self.file(version: UInt8(ascii: "9"), times: [], indices: [], types: [(0, 0, 0)], abbreviations: "X\0", footer: "")) }
    }

    @Test(arguments: ["", "C", "CET", "CET-", "CET-1CEST", "CET-1CEST,", "CET-1CEST,M3.5.0", "CET-1CEST,M13.5.0,M10.5.0",
                      "CET-1CEST,M3.6.0,M10.5.0", "CET-1CEST,M3.5.7,M10.5.0", "CET-1CEST,J0,J365", "CET-1CEST,366,0",
                      "CET-25", "<+0>-3", "<+03-3", "CET-1CEST,M3.5.0/168,M10.5.0", "CET-1:60", "CET-1CEST,M3.5.0,M10.5.0x",
                      "CET\u{1}-1", "CET-1CEST,M3.5.0/-1,M10.5.0 (v2)"])
    func badFootersAreErrors(footer: String) {
        let (text, extended) = footer.hasSuffix(" (v2)") ? (String(footer.dropLast(5)), false) : (footer, true)
        #expect(throws: TZifError.self, "\(footer)") { try POSIXTimeZoneRule(parsing: Array(text.utf8), allowsExtendedHours: extended) }
    }

    @Test func footersOfEveryShapeParse() throws {
        let quoted = try POSIXTimeZoneRule(parsing: Array("<+0330>-3:30<+0430>,J79/24,J263/24".utf8))
        #expect(quoted.standardName == "+0330" && quoted.standardOffset == 12_600 && quoted.daylight?.utcOffset == 16_200)
        #expect(quoted.daylight?.start == .init(day: .julianWithoutLeapDay(79), time: 86_400))
        let negative = try POSIXTimeZoneRule(parsing: Array("<-02>2<-01>,M3.5.0/-1,M10.5.0/0".utf8))
        #expect(negative.standardOffset == -7200 && negative.daylight?.start.time == -3600)
        let allYear = try POSIXTimeZoneRule(parsing: Array("EST5EDT,0/0,J365/25".utf8))
        // Daylight time all year: every instant of 2030 reads UTC-4.
        for day in stride(from: 0, to: 365, by: 7) {
            let t = CivilDate(year: 2030, month: 1, day: 1).adding(days: day).dayNumber * 86_400 + 43_200
            #expect(allYear.utcOffset(at: t) == -4 * 3600)
        }
        let zeroBased = try POSIXTimeZoneRule(parsing: Array("XXX-1YYY-2:30:15,59/2,300/3".utf8))
        #expect(zeroBased.daylight?.utcOffset == 9015)
        // Day 59 is 29 February in a leap year, 1 March otherwise.
        let leap = CivilDate(year: 2028, month: 2, day: 29).dayNumber * 86_400 + 7200 - 3600
        #expect(zeroBased.utcOffset(at: leap - 1) == 3600 && zeroBased.utcOffset(at: leap) == 9015)
        // Southern hemisphere: daylight time across the new year.
        let sydney = try POSIXTimeZoneRule(parsing: Array("AEST-10AEDT,M10.1.0,M4.1.0/3".utf8))
        #expect(sydney.utcOffset(at: CivilDate(year: 2031, month: 1, day: 15).dayNumber * 86_400) == 11 * 3600)
        #expect(sydney.utcOffset(at: CivilDate(year: 2031, month: 7, day: 15).dayNumber * 86_400) == 10 * 3600)
    }
}
