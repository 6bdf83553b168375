import CLinux
import Glibc
import Testing
import KioskSystem

@Suite("Framebuffer geometry, device and console mode")
struct FramebufferGeometryTests {
    /// A `fb_var_screeninfo` / `fb_fix_screeninfo` pair as a driver would fill them.
    static func screenInfo(
        width: UInt32, height: UInt32, virtualHeight: UInt32? = nil, bpp: UInt32,
        red: (UInt32, UInt32), green: (UInt32, UInt32), blue: (UInt32, UInt32),
        lineLength: UInt32, memory: UInt32, yPanStep: UInt16 = 0, id: String = "EFI VGA"
    ) -> (fb_var_screeninfo, fb_fix_screeninfo) {
        var v = fb_var_screeninfo()
        v.xres = width
        v.yres = height
        v.xres_virtual = width
        v.yres_virtual = virtualHeight ?? height
        v.bits_per_pixel = bpp
        v.red = fb_bitfield(offset: red.0, length: red.1, msb_right: 0)
        v.green = fb_bitfield(offset: green.0, length: green.1, msb_right: 0)
        v.blue = fb_bitfield(offset: blue.0, length: blue.1, msb_right: 0)
        var f = fb_fix_screeninfo()
        f.line_length = lineLength
        f.smem_len = memory
        f.ypanstep = yPanStep
        withUnsafeMutableBytes(of: &f.id) { raw in
            for (i, byte) in id.utf8.prefix(15).enumerated() { raw[i] = byte }
        }
        return (v, f)
    }

    @Test func vesa24BitWithPaddedRows() throws {
        // vesafb at 1024x768x24: rows padded to 3200 bytes (3072 used).
        let (v, f) = Self.screenInfo(width: 1024, height: 768, bpp: 24, red: (16, 8), green: (8, 8), blue: (0, 8),
                                     lineLength: 3200, memory: 3200 * 768)
        let g = FramebufferGeometry(variable: v, fixed: f)
        #expect(g.identifier == "EFI VGA")
        #expect(g.width == 1024 && g.height == 768 && g.bitsPerPixel == 24 && g.bytesPerPixel == 3)
        #expect(g.lineLength == 3200 && g.memoryLength == 2_457_600)
        #expect(g.red == FramebufferBitfield(offset: 16, length: 8))
        #expect(g.blue == FramebufferBitfield(offset: 0, length: 8))
        #expect(!g.supportsDoubleBuffering)
        try g.validate(device: "/dev/fb0")
    }

    @Test func doubleBufferingNeedsPanStepVirtualHeightAndMemory() {
        func geometry(virtual: UInt32, step: UInt16, memory: UInt32) -> FramebufferGeometry {
            let (v, f) = Self.screenInfo(width: 800, height: 480, virtualHeight: virtual, bpp: 16, red: (11, 5), green: (5, 6), blue: (0, 5),
                                         lineLength: 1600, memory: memory, yPanStep: step, id: "BCM2708 FB")
            return FramebufferGeometry(variable: v, fixed: f)
        }
        #expect(geometry(virtual: 960, step: 1, memory: 1600 * 960).supportsDoubleBuffering)
        #expect(geometry(virtual: 960, step: 1, memory: 1600 * 960).yOffset(ofPage: 1) == 480)
        #expect(!geometry(virtual: 960, step: 0, memory: 1600 * 960).supportsDoubleBuffering)  // cannot pan
        #expect(!geometry(virtual: 959, step: 1, memory: 1600 * 960).supportsDoubleBuffering)  // no second page
        #expect(!geometry(virtual: 960, step: 1, memory: 1600 * 900).supportsDoubleBuffering)  // memory too small
        #expect(!geometry(virtual: 960, step: 7, memory: 1600 * 960).supportsDoubleBuffering)  // 480 not a multiple of 7
    }

    @Test func impossibleGeometriesAreRejected() {
        let good = FramebufferGeometry(width: 640, height: 480, bitsPerPixel: 32, red: .init(offset: 16, length: 8),
                                       green: .init(offset: 8, length: 8), blue: .init(offset: 0, length: 8),
                                       lineLength: 2560, memoryLength: 2560 * 480)
        #expect(throws: Never.self) { try good.validate(device: "/dev/fb1") }
        var shortRows = good
        shortRows.lineLength = 2556
        #expect(throws: FramebufferError.self) { try shortRows.validate(device: "/dev/fb1") }
        var smallMemory = good
        smallMemory.memoryLength = 2560 * 479
        #expect(throws: FramebufferError.self) { try smallMemory.validate(device: "/dev/fb1") }
        var offset = good
        offset.yOffset = 1
        #expect(throws: FramebufferError.self) { try offset.validate(device: "/dev/fb1") }
        var grey = good
        grey.grayscale = 1
        do {
            try grey.validate(device: "/dev/fb1")
            Issue.record("grey scale accepted")
        } catch {
            #expect(error.description.hasPrefix("/dev/fb1: grey-scale"))
        }
    }

    @Test func openingSomethingThatIsNotAFramebufferSaysWhichCallFailed() throws {
        do {
            _ = try FramebufferDevice(path: "/dev/null")
            Issue.record("/dev/null opened as a framebuffer")
        } catch let error as SystemCallError {
            #expect(error.call == "ioctl(FBIOGET_VSCREENINFO)")
            #expect(error.subject == "/dev/null")
            #expect(error.errno == .notATerminal)
        }
        do {
            _ = try FramebufferDevice(path: "/dev/fb-that-does-not-exist")
            Issue.record("opened a missing device")
        } catch let error as SystemCallError {
            #expect(error.call == "open" && error.errno == .noSuchFile)
        }
    }

    @Test func aPseudoTerminalIsNotAVirtualConsole() throws {
        let pty = try PseudoTerminal()
        let name = pty.devicePath
        do {
            _ = try ConsoleMode(ttyPath: name)
            Issue.record("KDSETMODE accepted on a pseudo-terminal")
        } catch {
            #expect(error.call == "ioctl(KDSETMODE)")
            #expect(error.subject == name)
        }
    }
}
