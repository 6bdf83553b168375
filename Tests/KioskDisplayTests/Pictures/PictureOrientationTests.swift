import Testing
@testable import KioskDisplay

@Suite("EXIF orientation")
struct PictureOrientationTests {
    /// 3 wide, 2 high:   1 2 3
    ///                   4 5 6
    static let picture = Picture(width: 3, height: 2, pixels: [1, 2, 3, 4, 5, 6].map { 0xFF00_0000 | $0 }, isOpaque: true)

    /// The rows of the turned picture, as the EXIF specification draws them.
    @Test(arguments: [
        (1, [[1, 2, 3], [4, 5, 6]]),
        (2, [[3, 2, 1], [6, 5, 4]]),
        (3, [[6, 5, 4], [3, 2, 1]]),
        (4, [[4, 5, 6], [1, 2, 3]]),
        (5, [[1, 4], [2, 5], [3, 6]]),
        (6, [[4, 1], [5, 2], [6, 3]]),  // 90° clockwise
        (7, [[6, 3], [5, 2], [4, 1]]),
        (8, [[3, 6], [2, 5], [1, 4]]),  // 90° counter-clockwise
    ])
    func turnsUpright(_ value: Int, _ rows: [[UInt32]]) throws {
        let o = try #require(PictureOrientation(rawValue: value))
        let turned = Self.picture.oriented(o)
        #expect(turned.height == rows.count && turned.width == rows[0].count)
        #expect(turned.pixels.map { $0 & 0xFF } == rows.flatMap { $0 })
    }

    static func app1(littleEndian: Bool, orientation: UInt16, type: UInt16 = 3) -> [UInt8] {
        func u16(_ v: UInt16) -> [UInt8] { littleEndian ? [UInt8(v & 0xFF), UInt8(v >> 8)] : [UInt8(v >> 8), UInt8(v & 0xFF)] }
        func u32(_ v: UInt32) -> [UInt8] { littleEndian ? u16(UInt16(v & 0xFFFF)) + u16(UInt16(v >> 16)) : u16(UInt16(v >> 16)) + u16(UInt16(v & 0xFFFF)) }
        var b: [UInt8] = Array("Exif".utf8) + [0, 0]
        b += littleEndian ? [0x49, 0x49] : [0x4D, 0x4D]
        b += u16(42) + u32(8) + u16(2)
        b += u16(0x010F) + u16(2) + u32(4) + Array("Cam\0".utf8)  // Make, ASCII, inline
        b += u16(0x0112) + u16(type) + u32(1) + u16(orientation) + u16(0)
        return b + u32(0)
    }

    @Test func readsTheTagInBothByteOrders() {
        #expect(PictureOrientation(exif: Self.app1(littleEndian: true, orientation: 6)[...]) == .right)
        #expect(PictureOrientation(exif: Self.app1(littleEndian: false, orientation: 8)[...]) == .left)
        #expect(PictureOrientation(exif: Self.app1(littleEndian: true, orientation: 9)[...]) == nil)
        #expect(PictureOrientation(exif: Self.app1(littleEndian: true, orientation: 6, type: 4)[...]) == nil)
        let app1 = Self.app1(littleEndian: false, orientation: 3)
        for end in 0..<app1.count { _ = PictureOrientation(exif: app1[..<end]) }  // never traps
    }
}
