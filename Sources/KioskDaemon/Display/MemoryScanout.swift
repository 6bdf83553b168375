import Foundation
import KioskCore
import KioskSystem
#if canImport(Glibc)
import Glibc
#endif

/// A KMS output in RAM that behaves like QEMU's virtual DRM drivers: one connector
/// (`Virtual-1`) whose screen can be plugged and unplugged, two buffers in shared
/// anonymous memory, page flips that complete at once with a `CLOCK_MONOTONIC`
/// timestamp, DPMS that refuses flips while off (EINVAL), and a flip refused while one is
/// pending (EBUSY).
///
/// The test seam of `DRMDisplay`, and the device of headless runs of the real `kioskd`
/// (`$KIOSK_DEBUG_MEMORY_DRM=WIDTHxHEIGHT`, for `kiosk-bench`), as
/// `MemoryFramebufferDisplay` is for the framebuffer. Not `Sendable`: one owner.
public final class MemoryScanout: ScanoutDevice {
    public var width: Int
    public var height: Int
    public var refresh: UInt32
    /// Whether a screen is plugged in (tests flip it to play a hot-plug).
    public var connected = true
    /// False to play a driver without page flips (ENOSYS).
    public var flipsSupported = true
    public private(set) var screenOn = true
    public private(set) var isMaster = true
    /// Another program is DRM master (tests set it to play a compositor or Plymouth):
    /// `setMaster` is refused with EBUSY, as the kernel does while another file is master.
    public var otherMaster = false {
        didSet { if otherMaster { isMaster = false } }
    }
    /// The buffer scanned out, nil before the first mode set.
    public private(set) var shown: Int?
    public private(set) var modeSets = 0
    public private(set) var flips = 0
    public private(set) var dirtyCalls = 0
    private var buffers: [UnsafeMutableRawBufferPointer] = []
    private var pending: DRMVblankInfo?
    private var sequence: UInt32 = 0

    public init(width: Int, height: Int, refresh: UInt32 = 60) {
        self.width = width
        self.height = height
        self.refresh = refresh
    }

    deinit { for buffer in buffers { munmap(buffer.baseAddress, buffer.count) } }

    public var name: String { "memory (\(width)x\(height))" }
    public var cardDescriptor: Int32? { nil }

    /// The connector this device shows: `Virtual-1` with one preferred mode.
    public var connector: DRMConnector {
        let w = UInt16(clamping: width), h = UInt16(clamping: height)
        // CVT-like blanking so that the timings give `refresh` Hz exactly.
        let htotal = UInt32(w) + 160, vtotal = UInt32(h) + 23
        let mode = DRMMode(
            clock: htotal * vtotal * refresh / 1000, hdisplay: w, hsyncStart: w + 48, hsyncEnd: w + 80, htotal: UInt16(clamping: htotal),
            vdisplay: h, vsyncStart: h + 3, vsyncEnd: h + 9, vtotal: UInt16(clamping: vtotal), vrefresh: refresh, type: 1 << 3 | 1 << 6)
        return DRMConnector(id: 31, type: 15, typeIndex: 1, status: connected ? .connected : .disconnected, modes: connected ? [mode] : [], encoderIDs: [30])
    }

    var survey: DRMCardSurvey {
        DRMCardSurvey(path: "memory", driver: "memory", crtcIDs: [29], encoders: [DRMEncoder(id: 30, crtcID: shown == nil ? 0 : 29, possibleCRTCs: 1)],
                      connectors: [connector], planes: [DRMPlane(id: 28, possibleCRTCs: 1, formats: [DRMPixelFormat.xrgb8888.rawValue], kind: 1)])
    }

    public func findScreen(request: DisplayModeRequest?, probe: Bool) throws -> DRMOutputChoice.Outcome {
        DRMOutputChoice.choose(from: [survey], request: request)
    }

    public func setMode(_ plan: DRMOutputPlan, showing: Int) throws -> Bool {
        guard isMaster else { throw SystemCallError("ioctl(DRM_IOCTL_MODE_SETCRTC)", name, errno: .permissionDenied) }
        let bytes = plan.mode.width * plan.mode.height * 4
        let fresh = buffers.count != 2 || buffers[0].count != bytes
        if fresh {
            for buffer in buffers { munmap(buffer.baseAddress, buffer.count) }
            buffers = []
            for _ in 0..<2 {
                guard let base = mmap(nil, bytes, PROT_READ | PROT_WRITE, MAP_SHARED | MAP_ANONYMOUS, -1, 0), base != MAP_FAILED else {
                    throw SystemCallError("mmap", "\(name): \(bytes) bytes")
                }
                buffers.append(UnsafeMutableRawBufferPointer(start: base, count: bytes))
            }
        }
        shown = showing
        pending = nil
        screenOn = true
        modeSets += 1
        return fresh
    }

    public func withBuffer<R>(_ index: Int, _ body: (UnsafeMutableRawBufferPointer, Int) throws -> R) rethrows -> R {
        try body(buffers[index], width * 4)
    }

    public func flip(to index: Int, userData: UInt64) throws {
        guard flipsSupported else { throw SystemCallError("ioctl(DRM_IOCTL_MODE_PAGE_FLIP)", name, errno: Errno(rawValue: ENOSYS)) }
        guard isMaster else { throw SystemCallError("ioctl(DRM_IOCTL_MODE_PAGE_FLIP)", name, errno: .permissionDenied) }
        guard shown != nil, screenOn, buffers.indices.contains(index) else { throw SystemCallError("ioctl(DRM_IOCTL_MODE_PAGE_FLIP)", name, errno: .invalidArgument) }
        guard pending == nil else { throw SystemCallError("ioctl(DRM_IOCTL_MODE_PAGE_FLIP)", name, errno: .busy) }
        let now = MonotonicClock.nanoseconds()
        sequence &+= 1
        pending = DRMVblankInfo(userData: userData, seconds: UInt32(truncatingIfNeeded: now / 1_000_000_000),
                                microseconds: UInt32(now % 1_000_000_000 / 1000), sequence: sequence, crtc: 29)
        shown = index
        flips += 1
    }

    public func markDirty(_ index: Int, clips: [DRMClip]) throws -> Bool {
        dirtyCalls += 1
        return true
    }

    public func waitForFlipComplete(timeoutMilliseconds: Int32) throws -> DRMVblankInfo? {
        defer { pending = nil }
        return pending
    }

    public func setScreenPower(on: Bool) throws { screenOn = on }
    public func dropMaster() { isMaster = false }
    public func setMaster() throws {
        guard !otherMaster else { throw SystemCallError("ioctl(DRM_IOCTL_SET_MASTER)", name, errno: .busy) }
        isMaster = true
    }

    /// The pixels on screen (`0x00RRGGBB`, row after row); nil before a mode set or while
    /// the screen is off or unplugged.
    public func visiblePixels() -> [UInt32]? {
        guard let shown, screenOn, connected else { return nil }
        let buffer = buffers[shown]
        return (0..<(width * height)).map { buffer.load(fromByteOffset: $0 * 4, as: UInt32.self) & 0x00FF_FFFF }
    }

    /// `WIDTHxHEIGHT` from `$KIOSK_DEBUG_MEMORY_DRM` (each 64 to 8192), or nil.
    public static func size(fromEnvironment text: String) -> (width: Int, height: Int)? {
        MemoryFramebufferDisplay.size(fromEnvironment: text)
    }
}
