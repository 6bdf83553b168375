import CLinux
import Testing
@testable import KioskCore
@testable import KioskSystem

/// The declarations of `kiosk_drm.h` against what the kernel's uapi headers give on a 64-bit
/// machine: the request numbers (`_IOWR('d', nr, size)`, as strace and libdrm print them)
/// encode the structure sizes, so a wrong field shows up here before it reaches a kernel.
@Suite struct DRMUAPITests {
    @Test func requestNumbers() {
        #expect(kiosk_DRM_IOCTL_VERSION() == 0xC040_6400)
        #expect(kiosk_DRM_IOCTL_GET_CAP() == 0xC010_640C)
        #expect(kiosk_DRM_IOCTL_SET_CLIENT_CAP() == 0x4010_640D)
        #expect(kiosk_DRM_IOCTL_SET_MASTER() == 0x641E)
        #expect(kiosk_DRM_IOCTL_DROP_MASTER() == 0x641F)
        #expect(kiosk_DRM_IOCTL_MODE_GETRESOURCES() == 0xC040_64A0)
        #expect(kiosk_DRM_IOCTL_MODE_GETCRTC() == 0xC068_64A1)
        #expect(kiosk_DRM_IOCTL_MODE_SETCRTC() == 0xC068_64A2)
        #expect(kiosk_DRM_IOCTL_MODE_GETENCODER() == 0xC014_64A6)
        #expect(kiosk_DRM_IOCTL_MODE_GETCONNECTOR() == 0xC050_64A7)
        #expect(kiosk_DRM_IOCTL_MODE_GETPROPERTY() == 0xC040_64AA)
        #expect(kiosk_DRM_IOCTL_MODE_RMFB() == 0xC004_64AF)
        #expect(kiosk_DRM_IOCTL_MODE_PAGE_FLIP() == 0xC018_64B0)
        #expect(kiosk_DRM_IOCTL_MODE_DIRTYFB() == 0xC018_64B1)
        #expect(kiosk_DRM_IOCTL_MODE_CREATE_DUMB() == 0xC020_64B2)
        #expect(kiosk_DRM_IOCTL_MODE_MAP_DUMB() == 0xC010_64B3)
        #expect(kiosk_DRM_IOCTL_MODE_DESTROY_DUMB() == 0xC004_64B4)
        #expect(kiosk_DRM_IOCTL_MODE_GETPLANERESOURCES() == 0xC010_64B5)
        #expect(kiosk_DRM_IOCTL_MODE_GETPLANE() == 0xC020_64B6)
        #expect(kiosk_DRM_IOCTL_MODE_ADDFB2() == 0xC068_64B8)
        #expect(kiosk_DRM_IOCTL_MODE_OBJ_GETPROPERTIES() == 0xC020_64B9)
        #expect(kiosk_DRM_IOCTL_MODE_OBJ_SETPROPERTY() == 0xC018_64BA)
    }

    @Test func structureLayouts() {
        #expect(MemoryLayout<drm_mode_modeinfo>.size == 68)
        #expect(MemoryLayout<drm_mode_get_connector>.size == 80)
        #expect(MemoryLayout<drm_mode_fb_cmd2>.size == 104)
        #expect(MemoryLayout<drm_clip_rect>.size == 8)
        // The DRM event decoder reads these offsets from the bytes the card gives.
        #expect(MemoryLayout<drm_event_vblank>.size == DRMEventDecoder.vblankSize)
        #expect(MemoryLayout<drm_event_vblank>.offset(of: \drm_event_vblank.user_data) == 8)
        #expect(MemoryLayout<drm_event_vblank>.offset(of: \drm_event_vblank.tv_sec) == 16)
        #expect(MemoryLayout<drm_event_vblank>.offset(of: \drm_event_vblank.tv_usec) == 20)
        #expect(MemoryLayout<drm_event_vblank>.offset(of: \drm_event_vblank.sequence) == 24)
        #expect(MemoryLayout<drm_event_vblank>.offset(of: \drm_event_vblank.crtc_id) == 28)
        #expect(DRMEventDecoder.flipCompleteType == UInt32(DRM_EVENT_FLIP_COMPLETE))
    }

    @Test func fourCCCodes() {
        func fourcc(_ s: String) -> UInt32 { s.utf8.enumerated().reduce(0) { $0 | UInt32($1.element) << (8 * UInt32($1.offset)) } }
        #expect(DRM_FORMAT_XRGB8888 == fourcc("XR24"))
        #expect(DRM_FORMAT_RGB565 == fourcc("RG16"))
        #expect(DRMPixelFormat.xrgb8888.rawValue == DRM_FORMAT_XRGB8888)
        #expect(DRMPixelFormat.rgb565.rawValue == DRM_FORMAT_RGB565)
        #expect(DRMPixelFormat.fourCCName(fourcc("NV12")) == "NV12")
    }

    /// A mode survives the trip to the C structure and back (SETCRTC gets what GETCONNECTOR gave).
    @Test func modeRoundTrip() {
        let mode = DRMMode(clock: 148_500, hdisplay: 1920, hsyncStart: 2008, hsyncEnd: 2052, htotal: 2200, vdisplay: 1080,
                           vsyncStart: 1084, vsyncEnd: 1089, vtotal: 1125, vrefresh: 60, flags: 5, type: 0x48, name: "1920x1080")
        #expect(DRMMode(mode.raw) == mode)
        #expect(mode.refreshHz == 60 && mode.isPreferred && !mode.isInterlaced)
        #expect(mode.description == "1920x1080@60")
        #expect(mode.frameNanoseconds == 16_666_666)
        let long = DRMMode(clock: 1, hdisplay: 1, hsyncStart: 1, hsyncEnd: 1, htotal: 1, vdisplay: 1, vsyncStart: 1, vsyncEnd: 1, vtotal: 1, vrefresh: 1,
                           name: String(repeating: "x", count: 40))
        #expect(DRMMode(long.raw).name == String(repeating: "x", count: 31))
    }
}
