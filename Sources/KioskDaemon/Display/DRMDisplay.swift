import Foundation
import KioskCore
import KioskDisplay
import KioskSystem
#if canImport(Glibc)
import Glibc
#endif

/// The lobby through DRM/KMS (`/dev/dri/cardN`): frames drawn by a `PixelPipeline` (the
/// pixel layout's scene, outline type) into the back one of two dumb buffers, which a page
/// flip puts on screen at the next vertical blank (no tearing). Areas are kept in the
/// buffers' coordinates (`PixelPipeline.panelRects`) for the flip bookkeeping.
///
/// - **In place** (XRGB8888 buffers with rows of exactly the width, no rotation, page
///   flips: the usual case): no canvas in RAM. The scene is painted straight into the back
///   buffer over the areas it lacks, which `PageFlipState` keeps: those changed by the new
///   frame and by the one it missed (the frame before last is what it holds). Otherwise
///   (16-bit buffers, dithered; a turned picture; no page flips, so the buffer drawn is on
///   screen) the frame is rendered into a canvas and its changed areas converted and copied.
/// - **Flips** follow `PageFlipState`: the back buffer receives the areas it lacks (those
///   changed by the frame it missed and by the new one), a flip is queued with a completion
///   event, and the event, read from the card's descriptor, says the old buffer is free.
///   `show` waits for it (a frame at most on a real screen; at once on QEMU's drivers,
///   which fake it), and flips are spaced by at least one frame of the mode.
/// - **DPMS**: `setBlanked` sets the connector's `DPMS` property; nothing is flipped while
///   the screen is off (the kernel would refuse: EINVAL).
/// - **Hot-plug**: `checkOutput(probe:)` (after a uevent, or polled) finds the screen
///   again and sets the mode again; while none is connected frames are rendered but not
///   shown, and `statusSummary` says so.
/// - **Console**: the VT in graphics mode (`ConsoleMode`) as for the framebuffer; with
///   `VirtualConsoleSwitching`, master is dropped when the VT is switched away and taken
///   back, with the mode set again, when it returns. On exit and crash signals master is
///   dropped before text mode comes back, so the kernel's console redraws at once.
/// - **Another master**: master is exclusive. When another program holds it (a compositor
///   or Plymouth at start-up, a program on the other VT that has not let go when ours
///   comes back), the daemon keeps running, says so in its status, and takes the screen
///   when master is free again (tried on each hot-plug event and connector poll).
///
/// Owned by the `Lobby` actor (not `Sendable`: the buffers have one owner).
public final class DRMDisplay: PoweredScreen, PixelDisplay {
    /// Where the output stands.
    public enum Output: Sendable, Equatable {
        /// A screen is lit with this plan (or blanked on purpose, see `isBlanked`).
        case lit(DRMOutputPlan)
        /// No screen is connected; frames wait for one.
        case noScreen(why: String)
        /// Our VT was switched away: master is dropped until it comes back.
        case consoleAway
        /// Another program is DRM master on the card: the screen is taken when it lets go.
        case masterElsewhere(why: String)
    }

    /// What the display did so far: the QEMU test compares flips with frames, the status
    /// line and the exit log show them, `kiosk-bench` reads latencies from the debug log.
    public struct Counters: Sendable, Equatable {
        /// Frames put on screen (each by one flip, or by a mode set when flips fail).
        public var framesPresented = 0
        public var flipsQueued = 0
        public var flipsCompleted = 0
        /// Flips refused or never completed.
        public var flipsFailed = 0
        public var modeSets = 0
        /// Bytes written into the buffers.
        public var bytesWritten = 0
        /// Flip queued → completion event timestamp, in nanoseconds.
        public var lastFlipLatency: UInt64 = 0
        public var maximumFlipLatency: UInt64 = 0
        public var totalFlipLatency: UInt64 = 0
    }

