import Testing
@testable import KioskDisplay

/// The flip state machine without a device: phases, what each buffer receives, pacing.
@Suite struct PageFlipStateTests {
    let screen = PixelRect(x: 0, y: 0, width: 1280, height: 800)
    let header = PixelRect(x: 0, y: 0, width: 1280, height: 64)
    let clock = PixelRect(x: 1100, y: 760, width: 160, height: 40)
    let title = PixelRect(x: 40, y: 10, width: 300, height: 40)
    let panel = PixelRect(x: 640, y: 100, width: 640, height: 600)
    let frame: UInt64 = 16_666_667

    @Test func startsWithBothBuffersLackingEverythingAndNothingPending() {
        let state = PageFlipState(width: 1280, height: 800)
        #expect(state.phase == .idle)
        #expect(state.front == 0 && state.back == 1)
        #expect(state.areasLacking(in: 0) == [screen] && state.areasLacking(in: 1) == [screen])
        #expect(state.nextDrawing(at: 0) == nil)
    }

    @Test func pendingThenInFlightThenDone() throws {
        var state = PageFlipState(width: 1280, height: 800)
        state.frameRendered([screen])
        #expect(state.phase == .framePending)
        let first = try #require(state.nextDrawing(at: 1_000))
        #expect(first == .init(buffer: 1, areas: [screen]))
        state.drew(first.buffer)
        state.flipQueued(to: first.buffer, at: 1_000)
        #expect(state.phase == .flipInFlight(buffer: 1, framePending: false))
        // While the flip is in flight, nothing may be drawn (the old buffer is still scanned out).
        state.frameRendered([clock])
        #expect(state.phase == .flipInFlight(buffer: 1, framePending: true))
        #expect(state.nextDrawing(at: 1_000 + 2 * frame) == nil)
        state.flipCompleted()
        #expect(state.front == 1)
        #expect(state.phase == .framePending)
        // Buffer 0 lacks everything still (it was never drawn); buffer 1 only the clock.
        let second = try #require(state.nextDrawing(at: 1_000 + 2 * frame))
        #expect(second == .init(buffer: 0, areas: [screen]))
        state.drew(0)
        state.flipQueued(to: 0, at: 1_000 + 2 * frame)
        state.flipCompleted()
        #expect(state.phase == .idle)
        #expect(state.areasLacking(in: 1) == [clock])
        #expect(state.areasLacking(in: 0) == [])
    }

    /// Only changed areas are drawn: the back buffer receives what changed in the frame it
    /// missed (now on the front) and in the new frame, nothing else.
    @Test func theBackBufferReceivesTheChangesOfTheFrameItMissed() throws {
        var state = PageFlipState(width: 1280, height: 800)
        var now: UInt64 = 0
        func present(_ dirty: [PixelRect]) throws -> PageFlipState.Drawing {
            state.frameRendered(dirty)
            now += 2 * frame
            let drawing = try #require(state.nextDrawing(at: now))
            state.drew(drawing.buffer)
            state.flipQueued(to: drawing.buffer, at: now)
            state.flipCompleted()
            return drawing
        }
        _ = try present([screen]) // buffer 1 whole
        _ = try present([header]) // buffer 0 whole (never drawn)
        #expect(try present([clock]).areas == [header, clock]) // buffer 1: missed the header
        #expect(try present([panel]).areas == [clock, panel]) // buffer 0: missed the clock
        state.frameRendered([])
        #expect(state.phase == .idle) // nothing changed: nothing pending, nothing to flip
        #expect(state.nextDrawing(at: now + 10 * frame) == nil)
    }

    @Test func areasAlreadyCoveredAreNotListedTwiceAndLongListsMerge() throws {
        var state = PageFlipState(width: 1280, height: 800)
        state.frameRendered([screen])
        state.drew(1)
        state.flipQueued(to: 1, at: 0)
        state.flipCompleted()
        state.drew(0)
        state.frameRendered([header])
        state.frameRendered([title]) // inside the header: not listed again
        #expect(state.areasLacking(in: 0) == [header])
        state.frameRendered([screen]) // covers everything
        #expect(state.areasLacking(in: 0) == [screen])
        state.drew(0)
        for i in 0..<(PageFlipState.maximumAreas + 5) {
            state.frameRendered([PixelRect(x: i * 10, y: i * 5, width: 4, height: 4)])
        }
        let merged = state.areasLacking(in: 0)
        #expect(merged.count <= PageFlipState.maximumAreas)
        for i in 0..<(PageFlipState.maximumAreas + 5) {
            let r = PixelRect(x: i * 10, y: i * 5, width: 4, height: 4)
            #expect(merged.contains { $0.contains(r) }, "\(r) lost")
        }
        state.frameRendered([PixelRect(x: -50, y: 790, width: 100, height: 100)]) // clipped to the screen
        #expect(state.areasLacking(in: 0).allSatisfy { screen.contains($0) })
    }

    /// Virtual drivers complete a flip at once: flips are still spaced by a frame.
    @Test func flipsArePacedByTheClock() throws {
        var state = PageFlipState(width: 64, height: 64, minimumInterval: frame)
        state.frameRendered([PixelRect(x: 0, y: 0, width: 8, height: 8)])
        state.drew(1)
        state.flipQueued(to: 1, at: 10_000_000)
        state.flipCompleted() // at once, as bochs and virtio-gpu do
        state.frameRendered([PixelRect(x: 8, y: 0, width: 8, height: 8)])
        #expect(state.delay(at: 11_000_000) == 10_000_000 + frame - 11_000_000)
        #expect(state.nextDrawing(at: 11_000_000) == nil)
        #expect(state.nextDrawing(at: 10_000_000 + frame) != nil)
        #expect(state.delay(at: 5_000_000) == 0) // a clock before the last flip does not block
    }

    @Test func aFailedFlipRedrawsBothBuffersAndKeepsTheFramePending() throws {
        var state = PageFlipState(width: 1280, height: 800)
        state.frameRendered([screen])
        state.drew(1)
        state.flipQueued(to: 1, at: 0)
        state.flipCompleted()
        state.drew(0)
        state.frameRendered([clock])
        state.drew(0)
        state.flipQueued(to: 0, at: 2 * frame)
        state.flipFailed()
        #expect(state.phase == .framePending)
        #expect(state.front == 1)
        #expect(state.areasLacking(in: 0) == [screen] && state.areasLacking(in: 1) == [screen])
    }

    @Test func aModeSetShowsTheGivenBuffer() {
        var state = PageFlipState(width: 1280, height: 800)
        state.frameRendered([screen])
        state.drew(1)
        state.flipQueued(to: 1, at: 0)
        state.modeSet(showing: 1, fresh: false)
        #expect(state.phase == .idle && state.front == 1)
        #expect(state.areasLacking(in: 0) == [screen])
        state.modeSet(showing: 1, fresh: true)
        #expect(state.phase == .framePending)
        #expect(state.areasLacking(in: 1) == [screen])
    }
}
