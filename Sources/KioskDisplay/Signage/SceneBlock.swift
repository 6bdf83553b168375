/// A piece of a column laid out from its own top (y = 0): an event, a notice, a heading.
/// Blocks are measured first, then moved into place whole, so a column never shows half
/// an event.
struct SceneBlock: Sendable {
    var boxes: [SceneBox] = []
    var texts: [SceneText] = []
    var height = 0
    /// Lines cut with "…" in this block.
    var truncatedLines = 0

    var isEmpty: Bool { boxes.isEmpty && texts.isEmpty }

    mutating func add(_ texts: [SceneText]) {
        self.texts += texts
        truncatedLines += texts.filter(\.isTruncated).count
    }

    /// The block moved down by `dy` pixels.
    func moved(by dy: Int) -> SceneBlock {
        var copy = self
        for i in copy.texts.indices {
            copy.texts[i].baseline += Double(dy)
            copy.texts[i].frame.y += dy
        }
        for i in copy.boxes.indices { copy.boxes[i].frame.y += dy }
        return copy
    }
}

/// Blocks stacked downwards in a rectangle, each kept whole or left out.
struct ColumnStack: Sendable {
    let rect: PixelRect
    private(set) var y: Int
    private(set) var layer = SceneLayer()
    /// Blocks placed, with their top, so that the last ones can be taken back.
    private(set) var placed: [(top: Int, block: SceneBlock)] = []

    init(rect: PixelRect) {
        self.rect = rect
        y = rect.y
    }

    var remaining: Int { rect.maxY - y }
    var used: Int { y - rect.y }
    var truncatedLines: Int { placed.reduce(0) { $0 + $1.block.truncatedLines } }

    /// Whether `block` fits after a gap of `gap` pixels (no gap at the top of the column).
    func fits(_ block: SceneBlock, gap: Int = 0) -> Bool {
        block.height + (placed.isEmpty ? 0 : gap) <= remaining
    }

    /// Places `block` after a gap (none at the top); false, and nothing placed, when it
    /// does not fit.
    @discardableResult
    mutating func add(_ block: SceneBlock, gap: Int = 0) -> Bool {
        guard fits(block, gap: gap) else { return false }
        let top = y + (placed.isEmpty ? 0 : gap)
        placed.append((top, block))
        y = top + block.height
        return true
    }

    /// Takes back the last block placed.
    mutating func removeLast() {
        guard let last = placed.popLast() else { return }
        y = placed.last.map { $0.top + $0.block.height } ?? rect.y
        _ = last
    }

    /// The placed blocks as one layer's items.
    var items: SceneLayer {
        var layer = SceneLayer()
        for (top, block) in placed {
            let moved = block.moved(by: top)
            layer.boxes += moved.boxes
            layer.texts += moved.texts
        }
        return layer
    }
}