    public let device: any ScanoutDevice
    public private(set) var output: Output
    public private(set) var isBlanked = false
    public private(set) var counters = Counters()
    public private(set) var format: PixelFormat = .xrgb8888
    private let request: DisplayModeRequest?
    private let theme: PixelTheme
    private let engine: TypeEngine
    private let rotation: ScreenRotation
    /// `[screen] picture-cache`, for each pipeline made when the mode changes.
    private let pictureCacheBytes: Int
    private let logger: JournalLogger?
    private var pipeline: PixelPipeline
    private var flips: PageFlipState
    private var console: ConsoleMode?
    private var switching: VirtualConsoleSwitching?
    /// No page flips (refused with ENOSYS, or `pageFlips: false`): draw into the buffer on
    /// screen and mark the areas dirty (`DIRTYFB`: virtio-gpu and USB displays copy only
    /// those to the screen; bochs answers ENOSYS, its buffer being the screen).
    private var frontBufferOnly = false
    /// Frames may be drawn into the back buffer without a canvas when its shape allows.
    private let inPlaceAllowed: Bool
    private var restored = false

    /// Opens the output on `device`: lights the connected screen in its chosen mode (buffer
    /// 0, black, until the first frame), or waits for one when none is connected. Throws
    /// when the card cannot drive any screen.
    ///
    /// - Parameters:
    ///   - consolePath: the VT to switch to graphics mode (`[screen] console`); nil leaves it.
    ///   - request: `[screen] mode`; nil for the connector's preferred mode.
    ///   - theme, engine, rotation: as `PixelPipeline` takes them.
    ///   - pageFlips: false to draw into the buffer on screen (tearing possible), as when
    ///     the driver has no page flips: the QEMU test's path to `DIRTYFB`.
    ///   - drawsInPlace: false to keep a canvas even where the back buffer could be drawn
    ///     in place (the tests' reference path).
    public init(
        device: any ScanoutDevice, consolePath: String?, request: DisplayModeRequest?, theme: PixelTheme, engine: TypeEngine,
        rotation: ScreenRotation = .upright, logger: JournalLogger? = nil, pageFlips: Bool = true,
        pictureCacheBytes: Int = ScenePictureShelf.defaultBudgetBytes, drawsInPlace: Bool = true
    ) throws {
        self.pictureCacheBytes = pictureCacheBytes
        self.device = device
        frontBufferOnly = !pageFlips
        inPlaceAllowed = drawsInPlace
        self.request = request
        self.theme = theme
        self.engine = engine
        self.rotation = rotation
        self.logger = logger
        let outcome = try device.findScreen(request: request, probe: false)
        var size = (width: request?.width ?? 1920, height: request?.height ?? 1080)
        switch outcome {
        case .connected(let plan):
            size = (plan.mode.width, plan.mode.height)
            output = .noScreen(why: "not lit yet")
        case .noScreen(_, let why):
            output = .noScreen(why: why)
        case .noCard(let why), .unusable(let why):
            throw FramebufferError(device: device.name, reason: why)
        }
        pipeline = PixelPipeline(panelWidth: size.width, panelHeight: size.height, rotation: rotation, theme: theme, engine: engine,
                                 pictureCacheBytes: pictureCacheBytes, drawsInPlace: drawsInPlace && pageFlips)
        flips = PageFlipState(width: size.width, height: size.height)
        if let consolePath { console = try ConsoleMode(ttyPath: consolePath) }
        if case .connected(let plan) = outcome { try lightUnlessMasterElsewhere(plan) }
    }

    /// The display as configured: `[screen] mode`, `console`, `theme`, `[venue] accent`,
    /// `rotation`, fonts from `<assets>/fonts`.
    public convenience init(device: any ScanoutDevice, config: KioskConfig, assetDirectory: String, consolePath: String?, logger: JournalLogger?,
                            pageFlips: Bool = true, drawsInPlace: Bool = true) throws {
        let theme = try PixelTheme.load(for: config, directory: PixelAssets.themeDirectory(assetDirectory))
        let engine = try TypeEngine(fontsDirectory: PixelAssets.fontDirectory(assetDirectory), cacheCapacity: PixelPipeline.glyphCacheBytes)
        try self.init(device: device, consolePath: consolePath, request: config.screen.mode, theme: theme, engine: engine,
                      rotation: config.screen.rotation, logger: logger, pageFlips: pageFlips, pictureCacheBytes: config.screen.pictureCacheBytes,
                      drawsInPlace: drawsInPlace)
    }

    public var surface: PixelSurface { pipeline.surface }

    /// The frame as the visitor sees it (what the screen shows once presented): the canvas,
    /// or, drawing in place, the current scene painted into a canvas made for the call.
    public var canvas: PixelCanvas { pipeline.frame() }

    /// Whether frames are painted straight into the back buffer (no canvas in RAM).
    public var drawsInPlace: Bool { pipeline.drawsInPlace }

