import Foundation

/// Which rotating panel (and which page of it) is on screen at an instant.
///
/// The cycle is: the week ahead, each page of the resident directory, each page of the
/// notice board, each featured event (the next ones with a picture), each poster in its
/// period, then again. Positions are computed from the instant alone, so every
/// display (and `kioskctl render --at`) agrees on what is shown when.
public struct PanelRotation: Sendable, Hashable {
    public enum Panel: String, Sendable, Hashable, CaseIterable {
        case upcoming, residents, notices, featured, posters
    }

    /// One step of the cycle.
    public struct Slot: Sendable, Hashable {
        public var panel: Panel
        public var page: Int
        public var pageCount: Int
        public var duration: TimeInterval
    }

    public var slots: [Slot]

    /// Builds the cycle; a panel with zero pages is left out.
    public init(pages: [Panel: Int], panelDuration: TimeInterval, pageDuration: TimeInterval) {
        var slots: [Slot] = []
        for panel in Panel.allCases {
            let count = pages[panel] ?? 0
            for page in 0..<count {
                let d = panel == .residents || panel == .featured ? pageDuration : panelDuration
                slots.append(Slot(panel: panel, page: page, pageCount: count, duration: d))
            }
        }
        self.slots = slots
    }

    public var cycleLength: TimeInterval { slots.reduce(0) { $0 + $1.duration } }

    /// The slot showing at `instant` (nil when there is nothing to rotate).
    public func slot(at instant: Date) -> Slot? {
        let cycle = cycleLength
        guard cycle > 0 else { return nil }
        var t = instant.timeIntervalSince1970.truncatingRemainder(dividingBy: cycle)
        if t < 0 { t += cycle }
        for slot in slots {
            if t < slot.duration { return slot }
            t -= slot.duration
        }
        return slots.last
    }

    /// The next instant after `instant` at which the slot changes.
    public func nextChange(after instant: Date) -> Date? {
        let cycle = cycleLength
        guard cycle > 0, slots.count > 1 else { return nil }
        var t = instant.timeIntervalSince1970.truncatingRemainder(dividingBy: cycle)
        if t < 0 { t += cycle }
        var boundary = 0.0
        for slot in slots {
            boundary += slot.duration
            if t < boundary { return instant.addingTimeInterval(boundary - t) }
        }
        return instant.addingTimeInterval(cycle - t)
    }
}
