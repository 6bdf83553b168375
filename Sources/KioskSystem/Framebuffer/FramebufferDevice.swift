import CLinux
import Glibc

/// An open, memory-mapped Linux framebuffer (`/dev/fbN`): its geometry, its memory, page
/// flips when the driver can pan, and screen blanking.
///
/// Draw through `withDrawingPage(_:)`, then call `present()`. With two pages (see
/// `FramebufferGeometry.supportsDoubleBuffering`) drawing goes to the hidden page and
/// `present()` pans to it (after waiting for vertical sync where the driver supports it);
/// otherwise drawing goes straight to the visible memory and `present()` does nothing.
/// The mapping is released, the original pan offset restored and the device closed in
/// `deinit`; a failing initialiser releases what it opened.
///
/// Not `Sendable`: the mapped memory is owned by the display's actor or queue.
public final class FramebufferDevice {
    public let path: String
    public let geometry: FramebufferGeometry
    /// Whether page flips are in use (possible and asked for).
    public let isDoubleBuffered: Bool
    /// The page being shown (0 or 1).
    public private(set) var visiblePage = 0

    private let descriptor: FileDescriptor
    private let memory: UnsafeMutableRawBufferPointer
    private var variable: fb_var_screeninfo
    private let originalYOffset: UInt32

    /// Opens and maps `path`. `doubleBuffering: false` never pans, even when possible.
    public init(path: String = "/dev/fb0", doubleBuffering: Bool = true) throws {
        let fd = try FileDescriptor.open(path, flags: O_RDWR)
        var variable = fb_var_screeninfo()
        var fixed = fb_fix_screeninfo()
        let raw = fd.rawValue
        try retryingOnInterrupt("ioctl(FBIOGET_VSCREENINFO)", path) {
            kiosk_ioctl_ptr(raw, UInt(FBIOGET_VSCREENINFO), &variable)
        }
        try retryingOnInterrupt("ioctl(FBIOGET_FSCREENINFO)", path) {
            kiosk_ioctl_ptr(raw, UInt(FBIOGET_FSCREENINFO), &fixed)
        }
        let geometry = FramebufferGeometry(variable: variable, fixed: fixed)
        try geometry.validate(device: path)
        guard let base = mmap(nil, geometry.memoryLength, PROT_READ | PROT_WRITE, MAP_SHARED, raw, 0),
              base != MAP_FAILED else {
            throw SystemCallError("mmap", path)
        }
        self.path = path
        self.geometry = geometry
        self.descriptor = fd
        self.memory = UnsafeMutableRawBufferPointer(start: base, count: geometry.memoryLength)
        self.variable = variable
        self.originalYOffset = variable.yoffset
        self.isDoubleBuffered = doubleBuffering && geometry.supportsDoubleBuffering
        if isDoubleBuffered {
            // Start from a known state: page 0 shown.
            try pan(toPage: 0)
        }
    }

    /// The page drawing goes to: the hidden one when double-buffered, else the visible one.
    public var drawingPage: Int { isDoubleBuffered ? 1 - visiblePage : visiblePage }

    /// Calls `body` with the whole mapped memory and the `yoffset` of the page to draw
    /// (pixel (x, y) is at byte `(y + yOffset) * lineLength + (x + xOffset) * bytesPerPixel`
    /// with `xOffset` from the geometry). The buffer is valid only inside `body`.
    public func withDrawingPage<R>(_ body: (_ memory: UnsafeMutableRawBufferPointer, _ yOffset: Int) throws -> R) rethrows -> R {
        let yOffset = isDoubleBuffered ? geometry.yOffset(ofPage: drawingPage) : geometry.yOffset
        return try body(memory, yOffset)
    }

    /// Shows what was drawn: pans to the drawing page when double-buffered.
    public func present() throws(SystemCallError) {
        guard isDoubleBuffered else { return }
        var zero: UInt32 = 0
        // Best effort: not every driver implements FBIO_WAITFORVSYNC.
        _ = kiosk_ioctl_ptr(descriptor.rawValue, kiosk_FBIO_WAITFORVSYNC(), &zero)
        try pan(toPage: drawingPage)
    }

    private func pan(toPage page: Int) throws(SystemCallError) {
        variable.xoffset = UInt32(geometry.xOffset)
        variable.yoffset = UInt32(geometry.yOffset(ofPage: page))
        let raw = descriptor.rawValue
        try retryingOnInterrupt("ioctl(FBIOPAN_DISPLAY)", path) {
            kiosk_ioctl_ptr(raw, UInt(FBIOPAN_DISPLAY), &variable)
        }
        visiblePage = page
    }

    /// Powers the screen down (`FB_BLANK_POWERDOWN`) or back on (`FB_BLANK_UNBLANK`):
    /// the night and closed-building saving. Drivers without blanking fail with EINVAL.
    public func setBlanked(_ blanked: Bool) throws(SystemCallError) {
        let level = blanked ? UInt(FB_BLANK_POWERDOWN) : UInt(FB_BLANK_UNBLANK)
        let raw = descriptor.rawValue
        try retryingOnInterrupt("ioctl(FBIOBLANK)", path) { kiosk_ioctl_int(raw, UInt(FBIOBLANK), level) }
    }

    deinit {
        if isDoubleBuffered && variable.yoffset != originalYOffset {
            variable.yoffset = originalYOffset
            _ = kiosk_ioctl_ptr(descriptor.rawValue, UInt(FBIOPAN_DISPLAY), &variable)
        }
        munmap(memory.baseAddress, memory.count)
        descriptor.close()
    }
}
