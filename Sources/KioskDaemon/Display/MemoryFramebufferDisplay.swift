import Foundation
import KioskCore
import KioskDisplay
import KioskSystem
#if canImport(Glibc)
import Glibc
#endif

/// The framebuffer driver with RAM in place of `/dev/fbN`: the same `PixelPipeline`
/// (theme, fonts, layout, renderer, rotation) and partial copies as `FramebufferDisplay`,
/// into a shared anonymous mapping laid out as an XRGB8888 framebuffer (one page, no
/// panning).
///
/// A test hook for headless runs of the real `kioskd` (`kiosk-bench`, `Tests/longrun`),
/// chosen with `$KIOSK_DEBUG_MEMORY_FRAMEBUFFER=WIDTHxHEIGHT` when `[screen] backend =
/// framebuffer`. The mapping is `MAP_SHARED`, so the kernel counts its pages as
/// `RssShmem`, apart from the daemon's own memory, as a device's memory would be set
/// apart. It blanks and wakes with the `ScreenSchedule` like a real screen.
///
/// Owned by the `Lobby` actor (not `Sendable`: the mapping has one owner).
public final class MemoryFramebufferDisplay: PoweredScreen, PixelDisplay {
    public let pixelWidth: Int
    public let pixelHeight: Int
    private var pipeline: PixelPipeline
    private let memory: UnsafeMutableRawBufferPointer
    private let layout: PixelBufferLayout
    public private(set) var isBlanked = false
    /// Frames that copied anything into the memory.
    public private(set) var flushes = 0
    /// Bytes copied into the memory so far.
    public private(set) var bytesWritten = 0
    /// Gets one debug line per flush (`kiosk-bench` sums the bytes of an idle minute).
    public var logger: JournalLogger?

    /// Maps `pixelWidth` x `pixelHeight` x 4 bytes (the panel, before rotation); throws a
    /// `FramebufferError` when the mapping is refused.
    public init(pipeline: PixelPipeline) throws {
        let (width, height) = (pipeline.panelWidth, pipeline.panelHeight)
        let bytes = width * height * 4
        guard let base = mmap(nil, bytes, PROT_READ | PROT_WRITE, MAP_SHARED | MAP_ANONYMOUS, -1, 0), base != MAP_FAILED else {
            throw FramebufferError(device: "memory \(width)x\(height)", reason: "mmap of \(bytes) bytes: \(String(cString: strerror(errno)))")
        }
        pixelWidth = width
        pixelHeight = height
        memory = UnsafeMutableRawBufferPointer(start: base, count: bytes)
        layout = PixelBufferLayout(format: .xrgb8888, width: width, height: height, lineLength: width * 4)
        self.pipeline = pipeline
    }

    /// As `FramebufferDisplay(config:assetDirectory:consolePath:)` would be on a panel of
    /// that size: `config`'s theme, accent and rotation, fonts from `<assets>/fonts`.
    public convenience init(config: KioskConfig, pixelWidth: Int, pixelHeight: Int, assetDirectory: String) throws {
        try self.init(pipeline: PixelPipeline(config: config, panelWidth: pixelWidth, panelHeight: pixelHeight, assetDirectory: assetDirectory))
    }

    /// `WIDTHxHEIGHT` from `$KIOSK_DEBUG_MEMORY_FRAMEBUFFER` (each 64 to 8192), or nil.
    public static func size(fromEnvironment text: String) -> (width: Int, height: Int)? {
        let parts = text.lowercased().split(separator: "x")
        guard parts.count == 2, let w = Int(parts[0]), let h = Int(parts[1]), (64...8192).contains(w), (64...8192).contains(h) else { return nil }
        return (w, h)
    }

    public var surface: PixelSurface { pipeline.surface }

    /// The glyph cache's bytes now (`kiosk-bench` reads it through the lobby).
    public var glyphCacheBytes: Int { pipeline.engine.glyphCacheBytes }

    public func refreshSize() -> Bool { false }

    /// The pixel at (`x`, `y`) of the panel in the mapped memory (XRGB8888), as a device
    /// would hold it.
    public func memoryPixel(x: Int, y: Int) -> UInt32 {
        UInt32(littleEndian: memory.load(fromByteOffset: (y * pixelWidth + x) * 4, as: UInt32.self))
    }

    public func show(_ scene: PixelScene) throws {
        let dirty = pipeline.render(scene)
        guard !isBlanked, !dirty.isEmpty else { return }
        pipeline.present(dirty, into: memory, layout: layout)
        flushes += 1
        let bytes = dirty.reduce(0) { $0 + $1.area } * layout.format.bytesPerPixel
        bytesWritten += bytes
        logger?.debug("display: flush \(flushes): \(dirty.count) area(s), \(bytes) bytes copied")
    }

    public func setBlanked(_ blanked: Bool) throws {
        isBlanked = blanked
        if !blanked { pipeline.invalidate() }
    }

    public func restore() {}

    deinit { munmap(memory.baseAddress, memory.count) }
}

extension MemoryFramebufferDisplay: PixelCanvasDisplay {
    public var currentCanvas: PixelCanvas { pipeline.canvas }
}
