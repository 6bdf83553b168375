/// An event read from a DRM card's file descriptor (`struct drm_event` and
/// `struct drm_event_vblank` of the kernel's `include/uapi/drm/drm.h`).
public enum DRMEvent: Sendable, Equatable {
    /// A page flip asked with `DRM_MODE_PAGE_FLIP_EVENT` completed: the buffer flipped to is
    /// on screen and the one before it is free. `time` is the kernel's timestamp
    /// (`CLOCK_MONOTONIC`) of the vertical blank that showed it, or of the moment the
    /// driver completed the flip on drivers without vblank interrupts (QEMU's).
    case flipComplete(DRMVblankInfo)
    /// A vblank event asked with `DRM_IOCTL_WAIT_VBLANK` (not used by kiosk).
    case vblank(DRMVblankInfo)
    /// Any other event type (kept so that the stream stays in step).
    case other(type: UInt32)
}

/// The body of a vblank or flip-complete event.
public struct DRMVblankInfo: Sendable, Equatable {
    /// What the request passed as `user_data`.
    public var userData: UInt64
    public var seconds: UInt32
    public var microseconds: UInt32
    public var sequence: UInt32
    /// The CRTC (0 on kernels before 4.12).
    public var crtc: UInt32

    public init(userData: UInt64, seconds: UInt32, microseconds: UInt32, sequence: UInt32, crtc: UInt32) {
        self.userData = userData
        self.seconds = seconds
        self.microseconds = microseconds
        self.sequence = sequence
        self.crtc = crtc
    }

    /// The timestamp in nanoseconds of `CLOCK_MONOTONIC`.
    public var nanoseconds: UInt64 { UInt64(seconds) * 1_000_000_000 + UInt64(min(microseconds, 999_999)) * 1_000 }
}

/// Splits what one `read(2)` of a DRM card returned into events.
///
/// The kernel writes whole events, each starting with `type` and `length` (u32,
/// little-endian on the machines kiosk runs on, host order in general); `length` counts the
/// header and is at least 8. Vblank and flip events are 32 bytes: `user_data` (u64) at 8,
/// `tv_sec`, `tv_usec`, `sequence`, `crtc_id` (u32) at 16, 20, 24 and 28 (checked against
/// the C structure in KioskSystemTests). A length that is too small or runs past the bytes
/// read ends the decoding: `malformed` says so, and what was decoded before it is kept.
public enum DRMEventDecoder {
    public static let flipCompleteType: UInt32 = 0x02
    public static let vblankType: UInt32 = 0x01
    static let headerSize = 8
    static let vblankSize = 32

    public static func decode(_ bytes: [UInt8]) -> (events: [DRMEvent], malformed: Bool) {
        var events: [DRMEvent] = []
        var offset = 0
        while offset < bytes.count {
            guard bytes.count - offset >= headerSize else { return (events, true) }
            let type = u32(bytes, offset), length = Int(u32(bytes, offset + 4))
            guard length >= headerSize, length <= bytes.count - offset else { return (events, true) }
            if (type == flipCompleteType || type == vblankType) {
                guard length >= vblankSize else { return (events, true) }
                let info = DRMVblankInfo(
                    userData: UInt64(u32(bytes, offset + 8)) | UInt64(u32(bytes, offset + 12)) << 32,
                    seconds: u32(bytes, offset + 16), microseconds: u32(bytes, offset + 20),
                    sequence: u32(bytes, offset + 24), crtc: u32(bytes, offset + 28))
                events.append(type == flipCompleteType ? .flipComplete(info) : .vblank(info))
            } else {
                events.append(.other(type: type))
            }
            offset += length
        }
        return (events, false)
    }

    /// Host byte order, as the kernel writes it (little-endian on x86_64 and arm64).
    private static func u32(_ b: [UInt8], _ at: Int) -> UInt32 {
        let value = UInt32(b[at]) | UInt32(b[at + 1]) << 8 | UInt32(b[at + 2]) << 16 | UInt32(b[at + 3]) << 24
        return UInt32(littleEndian: value)
    }
}