    /// The size follows the screen: see `checkOutput(probe:)`.
    public func refreshSize() -> Bool { false }

    public func show(_ scene: PixelScene) throws {
        let dirty = pipeline.drawsInPlace ? pipeline.advance(to: scene) : pipeline.render(scene)
        flips.frameRendered(pipeline.panelRects(dirty))
        try present()
    }

    // MARK: - Presenting

    /// Puts the pending frame on screen, when there is one and the screen can show it.
    private func present() throws {
        guard case .lit(let plan) = output, !isBlanked else { return }
        if flips.inFlight != nil { awaitFlip() }
        guard flips.framePending else { return }
        let wait = flips.delay(at: MonotonicClock.nanoseconds())
        if wait > 0 {
            var pause = timespec(tv_sec: Int(wait / 1_000_000_000), tv_nsec: Int(wait % 1_000_000_000))
            var remaining = timespec()
            while nanosleep(&pause, &remaining) != 0 && errno == EINTR { pause = remaining }
        }
        guard let drawing = flips.nextDrawing(at: MonotonicClock.nanoseconds()) else { return }
        let target = frontBufferOnly ? flips.front : drawing.buffer
        let areas = frontBufferOnly ? flips.areasLacking(in: target) : drawing.areas
        let bytes = draw(areas, into: target, plan: plan)
        if frontBufferOnly {
            let marked: String
            do { marked = try device.markDirty(target, clips: areas.map(Self.clip)) ? "DIRTYFB sent" : "DIRTYFB not needed (ENOSYS)" } catch {
                marked = "DIRTYFB failed: \(error)"
            }
            flips.modeSet(showing: target, fresh: false)
            counters.framesPresented += 1
            logger?.debug("display: frame \(counters.framesPresented) presented: \(areas.count) area(s), \(bytes) bytes drawn into buffer \(target) on screen, \(marked)")
            return
        }
        let queued = MonotonicClock.nanoseconds()
        do {
            try device.flip(to: target, userData: UInt64(counters.flipsQueued + 1))
        } catch let error as SystemCallError where error.errno == Errno(rawValue: ENOSYS) || error.errno == Errno(rawValue: EOPNOTSUPP) {
            logger?.warning("display: \(device.name) has no page flips (\(error)): drawing into the buffer on screen from now on (tearing possible)")
            frontBufferOnly = true
            try setModeAgain(plan, showing: target)
            counters.framesPresented += 1
            // The buffer drawn next is on screen: draw from a canvas (see the type's comment).
            if pipeline.drawsInPlace { replacePipeline(width: plan.mode.width, height: plan.mode.height, inPlace: false) }
            return
        } catch {
            // EINVAL (the CRTC went off behind our back) or EBUSY: set the mode again with
            // the frame just drawn, which shows it.
            counters.flipsFailed += 1
            logger?.warning("display: page flip on \(device.name) refused (\(error)): setting the mode again")
            flips.flipFailed()
            flips.drew(target)
            try setModeAgain(plan, showing: target)
            counters.framesPresented += 1
            return
        }
        counters.flipsQueued += 1
        counters.framesPresented += 1
        flips.flipQueued(to: target, at: queued)
        let completed = counters.flipsCompleted
        awaitFlip(queuedAt: queued)
        // kiosk-bench and the QEMU test read this line.
        logger?.debug("display: frame \(counters.framesPresented) presented: \(areas.count) area(s), \(bytes) bytes drawn into buffer \(target), flip \(counters.flipsQueued) "
            + (counters.flipsCompleted > completed ? "completed in \(Self.milliseconds(counters.lastFlipLatency, decimals: 3)) ms" : "not completed"))
    }

    /// Brings `areas` of buffer `index` up to date: the scene painted there in place, or
    /// the canvas converted into it (the framebuffer driver's copy); returns the bytes written.
    @discardableResult
    private func draw(_ areas: [PixelRect], into index: Int, plan: DRMOutputPlan) -> Int {
        let format = self.format
        device.withBuffer(index) { memory, pitch in
            let layout = PixelBufferLayout(format: format, width: plan.mode.width, height: plan.mode.height, lineLength: pitch)
            if pipeline.drawsInPlace {
                pipeline.draw(areas, into: memory, layout: layout)
            } else {
                pipeline.present(pipeline.pictureRects(areas), into: memory, layout: layout)
            }
        }
        let bytes = areas.reduce(0) { $0 + $1.area } * format.bytesPerPixel
        counters.bytesWritten += bytes
        flips.drew(index)
        return bytes
    }

