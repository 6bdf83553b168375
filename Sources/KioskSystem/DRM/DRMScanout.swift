import CLinux
import Glibc
import KioskCore

/// One screen driven through KMS on one card: the connector and CRTC of a
/// `DRMOutputPlan`, two dumb buffers in its mode, page flips between them, the
/// connector's `DPMS` property, and DRM master.
///
/// The display backend drives it; this type only makes the calls and keeps the kernel
/// objects alive. Buffers are (re)created when a mode of another size or format is set and
/// released, with the card, in `deinit` (when the card closes, the kernel's console gets
/// the screen back).
///
/// Not `Sendable`: one owner (the DRM display, on the lobby actor).
public final class DRMScanout {
    public let card: DRMCard
    public let driver: String
    /// What is lit now; nil before the first mode set.
    public private(set) var plan: DRMOutputPlan?
    public private(set) var buffers: [DRMDumbBuffer] = []
    /// Whether this process is DRM master on the card (it set a mode and did not drop it).
    public private(set) var isMaster = false
    /// The card's planes, read once: they do not change while the card lives.
    private var planes: [DRMPlane]?

    /// Opens `cardPath`. The card must offer dumb buffers (every KMS driver does).
    public init(cardPath: String) throws(SystemCallError) {
        card = try DRMCard(path: cardPath)
        driver = (try? card.driverName()) ?? "?"
        guard (try? card.capability(DRM_CAP_DUMB_BUFFER)) ?? 0 != 0 else {
            throw SystemCallError("DRM_CAP_DUMB_BUFFER", "\(cardPath) (\(driver)): no dumb buffers", errno: .noDevice)
        }
    }

    /// `card0 (bochs-drm)`.
    public var name: String { "\(card.path.split(separator: "/").last ?? "") (\(driver))" }

    /// The card's connectors again, choosing as at start-up (the connector lit now wins
    /// while it stays connected). `probe` asks the driver to detect screens and read their
    /// EDID again (after a hot-plug event); without it, the kernel's last known state.
    public func findScreen(request: DisplayModeRequest?, probe: Bool) throws(SystemCallError) -> DRMOutputChoice.Outcome {
        var survey = DRMCardSurvey(path: card.path, driver: driver)
        let res = try card.resources()
        survey.crtcIDs = res.crtcs
        survey.encoders = try res.encoders.map { (id) throws(SystemCallError) in try card.encoder(id: id) }
        survey.connectors = try res.connectors.map { (id) throws(SystemCallError) in try card.connector(id: id, probe: probe && isMaster) }
        if planes == nil { planes = try? card.planes() }
        survey.planes = planes ?? []
        return DRMOutputChoice.choose(from: [survey], request: request, preferring: plan?.connector.id)
    }

    /// Sets `plan`'s mode and shows buffer `showing` (`SETCRTC`), creating two buffers first
    /// when the size or format changed. Becomes master when it was not (the first opener
    /// is already). Returns true when the buffers are new (their content is black).
    @discardableResult
    public func setMode(_ plan: DRMOutputPlan, showing: Int) throws(SystemCallError) -> Bool {
        if !isMaster { try? card.setMaster() }
        let fresh = buffers.count != 2 || buffers[0].width != plan.mode.width || buffers[0].height != plan.mode.height || buffers[0].format != plan.format
        if fresh {
            buffers = []
            buffers = [
                try DRMDumbBuffer(card: card, width: plan.mode.width, height: plan.mode.height, format: plan.format),
                try DRMDumbBuffer(card: card, width: plan.mode.width, height: plan.mode.height, format: plan.format),
            ]
        }
        try card.setCRTC(plan.crtcID, framebuffer: buffers[showing].framebufferID, connector: plan.connector.id, mode: plan.mode)
        isMaster = true
        self.plan = plan
        return fresh
    }

    /// Queues a flip to buffer `index` at the next vertical blank, with a completion event.
    public func flip(to index: Int, userData: UInt64) throws(SystemCallError) {
        guard let plan, buffers.indices.contains(index) else { throw SystemCallError("DRM_IOCTL_MODE_PAGE_FLIP", "\(card.path): no mode set", errno: .invalidArgument) }
        try card.pageFlip(plan.crtcID, framebuffer: buffers[index].framebufferID, userData: userData)
    }

    /// `DIRTYFB` on buffer `index`; false when the driver does not need it (ENOSYS).
    @discardableResult
    public func markDirty(_ index: Int, clips: [DRMClip]) throws(SystemCallError) -> Bool {
        guard buffers.indices.contains(index), !clips.isEmpty else { return false }
        return try card.markDirty(framebuffer: buffers[index].framebufferID, clips: clips)
    }

    /// Waits at most `timeoutMilliseconds` for the next flip-complete event.
    public func waitForFlipComplete(timeoutMilliseconds: Int32) throws(SystemCallError) -> DRMVblankInfo? {
        let deadline = MonotonicClock.nanoseconds() + UInt64(max(0, timeoutMilliseconds)) * 1_000_000
        while true {
            for event in try card.readEvents() { if case .flipComplete(let info) = event { return info } }
            let now = MonotonicClock.nanoseconds()
            guard now < deadline else { return nil }
            _ = try card.waitForEvents(timeoutMilliseconds: Int32(clamping: (deadline - now + 999_999) / 1_000_000))
        }
    }

    /// Powers the screen down or up through the connector's `DPMS` property (off: 3, on: 0).
    /// On atomic drivers this turns the CRTC off: never flip while it is off (EINVAL).
    public func setScreenPower(on: Bool) throws(SystemCallError) {
        guard let plan else { return }
        let dpms = try card.properties(ofObject: plan.connector.id, type: DRM_MODE_OBJECT_CONNECTOR).first { $0.name == "DPMS" }
        guard let dpms else {
            throw SystemCallError("DPMS", "\(card.path) \(plan.connector.name): the connector has no DPMS property", errno: .invalidArgument)
        }
        try card.setProperty(ofObject: plan.connector.id, type: DRM_MODE_OBJECT_CONNECTOR, property: dpms.id,
                             value: UInt64(on ? DRM_MODE_DPMS_ON : DRM_MODE_DPMS_OFF))
    }

    /// Gives up master (VT switch, exit): the console or another program may set modes.
    public func dropMaster() {
        guard isMaster else { return }
        try? card.dropMaster()
        isMaster = false
    }

    /// Takes master back (the VT came back); the caller sets the mode again.
    public func setMaster() throws(SystemCallError) {
        try card.setMaster()
        isMaster = true
    }
}
