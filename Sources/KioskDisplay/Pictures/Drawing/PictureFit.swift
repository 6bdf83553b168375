/// How a picture fills a box on screen.
public enum PictureFit: Sendable, Hashable {
    /// The whole picture, as large as fits, centred; the rest of the box is left as it is.
    case inside
    /// The box filled, the picture cropped: `focusX`, `focusY` (0...1 across and down the
    /// picture; 0.5, 0.5 is the centre) is kept as near the middle of the box as the
    /// picture's edges allow (a poster's face, a logo's left edge).
    case cover(focusX: Double, focusY: Double)

    public static let coverCentred = PictureFit.cover(focusX: 0.5, focusY: 0.5)
}

/// Where a picture goes in a box: the part of the picture used (in source pixels,
/// fractional) and the rectangle of the box it is scaled into.
public struct PicturePlacement: Sendable, Hashable {
    /// The source area, in source pixels.
    public var sourceX: Double, sourceY: Double, sourceWidth: Double, sourceHeight: Double
    /// The destination rectangle (inside the box).
    public var destination: PixelRect

    /// Places a `width` x `height` picture in `box` with `fit`. The destination is at least
    /// one pixel in each direction when the box is not empty.
    public init(width: Int, height: Int, in box: PixelRect, fit: PictureFit) {
        let w = Double(max(1, width)), h = Double(max(1, height))
        let bw = Double(max(0, box.width)), bh = Double(max(0, box.height))
        switch fit {
        case .inside:
            let scale = min(bw / w, bh / h)
            let dw = box.isEmpty ? 0 : min(box.width, max(1, Int((w * scale).rounded())))
            let dh = box.isEmpty ? 0 : min(box.height, max(1, Int((h * scale).rounded())))
            destination = PixelRect(x: box.x + (box.width - dw) / 2, y: box.y + (box.height - dh) / 2, width: dw, height: dh)
            (sourceX, sourceY, sourceWidth, sourceHeight) = (0, 0, w, h)
        case .cover(let fx, let fy):
            let scale = max(bw / w, bh / h)
            let cw = scale > 0 ? min(w, bw / scale) : w, ch = scale > 0 ? min(h, bh / scale) : h
            func origin(_ focus: Double, _ size: Double, _ crop: Double) -> Double {
                let f = focus.isFinite ? min(1, max(0, focus)) : 0.5
                return min(size - crop, max(0, f * size - crop / 2))
            }
            (sourceX, sourceY, sourceWidth, sourceHeight) = (origin(fx, w, cw), origin(fy, h, ch), cw, ch)
            destination = box.isEmpty ? PixelRect(x: box.x, y: box.y, width: 0, height: 0) : box
        }
    }
}