    /// Waits for the flip in flight (a few frames at most); a flip that never completes is
    /// counted as failed and both buffers are drawn whole next time.
    private func awaitFlip(queuedAt: UInt64? = nil) {
        let frame = flips.minimumInterval / 1_000_000
        let timeout = Int32(clamping: max(100, 4 * frame))
        let completion: DRMVblankInfo?
        do { completion = try device.waitForFlipComplete(timeoutMilliseconds: timeout) } catch {
            logger?.warning("display: reading flip events from \(device.name): \(error)")
            completion = nil
        }
        guard let completion else {
            counters.flipsFailed += 1
            logger?.warning("display: no flip-complete event from \(device.name) within \(timeout) ms")
            flips.flipFailed()
            return
        }
        flips.flipCompleted()
        counters.flipsCompleted += 1
        if let queuedAt {
            let latency = completion.nanoseconds >= queuedAt ? completion.nanoseconds - queuedAt : 0
            counters.lastFlipLatency = latency
            counters.maximumFlipLatency = max(counters.maximumFlipLatency, latency)
            counters.totalFlipLatency &+= latency
        }
    }

    private func setModeAgain(_ plan: DRMOutputPlan, showing buffer: Int) throws {
        let fresh = try device.setMode(plan, showing: buffer)
        counters.modeSets += 1
        flips.modeSet(showing: buffer, fresh: fresh)
        if isBlanked { try device.setScreenPower(on: false) }
    }

    /// A pipeline drawing in place or through a canvas, from the current scene; both
    /// buffers are drawn whole next time.
    private func replacePipeline(width: Int, height: Int, inPlace: Bool) {
        let scene = pipeline.renderer.current
        pipeline = PixelPipeline(panelWidth: width, panelHeight: height, rotation: rotation, theme: theme, engine: engine,
                                 pictureCacheBytes: pictureCacheBytes, drawsInPlace: inPlace)
        if let scene, scene.width == pipeline.pictureWidth, scene.height == pipeline.pictureHeight {
            _ = inPlace ? pipeline.advance(to: scene) : pipeline.render(scene)
        }
        flips.invalidate()
        logger?.info("display: \(inPlace ? "drawing into the back buffer in place (no canvas)" : "drawing through a canvas in RAM") on \(device.name)")
    }

    private static func clip(_ r: PixelRect) -> DRMClip { DRMClip(x: r.x, y: r.y, maxX: r.maxX, maxY: r.maxY) }

    /// `nanoseconds` as milliseconds with `decimals` decimals (no Foundation formatting).
    static func milliseconds(_ nanoseconds: UInt64, decimals: Int = 2) -> String {
        var unit: UInt64 = 1_000_000
        for _ in 0..<decimals { unit /= 10 }
        let count = (nanoseconds + unit / 2) / unit
        var scale: UInt64 = 1
        for _ in 0..<decimals { scale *= 10 }
        let fraction = String(count % scale)
        return decimals == 0 ? "\(count)" : "\(count / scale)." + String(repeating: "0", count: decimals - fraction.count) + fraction
    }

    // MARK: - Output

    /// Sets `plan`'s mode (again), with a new pipeline when the size changed. True when it did.
    @discardableResult
    private func light(_ plan: DRMOutputPlan) throws -> Bool {
        guard let format = PixelFormat(drm: plan.format) else {
            throw FramebufferError(device: device.name, reason: "no pixel format for \(plan.format)")
        }
        let resized = plan.mode.width != pipeline.panelWidth || plan.mode.height != pipeline.panelHeight
        if resized {
            pipeline = PixelPipeline(panelWidth: plan.mode.width, panelHeight: plan.mode.height, rotation: rotation, theme: theme, engine: engine,
                                     pictureCacheBytes: pictureCacheBytes, drawsInPlace: pipeline.drawsInPlace)
            flips = PageFlipState(width: plan.mode.width, height: plan.mode.height)
        }
        self.format = format
        flips.minimumInterval = plan.mode.frameNanoseconds
        let showing = flips.front
        let fresh = try device.setMode(plan, showing: showing)
        // In place or through a canvas: known once the buffers (their pitch) exist.
        let pitch = device.withBuffer(showing) { $1 }
        let layout = PixelBufferLayout(format: format, width: plan.mode.width, height: plan.mode.height, lineLength: pitch)
        let inPlace = inPlaceAllowed && !frontBufferOnly && PixelPipeline.canDrawInPlace(layout, rotation: rotation)
        if inPlace != pipeline.drawsInPlace { replacePipeline(width: plan.mode.width, height: plan.mode.height, inPlace: inPlace) }
        counters.modeSets += 1
        flips.modeSet(showing: showing, fresh: fresh)
        output = .lit(plan)
        if isBlanked { try device.setScreenPower(on: false) }
        logger?.info("display: DRM \(device.name) \(plan.connector.name) \(plan.mode) \(plan.format) (\(plan.modeReason)), \(pipeline.drawsInPlace ? "drawn in place into the back buffer" : "drawn through a canvas")")
        return resized
    }

