import Foundation
import Testing
@testable import KioskCore

@Suite struct PanelRotationTests {
    @Test func cycleVisitsEveryPageInOrder() {
        let rotation = PanelRotation(pages: [.upcoming: 1, .residents: 3, .notices: 1], panelDuration: 15, pageDuration: 10)
        #expect(rotation.cycleLength == 15 + 30 + 15)
        let base = 60.0 * 1000 // a multiple of the cycle length
        func slot(_ t: Double) -> (PanelRotation.Panel, Int)? {
            rotation.slot(at: Date(timeIntervalSince1970: base + t)).map { ($0.panel, $0.page) }
        }
        #expect(slot(0)! == (.upcoming, 0))
        #expect(slot(14.9)! == (.upcoming, 0))
        #expect(slot(15)! == (.residents, 0))
        #expect(slot(35)! == (.residents, 2))
        #expect(slot(45)! == (.notices, 0))
        #expect(slot(60)! == (.upcoming, 0))
        #expect(rotation.nextChange(after: Date(timeIntervalSince1970: base + 3)) == Date(timeIntervalSince1970: base + 15))
    }

    @Test func emptyPanelsAreSkipped() {
        let rotation = PanelRotation(pages: [.upcoming: 1, .residents: 0], panelDuration: 15, pageDuration: 10)
        #expect(rotation.slots.count == 1)
        #expect(rotation.nextChange(after: Date()) == nil)
    }
}
