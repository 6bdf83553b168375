import CLinux
import Glibc

/// A scan-out buffer in the card's memory: a dumb buffer (`CREATE_DUMB`), registered as a
/// framebuffer (`ADDFB2`) in one pixel format, and mapped into this process (`MAP_DUMB` +
/// `mmap`). Pixel (x, y) starts at byte `y * pitch + x * bytesPerPixel`.
///
/// Everything is released in `deinit` (unmapped, framebuffer removed, buffer destroyed); a
/// failing initialiser releases what it created. Keeps its card open while it lives.
///
/// Not `Sendable`: the mapping has one owner (the DRM display).
public final class DRMDumbBuffer {
    public let width: Int
    public let height: Int
    public let format: DRMPixelFormat
    /// Bytes from one row to the next.
    public let pitch: Int
    /// The framebuffer id to scan out (`SETCRTC`, `PAGE_FLIP`).
    public let framebufferID: UInt32
    /// The mapped pixels (`pitch * height` bytes at least).
    public let memory: UnsafeMutableRawBufferPointer
    private let card: DRMCard
    private let handle: UInt32

    public init(card: DRMCard, width: Int, height: Int, format: DRMPixelFormat) throws(SystemCallError) {
        guard width > 0, height > 0, width <= 16384, height <= 16384 else {
            throw SystemCallError("DRM_IOCTL_MODE_CREATE_DUMB", "\(card.path): \(width)x\(height) is not a size to allocate", errno: .invalidArgument)
        }
        var create = drm_mode_create_dumb()
        create.width = UInt32(width)
        create.height = UInt32(height)
        create.bpp = UInt32(format.bitsPerPixel)
        try card.ioctl("DRM_IOCTL_MODE_CREATE_DUMB", kiosk_DRM_IOCTL_MODE_CREATE_DUMB(), &create)
        let handle = create.handle
        func destroy() {
            var d = drm_mode_destroy_dumb(handle: handle)
            try? card.ioctl("DRM_IOCTL_MODE_DESTROY_DUMB", kiosk_DRM_IOCTL_MODE_DESTROY_DUMB(), &d)
        }
        let pitch = Int(create.pitch), size = create.size
        guard pitch >= width * format.bitsPerPixel / 8, size >= UInt64(pitch) * UInt64(height), size <= UInt64(DRMCard.Limits.bufferBytes) else {
            destroy()
            throw SystemCallError("DRM_IOCTL_MODE_CREATE_DUMB", "\(card.path): pitch \(pitch) and size \(size) do not hold \(width)x\(height) at \(format.bitsPerPixel) bits", errno: .invalidArgument)
        }
        var add = drm_mode_fb_cmd2()
        add.width = UInt32(width)
        add.height = UInt32(height)
        add.pixel_format = format.rawValue
        add.handles.0 = handle
        add.pitches.0 = UInt32(pitch)
        do { try card.ioctl("DRM_IOCTL_MODE_ADDFB2", kiosk_DRM_IOCTL_MODE_ADDFB2(), &add) } catch {
            destroy()
            throw error
        }
        let framebufferID = add.fb_id
        func remove() {
            var id = framebufferID
            try? card.ioctl("DRM_IOCTL_MODE_RMFB", kiosk_DRM_IOCTL_MODE_RMFB(), &id)
            destroy()
        }
        var map = drm_mode_map_dumb()
        map.handle = handle
        do { try card.ioctl("DRM_IOCTL_MODE_MAP_DUMB", kiosk_DRM_IOCTL_MODE_MAP_DUMB(), &map) } catch {
            remove()
            throw error
        }
        guard let base = mmap(nil, Int(size), PROT_READ | PROT_WRITE, MAP_SHARED, card.rawDescriptor, off_t(truncatingIfNeeded: map.offset)), base != MAP_FAILED else {
            let error = Errno.current
            remove()
            throw SystemCallError("mmap", "\(card.path) dumb buffer", errno: error)
        }
        self.card = card
        self.handle = handle
        self.width = width
        self.height = height
        self.format = format
        self.pitch = pitch
        self.framebufferID = framebufferID
        self.memory = UnsafeMutableRawBufferPointer(start: base, count: Int(size))
    }

    deinit {
        munmap(memory.baseAddress, memory.count)
        var id = framebufferID
        try? card.ioctl("DRM_IOCTL_MODE_RMFB", kiosk_DRM_IOCTL_MODE_RMFB(), &id)
        var d = drm_mode_destroy_dumb(handle: handle)
        try? card.ioctl("DRM_IOCTL_MODE_DESTROY_DUMB", kiosk_DRM_IOCTL_MODE_DESTROY_DUMB(), &d)
    }
}