    /// `light(plan)`, or, when the kernel refuses because another program is master
    /// (EACCES, EPERM or EBUSY), `.masterElsewhere`: nil then.
    @discardableResult
    private func lightUnlessMasterElsewhere(_ plan: DRMOutputPlan) throws -> Bool? {
        do {
            return try light(plan)
        } catch let error as SystemCallError where Self.refusedForMaster(error) {
            waitForMaster(error)
            return nil
        }
    }

    /// Whether `error` is the kernel saying that another file is DRM master.
    static func refusedForMaster(_ error: SystemCallError) -> Bool {
        [Errno.permissionDenied, .busy, Errno(rawValue: EPERM)].contains(error.errno)
    }

    private func waitForMaster(_ error: any Error) {
        output = .masterElsewhere(why: "\(error)")
        logger?.warning("display: another program is DRM master on \(device.name) (\(error)); the screen is taken when it lets go, tried every hot-plug event and connector poll")
    }

    /// What happened to the screen at the last `checkOutput`.
    public enum OutputChange: Sendable, Equatable {
        case unchanged
        /// A screen is lit (again); `resized`: lay the lobby out again.
        case lit(resized: Bool)
        /// The screen went away.
        case lost
    }

    /// Why the connector is looked at again.
    public enum OutputCheck: Sendable, Equatable, CustomStringConvertible {
        /// A uevent said the card's outputs may have changed.
        case hotplugEvent
        /// The low-rate poll.
        case poll
        /// Our VT came back.
        case consoleReturn

        public var description: String {
            switch self {
            case .hotplugEvent: "after a hot-plug event"
            case .poll: "seen by the connector poll"
            case .consoleReturn: "console back"
            }
        }
    }

    /// Looks at the connector again. After a hot-plug event (and when the VT comes back)
    /// the driver detects the screen again, and a connected screen gets its mode set again
    /// even when nothing seems to have changed (a TV power-cycled between two looks). The
    /// low-rate poll reads the kernel's last known state: only a change of connection counts.
    public func checkOutput(_ trigger: OutputCheck) throws -> OutputChange {
        if case .consoleAway = output { return .unchanged }
        if case .masterElsewhere = output {
            do { try device.setMaster() } catch { return .unchanged }
            output = .noScreen(why: "DRM master free again")
            flips.invalidate()
            logger?.notice("display: DRM master on \(device.name) is free again: taking the screen (\(trigger))")
        }
        if flips.inFlight != nil { awaitFlip() }
        let probe = trigger != .poll
        let outcome = try device.findScreen(request: request, probe: probe)
        switch (output, outcome) {
        case (.lit(let old), .connected(let plan)):
            guard probe || plan.connector.id != old.connector.id || plan.mode != old.mode || plan.format != old.format else { return .unchanged }
            guard let resized = try lightUnlessMasterElsewhere(plan) else { return .lost }
            try present()
            return .lit(resized: resized)
        case (_, .connected(let plan)):
            guard let resized = try lightUnlessMasterElsewhere(plan) else { return .unchanged }
            if trigger != .consoleReturn { logger?.notice("display: screen connected on \(device.name) \(plan.connector.name) (\(trigger))") }
            try present()
            return .lit(resized: resized)
        case (.lit(let old), .noScreen(_, let why)), (.lit(let old), .unusable(let why)), (.lit(let old), .noCard(let why)):
            output = .noScreen(why: why)
            logger?.notice("display: the screen on \(device.name) \(old.connector.name) went away (\(trigger)); waiting for one (\(why))")
            return .lost
        case (.noScreen, .noScreen(_, let why)), (.noScreen, .unusable(let why)), (.noScreen, .noCard(let why)):
            output = .noScreen(why: why)
            return .unchanged
        case (.consoleAway, _), (.masterElsewhere, _):
            return .unchanged
        }
    }

