import Testing
@testable import KioskCore

@Suite("Badge debouncer")
struct BadgeDebouncerTests {
    let t0 = ContinuousClock.now
    let a = BadgeRead(tagID: "62E3086CED", encoding: .hex, source: .rdm6300)
    let b = BadgeRead(tagID: "2900DEB30A", encoding: .hex, source: .rdm6300)

    @Test("the default window is 1.5 s")
    func defaultWindow() {
        #expect(BadgeDebouncer().window == .milliseconds(1500))
    }

    @Test("repeats of the same tag within the window are dropped")
    func repeatsDropped() {
        var debouncer = BadgeDebouncer()
        let admitted1 = debouncer.admit(a, at: t0)
        #expect(admitted1)
        let admitted2 = debouncer.admit(a, at: t0 + .milliseconds(200))
        #expect(!admitted2)
        let admitted3 = debouncer.admit(a, at: t0 + .milliseconds(1600))
        #expect(!admitted3)  // 1.4 s after the last repeat
    }

    @Test("the same tag passes again once it has been away longer than the window")
    func passesAfterWindow() {
        var debouncer = BadgeDebouncer(window: .seconds(1))
        let admitted4 = debouncer.admit(a, at: t0)
        #expect(admitted4)
        let admitted5 = debouncer.admit(a, at: t0 + .milliseconds(1000))
        #expect(!admitted5)
        let admitted6 = debouncer.admit(a, at: t0 + .milliseconds(2001))
        #expect(admitted6)
    }

    @Test("a different tag passes at once")
    func differentTagPasses() {
        var debouncer = BadgeDebouncer()
        let admitted7 = debouncer.admit(a, at: t0)
        #expect(admitted7)
        let admitted8 = debouncer.admit(b, at: t0 + .milliseconds(10))
        #expect(admitted8)
        let admitted9 = debouncer.admit(a, at: t0 + .milliseconds(20))
        #expect(admitted9)
        let admitted10 = debouncer.admit(a, at: t0 + .milliseconds(30))
        #expect(!admitted10)
    }

    @Test("reset forgets the last tag")
    func resetForgets() {
        var debouncer = BadgeDebouncer()
        let admitted11 = debouncer.admit(a, at: t0)
        #expect(admitted11)
        debouncer.reset()
        let admitted12 = debouncer.admit(a, at: t0 + .milliseconds(1))
        #expect(admitted12)
    }
}
