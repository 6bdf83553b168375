import CLinux
import Glibc
import KioskCore

/// An area of a framebuffer for `DIRTYFB`: `x`, `y` of the top-left pixel, exclusive right
/// and bottom edges.
public struct DRMClip: Sendable, Hashable {
    public var x: Int
    public var y: Int
    public var maxX: Int
    public var maxY: Int

    public init(x: Int, y: Int, maxX: Int, maxY: Int) {
        self.x = x
        self.y = y
        self.maxX = maxX
        self.maxY = maxY
    }
}

extension DRMCard {
    /// Shows `framebuffer` on `crtc` through `connector` in `mode` (`SETCRTC`): the mode set.
    /// Needs master.
    public func setCRTC(_ crtc: UInt32, framebuffer: UInt32, connector: UInt32, mode: DRMMode) throws(SystemCallError) {
        var connectors = [connector]
        try connectors.withUnsafeMutableBufferPointer { (list) throws(SystemCallError) in
            var set = drm_mode_crtc()
            set.crtc_id = crtc
            set.fb_id = framebuffer
            set.set_connectors_ptr = UInt64(UInt(bitPattern: list.baseAddress))
            set.count_connectors = 1
            set.mode_valid = 1
            set.mode = mode.raw
            try ioctl("DRM_IOCTL_MODE_SETCRTC", kiosk_DRM_IOCTL_MODE_SETCRTC(), &set)
        }
    }

    /// Queues a flip of `crtc` to `framebuffer` at the next vertical blank, asking for a
    /// `flipComplete` event carrying `userData`. EBUSY: a flip is still pending; EINVAL: the
    /// CRTC is off (DPMS off, or no mode set).
    public func pageFlip(_ crtc: UInt32, framebuffer: UInt32, userData: UInt64) throws(SystemCallError) {
        var flip = drm_mode_crtc_page_flip(crtc_id: crtc, fb_id: framebuffer, flags: UInt32(DRM_MODE_PAGE_FLIP_EVENT), reserved: 0, user_data: userData)
        try ioctl("DRM_IOCTL_MODE_PAGE_FLIP", kiosk_DRM_IOCTL_MODE_PAGE_FLIP(), &flip)
    }

    /// Tells the driver which areas of `framebuffer` changed (`DIRTYFB`): drivers that copy
    /// a front buffer to the screen themselves (virtio-gpu, USB displays) need it to show
    /// drawing done into the buffer on screen. At most 256 areas (more are merged into
    /// one). Returns false when the driver does not implement it (ENOSYS: bochs), which is
    /// not an error: its buffer is the screen.
    @discardableResult
    public func markDirty(framebuffer: UInt32, clips: [DRMClip]) throws(SystemCallError) -> Bool {
        func clamp(_ v: Int) -> UInt16 { UInt16(clamping: max(0, v)) }
        var rects = clips.map { drm_clip_rect(x1: clamp($0.x), y1: clamp($0.y), x2: clamp($0.maxX), y2: clamp($0.maxY)) }
        if rects.count > Int(DRM_MODE_FB_DIRTY_MAX_CLIPS) {
            let merged = clips.dropFirst().reduce(clips[0]) { DRMClip(x: min($0.x, $1.x), y: min($0.y, $1.y), maxX: max($0.maxX, $1.maxX), maxY: max($0.maxY, $1.maxY)) }
            rects = [drm_clip_rect(x1: clamp(merged.x), y1: clamp(merged.y), x2: clamp(merged.maxX), y2: clamp(merged.maxY))]
        }
        do {
            try rects.withUnsafeMutableBufferPointer { (list) throws(SystemCallError) in
                var dirty = drm_mode_fb_dirty_cmd(fb_id: framebuffer, flags: 0, color: 0, num_clips: UInt32(list.count), clips_ptr: UInt64(UInt(bitPattern: list.baseAddress)))
                try ioctl("DRM_IOCTL_MODE_DIRTYFB", kiosk_DRM_IOCTL_MODE_DIRTYFB(), &dirty)
            }
            return true
        } catch where error.errno == Errno(rawValue: ENOSYS) || error.errno == Errno(rawValue: EOPNOTSUPP) {
            return false
        }
    }

    /// Waits until the card has an event to read, at most `timeoutMilliseconds` (0: just
    /// look). True when one is there.
    public func waitForEvents(timeoutMilliseconds: Int32) throws(SystemCallError) -> Bool {
        var p = pollfd(fd: descriptor.rawValue, events: Int16(POLLIN), revents: 0)
        let n = try retryingOnInterrupt("poll", path) { Glibc.poll(&p, 1, timeoutMilliseconds) }
        return n > 0 && p.revents & Int16(POLLIN) != 0
    }

    /// Reads the events waiting on the card (none when there are none: non-blocking).
    public func readEvents() throws(SystemCallError) -> [DRMEvent] {
        let bytes: [UInt8]
        do { bytes = try descriptor.read(upTo: 4096) } catch where error.errno == .wouldBlock {
            return []
        }
        return DRMEventDecoder.decode(bytes).events
    }
}

/// `CLOCK_MONOTONIC` in nanoseconds: the clock of DRM event timestamps.
public enum MonotonicClock {
    public static func nanoseconds() -> UInt64 {
        var ts = timespec()
        clock_gettime(CLOCK_MONOTONIC, &ts)
        return UInt64(ts.tv_sec) * 1_000_000_000 + UInt64(ts.tv_nsec)
    }
}