    // MARK: - Console switching

    /// Switches our VT to process-controlled switching (`VirtualConsoleSwitching`, SIGUSR1
    /// to release, SIGUSR2 to acquire): call once both signals are watched. False when
    /// there is no console to switch (`console = none`, or a device in RAM).
    public func enableConsoleSwitching() throws -> Bool {
        guard let console, switching == nil else { return false }
        switching = try VirtualConsoleSwitching(ttyPath: console.path)
        ConsoleCrashRestore.releaseDRM(cardDescriptor: device.cardDescriptor, processSwitching: true)
        return true
    }

    /// Our VT is being switched away: finish the flip in flight, drop master, let it go.
    public func consoleReleased() {
        if flips.inFlight != nil { awaitFlip() }
        device.dropMaster()
        output = .consoleAway
        switching?.acknowledgeRelease()
        logger?.info("display: console switched away: DRM master dropped")
    }

    /// Our VT is back: take master, set the mode again, draw the whole frame. When another
    /// program has not let master go, the screen waits for it (`.masterElsewhere`).
    public func consoleAcquired() throws -> OutputChange {
        switching?.acknowledgeAcquire()
        do { try device.setMaster() } catch {
            flips.invalidate()
            waitForMaster(error)
            return .unchanged
        }
        output = .noScreen(why: "console back")
        flips.invalidate()
        let change = try checkOutput(.consoleReturn)
        logger?.info("display: console back: DRM master taken again")
        return change
    }

    // MARK: - PoweredScreen

    /// DPMS off or on through the connector's property. While off, nothing is flipped;
    /// on waking, what changed meanwhile is drawn (the buffers keep their content).
    public func setBlanked(_ blanked: Bool) throws {
        if flips.inFlight != nil { awaitFlip() }
        if case .lit = output { try device.setScreenPower(on: !blanked) }
        isBlanked = blanked
        if !blanked { try present() }
    }

    /// One phrase for the service status: what the screen is doing. It changes only when
    /// that does (the status is sent to systemd whenever it changes): the frame and flip
    /// counts are in the debug log and in the exit line.
    public var statusSummary: String {
        switch output {
        case .lit(let plan): return isBlanked ? "screen off on purpose" : "screen \(plan.connector.name) \(plan.mode) (DRM)"
        case .noScreen: return "no screen connected (DRM \(device.name)), waiting for one"
        case .consoleAway: return "console switched away from the screen"
        case .masterElsewhere: return "another program holds the screen (DRM master on \(device.name)), waiting for it to let go"
        }
    }

    /// Drops master (the kernel's console can set its own mode again), then text mode;
    /// logs what was presented. Safe to call twice.
    public func restore() {
        guard !restored else { return }
        restored = true
        if flips.inFlight != nil { awaitFlip() }
        if isBlanked, case .lit = output { try? device.setScreenPower(on: true) }
        ConsoleCrashRestore.releaseDRM(cardDescriptor: nil, processSwitching: false)
        switching?.restore()
        device.dropMaster()
        console?.restore()
        let mean = counters.flipsCompleted > 0 ? counters.totalFlipLatency / UInt64(counters.flipsCompleted) : 0
        logger?.notice("display: \(counters.framesPresented) frames presented, \(counters.flipsCompleted) page flips completed (\(counters.flipsFailed) failed), \(counters.modeSets) mode sets; flip latency mean \(Self.milliseconds(mean)) ms, max \(Self.milliseconds(counters.maximumFlipLatency)) ms; \(counters.bytesWritten) bytes drawn")
    }

    deinit { restore() }
}

extension PixelFormat {
    /// The canvas-side format of a DRM buffer format.
    init?(drm: DRMPixelFormat) {
        switch drm {
        case .xrgb8888: self = .xrgb8888
        case .rgb565: self = .rgb565
        }
    }
}

/// The staff page's picture of the screen is the canvas last drawn.
extension DRMDisplay: PixelCanvasDisplay {
    public var currentCanvas: PixelCanvas { canvas }
}
