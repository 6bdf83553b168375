import Foundation
import KioskCore
import KioskSystem

/// The KMS half of `DRMDisplay`: a card (`DRMScanout`) or RAM (`MemoryScanout`, the twin
/// the tests and `kiosk-bench` drive). Everything the display decides (what to draw,
/// when to flip, when the screen is lit) stays in `DRMDisplay` and `PageFlipState`.
public protocol ScanoutDevice: AnyObject {
    /// `card0 (bochs-drm)`.
    var name: String { get }
    /// Looks for a connected screen (`probe`: ask the driver to detect it again).
    func findScreen(request: DisplayModeRequest?, probe: Bool) throws -> DRMOutputChoice.Outcome
    /// Sets `plan`'s mode showing buffer `showing`, creating two buffers when the size or
    /// format changed. True when the buffers are new (black).
    @discardableResult func setMode(_ plan: DRMOutputPlan, showing: Int) throws -> Bool
    /// Calls `body` with buffer `index`'s memory and its bytes per row.
    func withBuffer<R>(_ index: Int, _ body: (_ memory: UnsafeMutableRawBufferPointer, _ pitch: Int) throws -> R) rethrows -> R
    /// Queues a flip to buffer `index` with a completion event carrying `userData`.
    func flip(to index: Int, userData: UInt64) throws
    /// `DIRTYFB`; false when the driver does not need it.
    @discardableResult func markDirty(_ index: Int, clips: [DRMClip]) throws -> Bool
    /// The next flip completion, waiting at most `timeoutMilliseconds`.
    func waitForFlipComplete(timeoutMilliseconds: Int32) throws -> DRMVblankInfo?
    /// DPMS on or off.
    func setScreenPower(on: Bool) throws
    func dropMaster()
    func setMaster() throws
    /// The card's descriptor for the crash handler (nil: nothing to release).
    var cardDescriptor: Int32? { get }
}

extension DRMScanout: ScanoutDevice {
    public func withBuffer<R>(_ index: Int, _ body: (UnsafeMutableRawBufferPointer, Int) throws -> R) rethrows -> R {
        try body(buffers[index].memory, buffers[index].pitch)
    }

    public var cardDescriptor: Int32? { card.rawDescriptor }
}
