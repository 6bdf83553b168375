/// Two scan-out buffers shown in turn by page flips, as a plain value: which buffer is on
/// screen, whether a flip is in flight, whether a rendered frame waits to be shown, and
/// which areas each buffer still lacks compared with the frame in RAM (the canvas).
///
/// The driver tells it what happens (`frameRendered`, `drew`, `flipQueued`,
/// `flipCompleted`, `flipFailed`, `buffersReplaced`) and asks it what to do
/// (`nextDrawing(at:)`). Phases, from `phase`:
/// - `.idle`: flip done, nothing waits; the buffer on screen shows the last frame;
/// - `.framePending`: a frame was rendered and is not on screen yet;
/// - `.flipInFlight`: a flip was queued and its completion has not been seen; the buffer
///   it leaves is still scanned out until then, so nothing is drawn into either buffer.
///
/// Only changed areas are drawn: a frame's changed areas are added to what both buffers
/// lack, and drawing a buffer brings exactly its own list up to date, so the back buffer
/// receives the areas changed by the frame it missed (the one now on the front) plus
/// the new ones. Lists longer than `maximumAreas` are merged into their bounding box.
///
/// Pacing: virtual drivers (QEMU's bochs, virtio-gpu) complete a flip at once, so flips
/// are spaced by the clock as well: at most one per `minimumInterval` nanoseconds (a
/// frame of the mode), the completion meaning only "the old buffer is free".
public struct PageFlipState: Sendable, Equatable {
    public enum Phase: Sendable, Equatable {
        case idle
        case framePending
        case flipInFlight(buffer: Int, framePending: Bool)
    }

    /// What to draw now: bring `buffer` up to date in `areas`, then queue a flip to it.
    public struct Drawing: Sendable, Equatable {
        public var buffer: Int
        public var areas: [PixelRect]
    }

    public static let maximumAreas = 32

    public let bounds: PixelRect
    /// Shortest time between two queued flips, in nanoseconds.
    public var minimumInterval: UInt64
    /// The buffer on screen (0 or 1).
    public private(set) var front = 0
    /// The buffer a queued flip goes to, until its completion.
    public private(set) var inFlight: Int?
    /// A rendered frame is not on screen yet.
    public private(set) var framePending = false
    /// When the last flip was queued (nanoseconds of the driver's clock).
    public private(set) var lastFlipQueued: UInt64?
    private var lacking: [[PixelRect]]

    /// Two new buffers of `width` x `height`, buffer 0 on screen; both lack everything.
    public init(width: Int, height: Int, minimumInterval: UInt64 = 16_666_667) {
        bounds = PixelRect(x: 0, y: 0, width: max(0, width), height: max(0, height))
        self.minimumInterval = minimumInterval
        lacking = [[bounds], [bounds]]
    }

    public var phase: Phase {
        if let inFlight { return .flipInFlight(buffer: inFlight, framePending: framePending) }
        return framePending ? .framePending : .idle
    }

    /// The buffer not on screen.
    public var back: Int { 1 - front }

    /// What `buffer` lacks compared with the canvas.
    public func areasLacking(in buffer: Int) -> [PixelRect] { lacking[buffer] }

    /// A frame was rendered into the canvas, changing `dirty`. Nothing changed, nothing
    /// pending (unless a frame already was).
    public mutating func frameRendered(_ dirty: [PixelRect]) {
        let changed = dirty.map { $0.intersection(bounds) }.filter { !$0.isEmpty }
        guard !changed.isEmpty else { return }
        for buffer in 0..<2 { lacking[buffer] = Self.adding(changed, to: lacking[buffer], bounds: bounds) }
        framePending = true
    }

    /// Everything must be drawn again (the buffers' content is unknown).
    public mutating func invalidate() {
        lacking = [[bounds], [bounds]]
        framePending = true
    }

    /// What to draw at `now`, or nil: nothing pending, a flip in flight (wait for its
    /// completion), or too soon after the last flip (`delay(at:)` says how long).
    public func nextDrawing(at now: UInt64) -> Drawing? {
        guard framePending, inFlight == nil, delay(at: now) == 0 else { return nil }
        return Drawing(buffer: back, areas: lacking[back])
    }

    /// Nanoseconds to wait before the next flip may be queued (0: now).
    public func delay(at now: UInt64) -> UInt64 {
        guard let last = lastFlipQueued, now < last &+ minimumInterval, now >= last else { return 0 }
        return last + minimumInterval - now
    }

    /// `buffer` now holds the canvas.
    public mutating func drew(_ buffer: Int) {
        lacking[buffer] = []
    }

    /// A flip to `buffer` was queued at `now`.
    public mutating func flipQueued(to buffer: Int, at now: UInt64) {
        inFlight = buffer
        framePending = false
        lastFlipQueued = now
    }

    /// The queued flip completed: its buffer is on screen, the other one is free.
    public mutating func flipCompleted() {
        guard let inFlight else { return }
        front = inFlight
        self.inFlight = nil
    }

    /// The flip could not be queued, or its completion never came (the CRTC went off, the
    /// screen was unplugged): the buffer on screen is unknown, so both are drawn whole
    /// before the next flip; the frame stays pending.
    public mutating func flipFailed() {
        inFlight = nil
        invalidate()
    }

    /// A mode was set showing `buffer` (`SETCRTC`): no flip is in flight any more.
    /// `fresh`: the buffers were created anew and hold nothing.
    public mutating func modeSet(showing buffer: Int, fresh: Bool) {
        front = buffer
        inFlight = nil
        if fresh { invalidate() }
    }

    /// `rects` added to `list`, without areas already covered; merged into one bounding
    /// box past `maximumAreas`.
    static func adding(_ rects: [PixelRect], to list: [PixelRect], bounds: PixelRect) -> [PixelRect] {
        var result = list
        for rect in rects where !result.contains(where: { $0.contains(rect) }) {
            result.removeAll { rect.contains($0) }
            result.append(rect)
        }
        if result.count > maximumAreas {
            return [result.dropFirst().reduce(result[0]) { $0.union($1) }]
        }
        return result
    }
}
