import CLinux

/// A video mode as the kernel lists it for a connector (`struct drm_mode_modeinfo`): the
/// timings, the refresh rate, and whether it is the connector's preferred mode.
///
/// `Codable` so that recorded connector lists (test fixtures, `kioskctl doctor`) keep
/// every field; converted back to the C structure, unchanged, for `SETCRTC`.
public struct DRMMode: Sendable, Hashable, Codable, CustomStringConvertible {
    /// Pixel clock in kHz.
    public var clock: UInt32
    public var hdisplay: UInt16
    public var hsyncStart: UInt16
    public var hsyncEnd: UInt16
    public var htotal: UInt16
    public var hskew: UInt16
    public var vdisplay: UInt16
    public var vsyncStart: UInt16
    public var vsyncEnd: UInt16
    public var vtotal: UInt16
    public var vscan: UInt16
    /// The kernel's rounded refresh rate in Hz.
    public var vrefresh: UInt32
    /// `DRM_MODE_FLAG_*`.
    public var flags: UInt32
    /// `DRM_MODE_TYPE_*` (bit 3: preferred).
    public var type: UInt32
    /// The kernel's name of the mode, e.g. "1920x1080".
    public var name: String

    public init(
        clock: UInt32, hdisplay: UInt16, hsyncStart: UInt16, hsyncEnd: UInt16, htotal: UInt16, hskew: UInt16 = 0,
        vdisplay: UInt16, vsyncStart: UInt16, vsyncEnd: UInt16, vtotal: UInt16, vscan: UInt16 = 0,
        vrefresh: UInt32, flags: UInt32 = 0, type: UInt32 = 0, name: String? = nil
    ) {
        self.clock = clock
        self.hdisplay = hdisplay
        self.hsyncStart = hsyncStart
        self.hsyncEnd = hsyncEnd
        self.htotal = htotal
        self.hskew = hskew
        self.vdisplay = vdisplay
        self.vsyncStart = vsyncStart
        self.vsyncEnd = vsyncEnd
        self.vtotal = vtotal
        self.vscan = vscan
        self.vrefresh = vrefresh
        self.flags = flags
        self.type = type
        self.name = name ?? "\(hdisplay)x\(vdisplay)"
    }

    init(_ m: drm_mode_modeinfo) {
        let name = withUnsafeBytes(of: m.name) { raw in String(decoding: raw.prefix { $0 != 0 }, as: UTF8.self) }
        self.init(
            clock: m.clock, hdisplay: m.hdisplay, hsyncStart: m.hsync_start, hsyncEnd: m.hsync_end, htotal: m.htotal,
            hskew: m.hskew, vdisplay: m.vdisplay, vsyncStart: m.vsync_start, vsyncEnd: m.vsync_end, vtotal: m.vtotal,
            vscan: m.vscan, vrefresh: m.vrefresh, flags: m.flags, type: m.type, name: name)
    }

    /// The C structure for `SETCRTC`, field for field.
    var raw: drm_mode_modeinfo {
        var m = drm_mode_modeinfo()
        m.clock = clock
        m.hdisplay = hdisplay
        m.hsync_start = hsyncStart
        m.hsync_end = hsyncEnd
        m.htotal = htotal
        m.hskew = hskew
        m.vdisplay = vdisplay
        m.vsync_start = vsyncStart
        m.vsync_end = vsyncEnd
        m.vtotal = vtotal
        m.vscan = vscan
        m.vrefresh = vrefresh
        m.flags = flags
        m.type = type
        withUnsafeMutableBytes(of: &m.name) { raw in
            for (i, byte) in name.utf8.prefix(raw.count - 1).enumerated() { raw[i] = byte }
        }
        return m
    }

    public var width: Int { Int(hdisplay) }
    public var height: Int { Int(vdisplay) }
    public var isPreferred: Bool { type & UInt32(DRM_MODE_TYPE_PREFERRED) != 0 }
    public var isInterlaced: Bool { flags & UInt32(DRM_MODE_FLAG_INTERLACE) != 0 }

    /// The refresh rate from the timings, in millihertz (59940 for 59.94 Hz); the kernel's
    /// rounded `vrefresh` when the timings are empty.
    public var refreshMillihertz: Int {
        let total = Int(htotal) * Int(vtotal)
        guard total > 0, clock > 0 else { return Int(vrefresh) * 1000 }
        var rate = Int(clock) * 1_000_000 / total
        if isInterlaced { rate *= 2 }
        if flags & UInt32(DRM_MODE_FLAG_DBLSCAN) != 0 { rate /= 2 }
        if vscan > 1 { rate /= Int(vscan) }
        return rate
    }

    /// The refresh rate rounded to whole hertz.
    public var refreshHz: Int { (refreshMillihertz + 500) / 1000 }

    /// One frame's duration in nanoseconds (16,666,667 at 60 Hz); 1/60 s when unknown.
    public var frameNanoseconds: UInt64 {
        let mhz = refreshMillihertz
        return mhz > 0 ? UInt64(1_000_000_000_000 / mhz) : 16_666_667
    }

    /// `1920x1080@60`, with `i` for interlaced modes.
    public var description: String { "\(hdisplay)x\(vdisplay)\(isInterlaced ? "i" : "")@\(refreshHz)" }
}
